"""qxs.prepared: a query compiled once per process must not freeze a time read while building,
and on PostgreSQL is a statement prepared once per connection."""

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from qxs import prepared as prepared_module
from qxs.prepared import PreparedQuery, _statement
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_query_that_reads_the_clock_while_building_is_refused():
    """``published()`` without ``now`` would keep the first request's time in the SQL, so
    articles published later would never show: refused when compiled."""
    frozen = PreparedQuery(
        lambda pk, now: Article.objects.published().filter(pk=pk).values_list("pk")
    )
    with pytest.raises(ValueError, match="changes with time"):
        frozen.rows(pk=1, now=timezone.now())


def test_now_and_ids_are_substituted_on_every_run():
    prepared = PreparedQuery(
        lambda pk, now: Article.objects.published(now).filter(pk=pk).values_list("pk")
    )
    first, second = ArticleFactory(), ArticleFactory()
    assert prepared.rows(pk=first.pk, now=timezone.now()) == [(first.pk,)]
    assert prepared.rows(pk=second.pk, now=timezone.now()) == [(second.pk,)]
    assert prepared.rows(pk=second.pk, now=second.published_at - timezone.timedelta(days=1)) == []


def test_texts_are_substituted_on_every_run():
    """A text argument (a slug) is a parameter as an id is; a build that leaves it out is
    refused rather than run with the stand-in value."""
    prepared = PreparedQuery(
        lambda now, title: Article.objects.filter(title=title).values_list("pk"),
        ids=(),
        texts=("title",),
    )
    first, second = ArticleFactory(title="甲"), ArticleFactory(title="乙")
    assert prepared.rows(title="甲") == [(first.pk,)]
    assert prepared.rows(title="乙") == [(second.pk,)]
    assert prepared.rows(title="丙") == []
    unused = PreparedQuery(
        lambda now, title: Article.objects.values_list("pk"), ids=(), texts=("title",)
    )
    with pytest.raises(ValueError, match="does not use"):
        unused.rows(title="甲")


def test_statement_numbers_the_placeholders_and_declares_their_types():
    name, prepare, execute = _statement(
        "SELECT %s FROM t WHERE a LIKE '%%x' AND b = %s AND c < %s", ["x", 5, timezone.now()]
    )
    assert prepare == (
        f"PREPARE {name} (text, bigint, timestamp with time zone) AS "
        "SELECT $1 FROM t WHERE a LIKE '%x' AND b = $2 AND c < $3"
    )
    sql = "SELECT %%s FROM t WHERE a LIKE '%%%%x' AND b = %%s AND c < %%s"
    assert execute == f"EXECUTE {name}(%s, %s, %s) /* {sql} */"
    # A value with no type to declare (a list, None) leaves the query unprepared.
    assert _statement("SELECT 1 WHERE a = ANY(%s)", [[1, 2]]) is None


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'qxs_%%'")
        return {name for (name,) in cursor.fetchall()}


def _published_pk_query():
    return PreparedQuery(
        lambda pk, now: Article.objects.published(now).filter(pk=pk).values_list("pk", "title")
    )


@postgresql
def test_prepared_once_per_connection_and_invisible_to_query_counts(
    django_assert_num_queries,
):
    prepared = _published_pk_query()
    first, second = ArticleFactory(), ArticleFactory()
    with django_assert_num_queries(1):
        assert prepared.rows(pk=first.pk, now=timezone.now()) == [(first.pk, first.title)]
    name = prepared._compile(connection)[5][0]
    assert name in _prepared_names()
    with django_assert_num_queries(1) as context:
        assert prepared.rows(pk=second.pk, now=timezone.now()) == [(second.pk, second.title)]
    assert context.captured_queries[0]["sql"].startswith(f"EXECUTE {name}(")


@postgresql
def test_a_statement_postgresql_refuses_runs_as_plain_sql(monkeypatch, caplog):
    """Refused inside the test's transaction: undone with a savepoint, the query still runs,
    and so do the next ones."""
    monkeypatch.setattr(
        prepared_module,
        "_statement",
        lambda sql, params: ("qxs_broken", "PREPARE qxs_broken AS SELEC 1", "EXECUTE qxs_broken"),
    )
    prepared = _published_pk_query()
    article = ArticleFactory()
    assert prepared.rows(pk=article.pk, now=timezone.now()) == [(article.pk, article.title)]
    assert "Not prepared" in caplog.text
    assert prepared.rows(pk=article.pk, now=timezone.now()) == [(article.pk, article.title)]
    assert Article.objects.filter(pk=article.pk).exists()
    prepared_module._REFUSED.discard("qxs_broken")


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    prepared = _published_pk_query()
    article = ArticleFactory()
    assert prepared.rows(pk=article.pk, now=timezone.now()) == [(article.pk, article.title)]
    connection.close()
    assert prepared.rows(pk=article.pk, now=timezone.now()) == [(article.pk, article.title)]
