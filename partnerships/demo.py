"""Demo content from the seed page: the 2004 Qiqihar symposium and what it formed.

Every fact below is stated in ``shared/seeds/000_d05c501f73f7c3bb.txt``; names the report wrote
are kept exactly as written (``written_as``) beside the official full names. Division codes are
GB/T 2260; coordinates are the government seats, stored to five decimals but good to a few
kilometres (enough for the pairing diagram; not survey data). ``load()`` goes through
``qxs.demo.upsert``, so a second run changes no row.
"""

import datetime
from decimal import Decimal

from qxs.demo import upsert

from .models import (
    ActivityKind,
    Agency,
    AgreementClause,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
    Honour,
    Meeting,
    MeetingParticipant,
)
from .services import STANDARD_AGREEMENT_TITLE, STANDARD_CLAUSES

MEETING_SLUG = "2004-northeast-quality-symposium"
MEETING_TITLE = "东北老工业基地质量兴市工作座谈会"
HONOUR = "全国质量兴市先进市县"

P, D, C = Division.Level.PROVINCE, Division.Level.PREFECTURE, Division.Level.COUNTY

# (code, name, level, parent code, latitude, longitude, today's name if different, note)
DIVISIONS = [
    ("210000", "辽宁省", P, None, "41.83571", "123.42925", "", ""),
    ("220000", "吉林省", P, None, "43.89634", "125.32599", "", ""),
    ("230000", "黑龙江省", P, None, "45.74208", "126.66166", "", ""),
    ("320000", "江苏省", P, None, "32.06167", "118.76295", "", ""),
    ("330000", "浙江省", P, None, "30.26724", "120.15283", "", ""),
    ("350000", "福建省", P, None, "26.10078", "119.29650", "", ""),
    ("370000", "山东省", P, None, "36.66853", "117.02075", "", ""),
    ("440000", "广东省", P, None, "23.13219", "113.26653", "", ""),
    ("210200", "大连市", D, "210000", "38.91400", "121.61476", "", ""),
    (
        "210213",
        "金州区",
        C,
        "210200",
        "39.10000",
        "121.71000",
        "",
        "2014年起属大连金普新区（国家级新区）管理，行政区划代码仍为 210213。",
    ),
    ("210281", "瓦房店市", C, "210200", "39.62701", "121.97971", "", "报道原文简称“瓦房店”。"),
    ("210600", "丹东市", D, "210000", "40.00087", "124.35445", "", ""),
    (
        "210682",
        "凤城县",
        C,
        "210600",
        "40.45283",
        "124.06613",
        "凤城市",
        "1994年撤县设市，报道原文仍称“凤城县”。",
    ),
    ("220300", "四平市", D, "220000", "43.16642", "124.35036", "", ""),
    (
        "222400",
        "延边朝鲜族自治州",
        D,
        "220000",
        "42.90682",
        "129.50833",
        "",
        "报道原文简称“延边自治州”；州政府驻延吉市。",
    ),
    ("222403", "敦化市", C, "222400", "43.37260", "128.23242", "", ""),
    ("230200", "齐齐哈尔市", D, "230000", "47.35431", "123.91796", "", ""),
    ("230227", "富裕县", C, "230200", "47.77431", "124.47357", "", ""),
    ("231000", "牡丹江市", D, "230000", "44.55269", "129.63244", "", ""),
    ("231084", "宁安市", C, "231000", "44.34072", "129.48272", "", ""),
    ("320500", "苏州市", D, "320000", "31.29890", "120.58532", "", ""),
    ("320581", "常熟市", C, "320500", "31.65374", "120.75225", "", ""),
    ("330100", "杭州市", D, "330000", "30.24603", "120.21079", "", ""),
    (
        "330110",
        "余杭区",
        C,
        "330100",
        "30.41883",
        "120.30073",
        "",
        "2021年析出临平区；坐标为2004年时的区政府驻地临平。",
    ),
    ("331000", "台州市", D, "330000", "28.65611", "121.42076", "", ""),
    ("331081", "温岭市", C, "331000", "28.37210", "121.38596", "", ""),
    ("350100", "福州市", D, "350000", "26.08014", "119.29646", "", ""),
    ("350181", "福清市", C, "350100", "25.72086", "119.38449", "", ""),
    ("350500", "泉州市", D, "350000", "24.87395", "118.67587", "", ""),
    ("350582", "晋江市", C, "350500", "24.82000", "118.58000", "", ""),
    ("370200", "青岛市", D, "370000", "36.06723", "120.38264", "", ""),
    (
        "370211",
        "黄岛区",
        C,
        "370200",
        "35.96069",
        "120.19788",
        "",
        "2012年原黄岛区与胶南市合并为新的黄岛区，代码仍为 370211。",
    ),
    ("370600", "烟台市", D, "370000", "37.46353", "121.44801", "", ""),
    ("370681", "龙口市", C, "370600", "37.64622", "120.47773", "", ""),
    ("442000", "中山市", D, "440000", "22.51698", "113.39263", "", "不设区的地级市。"),
]

