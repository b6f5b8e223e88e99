"""The public news pages: list with filters, column, tag and date archives, and the article page."""

import datetime

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from taggit.models import Tag

from partnerships.models import Agency, HelpingPair
from qxs import surrogate
from qxs.cache import cached_for_generation
from qxs.pagination import LargeArchivePaginationMixin

from .filters import ArticleAgency, ArticleFilter
from .models import Article, Column, TaggedArticle

ArticleRelated = Article.related.through

# What a list row needs; the body stays in the database.
LIST_FIELDS = ("title", "summary", "published_at", "created_at", "is_stub", "column__name")
RELATED_LIMIT = 6
# Related news is chosen among the articles most recently linked to each shared tag and agency,
# so a tag on half the archive costs what a rare one does.
RELATED_CANDIDATES = 200


def archive_years():
    """Years that have published news, newest first (cached until public content changes).

    Two queries, each a few index probes: the first and last publication times, then one
    ``EXISTS`` per year between them in a single statement (counting each year's rows would
    read every published article: 40–70 ms at 100,000 against about 1 ms).
    """
    return cached_for_generation("articles:archive-years", _archive_years)


def _archive_years():
    published = Article.objects.published().order_by()
    bounds = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    if bounds["first"] is None:
        return []
    zone = timezone.get_current_timezone()
    first = timezone.localtime(bounds["first"], zone).year
    last = timezone.localtime(bounds["last"], zone).year
    years = list(range(last, first - 1, -1))
    probes, params = [], []
    for year in years:
        in_year = published.filter(
            published_at__gte=datetime.datetime(year, 1, 1, tzinfo=zone),
            published_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=zone),
        )
        sql, year_params = in_year.values("pk")[:1].query.sql_with_params()
        probes.append(f"EXISTS({sql})")
        params.extend(year_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes), params)
        found = cursor.fetchone()
    return [year for year, has_news in zip(years, found, strict=True) if has_news]


def article_keys(articles):
    """The surrogate keys of ``articles`` (see ``qxs.surrogate``)."""
    return [surrogate.article(article.pk) for article in articles if article is not None]


class PublishedArticleListMixin(LargeArchivePaginationMixin):
    """Published articles, 20 a page; a page past the end or a bad page number is a 404.

    The paginator caches its count per content generation and fetches deep pages by primary key
    (``qxs.pagination``), so page 2,000 of 100,000 articles costs what page 1 does.
    """

    paginate_by = 20
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("column")
            .only(*LIST_FIELDS, "column__slug", "column__order")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("columns", list(Column.objects.all()))
        context.setdefault("archive_years", archive_years())
        surrogate.add(self.request, surrogate.NEWS, *article_keys(context["object_list"]))
        return context


class ArticleListView(PublishedArticleListMixin, ListView):
    """``/news/``: every published article, narrowed by ``ArticleFilter``.

    Invalid filter values are reported on the form; the valid ones still apply.
    """

    def get_queryset(self):
        # Without filters there is no FilterSet to build (it copies every filter and validates
        # its form).
        if not set(self.request.GET) - {self.page_kwarg}:
            return super().get_queryset()
        return self.filterset.qs

    @cached_property
    def filterset(self):
        return ArticleFilter(
            self.request.GET or None,
            queryset=super().get_queryset(),
            request=self.request,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset,
            form=self.filterset.form,
            # As ``form.is_bound``: any parameter, the page number included.
            form_is_bound=bool(self.request.GET),
            page_title=_("新闻"),
            show_filters=True,
            **kwargs,
        )


class ColumnView(PublishedArticleListMixin, ListView):
    """``/news/column/<slug>/``: one column's articles."""

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return super().get_queryset().filter(column=self.column)

    def get_context_data(self, **kwargs):
        surrogate.add(self.request, surrogate.column(self.column.pk))
        return super().get_context_data(
            column=self.column,
            page_title=self.column.name,
            page_description=self.column.description,
            feed_url=("articles:column-feed", self.column.slug),
            **kwargs,
        )


