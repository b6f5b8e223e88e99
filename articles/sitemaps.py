"""The articles' section of sitemap.xml (the columns are among the entry pages, see
``portal.sitemaps``)."""

from django.contrib.sitemaps import Sitemap

from qxs import surrogate

from .models import Article


class ArticleSitemap(Sitemap):
    """Published articles with a body (title-only stubs are not worth indexing)."""

    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.NEWS,)
    changefreq = "monthly"
    priority = 0.6
    limit = 5000
    # The index reads the latest change from this field in SQL (portal.sitemaps), rather than
    # calling lastmod() on every article.
    lastmod_field = "updated_at"

    def items(self):
        return (
            Article.objects.published()
            .filter(is_stub=False)
            .only("published_at", "created_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"articles": ArticleSitemap}