# The provinces whose leaders attended, in the report's order:
# 辽宁、吉林、黑龙江和江苏、浙江、福建、山东、广东.
ATTENDING_PROVINCES = [
    "210000",
    "220000",
    "230000",
    "320000",
    "330000",
    "350000",
    "370000",
    "440000",
]

G, B = Agency.Kind.GOVERNMENT, Agency.Kind.BUREAU

# key: (full name, short name, as first written in the report, kind, division code, other wordings)
AGENCIES = {
    "aqsiq": (
        "国家质量监督检验检疫总局",
        "质检总局",
        "国家质检总局",
        Agency.Kind.ADMINISTRATION,
        None,
        ["国家质检总局", "质检总局"],
    ),
    "aqsiq-quality": (
        "国家质量监督检验检疫总局质量管理司",
        "质检总局质量司",
        "国家质检总局质量司",
        Agency.Kind.DEPARTMENT,
        None,
        ["国家质检总局质量司", "质检总局质量司", "质量管理司"],
    ),
    "changshu": (
        "常熟市质量技术监督局",
        "常熟市技监局",
        "江苏省常熟市技监局",
        B,
        "320581",
        ["江苏省常熟市技监局", "常熟技监局"],
    ),
    "yuhang": (
        "杭州市余杭区质量技术监督局",
        "余杭区技监局",
        "浙江省杭州市余杭区技监局",
        B,
        "330110",
        ["浙江省杭州市余杭区技监局", "杭州市余杭区技监局", "余杭区质量技术监督局"],
    ),
    "jinjiang-gov": (
        "晋江市人民政府",
        "晋江市政府",
        "福建省晋江市政府",
        G,
        "350582",
        ["福建省晋江市政府"],
    ),
    "huangdao": (
        "青岛市黄岛区质量技术监督局",
        "黄岛区技监局",
        "山东省青岛市黄岛区技监局",
        B,
        "370211",
        ["山东省青岛市黄岛区技监局", "青岛市黄岛区技监局", "黄岛区质量技术监督局"],
    ),
    "zhongshan": (
        "中山市质量技术监督局",
        "中山市技监局",
        "广东省中山市技监局",
        B,
        "442000",
        ["广东省中山市技监局", "中山技监局"],
    ),
    "fuyu-gov": (
        "富裕县人民政府",
        "富裕县政府",
        "黑龙江省齐齐哈尔市富裕县政府",
        G,
        "230227",
        ["黑龙江省齐齐哈尔市富裕县政府", "齐齐哈尔市富裕县政府"],
    ),
    "wafangdian": (
        "瓦房店市质量技术监督局",
        "瓦房店市技监局",
        "辽宁省大连市瓦房店技监局",
        B,
        "210281",
        ["辽宁省大连市瓦房店技监局", "大连市瓦房店技监局", "瓦房店技监局"],
    ),
    "siping": (
        "四平市质量技术监督局",
        "四平市技监局",
        "吉林省四平市技监局",
        B,
        "220300",
        ["吉林省四平市技监局", "四平技监局"],
    ),
    "wenling-gov": (
        "温岭市人民政府",
        "温岭市政府",
        "浙江省温岭市政府",
        G,
        "331081",
        ["浙江省温岭市政府"],
    ),
    "qiqihar": (
        "齐齐哈尔市质量技术监督局",
        "齐齐哈尔市技监局",
        "齐齐哈尔市技监局",
        B,
        "230200",
        ["黑龙江省齐齐哈尔市技监局"],
    ),
    "ningan": (
        "宁安市质量技术监督局",
        "宁安市技监局",
        "黑龙江省宁安市技监局",
        B,
        "231084",
        ["黑龙江省宁安市技监局", "牡丹江市宁安市技监局"],
    ),
    "jinjiang": (
        "晋江市质量技术监督局",
        "晋江市技监局",
        "福建省晋江市技监局",
        B,
        "350582",
        ["福建省晋江市技监局"],
    ),
    "dunhua": (
        "敦化市质量技术监督局",
        "敦化市技监局",
        "吉林省敦化市技监局",
        B,
        "222403",
        ["吉林省敦化市技监局"],
    ),
    "fuqing": (
        "福清市质量技术监督局",
        "福清市技监局",
        "福建省福清市技监局",
        B,
        "350181",
        ["福建省福清市技监局"],
    ),
    "yanbian": (
        "延边朝鲜族自治州质量技术监督局",
        "延边州技监局",
        "吉林省延边自治州技监局",
        B,
        "222400",
        ["吉林省延边自治州技监局", "延边自治州技监局", "延边朝鲜族自治州技监局"],
    ),
    "longkou": (
        "龙口市质量技术监督局",
        "龙口市技监局",
        "山东省烟台市龙口市技监局",
        B,
        "370681",
        ["山东省烟台市龙口市技监局", "烟台市龙口市技监局"],
    ),
    "jinzhou": (
        "大连市金州区质量技术监督局",
        "金州区技监局",
        "辽宁省大连市金州区技监局",
        B,
        "210213",
        ["辽宁省大连市金州区技监局", "大连市金州区技监局"],
    ),
    "fengcheng": (
        "凤城市质量技术监督局",
        "凤城县技监局",
        "辽宁省丹东市凤城县技监局",
        B,
        "210682",
        ["辽宁省丹东市凤城县技监局", "丹东市凤城县技监局", "凤城市技监局"],
    ),
}
PARENT_AGENCIES = {"aqsiq-quality": "aqsiq"}

