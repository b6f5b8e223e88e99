"""Folding the search query log into daily counts, so a flood of queries cannot grow it forever.

Raw ``SearchQueryLog`` rows older than ``QXS_SEARCH_LOG_DAYS`` days, and the oldest rows past
``QXS_SEARCH_LOG_MAX_ROWS``, become ``SearchDailyCount`` rows (one per Beijing day and normalised
query) and are deleted, in one transaction. Under a flood of distinct queries only the
``QXS_SEARCH_LOG_DAILY_TERMS`` most searched of a day keep their own row; the others are added up
under the empty term, so the daily table is bounded too.

When: piggybacking on searches, at most once an hour (``fold_if_due``), so it needs no cron: the
site is run with ``make run`` and ``docker compose up``, neither of which has a scheduler, and a
command ops must remember to schedule is the one that gets forgotten. The once-an-hour mark is in
the default cache (Redis: shared by every process); a PostgreSQL advisory lock keeps two folds
from overlapping (SQLite serialises writers anyway). ``manage.py fold_search_log`` runs it at
once.

All of it is SQL: ``INSERT … SELECT … GROUP BY`` with a window function and an upsert, then one
``DELETE``, on SQLite and PostgreSQL alike. A million rows fold in seconds, never through Python.
"""

import functools
import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from .models import SearchDailyCount, SearchQueryLog

logger = logging.getLogger(__name__)

FOLD_DUE_KEY = "search-log-fold-due"
FOLD_INTERVAL_SECONDS = 3600
# Any number that no other advisory lock of this database uses.
ADVISORY_LOCK_ID = 7_051_990_617


def rows_to_fold(now=None):
    """The raw rows due for folding: older than the retention, or past the row cap."""
    now = now or timezone.now()
    due = Q(created_at__lt=now - timedelta(days=settings.QXS_SEARCH_LOG_DAYS))
    past_cap = (
        SearchQueryLog.objects.order_by("-pk")
        .values_list("pk", flat=True)[settings.QXS_SEARCH_LOG_MAX_ROWS :][:1]
        .first()
    )
    if past_cap is not None:
        due |= Q(pk__lte=past_cap)
    return SearchQueryLog.objects.filter(due)


def term_groups(rows):
    """Per normalised term: searches and fruitless searches (a queryset to embed in SQL)."""
    return (
        rows.annotate(norm=Coalesce(NullIf("normalized", Value("")), "term"))
        .values("norm")
        .annotate(searches=Count("pk"), zero=Count("pk", filter=Q(result_count=0)))
        .order_by()
    )


def beijing_days(rows):
    """Each local day (Asia/Shanghai) the rows fall on, with the start and end of that day.

    The day is worked out here rather than in SQL: on SQLite Django's date functions are Python
    callbacks run once per row, which made a million-row fold take 20 s longer.
    """
    bounds = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
    if bounds["first"] is None:
        return
    day = timezone.localdate(bounds["first"])
    last = timezone.localdate(bounds["last"])
    while day <= last:
        start = timezone.make_aware(datetime.combine(day, time.min))
        yield day, start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        day += timedelta(days=1)


def fold(now=None):
    """Fold the due rows into daily counts and delete them; return how many rows were folded."""
    daily = SearchDailyCount._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
                if not cursor.fetchone()[0]:
                    return 0  # Another process is folding right now.
        rows = rows_to_fold(now)
        for day, start, end in beijing_days(rows):
            groups = term_groups(rows.filter(created_at__gte=start, created_at__lt=end))
            grouped_sql, params = groups.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {daily} (day, term, searches, zero_result_searches)
                    SELECT %s, CASE WHEN rank <= %s THEN norm ELSE '' END AS kept,
                           SUM(searches), SUM(zero)
                    FROM (
                        SELECT norm, searches, zero,
                               ROW_NUMBER() OVER (ORDER BY searches DESC, norm) AS rank
                        FROM ({grouped_sql}) grouped
                    ) ranked
                    WHERE 1 = 1
                    GROUP BY kept
                    ON CONFLICT (day, term) DO UPDATE SET
                        searches = {daily}.searches + excluded.searches,
                        zero_result_searches =
                            {daily}.zero_result_searches + excluded.zero_result_searches
                    """,
                    [
                        connection.ops.adapt_datefield_value(day),
                        settings.QXS_SEARCH_LOG_DAILY_TERMS,
                        *params,
                    ],
                )
        # One DELETE with the same condition; no per-row signals (nothing listens for log rows),
        # which QuerySet.delete() would otherwise send, loading every row first.
        folded = rows._raw_delete(rows.db)
    if folded:
        logger.info("Folded %d search log rows into daily counts", folded)
    return folded


def fold_if_due():
    """Fold when the last fold (by any process) was an hour or more ago."""
    if cache.add(FOLD_DUE_KEY, 1, timeout=FOLD_INTERVAL_SECONDS):
        fold()


def folding_hourly(view):
    """Decorator for the search view: after the search, fold the query log if it is due."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        fold_if_due()
        return response

    return wrapper


def report(days, limit):
    """The most searched and the fruitless normalised terms of the last ``days`` days.

    Reads the daily counts and adds the raw rows not folded yet. Two lists of dicts with ``term``,
    ``searches`` (and ``zero``); the empty term (scattered searches added up) is left out.
    """
    since_day = timezone.localdate() - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(since_day, time.min))
    raw_sql, raw_params = term_groups(
        SearchQueryLog.objects.filter(created_at__gte=since)
    ).query.sql_with_params()
    daily = SearchDailyCount._meta.db_table
    union = f"""
        SELECT term, searches, zero_result_searches AS zero FROM {daily}
        WHERE day >= %s AND term <> ''
        UNION ALL
        SELECT norm, searches, zero FROM ({raw_sql}) recent
    """
    params = [connection.ops.adapt_datefield_value(since_day), *raw_params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT term, SUM(searches) AS total, SUM(zero) AS fruitless FROM ({union}) t
            GROUP BY term ORDER BY total DESC, term LIMIT %s""",
            [*params, limit],
        )
        frequent = [{"term": t, "searches": s, "zero": z} for t, s, z in cursor.fetchall()]
        cursor.execute(
            f"""SELECT term, SUM(zero) AS fruitless FROM ({union}) t
            GROUP BY term HAVING SUM(zero) > 0 ORDER BY fruitless DESC, term LIMIT %s""",
            [*params, limit],
        )
        fruitless = [{"term": t, "searches": z} for t, z in cursor.fetchall()]
    return frequent, fruitless
