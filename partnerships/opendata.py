"""Open data: the pairs and the agencies as JSON and as CSV (UTF-8 with a BOM, for Excel).

CSV cells that a spreadsheet would read as a formula are written with a leading ``'``
(``spreadsheet_safe``); JSON carries the values as they are.

The columns are documented in the README ("Partnerships and open data"); change both together.
"""

import csv
import io
import re

from django.db.models import Prefetch

from .models import Agency, AgreementClause, CooperationAgreement, HelpingPair

AGENCY_COLUMNS = [
    "id",
    "name",
    "short_name",
    "written_as",
    "kind",
    "kind_label",
    "division_code",
    "division_name",
    "division_current_name",
    "province_code",
    "province_name",
    "northeast",
    "latitude",
    "longitude",
    "parent_id",
    "honours",
    "aliases",
    "url",
]

SIDE_COLUMNS = [
    "id",
    "name",
    "written_as",
    "division_code",
    "division_name",
    "division_current_name",
    "province_code",
    "province_name",
]

PAIR_COLUMNS = [
    "id",
    "order",
    *(f"helper_{column}" for column in SIDE_COLUMNS),
    *(f"helped_{column}" for column in SIDE_COLUMNS),
    "meeting_title",
    "meeting_start_date",
    "meeting_end_date",
    "agreements",
    "url",
]


def pairs_queryset():
    clauses = AgreementClause.objects.order_by("order", "pk")
    return HelpingPair.objects.with_agencies().prefetch_related(
        Prefetch(
            "agreements",
            queryset=CooperationAgreement.objects.prefetch_related(
                Prefetch("clauses", queryset=clauses)
            ),
        )
    )


def agencies_queryset():
    return Agency.objects.select_related("division__parent__parent").prefetch_related("honours")


def province_of(division):
    """The province of a division whose parents up to the province are already loaded."""
    while division is not None and division.parent_id is not None:
        division = division.parent
    return division


def _division_fields(division):
    province = province_of(division)
    return {
        "division_code": division.code if division else "",
        "division_name": division.name if division else "",
        "division_current_name": division.current_name if division else "",
        "province_code": province.code if province else "",
        "province_name": province.name if province else "",
    }


def agency_record(agency, build_url):
    division = agency.division
    return {
        "id": agency.pk,
        "name": agency.name,
        "short_name": agency.short_name,
        "written_as": agency.written_as,
        "kind": agency.kind,
        "kind_label": str(agency.get_kind_display()),
        **_division_fields(division),
        "northeast": division.is_northeast if division else False,
        "latitude": str(division.latitude) if division and division.latitude is not None else "",
        "longitude": str(division.longitude) if division and division.longitude is not None else "",
        "parent_id": agency.parent_id or "",
        "honours": [honour.name for honour in agency.honours.all()],
        "aliases": agency.alias_list,
        "url": build_url(agency.get_absolute_url()),
    }


def _side(agency, written_as):
    return {"id": agency.pk, "name": agency.name, "written_as": written_as} | _division_fields(
        agency.division
    )


def pair_record(pair, build_url):
    meeting = pair.meeting
    return {
        "id": pair.pk,
        "order": pair.order,
        "helper": _side(pair.helper, pair.helper_written_as),
        "helped": _side(pair.helped, pair.helped_written_as),
        "meeting": {
            "title": meeting.title if meeting else "",
            "start_date": meeting.start_date.isoformat() if meeting else "",
            "end_date": meeting.end_date.isoformat() if meeting else "",
        },
        "agreements": [
            {
                "title": agreement.title,
                "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
                "clauses": [
                    {
                        "order": clause.order,
                        "text": clause.text,
                        "target_kind": clause.target_kind,
                        "target_min": clause.target_min,
                        "target_max": clause.target_max,
                    }
                    for clause in agreement.clauses.all()
                ],
            }
            for agreement in pair.agreements.all()
        ],
        "url": build_url(pair.get_absolute_url()),
    }


def flat_pair(record):
    """A pair record as one CSV row: helper_*/helped_* columns, agreement titles joined by “；”."""
    row = {"id": record["id"], "order": record["order"]}
    for side in ("helper", "helped"):
        for column in SIDE_COLUMNS:
            row[f"{side}_{column}"] = record[side][column]
    row["meeting_title"] = record["meeting"]["title"]
    row["meeting_start_date"] = record["meeting"]["start_date"]
    row["meeting_end_date"] = record["meeting"]["end_date"]
    row["agreements"] = "；".join(agreement["title"] for agreement in record["agreements"])
    row["url"] = record["url"]
    return row


def flat_agency(record):
    """An agency record as one CSV row: lists joined by “；”, northeast as 1/0."""
    return record | {
        "northeast": 1 if record["northeast"] else 0,
        "honours": "；".join(record["honours"]),
        "aliases": "；".join(record["aliases"]),
    }


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(value):
    """The cell as written to CSV: text a spreadsheet would run as a formula gets a leading ``'``.

    Excel, LibreOffice and Google Sheets show the ``'`` as a text marker, so the reader sees the
    name as typed; a program reading the file gets the ``'`` and can strip it. A plain number
    stays as it is (a negative longitude such as ``-70.5`` is read as a number, not a formula).
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def to_csv(columns, rows):
    """CSV text starting with a BOM, so Excel reads it as UTF-8; every cell spreadsheet-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(
        {column: spreadsheet_safe(value) for column, value in row.items()} for row in rows
    )
    return out.getvalue()