EXPERIENCE_REMARKS = "介绍了各自大力开展质量兴市活动的经验。"
LOCAL_REMARKS = "介绍了本地的经济发展和开展质量工作的概况。"
CLOSING_REMARKS = (
    "本次会议时间虽短，但效率很高，大家带着问题来探讨，带着经验来交流，有的还结成了帮扶对子，"
    "这些结成对子的地市（县）区今后可以互相学习，并开展多层次、全方位的合作，为两地企业牵线搭桥，"
    "促进经济的健康、快速发展。振兴东北是我国的重要经济决策，各地质检部门要努力发挥职能，"
    "主动寻求服务空间，为东北老工业基地振兴作出贡献。这次座谈会是新的标志性的会议，以此为起点，"
    "质量技术监督部门要在全国范围内形成一股合力，共同促进我们的经济繁荣与发展，"
    "共同推动我们民族的伟大复兴。"
)

# (agency key, role, wording in the report, person, person's title, remarks), in the report's order.
R = MeetingParticipant.Role
PARTICIPANTS = [
    ("aqsiq", R.ORGANISER, "国家质检总局", "", "", "组织召开座谈会。"),
    ("aqsiq-quality", R.ATTENDEE, "国家质检总局质量司", "", "", ""),
    ("changshu", R.EXPERIENCE, "江苏省常熟市技监局", "", "", EXPERIENCE_REMARKS),
    ("yuhang", R.EXPERIENCE, "浙江省杭州市余杭区技监局", "", "", EXPERIENCE_REMARKS),
    ("jinjiang-gov", R.EXPERIENCE, "福建省晋江市政府", "", "", EXPERIENCE_REMARKS),
    ("huangdao", R.EXPERIENCE, "山东省青岛市黄岛区技监局", "", "", EXPERIENCE_REMARKS),
    ("zhongshan", R.EXPERIENCE, "广东省中山市技监局", "", "", EXPERIENCE_REMARKS),
    ("fuyu-gov", R.LOCAL_SITUATION, "黑龙江省齐齐哈尔市富裕县政府", "", "", LOCAL_REMARKS),
    ("wafangdian", R.LOCAL_SITUATION, "辽宁省大连市瓦房店技监局", "", "", LOCAL_REMARKS),
    ("siping", R.LOCAL_SITUATION, "吉林省四平市技监局", "", "", LOCAL_REMARKS),
    (
        "aqsiq-quality",
        R.CLOSING,
        "质检总局质量司",
        "于献忠",
        "质检总局质量司司长",
        CLOSING_REMARKS,
    ),
]

# The eight pairs as the report lists them: (helper, helper as written, helped, helped as written).
PAIRS = [
    ("wenling-gov", "浙江省温岭市政府", "fuyu-gov", "齐齐哈尔市富裕县政府"),
    ("zhongshan", "广东省中山市技监局", "qiqihar", "齐齐哈尔市技监局"),
    ("huangdao", "山东省青岛市黄岛区技监局", "ningan", "黑龙江省宁安市技监局"),
    ("jinjiang", "福建省晋江市技监局", "dunhua", "吉林省敦化市技监局"),
    ("fuqing", "福建省福清市技监局", "yanbian", "吉林省延边自治州技监局"),
    ("longkou", "山东省烟台市龙口市技监局", "siping", "吉林省四平市技监局"),
    ("yuhang", "浙江省杭州市余杭区技监局", "jinzhou", "辽宁省大连市金州区技监局"),
    ("changshu", "江苏省常熟市技监局", "fengcheng", "辽宁省丹东市凤城县技监局"),
]

MEETING_SUMMARY = (
    "会议以振兴东北老工业基地为契机，以质量兴市为突破口，探讨沿海发达地区如何帮扶东北老工业基地，"
    "围绕本地资源优势和产业基础提高质量水平，发展地方经济。座谈会促成了八个“质量兴市”帮扶“对子”，"
    "为东北老工业基地和发达地区搭建了一个交流合作的平台。"
)

