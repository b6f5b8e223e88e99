"""The demo holds every fact of the seed page, names written exactly as there, and loads twice
without changing a row."""

import datetime
import re

import pytest

from imports.demo import SEED_PAGE
from partnerships import demo
from partnerships.models import (
    ActivityKind,
    Agency,
    AgreementClause,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
    Meeting,
    MeetingParticipant,
)

pytestmark = pytest.mark.django_db

# The project's verbatim copy of shared/seeds/000_d05c501f73f7c3bb.txt (the demo imports it), so
# the suite runs without the share.
SEED = SEED_PAGE

PAIRS_AS_WRITTEN = [
    ("浙江省温岭市政府", "齐齐哈尔市富裕县政府"),
    ("广东省中山市技监局", "齐齐哈尔市技监局"),
    ("山东省青岛市黄岛区技监局", "黑龙江省宁安市技监局"),
    ("福建省晋江市技监局", "吉林省敦化市技监局"),
    ("福建省福清市技监局", "吉林省延边自治州技监局"),
    ("山东省烟台市龙口市技监局", "吉林省四平市技监局"),
    ("浙江省杭州市余杭区技监局", "辽宁省大连市金州区技监局"),
    ("江苏省常熟市技监局", "辽宁省丹东市凤城县技监局"),
]


@pytest.fixture
def meeting():
    return demo.load()


def test_load_returns_the_seed_meeting_with_its_dates_venue_and_organiser(meeting):
    assert meeting.title == "东北老工业基地质量兴市工作座谈会"
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(2004, 9, 20),
        datetime.date(2004, 9, 21),
    )
    assert (meeting.venue.code, meeting.venue.name, meeting.venue.parent.name) == (
        "230200",
        "齐齐哈尔市",
        "黑龙江省",
    )
    assert meeting.organiser.name == "国家质量监督检验检疫总局"
    assert meeting.organiser.written_as == "国家质检总局"


def test_the_eight_attending_provinces(meeting):
    names = list(meeting.regions.order_by("code").values_list("name", flat=True))
    assert names == [
        "辽宁省",
        "吉林省",
        "黑龙江省",
        "江苏省",
        "浙江省",
        "福建省",
        "山东省",
        "广东省",
    ]


def test_participants_by_role_as_written(meeting):
    def written(role):
        return list(
            meeting.participants.filter(role=role)
            .order_by("order")
            .values_list("written_as", flat=True)
        )

    role = MeetingParticipant.Role
    assert written(role.ORGANISER) == ["国家质检总局"]
    assert written(role.ATTENDEE) == ["国家质检总局质量司"]
    assert written(role.EXPERIENCE) == [
        "江苏省常熟市技监局",
        "浙江省杭州市余杭区技监局",
        "福建省晋江市政府",
        "山东省青岛市黄岛区技监局",
        "广东省中山市技监局",
    ]
    assert written(role.LOCAL_SITUATION) == [
        "黑龙江省齐齐哈尔市富裕县政府",
        "辽宁省大连市瓦房店技监局",
        "吉林省四平市技监局",
    ]
    closing = meeting.participants.get(role=role.CLOSING)
    assert (closing.person, closing.person_title) == ("于献忠", "质检总局质量司司长")
    assert closing.agency.parent.name == "国家质量监督检验检疫总局"
    assert "振兴东北是我国的重要经济决策" in closing.remarks


def test_the_five_experience_presenters_carry_the_honour(meeting):
    honoured = Agency.objects.filter(honours__name="全国质量兴市先进市县")
    assert sorted(honoured.values_list("written_as", flat=True)) == sorted(
        [
            "江苏省常熟市技监局",
            "浙江省杭州市余杭区技监局",
            "福建省晋江市政府",
            "山东省青岛市黄岛区技监局",
            "广东省中山市技监局",
        ]
    )


def test_the_eight_pairs_in_the_seeds_order(meeting):
    pairs = HelpingPair.objects.order_by("order")
    assert [p.order for p in pairs] == list(range(1, 9))
    assert [(p.helper_written_as, p.helped_written_as) for p in pairs] == PAIRS_AS_WRITTEN
    assert all(p.meeting_id == meeting.pk for p in pairs)


def test_every_wording_of_the_seed_appears_in_the_seed_text():
    """A guard against typos: every name stored "as written" occurs verbatim in the seed page."""
    demo.load()
    text = SEED.read_text(encoding="utf-8")
    wordings = set(Agency.objects.exclude(written_as="").values_list("written_as", flat=True))
    wordings |= set(MeetingParticipant.objects.values_list("written_as", flat=True))
    for helper, helped in PAIRS_AS_WRITTEN:
        wordings |= {helper, helped}
    missing = sorted(w for w in wordings if w and w not in text)
    assert not missing


