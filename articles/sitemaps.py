"""The articles' sections of sitemap.xml."""

from django.contrib.sitemaps import Sitemap

from .models import Article, Column


class ArticleSitemap(Sitemap):
    """Published articles with a body (title-only stubs are not worth indexing)."""

    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .filter(is_stub=False)
            .only("published_at", "created_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Column.objects.only("slug").order_by("order", "pk")


sitemaps = {"articles": ArticleSitemap, "columns": ColumnSitemap}
