"""Every public page runs the same number of queries whatever the number of rows.

The pages are measured twice within one transaction: on a small site, then after it has grown
(about four times the articles, plus more pairs, meetings, agencies, activities, tags and links to
the very objects the pages show). The page cache and the fragment store (``qxs.fragments``) are
emptied before every request, so each measurement is a cold render. An N+1 shows up as a count
that grew: on the small site the column, tag, page 2, feeds of a column or tag, the home page's
featured news and pairs, and the partnership pages all show fewer rows than on the large one.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.models import Article
from partnerships.models import Division
from qxs.fragments import fragments
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
)

# The marker also makes pytest-django set up the test database for the module fixture below.
pytestmark = pytest.mark.django_db

# (name, URL name, args from the anchors, query string)
PAGES = [
    ("home", "home", None, ""),
    ("news list", "articles:list", None, ""),
    ("news list page 2", "articles:list", None, "?page=2"),
    ("news list by column", "articles:list", None, "?column=work"),
    ("news list by tag", "articles:list", None, "?tag=质量兴市"),
    ("news list by agency id", "articles:list", None, "?agency={agency}"),
    ("news list by agency name", "articles:list", None, "?agency=技监局"),
    ("news list by province", "articles:list", None, "?province=230000"),
    ("news list by dates", "articles:list", None, "?date_from=2005-01-01&date_to=2030-12-31"),
    ("news list by keyword", "articles:list", None, "?q=质量"),
    ("news list, all filters", "articles:list", None, "?column=work&q=质量&page=1"),
    ("article", "articles:detail", "article", ""),
    ("column", "articles:column", ("work",), ""),
    ("tag", "articles:tag", ("质量兴市",), ""),
    ("archive year", "articles:archive-year", "year", ""),
    ("archive month", "articles:archive-month", "month", ""),
    ("feed", "articles:feed", None, ""),
    ("atom feed", "articles:feed-atom", None, ""),
    ("column feed", "articles:column-feed", ("work",), ""),
    ("tag feed", "articles:tag-feed", ("质量兴市",), ""),
    ("meetings", "partnerships:meeting-list", None, ""),
    ("meeting", "partnerships:meeting-detail", "meeting", ""),
    ("pairs", "partnerships:pair-list", None, ""),
    ("pair", "partnerships:pair-detail", "pair", ""),
    ("agencies", "partnerships:agency-list", None, ""),
    ("agency", "partnerships:agency-detail", "agency", ""),
    ("region", "partnerships:region-detail", "region", ""),
    ("pairs.json", "open-data:pairs-json", None, ""),
    ("agencies.csv", "open-data:agencies-csv", None, ""),
    ("search, two characters", "search:search", None, "?q=质量"),
    ("search, four characters", "search:search", None, "?q=质量兴市"),
    ("search, page 2", "search:search", None, "?q=质量&page=2"),
    ("sitemap index", "sitemap-index", None, ""),
    ("sitemap of articles", "sitemap-section", ("articles",), ""),
    ("robots.txt", "robots-txt", None, ""),
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


def _build_small():
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
    when = timezone.localtime(article.published_at)
    return {
        "article": article.get_absolute_url(),
        "year": (when.year,),
        "month": (when.year, f"{when.month:02d}"),
        "meeting": (meeting.slug,),
        "pair": (pair.pk,),
        "agency": (agency.pk,),
        "region": (agency.division.code,),
        "agency_id": agency.pk,
        "objects": (article, meeting, pair, agency),
    }


def _grow(anchors):
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


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _url(name, args, query, anchors):
    if isinstance(args, str):
        args = anchors[args]
    if isinstance(args, str):
        return args
    return reverse(name, args=args) + query.format(agency=anchors["agency_id"])


def _measure(client, anchors):
    results = {}
    for label, name, args, query in PAGES:
        try:
            url = _url(name, args, query, anchors)
        except NoReverseMatch:
            results[label] = ("missing", name)
            continue
        cache.clear()
        fragments.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[label] = (url, response.status_code, [q["sql"] for q in queries.captured_queries])
    return results


@pytest.fixture(scope="module")
def measurements(django_db_setup, django_db_blocker):
    """Both measurements, taken once for the module inside a transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert (
            "test" in connection.settings_dict["NAME"]
            or "memory" in connection.settings_dict["NAME"]
        ), "refusing to write to a database that is not the test database"
        client = Client()
        anchors = _build_small()
        small = _measure(client, anchors)
        _grow(anchors)
        large = _measure(client, anchors)
        transaction.set_rollback(True)
    return small, large


@pytest.mark.parametrize("label", [page[0] for page in PAGES])
def test_page_runs_a_fixed_number_of_queries(measurements, label):
    """The page answers 200 at both sizes with the same number of queries."""
    small, large = measurements
    if small[label][0] == "missing":
        pytest.skip(f"URL {small[label][1]!r} does not exist yet")
    url, small_status, small_queries = small[label]
    _, large_status, large_queries = large[label]
    assert (small_status, large_status) == (200, 200), url
    extra = [sql for sql in large_queries if sql not in small_queries]
    assert len(small_queries) == len(large_queries), (
        f"{url}: {len(small_queries)} queries on the small site, {len(large_queries)} on the "
        f"large one; first new statements: {extra[:3]}"
    )
