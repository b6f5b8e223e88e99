"""The public page types, in one list shared by the query-budget and translation tests.

Each page is ``(label, URL name, args, query string, kind)``. ``args`` is a tuple, or the name of
an anchor that :func:`build_small` returns (a URL or a tuple of arguments); ``kind`` says what the
page is: ``"list"`` (a paginated list, allowed its one count), ``"page"`` (any other HTML page),
``"search"`` (never cached, logged), or ``"data"`` (feeds, sitemaps, open data, robots.txt: not
HTML pages).
"""

import datetime
import itertools
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.related import refresh_all
from partnerships.models import Division
from tests.factories import (
    AgencyFactory,
    AgreementClauseFactory,
    ArticleFactory,
    CooperationActivityFactory,
    CooperationAgreementFactory,
    DivisionFactory,
    HelpingPairFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    TopicEntryFactory,
    TopicFactory,
    TopicSectionFactory,
)

# Queries a public page may run with an empty cache, everything included (the site identity and
# the page's expiry are read together: ``qxs.cache.site_wide``): ``PAGE_BUDGET``, and one more on
# a list page (its count).
PAGE_BUDGET = 5
LIST_BUDGET = PAGE_BUDGET + 1


def budget(kind):
    """The most queries a page of ``kind`` may run with an empty cache."""
    return LIST_BUDGET if kind == "list" else PAGE_BUDGET


PAGES = [
    ("home", "home", None, "", "page"),
    ("site map", "site-map", None, "", "page"),
    ("news list", "articles:list", None, "", "list"),
    ("news list page 2", "articles:list", None, "?page=2", "list"),
    ("news list by column", "articles:list", None, "?column=work", "list"),
    ("news list by tag", "articles:list", None, "?tag=质量兴市", "list"),
    ("news list by agency id", "articles:list", None, "?agency={agency}", "list"),
    ("news list by agency name", "articles:list", None, "?agency=技监局", "list"),
    ("news list by province", "articles:list", None, "?province=230000", "list"),
    (
        "news list by dates",
        "articles:list",
        None,
        "?date_from=2005-01-01&date_to=2030-12-31",
        "list",
    ),
    ("news list by keyword", "articles:list", None, "?q=质量", "list"),
    ("news list, all filters", "articles:list", None, "?column=work&q=质量&page=1", "list"),
    ("article", "articles:detail", "article", "", "page"),
    ("column", "articles:column", ("work",), "", "list"),
    ("tag", "articles:tag", ("质量兴市",), "", "list"),
    ("archive year", "articles:archive-year", "year", "", "list"),
    ("archive month", "articles:archive-month", "month", "", "list"),
    ("feed", "articles:feed", None, "", "data"),
    ("atom feed", "articles:feed-atom", None, "", "data"),
    ("column feed", "articles:column-feed", ("work",), "", "data"),
    ("tag feed", "articles:tag-feed", ("质量兴市",), "", "data"),
    ("meetings", "partnerships:meeting-list", None, "", "list"),
    ("meeting", "partnerships:meeting-detail", "meeting", "", "page"),
    ("pairs", "partnerships:pair-list", None, "", "list"),
    ("pair", "partnerships:pair-detail", "pair", "", "page"),
    ("agencies", "partnerships:agency-list", None, "", "list"),
    ("agency", "partnerships:agency-detail", "agency", "", "page"),
    ("region", "partnerships:region-detail", "region", "", "page"),
    ("pairs.json", "open-data:pairs-json", None, "", "data"),
    ("agencies.csv", "open-data:agencies-csv", None, "", "data"),
    ("search, two characters", "search:search", None, "?q=质量", "search"),
    ("search, four characters", "search:search", None, "?q=质量兴市", "search"),
    ("search, page 2", "search:search", None, "?q=质量&page=2", "search"),
    ("sitemap index", "sitemap-index", None, "", "data"),
    ("sitemap of articles", "sitemap-section", ("articles",), "", "data"),
    ("robots.txt", "robots-txt", None, "", "data"),
    ("topics", "topics:list", None, "", "list"),
    ("topic", "topics:detail", ("northeast-quality",), "", "page"),
    ("topic feed", "topics:feed", ("northeast-quality",), "", "data"),
    ("sitemap of entry pages", "sitemap-section", ("pages",), "", "data"),
]


_codes = itertools.count(700000, 100)