class TagView(PublishedArticleListMixin, ListView):
    """``/news/tag/<slug>/``: articles with a tag; a tag on no published article is a 404."""

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        tagged = TaggedArticle.objects.filter(tag=self.tag).values("content_object_id")
        return super().get_queryset().filter(pk__in=tagged)

    def get_context_data(self, **kwargs):
        surrogate.add(self.request, surrogate.tag(self.tag.pk))
        context = super().get_context_data(
            tag=self.tag,
            page_title=_("标签：%(tag)s") % {"tag": self.tag.name},
            feed_url=("articles:tag-feed", self.tag.slug),
            **kwargs,
        )
        if not context["paginator"].count:
            raise Http404("No published article has this tag.")
        return context


class ArchiveView(PublishedArticleListMixin, ListView):
    """``/news/<year>/`` and ``/news/<year>/<month>/``: articles published in that period.

    Periods are in the site's time zone (Asia/Shanghai), as the dates on the pages are.
    """

    def get_period(self):
        year = self.kwargs["year"]
        month = self.kwargs.get("month")
        if not 1900 <= year <= 2999:
            raise Http404("Year out of range.")
        zone = timezone.get_current_timezone()
        if month is None:
            start = datetime.datetime(year, 1, 1, tzinfo=zone)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
        else:
            month = int(month)
            start = datetime.datetime(year, month, 1, tzinfo=zone)
            end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        return year, month, start, end

    def get_queryset(self):
        self.year, self.month, start, end = self.get_period()
        return super().get_queryset().filter(published_at__gte=start, published_at__lt=end)

    def get_context_data(self, **kwargs):
        if self.month:
            title = _("%(year)s年%(month)s月") % {"year": self.year, "month": self.month}
            months = None
        else:
            title = _("%(year)s年") % {"year": self.year}
            by_month = (
                self.object_list.annotate(month=ExtractMonth("published_at"))
                .order_by("month")
                .values("month")
                .annotate(count=Count("pk"))
            )
            months = list(by_month)
        return super().get_context_data(
            page_title=title,
            archive_year=self.year,
            archive_month=self.month,
            archive_months=months,
            **kwargs,
        )


