"""Demo content from the seed page: the 2004 Qiqihar symposium and what it formed."""

import datetime
from decimal import Decimal

from qxs.demo import upsert

from .models import Agency, Division, Meeting

MEETING_TITLE = "东北老工业基地质量兴市工作座谈会"


def load():
    """Load (or bring up to date) the seed's partnership content. Returns the meeting."""
    heilongjiang, _ = upsert(
        Division,
        {"code": "230000"},
        {
            "name": "黑龙江省",
            "level": Division.Level.PROVINCE,
            "latitude": Decimal("45.74208"),
            "longitude": Decimal("126.66166"),
        },
    )
    qiqihar, _ = upsert(
        Division,
        {"code": "230200"},
        {
            "name": "齐齐哈尔市",
            "level": Division.Level.PREFECTURE,
            "parent": heilongjiang,
            "latitude": Decimal("47.35431"),
            "longitude": Decimal("123.91796"),
        },
    )
    aqsiq, _ = upsert(
        Agency,
        {"name": "国家质量监督检验检疫总局"},
        {
            "short_name": "质检总局",
            "aliases": "国家质检总局\n质检总局",
            "kind": Agency.Kind.ADMINISTRATION,
        },
    )
    meeting, _ = upsert(
        Meeting,
        {"slug": "2004-northeast-quality-symposium"},
        {
            "title": MEETING_TITLE,
            "start_date": datetime.date(2004, 9, 20),
            "end_date": datetime.date(2004, 9, 21),
            "venue": qiqihar,
            "organiser": aqsiq,
        },
    )
    return meeting
