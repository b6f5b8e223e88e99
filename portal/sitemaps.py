"""sitemap.xml: an index at /sitemap.xml with one section per kind of page.

Each app lists its own pages in its ``sitemaps.py``; this module adds the entry pages (the
fixed ones, the columns and the topics) and puts the sections together in the order the index
shows them.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Value
from django.urls import reverse

from articles.models import Column
from articles.sitemaps import sitemaps as article_sitemaps
from partnerships.sitemaps import sitemaps as partnership_sitemaps
from qxs import surrogate
from topics.models import Topic

FIXED_PAGES = [
    "home",
    "articles:list",
    "topics:list",
    "partnerships:meeting-list",
    "partnerships:pair-list",
    "partnerships:agency-list",
    "site-map",
]


class EntryPagesSitemap(Sitemap):
    """The fixed entry pages, every column and every public topic.

    Columns and topics are read in one ``UNION`` query into a list, so the index (which counts
    every section) spends no query of its own on this one.
    """

    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.SITE, surrogate.TOPICS)
    changefreq = "daily"
    priority = 0.8

    def items(self):
        columns = Column.objects.order_by().values_list(Value("column"), "slug", "order")
        topics = Topic.objects.public().order_by().values_list(Value("topic"), "slug", "order")
        rows = sorted(columns.union(topics, all=True), key=lambda row: (row[0], row[2], row[1]))
        return [("page", name, 0) for name in FIXED_PAGES] + rows

    def location(self, item):
        kind, name, _order = item
        if kind == "column":
            return reverse("articles:column", kwargs={"slug": name})
        if kind == "topic":
            return reverse("topics:detail", kwargs={"slug": name})
        return reverse(name)


sitemaps = {
    "pages": EntryPagesSitemap,
    **article_sitemaps,
    **partnership_sitemaps,
}
