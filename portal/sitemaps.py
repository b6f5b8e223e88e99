"""sitemap.xml: an index at /sitemap.xml with one section per kind of page.

Each app lists its own pages in its ``sitemaps.py``; this module adds the entry pages (the
fixed ones, the columns and the topics) and puts the sections together in the order the index
shows them.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import F, Func, QuerySet, Subquery, Value
from django.urls import reverse

from articles.models import Column
from articles.sitemaps import sitemaps as article_sitemaps
from partnerships.sitemaps import sitemaps as partnership_sitemaps
from qxs import surrogate
from qxs.prepared import select
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


class _MeasuredSection:
    """A section of the index whose size and latest change are known already: Django's index
    view asks each section for them in turn, a query or two each (see ``measured_sections``)."""

    def __init__(self, sitemap, count, latest_lastmod):
        self._sitemap = sitemap
        self._count = count
        self._latest_lastmod = latest_lastmod

    def __getattr__(self, name):
        return getattr(self._sitemap, name)

    @property
    def paginator(self):
        paginator = Paginator([], self._sitemap.limit)
        paginator.count = self._count
        return paginator

    def get_latest_lastmod(self):
        return self._latest_lastmod


def measured_sections(sections=None):
    """The index's sections with their number of URLs and latest ``lastmod``, read in one
    statement for every section that lists a QuerySet (a section with ``lastmod_field`` gives
    its latest change from it; Django would load every row to find it)."""
    sitemaps_now = {name: section() for name, section in (sections or sitemaps).items()}
    expressions, items = {}, {}
    for name, sitemap in sitemaps_now.items():
        items[name] = sitemap.items()
        if isinstance(items[name], QuerySet):
            rows = items[name].order_by()
            expressions[f"{name}__count"] = Subquery(
                rows.annotate(total=Func(F("pk"), function="COUNT")).values("total")
            )
            field = getattr(sitemap, "lastmod_field", None)
            if field:
                expressions[f"{name}__lastmod"] = Subquery(
                    rows.annotate(latest=Func(F(field), function="MAX")).values("latest"),
                    output_field=rows.model._meta.get_field(field),
                )
    figures = {}
    if expressions:
        (row,) = select(expressions).get_compiler(using="default").results_iter()
        figures = dict(zip(expressions, row, strict=True))
    measured = {}
    for name, sitemap in sitemaps_now.items():
        if isinstance(items[name], QuerySet):
            count = figures[f"{name}__count"] or 0
            if f"{name}__lastmod" in figures:
                lastmod = figures[f"{name}__lastmod"]
            else:
                lastmod = sitemap.get_latest_lastmod()
        else:
            count, lastmod = len(items[name]), sitemap.get_latest_lastmod()
        measured[name] = _MeasuredSection(sitemap, count, lastmod)
    return measured
