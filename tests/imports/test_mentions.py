"""Recognising agencies in text: longest match first, context for ambiguous words, no guessing."""

import pytest

from imports.mentions import AgencyMatcher, find_meeting
from partnerships.models import Agency
from tests.factories import AgencyFactory, DivisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuyu():
    division = DivisionFactory(name="富裕县")
    government = AgencyFactory(
        name="富裕县人民政府",
        short_name="富裕县政府",
        aliases="黑龙江省齐齐哈尔市富裕县政府",
        kind=Agency.Kind.GOVERNMENT,
        division=division,
    )
    bureau = AgencyFactory(
        name="富裕县质量技术监督局",
        short_name="富裕县技监局",
        kind=Agency.Kind.BUREAU,
        division=division,
    )
    return government, bureau


def find(text):
    return AgencyMatcher.from_database().find(text)


def test_the_longest_name_wins(fuyu):
    government, _ = fuyu
    found = find("来自黑龙江省齐齐哈尔市富裕县政府的代表")
    assert found.agencies == [government]
    assert found.ambiguities == []


def test_short_names_and_full_names_are_mentions(fuyu):
    government, bureau = fuyu
    found = find("富裕县质量技术监督局和富裕县政府")
    assert found.agencies == [bureau, government]


def test_a_bare_place_is_reported_not_linked(fuyu):
    found = find("会议一结束，代表们就前往富裕县参观考察。")
    assert found.agencies == []
    [question] = found.ambiguities
    assert question.words == "富裕县"
    assert question.candidates == ("富裕县人民政府", "富裕县质量技术监督局")
    assert "前往富裕县参观考察" in question.context


def test_a_bare_place_whose_agency_is_named_elsewhere_is_no_question(fuyu):
    government, _ = fuyu
    found = find("富裕县政府介绍了情况。会后代表们前往富裕县参观。")
    assert found.agencies == [government]
    assert found.ambiguities == []


def test_a_name_shared_by_two_agencies_is_resolved_by_the_next_words():
    division = DivisionFactory(name="宁安市")
    government = AgencyFactory(
        name="宁安市人民政府", short_name="", aliases="宁安", kind=Agency.Kind.GOVERNMENT,
        division=division,
    )  # fmt: skip
    bureau = AgencyFactory(
        name="宁安市质量技术监督局", short_name="", aliases="宁安", kind=Agency.Kind.BUREAU,
        division=division,
    )  # fmt: skip
    assert find("宁安质监局负责组织").agencies == [bureau]
    assert find("宁安政府负责组织").agencies == [government]
    assert find("宁安负责组织").ambiguities[0].candidates == (
        "宁安市人民政府",
        "宁安市质量技术监督局",
    )


def test_a_place_before_a_name_only_qualifies_it():
    province = DivisionFactory(name="江苏省", level="province")
    AgencyFactory(name="江苏省质量技术监督局", short_name="江苏省技监局", division=province)
    changshu = AgencyFactory(
        name="常熟市质量技术监督局",
        short_name="常熟市技监局",
        division=DivisionFactory(name="常熟市"),
    )
    found = find("江苏省常熟市技监局介绍了经验")
    assert found.agencies == [changshu]
    assert found.ambiguities == []


def test_the_meeting_named_in_the_text():
    meeting = MeetingFactory(title="东北老工业基地质量兴市工作座谈会")
    MeetingFactory(title="质量兴市工作会议")
    text = "“东北老工业基地质量兴市工作座谈会”在齐齐哈尔召开"
    assert find_meeting(text, [meeting, *type(meeting).objects.exclude(pk=meeting.pk)]) == meeting
    assert find_meeting("无关的文字", [meeting]) is None
