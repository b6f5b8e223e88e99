"""Public pages of meetings, pairs, agencies and regions, and the open-data files.

Every page runs a fixed number of queries whatever the number of rows (tests assert it).
"""

import functools

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, DateTimeField, Exists, FilteredRelation, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from qxs import surrogate
from qxs.newslinks import article_url_and_day, news_url_prefix
from qxs.pagination import LargeArchivePaginationMixin
from qxs.prepared import PreparedQuery
from qxs.rows import Selection, model_fields

from . import opendata
from .diagram import pairing_diagram
from .models import (
    Agency,
    AgreementClause,
    CooperationAgreement,
    Division,
    HelpingPair,
    Meeting,
    MeetingParticipant,
    PairSide,
    attach_loaded_target_years,
    detail_urls,
    link_pairs,
    place_name,
)

RELATED_ARTICLES = 10

# The order in which a meeting page lists its participants' roles.
ROLE_ORDER = [
    MeetingParticipant.Role.ORGANISER,
    MeetingParticipant.Role.ATTENDEE,
    MeetingParticipant.Role.EXPERIENCE,
    MeetingParticipant.Role.LOCAL_SITUATION,
    MeetingParticipant.Role.CLOSING,
]

# The news linked to meetings, pairs and agencies. articles depends on partnerships (its foreign
# keys point here), so this app reaches the model through the app registry instead of importing
# it: the imports between the two apps stay one-way.
Article = apps.get_model("articles", "Article")


def published_articles():
    """Related news: only what the one publication rule lets the public see."""
    return Article.objects.published().only("title", "published_at", "created_at")


def newest_article_ids(about):
    """The ids of the newest published articles that satisfy ``about`` (an ``Exists`` on a link
    table, or a filter on the article), at most ``RELATED_ARTICLES``, as a subquery.

    Picking the ids alone lets PostgreSQL read them from the news index (it holds every column
    the publication rule tests) while it checks ``about``, instead of reading each article it
    passes over (an agency's news at 100,000 articles: 2 to 11 ms -> 1 to 2 ms).
    """
    return Article.objects.published().filter(about).values("pk")[:RELATED_ARTICLES]


def article_keys(articles):
    return [surrogate.article(article.pk) for article in articles]


class Row:
    """A row of a page as plain attributes (``Row(url=..., name=...)``): cheaper to build than a
    model instance, and what the template reads is worked out once, in the view."""

    def __init__(self, **values):
        self.__dict__.update(values)


def news_rows(articles):
    """The related news as ``_articles.html`` lists them: ``url``, ``title`` and ``day``
    (``get_absolute_url()`` and ``published_day``, with the time zone and the news prefix read
    once, not for every row)."""
    prefix = news_url_prefix()
    zone = timezone.get_current_timezone()
    rows = []
    for article in articles:
        url, day = article_url_and_day(
            article.pk, article.published_at, article.created_at, prefix, zone
        )
        rows.append(Row(url=url, title=article.title, day=day))
    return rows


def pair_keys(pairs):
    """A pair's key and its two agencies' (the pages show their names)."""
    keys = []
    for pair in pairs:
        keys += [surrogate.pair(pair.pk), surrogate.agency(pair.helper_id)]
        keys.append(surrogate.agency(pair.helped_id))
    return keys


#: The fields of a related-news row, in the model's order (the one ``from_db()`` reads).
NEWS_FIELDS = model_fields(Article, "id", "title", "published_at", "created_at")
AGREEMENT_FIELDS = ("id", "pair_id", "title", "signed_on")
CLAUSE_FIELDS = ("id", "order", "text", "target_kind", "target_min", "target_max")


