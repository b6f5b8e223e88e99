"""qxs.pagination: exact pages, a count cached until content changes, one or two cheap queries a
page."""

import pytest
from django.core.paginator import EmptyPage, Paginator

from articles.models import Article
from qxs import pagination
from qxs.pagination import LargeArchivePaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def published():
    return Article.objects.published().select_related("column")


@pytest.fixture
def articles():
    return ArticleFactory.create_batch(23)


@pytest.mark.parametrize("orphans", [0, 3])
def test_pages_are_the_same_as_djangos(articles, orphans):
    """Every page holds the same articles, in the same order, as Django's own paginator."""
    ours = LargeArchivePaginator(published(), 5, orphans=orphans, count_key="/news/?")
    django = Paginator(published(), 5, orphans=orphans)
    assert ours.num_pages == django.num_pages
    for number in django.page_range:
        assert list(ours.page(number)) == list(django.page(number))
        assert ours.page(number).has_next() == django.page(number).has_next()
    with pytest.raises(EmptyPage):
        ours.page(django.num_pages + 1)


def test_a_page_costs_one_query_near_the_start_once_the_count_is_cached(
    articles, django_assert_num_queries
):
    """The count runs once per content generation; a first page is one plain query."""
    LargeArchivePaginator(published(), 5, count_key="/news/?").page(1)
    with django_assert_num_queries(1):
        page = LargeArchivePaginator(published(), 5, count_key="/news/?").page(2)
        assert len(page.object_list) == 5
        assert page.object_list[0].column.name  # select_related is kept


def test_a_deep_page_costs_two_queries(articles, django_assert_num_queries, monkeypatch):
    """Past ``SHALLOW_OFFSET`` a page is its ids (read from the index), then its rows."""
    monkeypatch.setattr(pagination, "SHALLOW_OFFSET", 10)
    LargeArchivePaginator(published(), 5, count_key="/news/?").page(1)
    with django_assert_num_queries(2):
        page = LargeArchivePaginator(published(), 5, count_key="/news/?").page(4)
        assert len(page.object_list) == 5
        assert page.object_list[0].column.name  # select_related is kept
    assert [a.pk for a in page.object_list] == [a.pk for a in published()[15:20]]


def test_the_cached_count_follows_publication(articles):
    """A new article changes the count at once (the content generation moved)."""
    assert LargeArchivePaginator(published(), 5, count_key="k").count == 23
    ArticleFactory()
    assert LargeArchivePaginator(published(), 5, count_key="k").count == 24


def test_without_a_key_the_count_is_not_cached(articles, django_assert_num_queries):
    """No key, no caching: Django's exact count every time."""
    with django_assert_num_queries(1):
        assert LargeArchivePaginator(published(), 5).count == 23
