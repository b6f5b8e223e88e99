"""sitemap.xml: an index at /sitemap.xml with one section per kind of page.

Each app lists its own pages in its ``sitemaps.py``; this module adds the fixed entry pages and
puts the sections together in the order the index shows them.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import sitemaps as article_sitemaps
from partnerships.sitemaps import sitemaps as partnership_sitemaps
from qxs import surrogate


class StaticPagesSitemap(Sitemap):
    """The fixed entry pages."""

    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.SITE,)
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


sitemaps = {
    "pages": StaticPagesSitemap,
    **article_sitemaps,
    **partnership_sitemaps,
}
