"""The stored counts of published articles per column and tag (PublishedTagCount, kept by
triggers on the articles and on their tagged rows) and the counts of the lists filtered by a tag
read from them: exact after every kind of write, and after time alone changes the list."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, PublishedTagCount, TaggedArticle, published_tag_count
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def stored():
    return {
        (row.column_id, row.tag_id): row.count
        for row in PublishedTagCount.objects.all()
        if row.count
    }


def counted():
    """The same counts, counted: tagged rows of 已发布 articles by (column, tag)."""
    counts = {}
    tagged = TaggedArticle.objects.filter(content_object__status=Article.Status.PUBLISHED)
    for key in tagged.values_list("content_object__column_id", "tag_id"):
        counts[key] = counts.get(key, 0) + 1
    return counts


def assert_counts_exact(now=None):
    """The stored counts are the real ones, and ``published_tag_count()`` of every tag, over
    every column and in each, is ``published(now)`` filtered by the tag and counted."""
    now = now or timezone.now()
    assert stored() == counted()
    published = Article.objects.published(now)
    for tag in Tag.objects.all():
        assert published_tag_count(tag.pk, now=now) == published.filter(tags=tag).count()
        for column_id in Article.objects.values_list("column_id", flat=True).distinct():
            expected = published.filter(column_id=column_id, tags=tag).count()
            assert published_tag_count(tag.pk, column_id, now=now) == expected


def test_the_stored_counts_follow_every_kind_of_write():
    """Tags added, removed, set and cleared, status and column changed by save() and by
    update(), bulk_create(), articles and tags deleted: the counts follow each."""
    work, notices = ColumnFactory(slug="work"), ColumnFactory(slug="notices")
    first, second = ArticleFactory(column=work), ArticleFactory(column=work)
    draft = ArticleFactory(column=notices, status=Article.Status.DRAFT, published_at=None)
    first.tags.add("质量兴市", "振兴东北")
    second.tags.add("质量兴市")
    draft.tags.add("质量兴市")
    quality, northeast = Tag.objects.get(name="质量兴市"), Tag.objects.get(name="振兴东北")
    assert stored() == {(work.pk, quality.pk): 2, (work.pk, northeast.pk): 1}
    assert_counts_exact()

    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now() - HOUR
    draft.save()
    first.title = "只改标题"
    first.save()
    assert stored() == {
        (work.pk, quality.pk): 2,
        (work.pk, northeast.pk): 1,
        (notices.pk, quality.pk): 1,
    }

    Article.objects.filter(pk=second.pk).update(status=Article.Status.ARCHIVED)
    Article.objects.filter(pk=first.pk).update(column=notices)
    assert stored() == {(notices.pk, quality.pk): 2, (notices.pk, northeast.pk): 1}
    assert_counts_exact()

    first.tags.remove(quality)
    second.tags.set(["振兴东北"])  # archived: its tags count for nothing
    draft.tags.set(["振兴东北", "考察"])
    inspection = Tag.objects.get(name="考察")
    assert stored() == {(notices.pk, northeast.pk): 2, (notices.pk, inspection.pk): 1}
    Article.objects.filter(pk=second.pk).update(status=Article.Status.PUBLISHED, column=work)
    assert stored() == {
        (notices.pk, northeast.pk): 2,
        (notices.pk, inspection.pk): 1,
        (work.pk, northeast.pk): 1,
    }
    assert_counts_exact()

    # Inserted published with their tags afterwards, as an import does.
    batch = Article.objects.bulk_create(
        [
            Article(
                title=f"批量{n}",
                column=work,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - HOUR,
            )
            for n in range(3)
        ]
        + [Article(title="批量草稿", column=work)]
    )
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object=article, tag=inspection) for article in batch]
    )
    assert stored()[(work.pk, inspection.pk)] == 3
    assert_counts_exact()

    draft.tags.clear()
    first.delete()
    Article.objects.filter(title__startswith="批量").delete()
    assert stored() == {(work.pk, northeast.pk): 1}
    assert_counts_exact()

    northeast.delete()
    assert stored() == {}
    assert not PublishedTagCount.objects.filter(tag_id=northeast.pk).exists()
    assert_counts_exact()


def sql_delete(article):
    """Delete ``article`` by SQL, then its tagged rows, in one transaction (the rows of other
    tables that point to it go first, through the ORM: only the order of these two matters)."""
    with transaction.atomic():
        for relation in Article._meta.get_fields(include_hidden=True):
            if (
                relation.auto_created
                and not relation.concrete
                and (relation.one_to_many or relation.one_to_one)
                and relation.related_model is not TaggedArticle
            ):
                manager = relation.related_model._base_manager
                manager.filter(**{relation.field.name: article.pk}).delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_article WHERE id = %s", [article.pk])
            cursor.execute(
                "DELETE FROM articles_taggedarticle WHERE content_object_id = %s", [article.pk]
            )


def test_sql_that_deletes_an_article_before_its_tagged_rows_subtracts_once():
    """Django deletes the tagged rows first; SQL in one transaction may delete the article
    first. Either way each (article, tag) is taken back once, never twice."""
    column = ColumnFactory()
    article, other = ArticleFactory(column=column), ArticleFactory(column=column)
    article.tags.add("质量兴市", "振兴东北")
    other.tags.add("质量兴市")
    quality = Tag.objects.get(name="质量兴市")
    sql_delete(article)
    assert stored() == {(column.pk, quality.pk): 1}
    assert_counts_exact()

    # A tagged row moved to another tag and to another article by SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_taggedarticle SET tag_id = %s WHERE content_object_id = %s",
            [Tag.objects.get(name="振兴东北").pk, other.pk],
        )
    assert_counts_exact()
    moved_to = ArticleFactory(column=ColumnFactory())
    TaggedArticle.objects.filter(content_object=other).update(content_object=moved_to)
    assert stored() == {(moved_to.column_id, Tag.objects.get(name="振兴东北").pk): 1}
    assert_counts_exact()


def test_the_count_subtracts_publications_to_come_and_unpublications_passed():
    """What time alone changes is worked out at query time, as ``published()`` does."""
    now = timezone.now()
    column = ColumnFactory()
    listed = ArticleFactory.create_batch(3, column=column)
    to_come = ArticleFactory(column=column, published_at=now + HOUR)
    leaving = ArticleFactory(column=column, unpublish_at=now + datetime.timedelta(minutes=30))
    gone = ArticleFactory(
        column=column,
        published_at=now - datetime.timedelta(days=2),
        unpublish_at=now - datetime.timedelta(days=1),
    )
    untagged = ArticleFactory(column=column, published_at=now + HOUR)
    for article in [*listed, to_come, leaving, gone]:
        article.tags.add("质量兴市")
    assert untagged.tags.count() == 0
    tag = Tag.objects.get()
    assert stored() == {(column.pk, tag.pk): 6}
    counts = []
    for later in (0, 45, 90):
        when = now + datetime.timedelta(minutes=later)
        assert_counts_exact(when)
        counts.append(published_tag_count(tag.pk, column.pk, now=when))
    assert counts == [4, 3, 4]


WRITES = (
    "publish",
    "unpublish",
    "column",
    "add_tags",
    "remove_tag",
    "set_tags",
    "bulk_update",
    "bulk_create",
    "delete_article",
    "delete_tag",
    "schedule",
    "unpublish_passed",
    "sql_delete",
)


def random_write(rng, columns, now):
    """One write of a random kind to a random article or tag; returns its kind."""
    kind = rng.choice(WRITES)
    articles = list(Article.objects.order_by("pk"))
    names = ["质量兴市", "振兴东北", "考察", "座谈会", "帮扶"]
    if not articles or kind == "bulk_create":
        created = Article.objects.bulk_create(
            Article(
                title=f"新稿{rng.random()}",
                column=rng.choice(columns),
                status=rng.choice(list(Article.Status)),
                published_at=now - rng.randint(1, 500) * HOUR,
            )
            for _ in range(rng.randint(1, 3))
        )
        for article in created:
            article.tags.add(*rng.sample(names, rng.randint(0, 3)))
        return "bulk_create"
    article = rng.choice(articles)
    if kind == "publish":
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or now - HOUR
        article.save()
    elif kind == "unpublish":
        article.status = rng.choice([Article.Status.DRAFT, Article.Status.ARCHIVED])
        article.save()
    elif kind == "column":
        Article.objects.filter(pk=article.pk).update(column=rng.choice(columns))
    elif kind == "add_tags":
        article.tags.add(*rng.sample(names, rng.randint(1, 3)))
    elif kind == "remove_tag":
        tags = list(article.tags.all())
        if tags:
            article.tags.remove(rng.choice(tags))
    elif kind == "set_tags":
        article.tags.set(rng.sample(names, rng.randint(0, 3)))
    elif kind == "bulk_update":
        chosen = [item.pk for item in rng.sample(articles, min(len(articles), 3))]
        Article.objects.filter(pk__in=chosen, published_at__isnull=False).update(
            status=rng.choice(list(Article.Status)), column=rng.choice(columns)
        )
    elif kind == "delete_article":
        article.delete()
    elif kind == "delete_tag":
        Tag.objects.filter(name=rng.choice(names)).delete()
    elif kind == "schedule":
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=now + HOUR, unpublish_at=None
        )
    elif kind == "unpublish_passed":
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED,
            published_at=now - 48 * HOUR,
            unpublish_at=now - 24 * HOUR,
        )
    else:  # the article before its tagged rows
        sql_delete(article)
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_of_every_kind_keep_the_counts_exact(seed):
    """After each of 60 random writes the stored counts are the counted ones, and every tag's
    list count (over all columns and in each) is that of ``published()``."""
    rng = random.Random(seed)
    now = timezone.now()
    columns = [ColumnFactory(), ColumnFactory(), ColumnFactory()]
    kinds = set()
    for _ in range(60):
        kinds.add(random_write(rng, columns, now))
        assert_counts_exact(now)
    assert len(kinds) >= len(WRITES) - 2, kinds


def test_migration_fill_counts_the_rows_already_there():
    """The migration's fill gives the counted values for what the table already holds."""
    from importlib import import_module

    fill = import_module("articles.migrations.0016_published_tag_counts").FILL
    column = ColumnFactory()
    for article in ArticleFactory.create_batch(3, column=column):
        article.tags.add("质量兴市")
    ArticleFactory(column=column, status=Article.Status.DRAFT, published_at=None).tags.add("考察")
    expected = stored()
    PublishedTagCount.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert stored() == expected == counted()


