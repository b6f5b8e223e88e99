"""The public news pages: list with filters, column, tag and date archives, and the article page."""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from taggit.models import Tag

from partnerships.models import Agency, Division, HelpingPair, Meeting
from qxs import surrogate
from qxs.cache import cached_for_generation
from qxs.newslinks import news_url_prefix
from qxs.pagination import LargeArchivePaginationMixin
from qxs.prepared import PreparedQuery, run_sql

from .filters import ArticleFilter
from .models import (
    Article,
    Attachment,
    Column,
    Image,
    RelatedNews,
    TaggedArticle,
    listed_months,
    published_count,
    published_tag_count,
)
from .related import related_articles
from .services import MAX_PINNED_PER_COLUMN

ArticleAgency = Article.agencies.through
ArticlePair = Article.pairs.through

# What a list row needs; the body stays in the database.
LIST_FIELDS = ("title", "summary", "published_at", "created_at", "is_stub", "column__name")


# Years probed in the archive's one statement; a site with news from before this year costs one
# more statement (the bounds first, then a probe per year between them).
ARCHIVE_PROBE_FROM = 2000


def archive_years():
    """Years that have published news, newest first (cached until public content changes).

    One statement of index probes: ``EXISTS`` for each year from ``ARCHIVE_PROBE_FROM`` to next
    year, with the earliest publication time to catch anything older (counting each year's rows
    would read every published article: 40–70 ms at 100,000 against about 1 ms).
    """
    return cached_for_generation("articles:archive-years", _archive_years)


def archive_year_links(years):
    """``[{year, url, label}]`` for the sidebar: built here rather than by a ``{% url %}`` and a
    ``{% blocktranslate %}`` for each of some thirty years in the template."""
    prefix = news_url_prefix()
    return [
        {"year": year, "url": f"{prefix}{year:04d}/", "label": _("%(year)s年") % {"year": year}}
        for year in years
    ]


def column_links(columns):
    """``[(pk, name, url)]`` of the columns for the sidebar (``Column.get_absolute_url()`` for
    each would look the list's URL prefix up again)."""
    prefix = news_url_prefix()
    return [(column.pk, column.name, f"{prefix}column/{column.slug}/") for column in columns]


def _archive_years():
    zone = timezone.get_current_timezone()
    this_year = timezone.localtime(timezone.now(), zone).year
    years = tuple(range(this_year + 1, ARCHIVE_PROBE_FROM - 1, -1))
    found = _probe_years(years, zone, with_earliest=True)
    earliest, found = found[0], found[1:]
    if isinstance(earliest, str):  # SQLite may return the text of the timestamp
        earliest = datetime.datetime.fromisoformat(earliest)
    if earliest is not None and timezone.is_naive(earliest):  # stored in UTC
        earliest = earliest.replace(tzinfo=datetime.UTC)
    result = [year for year, has_news in zip(years, found, strict=True) if has_news]
    if earliest is not None:
        first_year = timezone.localtime(earliest, zone).year
        if first_year < ARCHIVE_PROBE_FROM:
            older = tuple(range(ARCHIVE_PROBE_FROM - 1, first_year - 1, -1))
            found = _probe_years(older, zone, with_earliest=False)
            result += [year for year, has_news in zip(older, found, strict=True) if has_news]
    return result


# The publication time the probe statement is compiled with, replaced by the real one on each
# run (no article is published at it).
_PROBE_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC)