def published_article(pk):
    """The published article ``pk`` with what its page shows of its column, cover and meeting,
    or 404."""
    article = (
        Article.objects.published()
        .select_related("column", "cover_image", "meeting__venue")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404("No published article has this number.")
    return article


def article_detail(request, year, month, pk):
    """An article's public page; a wrong year or month in the URL redirects (301) to the right."""
    article = published_article(pk)
    canonical = article.get_absolute_url()
    if request.path != canonical:
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{canonical}?{query}" if query else canonical, permanent=True)
    return render_article_page(request, article)


def related_articles(article, tag_ids, agency_ids, limit=RELATED_LIMIT):
    """Related news in one query: manual choices first, then by shared tags and agencies.

    Only published articles; taggit's ``similar_objects()`` is avoided because it loads every
    tagged row. The candidates are the manual choices and the ``RELATED_CANDIDATES`` newest
    articles sharing a tag, and as many sharing an agency, each set read from an index; their
    ``UNION`` is looked up by primary key, so only those few hundred rows are scored, however
    large the archive (an ``OR`` of the sets would make PostgreSQL scan every article).
    """
    manual = ArticleRelated.objects.filter(from_article_id=article.pk)
    candidate_sets = [manual.values("to_article_id")]
    shared_tags = shared_agencies = Value(0, output_field=IntegerField())
    if tag_ids:
        tagged = TaggedArticle.objects.filter(tag_id__in=tag_ids)
        newest = tagged.order_by("-content_object_id").values("content_object_id")
        candidate_sets.append(newest[:RELATED_CANDIDATES])
        shared_tags = _count(tagged.filter(content_object_id=OuterRef("pk")), "content_object_id")
    if agency_ids:
        linked = ArticleAgency.objects.filter(agency_id__in=agency_ids)
        newest = linked.order_by("-article_id").values("article_id")
        candidate_sets.append(newest[:RELATED_CANDIDATES])
        shared_agencies = _count(linked.filter(article_id=OuterRef("pk")), "article_id")
    # A sliced query cannot be a member of a compound statement on SQLite, so each set is a
    # plain primary-key lookup with its slice inside.
    first, *others = [
        Article.objects.filter(pk__in=ids).order_by().values("pk") for ids in candidate_sets
    ]
    candidates = first.union(*others) if others else first
    return list(
        Article.objects.published()
        .filter(pk__in=candidates)
        .exclude(pk=article.pk)
        .annotate(
            is_manual=Exists(manual.filter(to_article_id=OuterRef("pk"))),
            score=shared_tags + shared_agencies,
        )
        .order_by("-is_manual", "-score", "-published_at", "-pk")
        .only("title", "published_at", "created_at", "is_stub")[:limit]
    )


def _count(rows, group_field):
    """A correlated ``COUNT(*)`` of ``rows`` as an integer subquery (0 when there are none)."""
    counted = rows.order_by().values(group_field).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def column_neighbours(article):
    """The newer and the older published article of the same column (or None).

    Each query is bounded by the article's own time (``__gte``/``__lte``) besides the exact
    tie-break, so PostgreSQL seeks into ``article_column_pub_idx`` instead of walking it from
    one end until the condition first holds.
    """
    if article.published_at is None:
        return None, None
    same_column = (
        Article.objects.published()
        .filter(column_id=article.column_id)
        .exclude(pk=article.pk)
        .only("title", "published_at", "created_at")
    )
    when = article.published_at
    newer = (
        same_column.filter(published_at__gte=when)
        .filter(Q(published_at__gt=when) | Q(pk__gt=article.pk))
        .order_by("published_at", "pk")
        .first()
    )
    older = (
        same_column.filter(published_at__lte=when)
        .filter(Q(published_at__lt=when) | Q(pk__lt=article.pk))
        .order_by("-published_at", "-pk")
        .first()
    )
    return newer, older


class ArticleRelations:
    """What an article page shows besides the article's own row (a fixed number of queries,
    whatever the article links to)."""

    RELATIONS = ("tags", "agencies", "pairs", "attachments")

    def __init__(self, article):
        self.article = article

    @cached_property
    def linked(self):
        """The article's tags, agencies, pairs and attachments, by name (four queries)."""
        article = self.article
        if article.pk is None:
            return {name: [] for name in self.RELATIONS}
        prefetch_related_objects(
            [article],
            "tags",
            Prefetch("agencies", queryset=Agency.objects.select_related("division")),
            Prefetch("pairs", queryset=HelpingPair.objects.select_related("helper", "helped")),
            "attachments",
        )
        return {name: list(getattr(article, name).all()) for name in self.RELATIONS}

    @cached_property
    def related(self):
        if self.article.pk is None:
            return []
        linked = self.linked
        return related_articles(
            self.article,
            [tag.pk for tag in linked["tags"]],
            [agency.pk for agency in linked["agencies"]],
        )

    @cached_property
    def neighbours(self):
        if self.article.pk is None:
            return None, None
        return column_neighbours(self.article)

    def context(self):
        newer, older = self.neighbours
        return {
            **self.linked,
            "related_articles": self.related,
            "newer_article": newer,
            "older_article": older,
        }


def render_article_page(request, article, *, preview=False):
    """Render an article exactly as its public page shows it.

    The public detail view and the admin preview both call this, so a preview is the real page.
    """
    relations = ArticleRelations(article).context()
    context = {
        "article": article,
        "preview": preview,
        "print_view": request.GET.get("print") == "1",
        **relations,
    }
    if not preview:
        surrogate.add(
            request,
            surrogate.article(article.pk),
            surrogate.column(article.column_id),
            article.meeting_id and surrogate.meeting(article.meeting_id),
            *(surrogate.tag(tag.pk) for tag in relations["tags"]),
            *(surrogate.agency(agency.pk) for agency in relations["agencies"]),
            *(surrogate.pair(pair.pk) for pair in relations["pairs"]),
            *article_keys(relations["related_articles"]),
            *article_keys([relations["newer_article"], relations["older_article"]]),
        )
    response = render(request, "articles/article_detail.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response
