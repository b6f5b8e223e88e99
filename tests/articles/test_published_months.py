"""The stored month counts of published articles (PublishedMonthCount, kept by triggers) and the
news list's deep pages, which start at a month boundary found from them (ListedMonths): exact
counts after every kind of write, and pages identical to the plain OFFSET query."""

import datetime
import functools
import random

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import (
    Article,
    ListedMonths,
    PublishedMonthCount,
    listed_months,
    published_count,
)
from articles.views import ArticleListView
from qxs import pagination
from qxs.pagination import LargeArchivePaginator
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(year, month, day=1, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def stored():
    return {row.month: row.count for row in PublishedMonthCount.objects.all() if row.count}


def counted():
    months = {}
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    for published_at in published.values_list("published_at", flat=True):
        month = published_at.astimezone(UTC).date().replace(day=1)
        months[month] = months.get(month, 0) + 1
    return months


def assert_months_exact(now=None):
    assert stored() == counted()
    assert listed_months(now).count == Article.objects.published(now).count()


def test_the_month_counts_follow_every_kind_of_write():
    """save(), QuerySet.update() of the status and of the publication time (across months and
    within one), bulk_create() and deletes leave the stored month counts equal to a real count,
    by the month of ``published_at`` in UTC."""
    column = ColumnFactory()
    # 2024-03-31 20:00 in Beijing is still March in UTC; 2024-04-01 00:00 UTC is April.
    march = ArticleFactory(column=column, published_at=at(2024, 3, 31, 12))
    april = ArticleFactory(column=column, published_at=at(2024, 4, 1))
    draft = ArticleFactory(column=column, status=Article.Status.DRAFT, published_at=None)
    assert stored() == {datetime.date(2024, 3, 1): 1, datetime.date(2024, 4, 1): 1}
    assert_months_exact()

    draft.status, draft.published_at = Article.Status.PUBLISHED, at(2024, 4, 30, 23, 59, 59)
    draft.save()
    march.title = "只改标题"
    march.save()
    assert stored() == {datetime.date(2024, 3, 1): 1, datetime.date(2024, 4, 1): 2}

    # Across months, by save() and by update(); within a month (no change).
    april.published_at = at(2023, 12, 31, 23, 59, 59)
    april.save()
    Article.objects.filter(pk=march.pk).update(published_at=at(2024, 5, 1))
    Article.objects.filter(pk=draft.pk).update(published_at=at(2024, 4, 2))
    assert stored() == {
        datetime.date(2023, 12, 1): 1,
        datetime.date(2024, 4, 1): 1,
        datetime.date(2024, 5, 1): 1,
    }
    assert_months_exact()

    # Status and time changed in one update; a status change alone.
    Article.objects.filter(pk=april.pk).update(
        status=Article.Status.ARCHIVED, published_at=at(2022, 1, 1)
    )
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.ARCHIVED)
    assert stored() == {datetime.date(2024, 5, 1): 1}
    Article.objects.filter(pk=april.pk).update(status=Article.Status.PUBLISHED)
    assert stored() == {datetime.date(2022, 1, 1): 1, datetime.date(2024, 5, 1): 1}
    assert_months_exact()

    Article.objects.bulk_create(
        [
            Article(
                title=f"批量{n}",
                column=column,
                status=Article.Status.PUBLISHED,
                published_at=at(2024, 5, 31, 23, 59, 59),
            )
            for n in range(3)
        ]
        + [Article(title="批量草稿", column=column)]
    )
    assert stored() == {datetime.date(2022, 1, 1): 1, datetime.date(2024, 5, 1): 4}
    assert_months_exact()

    march.delete()
    draft.delete()  # archived: no count to take back
    Article.objects.filter(published_at__year=2024).delete()
    assert stored() == {datetime.date(2022, 1, 1): 1}
    assert_months_exact()


def test_the_listed_months_subtract_what_time_alone_changes():
    """A publication to come and a 定时下线 passed are not listed; when their time comes they
    are (or are no longer), with no write."""
    now = timezone.now()
    column = ColumnFactory()
    ArticleFactory.create_batch(3, column=column)
    ArticleFactory(column=column, published_at=now + datetime.timedelta(days=40))
    ArticleFactory(column=column, unpublish_at=now + datetime.timedelta(minutes=30))
    ArticleFactory(
        column=column,
        published_at=now - datetime.timedelta(days=60),
        unpublish_at=now - datetime.timedelta(days=1),
    )
    for later in (0, 45, 60 * 24 * 41):
        when = now + datetime.timedelta(minutes=later)
        assert listed_months(when).count == Article.objects.published(when).count()
        assert listed_months(when).count == published_count(now=when)


def seek_pages(objects, per_page, now, count_key=None):
    return LargeArchivePaginator(
        objects,
        per_page,
        count_key=count_key,
        count_function=functools.partial(published_count, now=now),
        seek_function=functools.partial(listed_months, now=now),
    )


