"""The query log stays bounded: old and surplus raw rows are folded into daily counts per
normalised query (search/logfold.py), and the admin report reads those counts."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from search import logfold
from search.models import SearchDailyCount, SearchQueryLog

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=BEIJING)


def log(term, at, results=1):
    with time_machine.travel(at, tick=False):
        return SearchQueryLog.objects.create(term=term, result_count=results, took_ms=3)


def counts():
    return {
        (row.day.isoformat(), row.term): (row.searches, row.zero_result_searches)
        for row in SearchDailyCount.objects.all()
    }


def test_rows_older_than_the_retention_become_daily_counts_per_normalised_query():
    """Rows older than 90 days are folded by Beijing day and normalised query (full width and
    traditional characters fold with the rest), then deleted; newer rows stay as they are."""
    old = NOW - datetime.timedelta(days=100)
    log("技监局", old)
    log("技監局", old + datetime.timedelta(hours=1), results=0)
    log("ＩＳＯ９００１", old)
    log("iso9001", old)
    # 23:30 in UTC is 07:30 the next day in Beijing.
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    log("打假", late, results=0)
    recent = log("计量", NOW - datetime.timedelta(days=89))

    with time_machine.travel(NOW, tick=False):
        folded = logfold.fold()

    assert folded == 5
    day = (old.astimezone(BEIJING)).date().isoformat()
    assert counts() == {
        (day, "技监局"): (2, 1),
        (day, "iso9001"): (2, 0),
        ("2026-03-02", "打假"): (1, 1),
    }
    assert list(SearchQueryLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_folding_again_adds_to_the_same_day():
    old = NOW - datetime.timedelta(days=120)
    log("技监局", old)
    with time_machine.travel(NOW, tick=False):
        logfold.fold()
    log("技监局", old + datetime.timedelta(minutes=5), results=0)
    with time_machine.travel(NOW, tick=False):
        assert logfold.fold() == 1
        assert logfold.fold() == 0
    assert counts() == {(old.date().isoformat(), "技监局"): (2, 1)}


@override_settings(QXS_SEARCH_LOG_MAX_ROWS=3)
def test_rows_past_the_cap_are_folded_even_when_recent():
    for n in range(5):
        log(f"词{n}", NOW - datetime.timedelta(minutes=10 - n))
    with time_machine.travel(NOW, tick=False):
        assert logfold.fold() == 2
    assert list(SearchQueryLog.objects.order_by("pk").values_list("term", flat=True)) == [
        "词2",
        "词3",
        "词4",
    ]
    assert set(counts()) == {(NOW.date().isoformat(), "词0"), (NOW.date().isoformat(), "词1")}


@override_settings(QXS_SEARCH_LOG_DAILY_TERMS=2, QXS_SEARCH_LOG_MAX_ROWS=0)
def test_beyond_the_daily_terms_the_rest_are_added_up_under_the_empty_term():
    at = NOW - datetime.timedelta(hours=1)
    for term, times in [("技监局", 3), ("打假", 2), ("a", 1), ("b", 1)]:
        for _ in range(times):
            log(term, at, results=0)
    with time_machine.travel(NOW, tick=False):
        logfold.fold()
    day = NOW.date().isoformat()
    assert counts() == {(day, "技监局"): (3, 3), (day, "打假"): (2, 2), (day, ""): (2, 2)}


def test_admin_report_reads_daily_counts_and_recent_rows(client):
    """The report adds the daily counts of the last 30 days to the rows not folded yet; older
    counts and the empty term stay out."""
    from tests.factories import UserFactory

    today = timezone.localdate()
    SearchDailyCount.objects.create(
        day=today - datetime.timedelta(days=3), term="技监局", searches=7, zero_result_searches=0
    )
    SearchDailyCount.objects.create(
        day=today - datetime.timedelta(days=3), term="三合一", searches=2, zero_result_searches=2
    )
    SearchDailyCount.objects.create(
        day=today - datetime.timedelta(days=3), term="", searches=900, zero_result_searches=900
    )
    SearchDailyCount.objects.create(
        day=today - datetime.timedelta(days=40), term="打假", searches=50, zero_result_searches=0
    )
    SearchQueryLog.objects.create(term="技監局", result_count=4, took_ms=2)
    SearchQueryLog.objects.create(term="三合一", result_count=0, took_ms=2)
    SearchQueryLog.objects.create(term="打假", result_count=1, took_ms=2)

    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:search_searchquerylog_changelist"))
    frequent = [(row["term"], row["searches"]) for row in response.context["frequent_terms"]]
    assert frequent == [("技监局", 8), ("三合一", 3), ("打假", 1)]
    zero = [(row["term"], row["searches"]) for row in response.context["zero_result_terms"]]
    assert zero == [("三合一", 3)]


def test_searches_fold_the_log_at_most_once_an_hour(client):
    """A search folds what is due; the next searches within the hour do not; after an hour one
    does again. No cron involved."""
    old = NOW - datetime.timedelta(days=95)
    log("旧词", old)
    with time_machine.travel(NOW, tick=False) as traveller:
        client.get(reverse("search:search"), {"q": "质量"})
        assert not SearchQueryLog.objects.filter(term="旧词").exists()
        log("更旧", old)
        client.get(reverse("search:search"), {"q": "质量"})
        assert SearchQueryLog.objects.filter(term="更旧").exists()
        traveller.shift(datetime.timedelta(minutes=61))
        client.get(reverse("search:search"), {"q": "质量"})
        assert not SearchQueryLog.objects.filter(term="更旧").exists()
    assert SearchDailyCount.objects.aggregate(total=Sum("searches"))["total"] == 2


def test_management_command_folds_at_once(capsys):
    log("旧词", timezone.now() - datetime.timedelta(days=91))
    call_command("fold_search_log")
    assert "Folded 1 search log rows" in capsys.readouterr().out
    assert not SearchQueryLog.objects.exists()


FLOOD = 1_000_000


def insert_junk_flood(count, at):
    """``count`` distinct junk queries logged at ``at``, generated inside the database."""
    table = SearchQueryLog._meta.db_table
    when = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""INSERT INTO {table} (term, normalized, result_count, took_ms, created_at)
                SELECT 'junk' || n, 'junk' || n, 0, 1, %s FROM generate_series(1, %s) AS n""",
                [when, count],
            )
        else:
            cursor.execute(
                f"""INSERT INTO {table} (term, normalized, result_count, took_ms, created_at)
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)
                SELECT 'junk' || n, 'junk' || n, 0, 1, %s FROM seq""",
                [count, when],
            )


@override_settings(QXS_SEARCH_LOG_MAX_ROWS=20_000, QXS_SEARCH_LOG_DAILY_TERMS=1000)
def test_a_flood_of_a_million_distinct_queries_leaves_the_log_bounded():
    """A million distinct junk queries in one day: one fold leaves the raw table at the row cap
    and the day's counts at the daily terms plus one sum row, with every search still counted."""
    insert_junk_flood(FLOOD, timezone.now() - datetime.timedelta(minutes=30))
    SearchQueryLog.objects.create(term="技监局", result_count=3, took_ms=2)
    assert SearchQueryLog.objects.count() == FLOOD + 1

    folded = logfold.fold()

    assert SearchQueryLog.objects.count() == 20_000
    assert folded == FLOOD + 1 - 20_000
    assert SearchQueryLog.objects.filter(term="技监局").exists(), "the newest rows are kept"
    assert SearchDailyCount.objects.count() <= 1000 + 1
    total = SearchDailyCount.objects.aggregate(total=Sum("searches"))["total"]
    assert total == folded
    assert SearchDailyCount.objects.get(term="").searches == folded - 1000
