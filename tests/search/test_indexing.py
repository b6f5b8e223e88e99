"""The index follows every save, tag change and delete; bulk content is indexed in batches."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from search.indexing import index_articles
from search.models import ArticleSearchDocument
from search.query import parse_query, search_articles
from tests.factories import ArticleFactory, ColumnFactory


def found(text):
    return list(search_articles(parse_query(text, [])))


@pytest.mark.django_db
def test_saving_indexes_normalised_text():
    """A saved article's title, summary, tags and body are stored folded to one form."""
    article = ArticleFactory(
        title="ＩＳＯ９００１認證", summary="摘要", body="<p>質量&amp;兴市</p>"
    )
    article.tags.add("打假")
    document = ArticleSearchDocument.objects.get(article=article)
    assert document.title == "iso9001认证"
    assert document.summary.split() == ["摘要", "打假"]
    assert document.body.split() == ["质量&兴市"]
    if connection.vendor == "postgresql":
        assert document.vector is not None


@pytest.mark.django_db
def test_edits_and_status_changes_show_at_once():
    """An edit is searchable at once; publishing shows an article, archiving hides it."""
    article = ArticleFactory(title="旧标题", status=Article.Status.DRAFT, published_at=None)
    assert found("旧标题") == []
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    assert found("旧标题") == [article]
    article.title = "锅炉安全检查"
    article.save()
    assert found("旧标题") == []
    assert found("锅炉") == [article]
    article.status = Article.Status.ARCHIVED
    article.save()
    assert found("锅炉") == []


@pytest.mark.django_db
def test_scheduled_article_appears_when_its_time_comes():
    """A scheduled article is found from its publication time on, without reindexing."""
    when = timezone.now() + datetime.timedelta(days=2)
    article = ArticleFactory(title="质量月启动仪式", published_at=when)
    assert found("质量月") == []
    with time_machine.travel(when + datetime.timedelta(minutes=1)):
        assert found("质量月") == [article]


@pytest.mark.django_db
def test_tag_changes_reindex():
    """Adding, removing and clearing tags changes what finds the article."""
    article = ArticleFactory(title="标题", summary="")
    article.tags.add("特种设备")
    assert found("特种设备") == [article]
    article.tags.remove("特种设备")
    assert found("特种设备") == []
    article.tags.set(["计量"])
    assert found("计量") == [article]
    article.tags.clear()
    assert found("计量") == []


@pytest.mark.django_db
def test_deleting_an_article_removes_its_document():
    """The index row goes with the article."""
    article = ArticleFactory(title="待删除稿件")
    article.delete()
    assert not ArticleSearchDocument.objects.exists()


@pytest.mark.django_db
def test_index_articles_covers_bulk_created_content(django_assert_num_queries):
    """Rows written with bulk_create (no signals) are indexed in batches of three queries."""
    column = ColumnFactory()
    Article.objects.bulk_create(
        Article(
            title=f"批量稿件{n}号",
            column=column,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for n in range(7)
    )
    assert found("批量稿件") == []
    with django_assert_num_queries(7):  # two batches of three, then one empty read
        assert index_articles(Article.objects.all(), batch_size=5) == 7
    assert len(found("批量稿件")) == 7
    assert len(found("3号")) == 1


@pytest.mark.django_db
def test_rebuild_command_reports_progress():
    """The command indexes every article and says how far it got."""
    ArticleFactory.create_batch(3)
    ArticleSearchDocument.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", batch_size=2, stdout=out)
    assert "已索引 2/3" in out.getvalue()
    assert "完成：3 篇稿件" in out.getvalue()
    assert ArticleSearchDocument.objects.count() == 3


@pytest.mark.django_db
def test_vectors_are_kept_in_the_row_on_postgresql():
    """Migration 0003: a 4 KB vector stays in its table row, not in TOAST (one page a row)."""
    if connection.vendor != "postgresql":
        pytest.skip("TOAST storage is PostgreSQL's")
    # 400 different characters: about 400 bigrams, a vector of about 4 KB.
    body = "".join(chr(0x4E00 + n) for n in range(400))
    article = ArticleFactory(title="质量兴市", summary="", body=f"<p>{body}</p>")
    table = ArticleSearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reloptions, a.attstorage, c.reltoastrelid::regclass::text "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relname = %s AND a.attname = 'vector'",
            [table],
        )
        options, storage, toast_table = cursor.fetchone()
        cursor.execute(
            f"SELECT pg_column_size(vector) FROM {table} WHERE article_id = %s", [article.pk]
        )
        size = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {toast_table}")
        toasted_chunks = cursor.fetchone()[0]
    assert "toast_tuple_target=8160" in options
    assert storage == "m"
    assert 3000 < size < 8000
    assert toasted_chunks == 0
