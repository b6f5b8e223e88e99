"""``manage.py generate_content``: realistic, deterministic, resumable bulk content."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, TaggedArticle
from partnerships.models import Agency

pytestmark = pytest.mark.django_db


def generate(**options):
    out = io.StringIO()
    call_command("generate_content", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot():
    return list(
        Article.objects.order_by("source_url").values_list(
            "source_url", "title", "summary", "body", "status", "published_at", "column__slug"
        )
    )


def test_generates_articles_with_every_part_a_page_shows():
    """Each article has a Chinese title, summary, paragraphs, column, tags and an agency."""
    output = generate(articles=60, seed=7)
    assert Article.objects.count() == 60
    assert "已生成 60 篇稿件" in output
    for article in Article.objects.all():
        assert article.title and article.summary
        assert article.body.startswith("<p>") and article.body.count("<p>") >= 3
        assert "质" in article.title + article.body
        assert article.column_id
    tagged = set(TaggedArticle.objects.values_list("content_object_id", flat=True))
    assert tagged == set(Article.objects.values_list("pk", flat=True))
    assert Article.agencies.through.objects.count() >= 60
    assert Agency.objects.filter(kind=Agency.Kind.BUREAU).count() >= 20


def test_mixes_published_drafts_and_scheduled_over_twenty_years():
    """Most are published over twenty years; some are drafts, some scheduled for the future."""
    generate(articles=400, seed=1)
    statuses = Counter(Article.objects.values_list("status", flat=True))
    assert statuses[Article.Status.PUBLISHED] > 300
    assert statuses[Article.Status.DRAFT] > 0
    now = timezone.now()
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    assert scheduled.exists()
    years = {d.year for d in Article.objects.published().values_list("published_at", flat=True)}
    assert max(years) - min(years) >= 15


def test_same_seed_same_content_and_a_rerun_adds_nothing():
    """A seed always gives the same articles; running again resumes instead of duplicating."""
    generate(articles=30, seed=5)
    first = snapshot()
    assert "无需生成" in generate(articles=30, seed=5)
    assert snapshot() == first
    Article.objects.all().delete()
    generate(articles=10, seed=5)
    generate(articles=30, seed=5)
    assert snapshot() == first


def test_another_seed_gives_other_articles():
    """Different seeds give different content, side by side."""
    generate(articles=20, seed=1)
    generate(articles=20, seed=2)
    assert Article.objects.count() == 40
    bodies = [
        set(Article.objects.filter(source_url__startswith=f"generated:{s}:").values_list("body"))
        for s in (1, 2)
    ]
    assert bodies[0] != bodies[1]


def test_generated_articles_are_searchable():
    """The search index is brought up to date when the search app provides an indexer."""
    search_models = pytest.importorskip("search.models")
    generate(articles=15, seed=3)
    assert search_models.ArticleSearchDocument.objects.count() == 15


def test_generated_articles_show_on_a_cached_list(client):
    """bulk_create sends no signal: the command bumps the cache generation itself."""
    client.get("/news/")
    generate(articles=5, seed=9)
    newest = Article.objects.published().first()
    assert newest.title in client.get("/news/").content.decode()


def test_bad_arguments_are_a_command_error():
    """A negative count is refused with a message, not a traceback."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        generate(articles=-1)
    with pytest.raises(CommandError):
        generate(articles=1, base_time="去年")
