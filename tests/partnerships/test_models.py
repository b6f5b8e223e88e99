"""Integrity rules held by the database, and the yearly-target computation."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from partnerships.models import (
    ActivityKind,
    AgreementClause,
    CooperationActivity,
    Division,
    HelpingPair,
    Meeting,
    YearTarget,
    attach_target_years,
)
from tests.factories import (
    AgencyFactory,
    AgreementClauseFactory,
    CooperationActivityFactory,
    CooperationAgreementFactory,
    DivisionFactory,
    HelpingPairFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused(errors=IntegrityError):
    """Expect the database (not Python) to refuse the write; the savepoint keeps the test usable."""
    with pytest.raises(errors), transaction.atomic():
        yield


def test_a_pair_never_joins_an_agency_to_itself():
    agency = AgencyFactory()
    with refused():
        HelpingPair.objects.create(helper=agency, helped=agency)


def test_a_pair_never_repeats_in_either_order():
    pair = HelpingPairFactory()
    with refused():
        HelpingPair.objects.create(helper=pair.helper, helped=pair.helped)
    with refused():
        HelpingPair.objects.create(helper=pair.helped, helped=pair.helper)
    assert HelpingPair.objects.count() == 1


def test_a_meeting_ends_on_or_after_its_start():
    MeetingFactory(start_date=datetime.date(2004, 9, 20), end_date=datetime.date(2004, 9, 20))
    with refused():
        MeetingFactory(start_date=datetime.date(2004, 9, 21), end_date=datetime.date(2004, 9, 20))


@pytest.mark.parametrize("code", ["23020", "2302000", "23O200", "abcdef", ""])
def test_a_division_code_is_six_digits(code):
    # PostgreSQL refuses a seventh character by the column's length (DataError) before the check.
    with refused((IntegrityError, DataError)):
        Division.objects.create(code=code, name="错误", level=Division.Level.COUNTY)


def test_a_division_code_is_unique():
    DivisionFactory(code="230227")
    with refused():
        DivisionFactory(code="230227")


def test_coordinates_stay_on_the_globe():
    with refused():
        DivisionFactory(latitude=Decimal("91.00000"))
    with refused():
        DivisionFactory(longitude=Decimal("-181.00000"))


def test_a_target_minimum_is_not_above_its_maximum():
    AgreementClauseFactory(target_kind=ActivityKind.PROJECT, target_min=2, target_max=2)
    with refused():
        AgreementClauseFactory(target_kind=ActivityKind.PROJECT, target_min=3, target_max=2)


def test_a_target_names_the_kind_of_activity_it_counts():
    with refused():
        AgreementClauseFactory(target_kind="", target_min=1, target_max=2)


def test_clause_order_is_unique_within_an_agreement():
    clause = AgreementClauseFactory(order=1)
    with refused():
        AgreementClause.objects.create(agreement=clause.agreement, order=1, text="重复")


def test_division_display_name_shows_todays_name_when_it_changed():
    assert (
        DivisionFactory(name="凤城县", current_name="凤城市").display_name == "凤城县（今凤城市）"
    )
    assert DivisionFactory(name="富裕县").display_name == "富裕县"


def test_is_northeast_follows_from_the_province_code():
    assert DivisionFactory(code="222403").is_northeast
    assert not DivisionFactory(code="320581").is_northeast


def test_agency_names_gathers_every_wording_once():
    agency = AgencyFactory(
        name="常熟市质量技术监督局",
        short_name="常熟市技监局",
        written_as="江苏省常熟市技监局",
        aliases="江苏省常熟市技监局\n常熟技监局\n",
    )
    assert agency.names == [
        "常熟市质量技术监督局",
        "常熟市技监局",
        "江苏省常熟市技监局",
        "常熟技监局",
    ]


def _project_target(pair, low=1, high=2):
    agreement = CooperationAgreementFactory(pair=pair)
    return AgreementClauseFactory(
        agreement=agreement, target_kind=ActivityKind.PROJECT, target_min=low, target_max=high
    )


@pytest.mark.parametrize(
    ("count", "status", "met"),
    [(0, "below", False), (1, "met", True), (2, "met", True), (3, "above", True)],
)
def test_year_target_status(count, status, met):
    clause = AgreementClause(target_kind=ActivityKind.PROJECT, target_min=1, target_max=2)
    target = YearTarget(2005, clause, count)
    assert (target.status, target.met, target.target_label) == (status, met, "1–2")


def test_target_years_count_done_projects_per_year():
    """2004 (formed in September): not judged; 2005: one project (a visit and a cancelled
    project do not count); 2006: three projects, above the range."""
    pair = HelpingPairFactory(meeting=MeetingFactory(start_date=datetime.date(2004, 9, 20)))
    _project_target(pair)
    project = ActivityKind.PROJECT
    CooperationActivityFactory(pair=pair, kind=project, date=datetime.date(2005, 3, 1))
    CooperationActivityFactory(pair=pair, kind=ActivityKind.VISIT, date=datetime.date(2005, 4, 1))
    CooperationActivityFactory(
        pair=pair,
        kind=project,
        date=datetime.date(2005, 5, 1),
        status=CooperationActivity.Status.CANCELLED,
    )
    for month in (1, 2, 3):
        CooperationActivityFactory(pair=pair, kind=project, date=datetime.date(2006, month, 1))

    [pair] = HelpingPair.objects.filter(pk=pair.pk).with_target_years()

    assert [(t.year, t.count, t.status) for t in pair.target_years] == [
        (2004, 0, "partial"),
        (2005, 1, "met"),
        (2006, 3, "above"),
    ]


def test_a_partial_first_year_is_not_judged_but_a_whole_one_is():
    """Formed on 1 January, the first year is a whole year and is held to the target."""
    clause = AgreementClause(target_kind=ActivityKind.PROJECT, target_min=1, target_max=2)
    partial = YearTarget(2004, clause, 0, partial=True)
    assert (partial.status, partial.met) == ("partial", None)
    pair = HelpingPairFactory(meeting=None, formed_on=datetime.date(2005, 1, 1))
    _project_target(pair)
    [pair] = HelpingPair.objects.filter(pk=pair.pk).with_target_years(until=2005)
    assert [(t.year, t.status) for t in pair.target_years] == [(2005, "below")]


def test_the_pair_page_shows_the_first_partial_year_as_not_judged(client):
    pair = HelpingPairFactory(meeting=MeetingFactory(start_date=datetime.date(2004, 9, 20)))
    _project_target(pair)
    CooperationActivityFactory(pair=pair, kind=ActivityKind.PROJECT, date=datetime.date(2005, 3, 1))
    page = client.get(pair.get_absolute_url()).content.decode()
    table = page.split('<table class="targets">')[1].split("</table>")[0]
    first, second = table.split("<tr class=")[1:3]
    assert first.startswith('"target-partial"') and "结对当年，不考核" in first
    assert "未达标" not in table
    assert second.startswith('"target-met"')


def test_target_years_use_a_fixed_number_of_queries(django_assert_num_queries):
    """Three queries (pairs, target clauses, grouped counts) whether there are 2 pairs or 8."""
    for size in (2, 8):
        for _ in range(size - HelpingPair.objects.count()):
            pair = HelpingPairFactory()
            _project_target(pair)
            CooperationActivityFactory(pair=pair, kind=ActivityKind.PROJECT)
        with django_assert_num_queries(3):
            pairs = HelpingPair.objects.with_target_years()
        assert len(pairs) == size
        assert all(pair.target_years for pair in pairs)


def test_pairs_without_targets_get_an_empty_list():
    pair = HelpingPairFactory()
    AgreementClauseFactory(agreement=CooperationAgreementFactory(pair=pair))
    attach_target_years([pair])
    assert pair.target_years == []


def test_meeting_and_pair_urls():
    pair = HelpingPairFactory()
    assert pair.get_absolute_url() == f"/pairs/{pair.pk}/"
    assert pair.meeting.get_absolute_url() == f"/meetings/{pair.meeting.slug}/"
    assert isinstance(pair.meeting, Meeting)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_detail_urls_are_those_reverse_builds_in_each_language(language):
    """``get_absolute_url()`` builds the URLs without ``reverse()``; they are the same."""
    pair = HelpingPairFactory(helper__division=DivisionFactory(code="230200"))
    with translation.override(language):
        for obj, name, kwargs in [
            (pair, "partnerships:pair-detail", {"pk": pair.pk}),
            (pair.helper, "partnerships:agency-detail", {"pk": pair.helper_id}),
            (pair.meeting, "partnerships:meeting-detail", {"slug": pair.meeting.slug}),
            (pair.helper.division, "partnerships:region-detail", {"code": "230200"}),
        ]:
            assert obj.get_absolute_url() == reverse(name, kwargs=kwargs)
        assert pair.get_absolute_url().startswith("/en/" if language == "en" else "/pairs/")
