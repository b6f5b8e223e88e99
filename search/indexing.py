"""Writing articles into the search index, one at a time or in bulk.

``index_articles(queryset)`` is the entry point for bulk-created content (and the
``rebuild_search_index`` command); the signal receivers in ``search.signals`` call
``index_article`` on every save.
"""

from django.db import connection
from django.utils import timezone

from articles.models import Article, TaggedArticle
from qxs.cache import bump_content_generation

from .models import ArticleSearchDocument
from .text import html_to_text, index_tokens, normalize

BATCH_SIZE = 500
# After indexing this many rows at once, PostgreSQL gets fresh statistics and a flushed GIN
# pending list, so the planner uses the index for rare words straight away.
BULK_THRESHOLD = 1000


def uses_postgres():
    return connection.vendor == "postgresql"


def document_fields(title, summary, body, tag_names):
    """The normalised title, summary (with tags) and body of one article."""
    summary_text = "\n".join([summary or "", *sorted(tag_names)])
    return normalize(title or ""), normalize(summary_text), normalize(html_to_text(body))


def index_article(article):
    """Index one saved article (two queries: its tags, then one upsert)."""
    tag_names = TaggedArticle.objects.filter(content_object_id=article.pk).values_list(
        "tag__name", flat=True
    )
    fields = document_fields(article.title, article.summary, article.body, tag_names)
    _write([(article.pk, *fields)])


def index_articles(queryset=None, batch_size=BATCH_SIZE, progress=None):
    """Index every article of ``queryset`` (all articles by default) in batches; return the count.

    Each batch costs three queries whatever its size: the articles' text, their tags and one
    multi-row upsert. ``progress(done)`` is called after each batch.
    """
    queryset = (Article.objects.all() if queryset is None else queryset).order_by("pk")
    done = 0
    last_pk = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last_pk).values_list("pk", "title", "summary", "body")[
                :batch_size
            ]
        )
        if not rows:
            if done >= BULK_THRESHOLD and uses_postgres():
                _refresh_planner_data()
            if done:
                # Cached search results (``search.query.matching_ids``) were built from the old
                # index: written without article signals, so the generation is moved here.
                bump_content_generation()
            return done
        last_pk = rows[-1][0]
        tags = {}
        for article_id, name in TaggedArticle.objects.filter(
            content_object_id__in=[row[0] for row in rows]
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(article_id, []).append(name)
        _write(
            [
                (pk, *document_fields(title, summary, body, tags.get(pk, ())))
                for pk, title, summary, body in rows
            ]
        )
        done += len(rows)
        if progress:
            progress(done)


def _write(documents):
    """Upsert ``(article_id, title, summary, body)`` rows, with their vectors on PostgreSQL."""
    now = timezone.now()
    if not uses_postgres():
        ArticleSearchDocument.objects.bulk_create(
            [
                ArticleSearchDocument(
                    article_id=pk, title=title, summary=summary, body=body, updated_at=now
                )
                for pk, title, summary, body in documents
            ],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["title", "summary", "body", "updated_at"],
        )
        return
    # The vector is built by PostgreSQL from pre-tokenised text with the 'simple' configuration,
    # which only lower-cases: title weighs A, summary and tags B, body C.
    row_sql = (
        "(%s, %s, %s, %s, setweight(to_tsvector('simple', %s), 'A')"
        " || setweight(to_tsvector('simple', %s), 'B')"
        " || setweight(to_tsvector('simple', %s), 'C'), %s)"
    )
    params = []
    for pk, title, summary, body in documents:
        params += [pk, title, summary, body]
        params += [index_tokens(title), index_tokens(summary), index_tokens(body), now]
    table = connection.ops.quote_name(ArticleSearchDocument._meta.db_table)
    sql = (
        f"INSERT INTO {table} (article_id, title, summary, body, vector, updated_at) "
        f"VALUES {', '.join([row_sql] * len(documents))} "
        "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, "
        "summary = EXCLUDED.summary, body = EXCLUDED.body, vector = EXCLUDED.vector, "
        "updated_at = EXCLUDED.updated_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refresh_planner_data():
    table = connection.ops.quote_name(ArticleSearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", ["search_doc_vector_gin"])
        cursor.execute(f"ANALYZE {table}")
