"""The stored counts of published articles (PublishedCount, kept by triggers) and the news list's
count read from them: exact after every kind of write, and after time alone changes the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, PublishedCount, published_count
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


def stored():
    return {row.column_id: row.count for row in PublishedCount.objects.all() if row.count}


def counted():
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    return {
        column_id: published.filter(column_id=column_id).count()
        for column_id in published.values_list("column_id", flat=True).distinct()
    }


def assert_counts_exact(*columns):
    assert stored() == counted()
    assert published_count() == Article.objects.published().count()
    for column in columns:
        expected = Article.objects.published().filter(column=column).count()
        assert published_count(column.pk) == expected


def test_the_stored_counts_follow_every_kind_of_write():
    """save(), QuerySet.update() of the status and of the column, bulk_create() and deletes,
    whatever bypasses signals, leave the stored counts equal to a real count."""
    work, notices = ColumnFactory(slug="work"), ColumnFactory(slug="notices")
    first, second = ArticleFactory(column=work), ArticleFactory(column=work)
    draft = ArticleFactory(column=notices, status=Article.Status.DRAFT, published_at=None)
    assert stored() == {work.pk: 2}
    assert_counts_exact(work, notices)

    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    first.title = "只改标题"
    first.save()
    assert stored() == {work.pk: 2, notices.pk: 1}

    Article.objects.filter(pk=second.pk).update(status=Article.Status.ARCHIVED)
    Article.objects.filter(pk=first.pk).update(column=notices)
    assert stored() == {notices.pk: 2}
    assert_counts_exact(work, notices)

    Article.objects.bulk_create(
        [
            Article(
                title=f"批量{n}",
                column=work,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(3)
        ]
        + [Article(title="批量草稿", column=work)]
    )
    assert stored() == {notices.pk: 2, work.pk: 3}

    draft.delete()
    Article.objects.filter(column=work).delete()
    assert stored() == {notices.pk: 1}
    assert_counts_exact(work, notices)


def test_the_count_subtracts_publications_to_come_and_unpublications_passed():
    """What time alone changes is worked out at query time, as ``published()`` does."""
    now = timezone.now()
    column = ColumnFactory(slug="work")
    ArticleFactory.create_batch(3, column=column)
    ArticleFactory(column=column, published_at=now + datetime.timedelta(hours=1))
    ArticleFactory(column=column, unpublish_at=now + datetime.timedelta(minutes=30))
    ArticleFactory(
        column=column,
        published_at=now - datetime.timedelta(days=2),
        unpublish_at=now - datetime.timedelta(days=1),
    )
    for later in (0, 45, 90):
        when = now + datetime.timedelta(minutes=later)
        expected = Article.objects.published(when).count()
        assert published_count(now=when) == expected
        assert published_count(column.pk, now=when) == expected
    assert [published_count(now=now + datetime.timedelta(minutes=m)) for m in (0, 45, 90)] == [
        4,
        3,
        4,
    ]


@pytest.mark.parametrize("url", ["/news/", "/news/?column=work", "/news/column/work/"])
def test_the_news_list_and_column_counts_read_the_stored_counts(client, url):
    """The page shows the exact count without counting the articles (no COUNT(*) over them);
    a pinned article, listed apart on the column page, is not counted twice."""
    column = ColumnFactory(slug="work")
    ArticleFactory.create_batch(4, column=column)
    ArticleFactory(column=column, pinned_until=timezone.now() + datetime.timedelta(days=1))
    ArticleFactory(column=column, published_at=timezone.now() + datetime.timedelta(hours=1))
    ArticleFactory(column=ColumnFactory(slug="notices"), status=Article.Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = response.content.decode()
    expected = 4 if "column/" in url else 5
    assert f"共 {expected} 条" in page
    statements = [query["sql"] for query in queries.captured_queries]
    assert any("articles_publishedcount" in sql for sql in statements)
    assert not [sql for sql in statements if 'COUNT(*) AS "__count" FROM "articles_article"' in sql]


def test_a_filtered_list_still_counts_its_rows(client):
    column = ColumnFactory(slug="work")
    ArticleFactory.create_batch(2, column=column, title="质量兴市")
    ArticleFactory(column=column, title="别的")
    response = client.get("/news/?column=work&q=质量")
    assert "共 2 条" in response.content.decode()