def _division(**fields):
    """A division with a code no generated or factory division uses (7xxxxx)."""
    return DivisionFactory(code=str(next(_codes)), **fields)


def _agency(**fields):
    return AgencyFactory(division=_division(**fields))


def _add_pair(meeting, *, activities, clauses):
    pair = HelpingPairFactory(
        meeting=meeting,
        helper=_agency(),
        helped=_agency(latitude=Decimal("47.00000"), longitude=Decimal("124.00000")),
    )
    agreement = CooperationAgreementFactory(pair=pair)
    for order in range(clauses):
        AgreementClauseFactory(agreement=agreement, order=order + 1)
    for day in range(activities):
        CooperationActivityFactory(pair=pair, date=datetime.date(2005, 1, 1 + day))
    return pair


def html_pages():
    """The pages a reader sees as HTML (every kind but ``data``)."""
    return [page for page in PAGES if page[4] != "data"]


def build_small():
    """The anchors every measured page is about, and a small archive around them."""
    call_command("generate_content", articles=30, seed=11, verbosity=0, stdout=_Null())
    meeting = MeetingFactory(venue=_division())
    MeetingParticipantFactory(meeting=meeting, agency=_agency())
    pair = _add_pair(meeting, activities=1, clauses=1)
    agency = pair.helper
    agency.division.parent = Division.objects.get(code="230000")
    agency.division.save()
    article = ArticleFactory(title="质量兴市帮扶对子交流", meeting=meeting, featured=True)
    article.tags.add("质量兴市", "帮扶对子")
    article.agencies.add(agency)
    article.pairs.add(pair)
    article.related.add(Article.objects.published().exclude(pk=article.pk).first())
    refresh_all()  # the related news, as signals store it after a commit
    _topic(meeting, article)
    when = timezone.localtime(article.published_at)
    return {
        "article": (when.year, f"{when.month:02d}", article.pk),
        "year": (when.year,),
        "month": (when.year, f"{when.month:02d}"),
        "meeting": (meeting.slug,),
        "pair": (pair.pk,),
        "agency": (agency.pk,),
        "region": (agency.division.code,),
        "agency_id": agency.pk,
        "objects": (article, meeting, pair, agency),
    }


def grow(anchors):
    """Four times the articles, and more of everything linked to the anchors."""
    article, meeting, pair, agency = anchors["objects"]
    call_command("generate_content", articles=160, seed=11, verbosity=0, stdout=_Null())
    others = list(Article.objects.published().exclude(pk=article.pk)[:12])
    article.related.add(*others[:4])
    Article.objects.filter(pk__in=[other.pk for other in others[:3]]).update(featured=True)
    article.tags.add("特种设备安全", "打假治劣")
    for other in others:
        other.agencies.add(agency)
        other.pairs.add(pair)
        other.tags.add("质量兴市")
    Article.objects.filter(pk__in=[other.pk for other in others]).update(meeting=meeting)
    for _ in range(4):
        MeetingParticipantFactory(meeting=meeting, agency=_agency())
        _add_pair(meeting, activities=3, clauses=2)
        MeetingFactory(venue=_division())
        _agency()
    for day in range(5):
        CooperationActivityFactory(pair=pair, date=datetime.date(2006, 3, 1 + day))
    AgreementClauseFactory(agreement=pair.agreements.first(), order=9)
    agency.honours.create(name="全国质量兴市先进市县")
    refresh_all()


def _topic(meeting, article):
    """The topic every measured topic page shows: a section chosen by hand, one by tag, and
    the meeting's pairs."""
    topic = TopicFactory(slug="northeast-quality", meeting=meeting, on_home=True)
    chosen = TopicSectionFactory(topic=topic, order=1)
    TopicEntryFactory(section=chosen, article=article, position=1)
    others = Article.objects.published().exclude(pk=article.pk)[:3]
    for position, other in enumerate(others, start=2):
        TopicEntryFactory(section=chosen, article=other, position=position)
    TopicSectionFactory(topic=topic, order=2, tag=article.tags.get(name="质量兴市"))
    return topic


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def page_url(name, args, query, anchors):
    """The page's URL in the active language (``reverse()`` gives ``/en/...`` under English
    once the URLs carry a language prefix)."""
    if isinstance(args, str):
        args = anchors[args]
    return reverse(name, args=args) + query.format(agency=anchors["agency_id"])
