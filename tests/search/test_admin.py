"""Editors see what readers search for and add synonyms that take effect at once."""

import pytest
from django.test import Client
from django.urls import reverse

from search.models import SearchQueryLog, SearchSynonym
from tests.factories import ArticleFactory, UserFactory

SEARCH_URL = reverse("search:search")


@pytest.fixture
def chief():
    """A logged-in chief editor's browser (the reader's ``client`` stays anonymous)."""
    browser = Client()
    browser.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return browser


@pytest.mark.django_db
def test_query_log_shows_frequent_and_zero_result_terms(chief):
    """The log page ranks terms by how often they were searched and lists fruitless ones."""
    for term, count, results in [("技监局", 3, 5), ("打假", 2, 1), ("三合一", 2, 0), ("无", 1, 0)]:
        for _ in range(count):
            SearchQueryLog.objects.create(term=term, result_count=results, took_ms=4)
    response = chief.get(reverse("admin:search_searchquerylog_changelist"))
    assert response.status_code == 200
    frequent = [(row["term"], row["searches"]) for row in response.context["frequent_terms"]]
    assert frequent[:3] == [("技监局", 3), ("三合一", 2), ("打假", 2)]
    zero = [row["term"] for row in response.context["zero_result_terms"]]
    assert zero == ["三合一", "无"]
    add_url = reverse("admin:search_searchsynonym_add")
    assert f"{add_url}?terms=%E4%B8%89%E5%90%88%E4%B8%80" in response.text


@pytest.mark.django_db
def test_query_log_is_read_only(chief):
    """Nobody edits what readers searched for."""
    entry = SearchQueryLog.objects.create(term="打假", result_count=1, took_ms=3)
    assert chief.get(reverse("admin:search_searchquerylog_add")).status_code == 403
    response = chief.post(
        reverse("admin:search_searchquerylog_change", args=[entry.pk]), {"term": "改"}
    )
    assert response.status_code == 403 or SearchQueryLog.objects.get().term == "打假"


@pytest.mark.django_db
def test_new_synonym_takes_effect_on_the_next_search(chief, client):
    """A synonym added in the admin expands the very next search."""
    ArticleFactory(title="三合一执法检查")
    assert client.get(SEARCH_URL, {"q": "联合检查"}).context["results"] == []
    response = chief.post(
        reverse("admin:search_searchsynonym_add"),
        {"terms": "联合检查\n三合一执法检查", "note": "读者常用说法"},
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(note="读者常用说法").exists()
    titles = [a.title for a in client.get(SEARCH_URL, {"q": "联合检查"}).context["results"]]
    assert titles == ["三合一执法检查"]


def test_synonym_terms_split_on_lines_and_commas():
    """Editors may separate the words with new lines, commas or 顿号."""
    assert SearchSynonym(terms="技监局，质监局\n质量技术监督局、 ").term_list == [
        "技监局",
        "质监局",
        "质量技术监督局",
    ]