def agreements_with_clauses(pair):
    """``pair``'s agreements, each with ``clause_list``, in one query: the clauses are joined to
    their agreement (a left join, so an agreement with no clause still comes), in order."""
    rows = (
        CooperationAgreement.objects.filter(pair_id=pair.pk)
        .order_by("signed_on", "pk", "clauses__order", "clauses__pk")
        .values_list(*AGREEMENT_FIELDS, *(f"clauses__{name}" for name in CLAUSE_FIELDS))
    )
    agreements = {}
    for row in rows:
        agreement_values, clause_values = row[: len(AGREEMENT_FIELDS)], row[len(AGREEMENT_FIELDS) :]
        agreement = agreements.get(agreement_values[0])
        if agreement is None:
            agreement = CooperationAgreement(
                **dict(zip(AGREEMENT_FIELDS, agreement_values, strict=True))
            )
            agreement.clause_list = []
            agreements[agreement.pk] = agreement
        if clause_values[0] is not None:
            clause = AgreementClause(
                agreement_id=agreement.pk, **dict(zip(CLAUSE_FIELDS, clause_values, strict=True))
            )
            agreement.clause_list.append(clause)
    return list(agreements.values())


class MeetingListView(ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = context["object_list"]
        surrogate.add(
            self.request,
            surrogate.MEETINGS,
            *(surrogate.meeting(meeting.pk) for meeting in meetings),
            *(
                surrogate.agency(meeting.organiser_id)
                for meeting in meetings
                if meeting.organiser_id
            ),
        )
        return context

    queryset = (
        Meeting.objects.select_related("venue__parent", "organiser")
        .annotate(
            pair_count=Count("pairs", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-start_date", "pk")
    )


AgencyHonour = Agency.honours.through
MeetingRegion = Meeting.regions.through
ArticleAgency = Article.agencies.through
ArticlePair = Article.pairs.through


def _meeting_facts_query(pk, now):
    # Each row: kind, id, agency id, five texts, order, one more text (see meeting_facts()).
    blank, zero = Value(""), Value(0)
    regions = MeetingRegion.objects.filter(meeting_id=pk).values_list(
        Value("region"),
        "division_id",
        zero,
        "division__code",
        "division__name",
        blank,
        blank,
        blank,
        zero,
        blank,
    )
    honours = AgencyHonour.objects.filter(
        agency__meeting_participations__meeting_id=pk
    ).values_list(
        Value("honour"), "agency_id", zero, "honour__name", blank, blank, blank, blank, zero, blank
    )
    participants = MeetingParticipant.objects.filter(meeting_id=pk).values_list(
        Value("participant"),
        "pk",
        "agency_id",
        "written_as",
        "role",
        "person",
        "person_title",
        "remarks",
        "order",
        "agency__name",
    )
    return regions.order_by().union(honours.order_by(), participants.order_by(), all=True)


# The meeting page's queries after the meeting's own, compiled once per process
# (``qxs.prepared``): building them with the ORM cost more than running them.
MEETING_FACTS_QUERY = PreparedQuery(_meeting_facts_query)
# What ``HelpingPair.objects.with_places()`` reads.
PAIRS_WITH_PLACES = Selection(
    HelpingPair,
    ("helper", Agency),
    ("helper__division", Division),
    ("helped", Agency),
    ("helped__division", Division),
)
# What the meeting's pair table shows of each pair (no diagram there: no coordinates).
PLACE_COLUMNS = ("division__code", "division__name", "division__current_name")
MEETING_PAIR_COLUMNS = (
    "id",
    "helper_id",
    "helped_id",
    "order",
    "helper_written_as",
    "helper__name",
    *(f"helper__{name}" for name in PLACE_COLUMNS),
    "helped_written_as",
    "helped__name",
    *(f"helped__{name}" for name in PLACE_COLUMNS),
)
MEETING_PAIRS_QUERY = PreparedQuery(
    lambda pk, now: HelpingPair.objects.filter(meeting_id=pk).values_list(*MEETING_PAIR_COLUMNS)
)


def meeting_pairs(meeting):
    """The meeting's pairs in order, as ``link_pairs()`` prepares them for the pair table
    (``pk``, ``helper_id``, ``helped_id``, ``order``, ``url``, ``label``, ``helper_side``,
    ``helped_side``), as plain rows built straight from one query's values."""
    pair_url = detail_urls("partnerships:pair-detail")
    agency_url = detail_urls("partnerships:agency-detail")
    region_url = detail_urls("partnerships:region-detail")
    label = gettext("第 %(number)s 对")
    pairs = []
    for pk, helper_id, helped_id, order, *sides in MEETING_PAIRS_QUERY.rows(pk=meeting.pk):
        pair = Row(pk=pk, helper_id=helper_id, helped_id=helped_id, order=order)
        pair.url, pair.label = pair_url(pk), label % {"number": order}
        for index, agency_id in enumerate((helper_id, helped_id)):
            written_as, name, code, place, current_name = sides[index * 5 : index * 5 + 5]
            side = PairSide(agency_url(agency_id), written_as or name)
            if code is not None:
                side.place_url, side.place = region_url(code), place_name(place, current_name)
            if index:
                pair.helped_side = side
            else:
                pair.helper_side = side
        pairs.append(pair)
    return pairs


ARTICLE_ROW_FIELDS = model_fields(Article, "id", "title", "published_at", "created_at")


def meeting_facts(meeting):
    """The meeting's regions (``url``, ``name``), and its participants grouped by role in
    ``ROLE_ORDER`` (``[(label, [...]), ...]``), each with ``agency_id``, ``url`` (its agency's),
    ``display_name``, ``person``, ``person_title``, ``remarks`` and ``honours`` (the names of its
    agency's honours): one ``UNION`` of regions, honours and participants.
    """
    regions, honours, participants = [], {}, []
    region_url = detail_urls("partnerships:region-detail")
    agency_url = detail_urls("partnerships:agency-detail")
    for (
        kind,
        pk,
        agency_id,
        text1,
        text2,
        text3,
        text4,
        text5,
        order,
        text6,
    ) in MEETING_FACTS_QUERY.rows(pk=meeting.pk):
        if kind == "region":
            regions.append(Row(code=text1, name=text2, url=region_url(text1)))
        elif kind == "honour":
            names = honours.setdefault(pk, [])
            if text1 not in names:
                names.append(text1)
        else:
            # MeetingParticipant.display_name: as the report wrote it, else the agency's name.
            participants.append(
                Row(
                    pk=pk,
                    agency_id=agency_id,
                    url=agency_url(agency_id),
                    display_name=text1 or text6,
                    role=text2,
                    person=text3,
                    person_title=text4,
                    remarks=text5,
                    order=order,
                )
            )
    regions.sort(key=lambda division: division.code)
    participants.sort(key=lambda participant: (participant.order, participant.pk))
    by_role = {}
    for participant in participants:
        participant.honours = sorted(honours.get(participant.agency_id, []))
        by_role.setdefault(participant.role, []).append(participant)
    groups = [
        (str(MeetingParticipant.Role(role).label), by_role[role])
        for role in ROLE_ORDER
        if role in by_role
    ]
    return regions, groups


# The meeting itself by its slug, with what its page shows of its venue and organiser.
MEETING = Selection(
    Meeting,
    ("venue", Division, "id", "code", "name", "current_name", "parent_id"),
    ("venue__parent", Division, "id", "code", "name"),
    ("organiser", Agency, "id", "name"),
)
MEETING_QUERY = PreparedQuery(
    lambda now, slug: Meeting.objects.filter(slug=slug).values_list(*MEETING.names),
    ids=(),
    texts=("slug",),
)


class MeetingDetailView(DetailView):
    model = Meeting

    def get_object(self, queryset=None):
        rows = MEETING_QUERY.rows(slug=self.kwargs["slug"])
        if not rows:
            raise Http404("No meeting has this slug.")
        meeting = MEETING.instances(rows[0])[0]
        venue = meeting.venue
        if venue is not None:
            venue.url = venue.get_absolute_url()
            if venue.parent is not None:
                venue.parent.url = venue.parent.get_absolute_url()
        if meeting.organiser is not None:
            meeting.organiser.url = meeting.organiser.get_absolute_url()
        return meeting

    def get_context_data(self, **kwargs):
        meeting = self.object
        regions, groups = meeting_facts(meeting)
        pairs = meeting_pairs(meeting)
        articles = meeting_articles(meeting)
        surrogate.add(
            self.request,
            surrogate.meeting(meeting.pk),
            meeting.organiser_id and surrogate.agency(meeting.organiser_id),
            *(
                surrogate.agency(participant.agency_id)
                for _label, participants in groups
                for participant in participants
                if participant.agency_id
            ),
            *pair_keys(pairs),
            *article_keys(articles),
        )
        return super().get_context_data(
            participant_groups=groups,
            regions=regions,
            pairs=pairs,
            articles=articles,
            news=news_rows(articles),
            **kwargs,
        )


def _meeting_articles_query(pk, now):
    published = Article.objects.published(now)

    def newest_ids(about):
        return published.filter(about).values("pk")[:RELATED_ARTICLES]

    about_meeting = newest_ids(Q(meeting_id=pk))
    about_its_pairs = newest_ids(
        Exists(ArticlePair.objects.filter(article_id=OuterRef("pk"), helpingpair__meeting_id=pk))
    )
    articles = published.order_by()
    return (
        articles.filter(pk__in=about_meeting)
        .values_list(*ARTICLE_ROW_FIELDS)
        .union(articles.filter(pk__in=about_its_pairs).values_list(*ARTICLE_ROW_FIELDS))
        .order_by("-published_at", "-pk")[:RELATED_ARTICLES]
    )


MEETING_ARTICLES_QUERY = PreparedQuery(_meeting_articles_query)


def meeting_articles(meeting):
    """The newest published articles about the meeting or about one of its pairs.

    One statement: the UNION of the newest of each kind, each picked under its own LIMIT
    (those about the meeting straight from the index ``article_meeting_pub_idx``, those about
    its pairs by a semi-join on the pairs' links). An ``OR`` of the two made PostgreSQL either
    read every linked article and sort them (the symposium's ~3,000 at 100,000 articles) or walk
    the whole archive when a meeting has little news.
    """
    rows = MEETING_ARTICLES_QUERY.rows(pk=meeting.pk, now=timezone.now())
    return [Article.from_db("default", ARTICLE_ROW_FIELDS, row) for row in rows]


# ``SELECT COUNT(id)``: grouped by a constant, which Django leaves out of the GROUP BY.
PAIR_COUNT_QUERY = PreparedQuery(
    lambda now: (
        HelpingPair.objects.order_by()
        .annotate(everything=Value(1))
        .values("everything")
        .annotate(total=Count("pk"))
        .values_list("total")
    ),
    ids=(),
)


@functools.lru_cache(maxsize=32)
def _pair_page_query(start, stop):
    return PreparedQuery(
        lambda now: HelpingPair.objects.order_by("order", "pk").values_list(
            *PAIRS_WITH_PLACES.names
        )[start:stop],
        ids=(),
    )


class ListedPairs:
    """Every pair in list order, as ``Paginator`` reads it (``count()`` and a slice), by queries
    compiled once per process: a page's query per ``(start, stop)``."""

    def count(self):
        return PAIR_COUNT_QUERY.rows()[0][0]

    def __getitem__(self, page):
        if page.stop <= page.start:
            return []  # the one empty page of an empty list
        rows = _pair_page_query(page.start, page.stop).rows()
        return link_pairs([PAIRS_WITH_PLACES.instances(row)[0] for row in rows])


class PairListView(LargeArchivePaginationMixin, ListView):
    """The pairs, their diagram and table; the count is cached per content generation."""

    template_name = "partnerships/helpingpair_list.html"
    paginate_by = 100

    def get_queryset(self):
        return ListedPairs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairs = context["object_list"]
        context["diagram"] = pairing_diagram(pairs)
        context["pair_total"] = context["paginator"].count
        surrogate.add(self.request, surrogate.PAIRS, *pair_keys(pairs))
        return context


class PairDetailView(DetailView):
    context_object_name = "pair"
    queryset = HelpingPair.objects.with_agencies()

    def get_context_data(self, **kwargs):
        pair = self.object
        # The report of each activity, in the same query, when the public may see it (the
        # conditions of ``ArticleQuerySet.published()``).
        now = timezone.now()
        reported = FilteredRelation(
            "article",
            condition=Q(article__status=Article.Status.PUBLISHED)
            & Q(article__published_at__lte=now)
            & (Q(article__unpublish_at__isnull=True) | Q(article__unpublish_at__gt=now)),
        )
        activities = list(
            pair.activities.order_by("date", "pk")
            .annotate(report=reported)
            .select_related("report")
            .defer("report__body", "report__summary")
        )
        for activity in activities:
            activity.article = getattr(activity, "report", None)
        pair.loaded_activities = activities
        agreements = agreements_with_clauses(pair)
        attach_loaded_target_years(pair, agreements, until=None)
        years = {}
        for target in pair.target_years:
            years.setdefault(target.year, []).append(target)
        articles = list(published_articles().filter(pairs=pair)[:RELATED_ARTICLES])
        surrogate.add(
            self.request,
            *pair_keys([pair]),
            pair.meeting_id and surrogate.meeting(pair.meeting_id),
            *article_keys(articles),
            *article_keys(activity.article for activity in activities if activity.article),
        )
        return super().get_context_data(
            activities=activities,
            agreements=agreements,
            target_years=sorted(years.items()),
            articles=articles,
            news=news_rows(articles),
            **kwargs,
        )


class AgencyListView(ListView):
    """Every agency, grouped by province (national bodies first)."""

    queryset = Agency.objects.select_related("division__parent__parent").prefetch_related("honours")
    paginate_by = 100

    def get_queryset(self):
        queryset = super().get_queryset()
        kind = self.request.GET.get("kind")
        if kind in Agency.Kind.values:
            queryset = queryset.filter(kind=kind)
        region = self.request.GET.get("region")
        northeast = Q()
        for prefix in ("21", "22", "23"):
            northeast |= Q(division__code__startswith=prefix)
        if region == "northeast":
            queryset = queryset.filter(northeast)
        elif region == "other":
            queryset = queryset.exclude(northeast)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {}
        for agency in context["object_list"]:
            province = opendata.province_of(agency.division)
            groups.setdefault(province, []).append(agency)
        context["groups"] = sorted(groups.items(), key=lambda item: item[0].code if item[0] else "")
        context["kinds"] = Agency.Kind.choices
        context["current_kind"] = self.request.GET.get("kind", "")
        context["current_region"] = self.request.GET.get("region", "")
        surrogate.add(
            self.request,
            surrogate.AGENCIES,
            *(surrogate.agency(agency.pk) for agency in context["object_list"]),
        )
        return context


class AgencyDetailView(DetailView):
    queryset = Agency.objects.select_related("division__parent__parent", "parent")

    def get_context_data(self, **kwargs):
        agency = self.object
        # Its honours, the agencies under it and its newest news, in one statement: rows of
        # (kind, pk, name or title, published_at, created_at).
        no_time = Cast(Value(None), DateTimeField())  # typed, as UNION on PostgreSQL needs
        honours = AgencyHonour.objects.filter(agency_id=agency.pk).values_list(
            Value("honour"), "honour_id", "honour__name", no_time, no_time
        )
        children = Agency.objects.filter(parent_id=agency.pk).values_list(
            Value("child"), "pk", "name", no_time, no_time
        )
        about_agency = ArticleAgency.objects.filter(article_id=OuterRef("pk"), agency_id=agency.pk)
        news = Article.objects.filter(pk__in=newest_article_ids(Exists(about_agency))).values_list(
            Value("article"), "pk", "title", "published_at", "created_at"
        )
        agency.honour_names, agency.child_agencies, articles = [], [], []
        rows = honours.order_by().union(children.order_by(), news.order_by(), all=True)
        for kind, pk, name, published_at, created_at in rows:
            if kind == "honour":
                agency.honour_names.append(name)
            elif kind == "child":
                agency.child_agencies.append(Agency(pk=pk, name=name))
            else:
                # The other fields stay deferred, as with ``published_articles()``.
                row = {"id": pk, "title": name, "published_at": published_at}
                row["created_at"] = created_at
                values = [row[field] for field in NEWS_FIELDS]
                articles.append(Article.from_db(DEFAULT_DB_ALIAS, NEWS_FIELDS, values))
        agency.honour_names.sort()
        agency.child_agencies.sort(key=lambda child: child.name)
        articles.sort(key=lambda article: (article.published_at, article.pk), reverse=True)
        participations = agency.meeting_participations.select_related("meeting").order_by(
            "-meeting__start_date", "order"
        )
        pairs = link_pairs(
            list(HelpingPair.objects.with_places().select_related("meeting").involving([agency.pk]))
        )
        participations = list(participations)
        surrogate.add(
            self.request,
            surrogate.agency(agency.pk),
            agency.parent_id and surrogate.agency(agency.parent_id),
            *(surrogate.agency(child.pk) for child in agency.child_agencies),
            *pair_keys(pairs),
            *(surrogate.meeting(item.meeting_id) for item in participations),
            *article_keys(articles),
        )
        return super().get_context_data(
            pairs=pairs,
            participations=participations,
            articles=articles,
            news=news_rows(articles),
            **kwargs,
        )


class RegionDetailView(DetailView):
    """A division, the divisions under it, and the agencies, pairs and meetings in it."""

    queryset = Division.objects.select_related("parent__parent")
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "partnerships/division_detail.html"

    def get_object(self, queryset=None):
        """The division and the divisions under it, in one query."""
        code = self.kwargs[self.slug_url_kwarg]
        rows = self.get_queryset().filter(Q(code=code) | Q(parent__code=code)).order_by("code")
        division, self.children = None, []
        for row in rows:
            if row.code == code:
                division = row
            else:
                self.children.append(row)
        if division is None:
            raise Http404(_("没有这个行政区划。"))
        return division

    def get_context_data(self, **kwargs):
        division = self.object
        # GB/T 2260 codes nest: a province is its first two digits, a prefecture its first four.
        prefix = {
            Division.Level.PROVINCE: division.code[:2],
            Division.Level.PREFECTURE: division.code[:4],
        }.get(division.level, division.code)
        agencies = Agency.objects.filter(division__code__startswith=prefix).select_related(
            "division"
        )
        pairs = HelpingPair.objects.with_places().filter(
            Q(helper__division__code__startswith=prefix)
            | Q(helped__division__code__startswith=prefix)
        )
        agencies = list(agencies)
        pairs = link_pairs(list(pairs))
        meetings = list(Meeting.objects.filter(venue__code__startswith=prefix))
        surrogate.add(
            self.request,
            surrogate.division(division.pk),
            # A new agency, pair or meeting in the region changes these lists.
            surrogate.AGENCIES,
            surrogate.PAIRS,
            surrogate.MEETINGS,
            *(surrogate.agency(agency.pk) for agency in agencies),
            *pair_keys(pairs),
            *(surrogate.meeting(meeting.pk) for meeting in meetings),
        )
        return super().get_context_data(
            children=self.children,
            agencies=agencies,
            pairs=pairs,
            meetings=meetings,
            **kwargs,
        )


# Open data -----------------------------------------------------------------------------------


def _open_data_response(response, filename):
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pair_records(request):
    pairs = list(opendata.pairs_queryset())
    surrogate.add(request, surrogate.PAIRS, *pair_keys(pairs))
    return [opendata.pair_record(pair, request.build_absolute_uri) for pair in pairs]


def _agency_records(request):
    agencies = list(opendata.agencies_queryset())
    surrogate.add(
        request, surrogate.AGENCIES, *(surrogate.agency(agency.pk) for agency in agencies)
    )
    return [opendata.agency_record(agency, request.build_absolute_uri) for agency in agencies]


@require_safe
def pairs_json(request):
    data = {"title": str(_("质量兴市帮扶对子")), "pairs": _pair_records(request)}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _open_data_response(response, "pairs.json")


@require_safe
def pairs_csv(request):
    rows = [opendata.flat_pair(record) for record in _pair_records(request)]
    response = HttpResponse(
        opendata.to_csv(opendata.PAIR_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    return _open_data_response(response, "pairs.csv")


@require_safe
def agencies_json(request):
    data = {"title": str(_("质量兴市相关机构")), "agencies": _agency_records(request)}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _open_data_response(response, "agencies.json")


@require_safe
def agencies_csv(request):
    rows = [opendata.flat_agency(record) for record in _agency_records(request)]
    response = HttpResponse(
        opendata.to_csv(opendata.AGENCY_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    return _open_data_response(response, "agencies.csv")
