"""sitemap.xml: an index at /sitemap.xml with one section per kind of page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Column
from partnerships.models import Agency, HelpingPair, Meeting


class StaticPagesSitemap(Sitemap):
    """The fixed entry pages."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "home",
            "articles:list",
            "partnerships:meeting-list",
            "partnerships:pair-list",
            "partnerships:agency-list",
        ]

    def location(self, item):
        return reverse(item)


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


class MeetingSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        return Meeting.objects.only("slug").order_by("-start_date", "pk")


class PairSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return HelpingPair.objects.only("pk").order_by("order", "pk")


class AgencySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 5000

    def items(self):
        return Agency.objects.only("pk").order_by("pk")


sitemaps = {
    "pages": StaticPagesSitemap,
    "articles": ArticleSitemap,
    "columns": ColumnSitemap,
    "meetings": MeetingSitemap,
    "pairs": PairSitemap,
    "agencies": AgencySitemap,
}