START, END = datetime.date(2004, 9, 20), datetime.date(2004, 9, 21)
# "会议一结束，温岭市的代表就马上前往富裕县": the report gives no date; we record the day after the
# meeting's last day and mark the date as approximate.
WENLING_VISIT_DATE = datetime.date(2004, 9, 22)


def load():
    """Load (or bring up to date) the seed's partnership content. Returns the meeting."""
    divisions = _load_divisions()
    agencies = _load_agencies(divisions)
    meeting, _ = upsert(
        Meeting,
        {"slug": MEETING_SLUG},
        {
            "title": MEETING_TITLE,
            "start_date": START,
            "end_date": END,
            "venue": divisions["230200"],
            "organiser": agencies["aqsiq"],
            "summary": MEETING_SUMMARY,
        },
    )
    _set_exactly(meeting.regions, [divisions[code] for code in ATTENDING_PROVINCES])
    for order, (key, role, written, person, title, remarks) in enumerate(PARTICIPANTS, 1):
        upsert(
            MeetingParticipant,
            {"meeting": meeting, "agency": agencies[key], "role": role},
            {
                "written_as": written,
                "person": person,
                "person_title": title,
                "remarks": remarks,
                "order": order,
            },
        )
    pairs = _load_pairs(meeting, agencies)
    upsert(
        CooperationActivity,
        {"pair": pairs[0], "kind": ActivityKind.VISIT, "date": WENLING_VISIT_DATE},
        {
            "title": "温岭市代表前往富裕县参观考察",
            "description": (
                "会议一结束，温岭市的代表就马上前往富裕县参观考察，抓紧落实进一步合作事宜。"
                "报道未写明日期，记为会议结束次日。"
            ),
            "date_is_approximate": True,
            "status": CooperationActivity.Status.DONE,
        },
    )
    return meeting


def _load_divisions():
    divisions = {}
    for code, name, level, parent, lat, lon, current, note in DIVISIONS:
        divisions[code], _ = upsert(
            Division,
            {"code": code},
            {
                "name": name,
                "level": level,
                "parent": divisions[parent] if parent else None,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "current_name": current,
                "note": note,
            },
        )
    return divisions


def _load_agencies(divisions):
    honour, _ = upsert(Honour, {"name": HONOUR})
    agencies = {}
    for key, (name, short, written, kind, code, aliases) in AGENCIES.items():
        agencies[key], _ = upsert(
            Agency,
            {"name": name},
            {
                "short_name": short,
                "written_as": written,
                "aliases": "\n".join(aliases),
                "kind": kind,
                "division": divisions[code] if code else None,
            },
        )
    for key, parent in PARENT_AGENCIES.items():
        upsert(Agency, {"pk": agencies[key].pk}, {"parent": agencies[parent]})
    # The five experience presenters are the report's five “全国质量兴市先进市县”.
    for key, role, *_ in PARTICIPANTS:
        if role == MeetingParticipant.Role.EXPERIENCE:
            _add_missing(agencies[key].honours, [honour])
    return agencies


def _load_pairs(meeting, agencies):
    pairs = []
    for order, (helper, helper_written, helped, helped_written) in enumerate(PAIRS, 1):
        pair, _ = upsert(
            HelpingPair,
            {"helper": agencies[helper], "helped": agencies[helped]},
            {
                "helper_written_as": helper_written,
                "helped_written_as": helped_written,
                "meeting": meeting,
                "order": order,
            },
        )
        agreement, _ = upsert(
            CooperationAgreement, {"pair": pair, "title": STANDARD_AGREEMENT_TITLE}
        )
        for clause_order, (text, kind, low, high) in enumerate(STANDARD_CLAUSES, 1):
            upsert(
                AgreementClause,
                {"agreement": agreement, "order": clause_order},
                {"text": text, "target_kind": kind, "target_min": low, "target_max": high},
            )
        upsert(
            CooperationActivity,
            {"pair": pair, "kind": ActivityKind.EXCHANGE, "date": END},
            {
                "title": "会议期间专门商谈",
                "description": (
                    "会议期间帮扶双方还进行专门商谈。报道未写明哪一天，记为会议最后一天。"
                ),
                "date_is_approximate": True,
                "status": CooperationActivity.Status.DONE,
            },
        )
        pairs.append(pair)
    return pairs


def _add_missing(manager, objects):
    """Add to a many-to-many relation only what is missing, so a second load writes nothing."""
    present = set(manager.values_list("pk", flat=True))
    missing = [obj for obj in objects if obj.pk not in present]
    if missing:
        manager.add(*missing)


def _set_exactly(manager, objects):
    present = set(manager.values_list("pk", flat=True))
    if present != {obj.pk for obj in objects}:
        manager.set(objects)
