"""Article model rules: the publication rule, scheduling flag, version bookkeeping."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, StatusChange
from tests.factories import ArticleFactory

Status = Article.Status


@pytest.mark.django_db
def test_published_is_the_one_publication_rule():
    """Only published articles whose time has come are public."""
    now = timezone.now()
    visible = ArticleFactory()
    ArticleFactory(status=Status.PUBLISHED, published_at=now + datetime.timedelta(minutes=1))
    ArticleFactory(status=Status.DRAFT, published_at=None)
    ArticleFactory(status=Status.REVIEW, published_at=now - datetime.timedelta(days=1))
    ArticleFactory(status=Status.ARCHIVED, published_at=now - datetime.timedelta(days=1))
    assert list(Article.objects.published()) == [visible]


@pytest.mark.django_db
def test_is_scheduled():
    """Published with a future time is a scheduled publication; a past time is live."""
    later = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert later.is_scheduled
    assert not ArticleFactory().is_scheduled
    assert not ArticleFactory(status=Status.DRAFT, published_at=None).is_scheduled


@pytest.mark.django_db
def test_update_fields_saves_still_bump_the_version():
    """save(update_fields=...) takes part in the lock: the version goes up and is stored."""
    article = ArticleFactory()
    start = article.version
    article.summary = "只改摘要"
    article.save(update_fields=["summary"])
    assert Article.objects.values_list("version", flat=True).get(pk=article.pk) == start + 1


@pytest.mark.django_db
def test_status_change_str():
    """A workflow record reads as from → to."""
    article = ArticleFactory()
    change = StatusChange(article=article, from_status="review", to_status="published")
    assert str(change) == "待审核 → 已发布"