def _probe_years(years, zone, *, with_earliest):
    """The earliest publication time (``with_earliest``), then whether each year has news."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        sql, earliest_params, probe_params, compiled_now = _array_probe_statement(with_earliest)
        params = [*earliest_params, *_year_arrays(years, zone), *probe_params]
        (row,) = run_sql(sql, [now if param == compiled_now else param for param in params])
        found = set(row[-1])
        return [*row[:-1], *(year in found for year in years)]
    sql, params, compiled_now = _probe_statement(
        connection.vendor, connection.settings_dict["NAME"], years, zone, with_earliest
    )
    (row,) = run_sql(sql, [now if param == compiled_now else param for param in params])
    return list(row)


@functools.lru_cache(maxsize=2)
def _array_probe_statement(with_earliest):
    """PostgreSQL: the earliest publication time (``with_earliest``) and the years that have
    news, as an array, whatever the number of years: the years and their bounds are three
    array parameters (``_year_arrays()``), each probed by one index look-up in a nested loop.

    One ``EXISTS`` subplan per year took 2.7 ms a run in process with its generic plan (7–8 ms
    for each connection's first five, planned each time), mostly starting 28 index scans; this
    one takes 0.9 ms (0.3 of them in PostgreSQL). The probe itself is the ORM's
    ``published()``, compiled once, its bounds the columns of the years' table. Returns the SQL,
    the parameters before the arrays and after them, and the value in them that stands for the
    current time.
    """
    published = Article.objects.published(_PROBE_NOW).order_by()
    earliest_sql, earliest_params = "", ()
    if with_earliest:
        first = published.values("published_at").order_by("published_at")[:1]
        earliest_sql, earliest_params = first.query.sql_with_params()
        earliest_sql = f"({earliest_sql}), "
    in_year = published.filter(
        published_at__gte=RawSQL("years.start", ()), published_at__lt=RawSQL("years.stop", ())
    )
    probe_sql, probe_params = in_year.values("pk")[:1].query.sql_with_params()
    sql = (
        f"SELECT {earliest_sql}ARRAY(SELECT years.year FROM unnest(%s::integer[], "
        "%s::timestamptz[], %s::timestamptz[]) AS years(year, start, stop) "
        f"WHERE EXISTS({probe_sql}))"
    )
    adapt = connection.ops.adapt_datetimefield_value
    return sql, tuple(earliest_params), tuple(probe_params), adapt(_PROBE_NOW)


@functools.lru_cache(maxsize=4)
def _year_arrays(years, zone):
    """The years, the start of each and of the next in ``zone``, as PostgreSQL array literals
    (text parameters: the statement is prepared, and casts them). Kept: they change once a
    year, and writing 56 times costs 0.2 ms."""
    starts = [datetime.datetime(year, 1, 1, tzinfo=zone).isoformat() for year in years]
    stops = [datetime.datetime(year + 1, 1, 1, tzinfo=zone).isoformat() for year in years]
    return (
        "{" + ",".join(str(year) for year in years) + "}",
        "{" + ",".join(f'"{start}"' for start in starts) + "}",
        "{" + ",".join(f'"{stop}"' for stop in stops) + "}",
    )


@functools.lru_cache(maxsize=16)
def _probe_statement(vendor, database, years, zone, with_earliest):
    """One ``SELECT`` of the earliest publication time and an ``EXISTS`` per year, compiled once
    per process (and set of years): its SQL, its parameters and the value in them that stands
    for the current time.

    The probe is compiled once, for the first year, and repeated with each year's bounds in
    place of its parameters (compiling thirty QuerySets cost more than running the statement).
    """
    published = Article.objects.published(_PROBE_NOW).order_by()
    adapt = connection.ops.adapt_datetimefield_value
    probes, params = [], []
    if with_earliest:
        first = published.values("published_at").order_by("published_at")[:1]
        sql, first_params = first.query.sql_with_params()
        probes.append(f"({sql})")
        params.extend(first_params)
    if years:

        def bounds(year):
            start = datetime.datetime(year, 1, 1, tzinfo=zone)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
            return adapt(start), adapt(end)

        first_start, first_end = bounds(years[0])
        in_year = published.filter(
            published_at__gte=datetime.datetime(years[0], 1, 1, tzinfo=zone),
            published_at__lt=datetime.datetime(years[0] + 1, 1, 1, tzinfo=zone),
        )
        sql, probe_params = in_year.values("pk")[:1].query.sql_with_params()
        slots = [
            "start" if param == first_start else "end" if param == first_end else None
            for param in probe_params
        ]
        for year in years:
            start, end = bounds(year)
            probes.append(f"EXISTS({sql})")
            params.extend(
                start if slot == "start" else end if slot == "end" else param
                for param, slot in zip(probe_params, slots, strict=True)
            )
    return "SELECT " + ", ".join(probes), tuple(params), adapt(_PROBE_NOW)


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

    @cached_property
    def now(self):
        """The time of the request: the list's ``published()`` and its counts agree on it."""
        return timezone.now()

    def get_queryset(self):
        return (
            Article.objects.published(self.now)
            .select_related("column")
            .only(*LIST_FIELDS, "column__slug", "column__order")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "columns" not in context:  # not setdefault(): that would run the query every time
            context["columns"] = list(Column.objects.all())
        context.setdefault("archive_years", archive_years())
        context["archive_year_links"] = archive_year_links(context["archive_years"])
        context["column_links"] = column_links(context["columns"])
        surrogate.add(self.request, surrogate.NEWS, *article_keys(context["object_list"]))
        return context


def filter_fields(form, options):
    """The filter form's fields as plain values for ``includes/filter_form.html`` (and the
    search page's form, through the same ``includes/filter_control.html``).

    Rendered by that one template rather than by each widget's templates (Django renders every
    ``<option>`` through a template of its own); ``options`` gives the choices of the selects
    (``column`` and ``province``) as ``(value, label)`` pairs already loaded by the view.
    ``form`` is None for a list without filter values: the fields are then read from
    ``filter_form_fields()`` (no ``FilterSet`` to build, no form to copy its fields and validate).
    """
    if form is None:
        data, errors = {}, {}
        fields = filter_form_fields()
        label_suffix = gettext(":")  # a form's default, in the reader's language
    else:
        data = form.data if form.is_bound else {}
        errors = form.errors if form.is_bound else {}
        fields = [(bound.name, bound.auto_id, bound.label, bound.field) for bound in form]
        label_suffix = form.label_suffix
    entries = []
    for name, auto_id, label, field in fields:
        value = data.get(name, "") or ""
        entry = {
            "name": name,
            "id": auto_id,
            "text": label,
            "label": f"{label}{label_suffix}",
            "errors": errors.get(name, []),
            "help_text": field.help_text,
            "value": value,
            "maxlength": getattr(field, "max_length", None),
            "type": getattr(field.widget, "input_type", "text"),
        }
        if name in options:
            entry["type"] = "select"
            entry["options"] = [(choice, label, choice == value) for choice, label in options[name]]
            # A select with no empty choice (a sort order) starts with its first option.
            if getattr(field, "empty_label", None) is not None:
                entry["options"].insert(0, ("", field.empty_label, not value))
        entries.append(entry)
    return entries


@functools.cache
def filter_form_fields():
    """``(name, id, label, field)`` of each field of ``ArticleFilter``'s form, from a form built
    once per process (the labels are lazy: each request reads them in its own language)."""
    form = ArticleFilter(None, queryset=Article.objects.none(), columns=[], provinces=[]).form
    return tuple((bound.name, bound.auto_id, bound.label, bound.field) for bound in form)


def _columns_and_provinces_query(now):
    columns = Column.objects.order_by().values_list(
        Value("column"), "pk", "slug", "name", "description", "order"
    )
    provinces = (
        Division.objects.filter(level=Division.Level.PROVINCE)
        .order_by()
        .values_list(Value("province"), "pk", "code", "name", Value(""), Value(0))
    )
    return columns.union(provinces, all=True)


def _columns_provinces_and_tags_query(now, tag):
    # The tags ``ArticleFilter.filter_tag`` matches: by slug or by name.
    tags = (
        Tag.objects.filter(Q(slug=tag) | Q(name=tag))
        .order_by()
        .values_list(Value("tag"), "pk", "slug", "name", Value(""), Value(0))
    )
    return _columns_and_provinces_query(now).union(tags, all=True)


COLUMNS_AND_PROVINCES_QUERY = PreparedQuery(_columns_and_provinces_query, ids=())
# The same with a third branch for the tag a filtered list asks for (``?tag=``).
COLUMNS_PROVINCES_AND_TAGS_QUERY = PreparedQuery(
    _columns_provinces_and_tags_query, ids=(), texts=("tag",)
)


def columns_and_provinces(tag=None):
    """Every column (in their order) and the provinces' ``(code, name)``, in one query: the
    news list's sidebar and its filter form's two selects.

    Returned third, the ids of the tags ``tag`` (a ``?tag=`` value) names, found by the same
    query (``[]`` without ``tag`` or when it names none), so the list filters the tagged rows by
    id: no other query, and PostgreSQL probes ``tagged_article_unique`` for the id instead of
    joining ``taggit_tag`` for every article it walks.
    """
    columns, provinces, tag_ids = [], [], []
    if tag is None:
        rows = COLUMNS_AND_PROVINCES_QUERY.rows()
    else:
        rows = COLUMNS_PROVINCES_AND_TAGS_QUERY.rows(tag=tag)
    for kind, pk, key, name, description, order in rows:
        if kind == "column":
            columns.append(Column(pk=pk, slug=key, name=name, description=description, order=order))
        elif kind == "province":
            provinces.append((key, name))
        else:
            tag_ids.append(pk)
    columns.sort(key=lambda column: (column.order, column.name))
    provinces.sort()
    return columns, provinces, sorted(tag_ids)


def tag_to_look_up(value):
    """The ``?tag=`` value as the filter form will clean it (by the form's own field: stripped),
    or None when there is nothing to look up: empty, or a value the form refuses (too long, a
    NUL character, which PostgreSQL would not take as text either)."""
    try:
        return ArticleFilter.base_filters["tag"].field.clean(value) or None
    except ValidationError:
        return None


class ArticleListView(PublishedArticleListMixin, ListView):
    """``/news/``: every published article, narrowed by ``ArticleFilter``.

    Invalid filter values are reported on the form; the valid ones still apply.
    """

    @cached_property
    def filtered(self):
        """Whether the request has parameters besides the page number: without them there is
        no FilterSet to build (it copies every filter, and its form every field)."""
        return bool(set(self.request.GET) - {self.page_kwarg})

    def get_queryset(self):
        if not self.filtered:
            return super().get_queryset()
        return self.filterset.qs

    @cached_property
    def tag_value(self):
        """The ``?tag=`` value to find the tags of, or None."""
        return tag_to_look_up(self.request.GET.get("tag")) if self.filtered else None

    @cached_property
    def columns_provinces_and_tags(self):
        """The columns, the provinces and ``{tag value: [tag ids]}``, from one query."""
        columns, provinces, tag_ids = columns_and_provinces(self.tag_value)
        tags = {} if self.tag_value is None else {self.tag_value: tag_ids}
        return columns, provinces, tags

    @cached_property
    def filterset(self):
        columns, provinces, tags = self.columns_provinces_and_tags
        return ArticleFilter(
            self.request.GET or None,
            queryset=super().get_queryset(),
            request=self.request,
            columns=columns,
            provinces=provinces,
            tags=tags,
        )

    def get_count_function(self):
        """The stored counts when the list is every article, one column's (``published_count``),
        or one tag's, of every column or of one (``published_tag_count``), that is when no other
        filter has a value; else ``COUNT(*)``."""
        if not self.filtered:
            return published_count
        form = self.filterset.form
        if not form.is_valid():
            return None
        used = {name for name, value in form.cleaned_data.items() if value not in (None, "")}
        if not used:
            return published_count
        column_id = None
        if "column" in used:
            column_id = self.filterset.column_ids[form.cleaned_data["column"]]
        if used == {"column"}:
            return functools.partial(published_count, column_id)
        if used in ({"tag"}, {"column", "tag"}):
            tag_ids = self.filterset.tag_ids.get(form.cleaned_data["tag"])
            # Two tags (one's slug the other's name) would count an article with both twice.
            if tag_ids is not None and len(tag_ids) == 1:
                return functools.partial(published_tag_count, tag_ids[0], column_id, now=self.now)
        return None

    def get_seek_function(self):
        """Every article listed (the stored counts for all columns): deep pages start at a
        month boundary found from the stored month counts (``ListedMonths``)."""
        if self.get_count_function() is published_count:
            return functools.partial(listed_months, now=self.now)
        return None

    def get_context_data(self, **kwargs):
        filterset = self.filterset if self.filtered else None
        context = super().get_context_data(
            columns=self.columns_provinces_and_tags[0],
            filterset=filterset,
            form=filterset and filterset.form,
            # As ``form.is_bound``: any parameter, the page number included.
            form_is_bound=bool(self.request.GET),
            page_title=_("新闻"),
            page_description=_("质量兴市新闻：质量技术监督部门的工作动态、会议和帮扶对子的消息。"),
            show_filters=True,
            **kwargs,
        )
        columns, provinces, _tags = self.columns_provinces_and_tags
        context["filter_fields"] = filter_fields(
            context["form"],
            {"column": [(column.slug, column.name) for column in columns], "province": provinces},
        )
        return context


class ColumnView(PublishedArticleListMixin, ListView):
    """``/news/column/<slug>/``: one column's articles."""

    def get_queryset(self):
        # The sidebar lists every column: the page's own is found among them.
        self.columns = list(Column.objects.all())
        self.column = next(
            (column for column in self.columns if column.slug == self.kwargs["slug"]), None
        )
        if self.column is None:
            raise Http404("No column has this address.")
        in_column = super().get_queryset().filter(column=self.column)
        # Pinned articles lead the first page and leave the dated list (on every page, so the
        # count and the pages agree). Expiry needs no cron job: the page's cache time is bounded
        # by it (Article.objects.next_change()).
        self.pinned = list(
            Article.objects.pinned()
            .filter(column=self.column)
            .select_related("column")
            .only(*LIST_FIELDS, "column__slug", "column__order")[:MAX_PINNED_PER_COLUMN]
        )
        if self.pinned:
            in_column = in_column.exclude(pk__in=[article.pk for article in self.pinned])
        return in_column

    def get_count_function(self):
        # The column's stored count, less its pinned articles (listed apart, on page 1).
        return lambda: published_count(self.column.pk) - len(self.pinned)

    def get_context_data(self, **kwargs):
        surrogate.add(
            self.request,
            surrogate.column(self.column.pk),
            *article_keys(self.pinned),
        )
        return super().get_context_data(
            columns=self.columns,
            column=self.column,
            pinned_articles=self.pinned,
            page_title=self.column.name,
            page_description=self.column.description
            or _("“%(column)s”栏目的新闻。") % {"column": self.column.name},
            feed_url=("articles:column-feed", self.column.slug),
            **kwargs,
        )


class TagView(PublishedArticleListMixin, ListView):
    """``/news/tag/<slug>/``: articles with a tag; a tag on no published article is a 404."""

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        tagged = TaggedArticle.objects.filter(tag=self.tag).values("content_object_id")
        return super().get_queryset().filter(pk__in=tagged)

    def get_count_function(self):
        return functools.partial(published_tag_count, self.tag.pk, now=self.now)

    def get_context_data(self, **kwargs):
        surrogate.add(self.request, surrogate.tag(self.tag.pk))
        context = super().get_context_data(
            tag=self.tag,
            page_title=_("标签：%(tag)s") % {"tag": self.tag.name},
            page_description=_("带有“%(tag)s”标签的新闻。") % {"tag": self.tag.name},
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
            page_description=_("%(period)s发布的新闻。") % {"period": title},
            archive_year=self.year,
            archive_month=self.month,
            archive_months=months,
            **kwargs,
        )


def _neighbour(newer, now):
    """The id of the newer (or older) article in the outer article's column, published at ``now``.

    Bounded by the article's own time (``__gte``/``__lte``) besides the exact tie-break, so
    PostgreSQL seeks into ``article_column_pub_idx`` instead of walking it from one end.
    """
    when, pk = OuterRef("published_at"), OuterRef("pk")
    same_column = Article.objects.published(now).filter(column_id=OuterRef("column_id"))
    if newer:
        rows = same_column.filter(published_at__gte=when).filter(
            Q(published_at__gt=when) | Q(published_at=when, pk__gt=pk)
        )
        rows = rows.order_by("published_at", "pk")
    else:
        rows = same_column.filter(published_at__lte=when).filter(
            Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk)
        )
        rows = rows.order_by("-published_at", "-pk")
    return Subquery(rows.values("pk")[:1])


# What the article page shows of the article and the rows it points to, read in one query.
ARTICLE_FIELDS = tuple(field.attname for field in Article._meta.concrete_fields)
COLUMN_FIELDS = ("id", "name", "slug", "description", "order")
IMAGE_FIELDS = ("id", "file", "alt_text", "caption", "width", "height")
MEETING_FIELDS = ("id", "title", "slug", "start_date", "end_date", "venue_id")
VENUE_FIELDS = ("id", "code", "name")


def _article_query(pk, now):
    return (
        Article.objects.published(now)
        .filter(pk=pk)
        .annotate(newer_id=_neighbour(True, now), older_id=_neighbour(False, now))
        .values_list(
            *ARTICLE_FIELDS,
            *(f"column__{name}" for name in COLUMN_FIELDS),
            *(f"cover_image__{name}" for name in IMAGE_FIELDS),
            *(f"meeting__{name}" for name in MEETING_FIELDS),
            *(f"meeting__venue__{name}" for name in VENUE_FIELDS),
            "newer_id",
            "older_id",
        )
    )


ARTICLE_QUERY = PreparedQuery(_article_query)


def _take(values, fields):
    return values[: len(fields)], values[len(fields) :]


def published_article(pk):
    """The published article ``pk`` with what its page shows of its column, cover and meeting,
    and the ids of its newer and older neighbours in the column (one query), or 404."""
    # Numbers past what the database holds (the ORM would have dropped the lookup) are 404s.
    rows = ARTICLE_QUERY.rows(pk=pk, now=timezone.now()) if 0 < pk < 2**63 else []
    if not rows:
        raise Http404("No published article has this number.")
    values = rows[0]
    article_values, values = _take(values, ARTICLE_FIELDS)
    column_values, values = _take(values, COLUMN_FIELDS)
    image_values, values = _take(values, IMAGE_FIELDS)
    meeting_values, values = _take(values, MEETING_FIELDS)
    venue_values, (newer_id, older_id) = _take(values, VENUE_FIELDS)
    article = Article.from_db("default", ARTICLE_FIELDS, article_values)
    article.column = Column.from_db("default", COLUMN_FIELDS, column_values)
    article.cover_image = (
        Image.from_db("default", IMAGE_FIELDS, image_values) if image_values[0] else None
    )
    meeting = None
    if meeting_values[0]:
        meeting = Meeting.from_db("default", MEETING_FIELDS, meeting_values)
        meeting.venue = (
            Division.from_db("default", VENUE_FIELDS, venue_values) if venue_values[0] else None
        )
    article.meeting = meeting
    article.newer_id, article.older_id = newer_id, older_id
    return article


def article_detail(request, year, month, pk):
    """An article's public page; a wrong year or month in the URL redirects (301) to the right."""
    article = published_article(pk)
    canonical = article.get_absolute_url()
    if request.path != canonical:
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{canonical}?{query}" if query else canonical, permanent=True)
    return render_article_page(request, article)


def column_neighbours(article):
    """The newer and the older published article of the same column (or None)."""
    now = timezone.now()
    ids = (
        Article.objects.filter(pk=article.pk)
        .annotate(newer_id=_neighbour(True, now), older_id=_neighbour(False, now))
        .values_list("newer_id", "older_id")
        .first()
    )
    rows = Article.objects.in_bulk([pk for pk in ids or () if pk])
    return tuple(rows.get(pk) for pk in ids or (None, None))


def _facts_query(pk, now):
    blank, zero = Value(""), Value(0)
    tags = TaggedArticle.objects.filter(content_object_id=pk).values_list(
        Value("tag"), "tag_id", "tag__name", "tag__slug", blank, blank, zero, zero
    )
    agencies = ArticleAgency.objects.filter(article_id=pk).values_list(
        Value("agency"), "agency_id", "agency__name", "agency__short_name", blank, blank, zero, zero
    )
    pairs = ArticlePair.objects.filter(article_id=pk).values_list(
        Value("pair"),
        "helpingpair_id",
        "helpingpair__helper__name",
        "helpingpair__helper__short_name",
        "helpingpair__helped__name",
        "helpingpair__helped__short_name",
        "helpingpair__order",
        zero,
    )
    attachments = Attachment.objects.filter(article_id=pk).values_list(
        Value("attachment"), "pk", "title", "file", blank, blank, "order", "size"
    )
    return tags.order_by().union(
        agencies.order_by(), pairs.order_by(), attachments.order_by(), all=True
    )


FACTS_QUERY = PreparedQuery(_facts_query)


def linked_facts(article):
    """The article's tags, agencies, pairs and attachments, in one ``UNION`` query.

    Each row is ``(kind, id, text1, text2, text3, text4, order, size)``; they become plain model
    instances carrying what the page shows (names, links, file and size).
    """
    facts = {"tags": [], "agencies": [], "pairs": [], "attachments": []}
    if article.pk is None:
        return facts
    for kind, row_pk, text1, text2, text3, text4, order, size in FACTS_QUERY.rows(
        pk=article.pk, now=timezone.now()
    ):
        if kind == "tag":
            facts["tags"].append(Tag(pk=row_pk, name=text1, slug=text2))
        elif kind == "agency":
            facts["agencies"].append(Agency(pk=row_pk, name=text1, short_name=text2))
        elif kind == "pair":
            pair = HelpingPair(pk=row_pk, order=order)
            pair.helper = Agency(name=text1, short_name=text2)
            pair.helped = Agency(name=text3, short_name=text4)
            facts["pairs"].append(pair)
        else:
            facts["attachments"].append(
                Attachment(pk=row_pk, title=text1, file=text2, order=order, size=size)
            )
    facts["tags"].sort(key=lambda tag: tag.name)
    facts["agencies"].sort(key=lambda agency: agency.name)
    facts["pairs"].sort(key=lambda pair: (pair.order, pair.pk))
    facts["attachments"].sort(key=lambda attachment: (attachment.order, attachment.pk))
    return facts


ROW_FIELDS = ("id", "title", "published_at", "created_at", "is_stub")


def _related_query(pk, newer, older, now):
    listed = RelatedNews.objects.filter(article_id=pk).order_by()
    # A UNION of the two sets, looked up by primary key: an OR of them makes PostgreSQL scan
    # every article.
    wanted = listed.values("related_id").union(
        Article.objects.filter(pk__in=[newer, older]).order_by().values("pk")
    )
    return (
        Article.objects.published(now)
        .filter(pk__in=wanted)
        .order_by()
        .annotate(
            position=Subquery(listed.filter(related_id=OuterRef("pk")).values("position")[:1])
        )
        .values_list(*ROW_FIELDS, "position")
    )


RELATED_QUERY = PreparedQuery(_related_query, ids=("pk", "newer", "older"))


def stored_related_and_neighbours(article):
    """The stored related news (``articles.related``) and the column neighbours, one query.

    Read through ``published()``: an entry unpublished since, or not yet due, is left out.
    """
    rows = RELATED_QUERY.rows(
        pk=article.pk,
        newer=article.newer_id or 0,
        older=article.older_id or 0,
        now=timezone.now(),
    )
    by_pk, positions = {}, {}
    for *values, position in rows:
        row = Article.from_db("default", ROW_FIELDS, values)
        by_pk[row.pk] = row
        if position is not None:
            positions[row.pk] = position
    related = [by_pk[pk] for pk in sorted(positions, key=positions.get)]
    return related, by_pk.get(article.newer_id), by_pk.get(article.older_id)


def article_page_context(article, *, preview=False):
    """What the page shows besides the article's row (two queries; the preview computes its
    related news and neighbours afresh, since its article may be unsaved or unpublished)."""
    facts = linked_facts(article)
    if preview:
        related = (
            related_articles(
                article,
                [tag.pk for tag in facts["tags"]],
                [agency.pk for agency in facts["agencies"]],
            )
            if article.pk
            else []
        )
        newer, older = column_neighbours(article) if article.pk else (None, None)
    else:
        related, newer, older = stored_related_and_neighbours(article)
    return {**facts, "related_articles": related, "newer_article": newer, "older_article": older}


def render_article_page(request, article, *, preview=False):
    """Render an article exactly as its public page shows it.

    The public detail view and the admin preview both call this, so a preview is the real page.
    """
    relations = article_page_context(article, preview=preview)
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