def random_articles(seed, now):
    """Articles over a few months around ``now``: ties in ``published_at``, some exactly on a
    month boundary (UTC), publications to come, 定时下线 passed and to come, drafts."""
    rng = random.Random(seed)
    column = ColumnFactory()
    this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    boundaries = [this_month]
    for _ in range(5):
        boundaries.append((boundaries[-1] - datetime.timedelta(days=1)).replace(day=1))
    boundaries.append((this_month + datetime.timedelta(days=32)).replace(day=1))
    start = boundaries[-2] - datetime.timedelta(days=10)
    span = (now + datetime.timedelta(days=45) - start).total_seconds()
    shared = [start + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(8)]
    articles = []
    for n in range(rng.randint(120, 180)):
        kind = rng.random()
        if kind < 0.15:
            published_at = rng.choice(boundaries)
        elif kind < 0.35:
            published_at = rng.choice(shared)
        else:
            published_at = start + datetime.timedelta(seconds=rng.uniform(0, span))
        published_at = published_at.replace(microsecond=0)
        unpublish_at = None
        if rng.random() < 0.12:
            unpublish_at = published_at + datetime.timedelta(seconds=rng.uniform(1, 40 * 86400))
        status = Article.Status.PUBLISHED if rng.random() < 0.9 else Article.Status.ARCHIVED
        articles.append(
            Article(
                title=f"随机{n}",
                column=column,
                status=status,
                published_at=published_at,
                unpublish_at=unpublish_at,
            )
        )
    Article.objects.bulk_create(articles)
    assert_months_exact(now)
    listed = Article.objects.published(now)
    assert listed.filter(published_at__in=boundaries).exists()
    assert Article.objects.filter(status="published", published_at__gt=now).exists()
    assert Article.objects.filter(status="published", unpublish_at__lte=now).exists()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("per_page", [1, 7, 20])
def test_deep_pages_are_the_plain_offset_pages(seed, per_page, monkeypatch):
    """Every page read from a month boundary holds exactly the rows of ``OFFSET``, in order."""
    monkeypatch.setattr(pagination, "SHALLOW_OFFSET", 0)
    now = timezone.now()
    random_articles(seed, now)
    objects = Article.objects.published(now).select_related("column")
    plain = Paginator(objects, per_page)
    ours = seek_pages(objects, per_page, now)
    assert ours.count == plain.count
    for number in plain.page_range:
        assert [a.pk for a in ours.page(number)] == [a.pk for a in plain.page(number)], number
    # Any offset at all, not only page starts: seek() itself.
    months = listed_months(now)
    ids = list(objects.values_list("pk", flat=True))
    for offset in range(len(ids)):
        found = months.seek(offset)
        if found is None:
            continue
        condition, within = found
        first = objects.filter(condition).values_list("pk", flat=True)[within : within + 1]
        assert list(first) == [ids[offset]], offset


def test_seek_walks_from_the_newest_month():
    months = ListedMonths(
        [
            (datetime.date(2024, 5, 1), 3),
            (datetime.date(2024, 3, 1), 0),
            (datetime.date(2024, 2, 1), 4),
        ]
    )
    assert months.count == 7
    assert months.seek(0) is None
    assert months.seek(2) is None
    condition, offset = months.seek(3)  # the newest month skipped, March empty: from 1 March
    assert (condition.children, offset) == ([("published_at__lt", at(2024, 3, 1))], 0)
    condition, offset = months.seek(6)
    assert (condition.children, offset) == ([("published_at__lt", at(2024, 3, 1))], 3)


def list_view(url):
    view = ArticleListView.as_view()
    return view(RequestFactory().get(url))


def test_a_deep_news_page_starts_at_a_month_and_costs_no_more_queries(monkeypatch):
    """``/news/?page=N`` (every article): the month counts are read with the count, in its one
    statement; the ids query starts at a month boundary. As many queries as the plain path (the
    page is not rendered here: the view's queries only)."""
    monkeypatch.setattr(pagination, "SHALLOW_OFFSET", 10)
    now = timezone.now()
    random_articles(11, now)
    plain = Paginator(Article.objects.published(), 20)
    url = f"/news/?page={plain.num_pages - 1}"

    with CaptureQueriesContext(connection) as seeking:
        page = list_view(url).context_data["page_obj"]
    monkeypatch.setattr(ArticleListView, "get_seek_function", lambda self: None)
    cache.clear()
    with CaptureQueriesContext(connection) as offsetting:
        before = list_view(url).context_data["page_obj"]

    assert [a.pk for a in page] == [a.pk for a in before]
    assert [a.pk for a in page] == [a.pk for a in plain.page(plain.num_pages - 1)]
    assert len(seeking.captured_queries) == len(offsetting.captured_queries)
    statements = [query["sql"] for query in seeking.captured_queries]
    assert any("articles_publishedmonthcount" in sql for sql in statements)
    assert not any("articles_publishedcount" in sql for sql in statements)
    ids = next(sql for sql in statements if "LIMIT 20" in sql and "OFFSET" in sql)
    assert ids.count('"articles_article"."published_at" < ') == 1, ids


def test_a_deep_page_is_two_queries_once_the_month_counts_are_cached(
    django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(pagination, "SHALLOW_OFFSET", 10)
    now = timezone.now()
    random_articles(3, now)
    objects = Article.objects.published(now).select_related("column")
    seek_pages(objects, 5, now, count_key="/news/?").page(4)
    with django_assert_num_queries(2):
        page = seek_pages(objects, 5, now, count_key="/news/?").page(5)
    assert [a.pk for a in page] == [a.pk for a in objects[20:25]]


def test_a_filtered_list_keeps_the_plain_path():
    column = ColumnFactory(slug="work")
    ArticleFactory(column=column)
    for url in ("/news/?column=work", "/news/?q=质量", "/news/?column=nope"):
        view = ArticleListView()
        view.setup(RequestFactory().get(url))
        assert view.get_seek_function() is None, url
    for url in ("/news/", "/news/?page=3", "/news/?q="):
        view = ArticleListView()
        view.setup(RequestFactory().get(url))
        assert view.get_seek_function() is not None, url