def test_official_names_and_recognisable_short_forms(meeting):
    changshu = Agency.objects.get(name="常熟市质量技术监督局")
    assert changshu.short_name == "常熟市技监局"
    assert "江苏省常熟市技监局" in changshu.names
    fengcheng = Agency.objects.get(written_as="辽宁省丹东市凤城县技监局")
    assert fengcheng.name == "凤城市质量技术监督局"
    assert {"丹东市凤城县技监局", "凤城县技监局"} <= set(fengcheng.names)
    fuyu = Agency.objects.get(name="富裕县人民政府")
    assert {"黑龙江省齐齐哈尔市富裕县政府", "齐齐哈尔市富裕县政府"} <= set(fuyu.names)
    # Two different agencies of 晋江: the government presented, the bureau paired.
    assert Agency.objects.filter(division__code="350582").count() == 2


def test_every_named_place_has_its_code_level_and_coordinates(meeting):
    expected = {
        "230227": ("富裕县", "", "230200"),
        "210682": ("凤城县", "凤城市", "210600"),
        "222400": ("延边朝鲜族自治州", "", "220000"),
        "210281": ("瓦房店市", "", "210200"),
        "210213": ("金州区", "", "210200"),
        "331081": ("温岭市", "", "331000"),
        "320581": ("常熟市", "", "320500"),
        "442000": ("中山市", "", "440000"),
    }
    for code, (name, current, parent) in expected.items():
        division = Division.objects.get(code=code)
        assert (division.name, division.current_name, division.parent.code) == (
            name,
            current,
            parent,
        )
    assert Division.objects.filter(level=Division.Level.PROVINCE).count() == 8
    assert not Division.objects.filter(latitude__isnull=True).exists()
    assert not Division.objects.filter(longitude__isnull=True).exists()
    # The northeast lies north of latitude 38 and east of 121; the coastal helpers south of 38.
    for pair in HelpingPair.objects.select_related("helper__division", "helped__division"):
        assert pair.helped.division.is_northeast and pair.helped.division.latitude > 38
        assert not pair.helper.division.is_northeast and pair.helper.division.latitude < 38
    for division in Division.objects.exclude(level=Division.Level.PROVINCE):
        assert division.code.startswith(
            division.parent.code[: 2 if division.parent.level == "province" else 4]
        )
        assert re.fullmatch(r"\d{6}", division.code)


def test_each_pair_signed_the_agreement_with_its_four_terms(meeting):
    assert CooperationAgreement.objects.count() == 8
    assert set(CooperationAgreement.objects.values_list("title", flat=True)) == {
        "质量兴市合作交流协议"
    }
    assert AgreementClause.objects.count() == 32
    clauses = AgreementClause.objects.filter(agreement__pair__order=1).order_by("order")
    assert [c.text for c in clauses] == [
        "在质量兴市方面进行广泛合作",
        "建立质量兴市信息定期通报制度",
        "在打假领域加强交流配合",
        "争取每年能有针对性地提出一两个合作项目，以促进两地经济的互补互利",
    ]
    target = clauses[3]
    assert (target.target_kind, target.target_min, target.target_max) == (
        ActivityKind.PROJECT,
        1,
        2,
    )
    assert not any(c.has_target for c in clauses[:3])


def test_the_wenling_visit_to_fuyu_right_after_the_meeting(meeting):
    visit = CooperationActivity.objects.get(kind=ActivityKind.VISIT)
    assert visit.pair.helper_written_as == "浙江省温岭市政府"
    assert visit.pair.helped.name == "富裕县人民政府"
    assert visit.date == datetime.date(2004, 9, 22)
    assert visit.date_is_approximate
    assert visit.status == CooperationActivity.Status.DONE


def test_counts(meeting):
    assert Meeting.objects.count() == 1
    assert Agency.objects.count() == 20
    assert Division.objects.count() == 35
    assert MeetingParticipant.objects.count() == 11
    assert HelpingPair.objects.count() == 8
    # One talk per pair during the meeting, and the 温岭 visit.
    assert CooperationActivity.objects.count() == 9


def test_a_second_load_changes_nothing(meeting, django_assert_max_num_queries):
    """Every row is already as wanted: the second load only reads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        again = demo.load()
    assert again.pk == meeting.pk
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