def list_count_statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/news/?tag=质量兴市", 4),
        ("/news/?column=work&tag=质量兴市", 3),
        ("/news/?tag=%20质量兴市%20", 4),
        ("/news/tag/质量兴市/", 4),
    ],
)
def test_the_tag_lists_read_the_stored_counts(client, url, expected):
    """The list by tag (of every column or of one) and the tag page show the exact count
    without counting the articles (no COUNT(*) over them)."""
    work = ColumnFactory(slug="work")
    for article in [
        *ArticleFactory.create_batch(3, column=work),
        ArticleFactory(column=ColumnFactory(slug="notices")),
        ArticleFactory(column=work, published_at=timezone.now() + HOUR),
        ArticleFactory(column=work, status=Article.Status.DRAFT),
    ]:
        article.tags.add("质量兴市")
    ArticleFactory(column=work)
    page, statements = list_count_statements(client, url)
    assert f"共 {expected} 条" in page
    assert any("articles_publishedtagcount" in sql for sql in statements)
    assert not [sql for sql in statements if "COUNT(*)" in sql]


def test_other_filters_and_two_matching_tags_still_count_their_rows(client):
    """With another filter, or when the value is one tag's slug and another's name (an
    article with both is listed once), the list counts its rows."""
    work = ColumnFactory(slug="work")
    both = ArticleFactory(column=work, title="两个标签")
    one = ArticleFactory(column=work, title="一个标签")
    first = Tag.objects.create(name="甲", slug="yi")
    second = Tag.objects.create(name="yi", slug="yi-2")
    both.tags.add(first, second)
    one.tags.add(first)
    page, statements = list_count_statements(client, "/news/?tag=yi")
    assert "共 2 条" in page
    assert any("COUNT(*)" in sql for sql in statements)
    page, statements = list_count_statements(client, "/news/?tag=甲&q=两个")
    assert "共 1 条" in page
    assert not any("articles_publishedtagcount" in sql for sql in statements)
