"""qxs.prepared: a query compiled once per process must not freeze a time read while building."""

import pytest
from django.utils import timezone

from articles.models import Article
from qxs.prepared import PreparedQuery
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
