"""Recall and ranking over a fixed corpus, on whichever database the suite runs on."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.query import articles_in_order, parse_query, search_articles
from search.synonyms import synonym_groups
from tests.factories import AgencyFactory, ArticleFactory

from .corpus import HIDDEN, RECALL, UNRELATED, build_corpus


def search(text, order="relevance"):
    parsed = parse_query(text, synonym_groups())
    assert not parsed.error, parsed.error
    return list(search_articles(parsed, order=order))


@pytest.mark.django_db
def test_recall_in_top_ten_and_unrelated_queries_find_nothing():
    """Each query finds the articles it must within the first ten; unrelated queries find none."""
    corpus = build_corpus()
    key_of = {article.pk: key for key, article in corpus.items()}
    assert len(RECALL) >= 20
    misses = {}
    for query, expected in RECALL.items():
        top_ten = {key_of[article.pk] for article in search(query)[:10]}
        if expected - top_ten:
            misses[query] = sorted(expected - top_ten)
    assert misses == {}
    for query in UNRELATED:
        assert search(query) == [], query


@pytest.mark.django_db
def test_hidden_articles_never_match():
    """Drafts, articles in review, archived and scheduled articles are never found."""
    corpus = build_corpus()
    hidden = {corpus[key].pk for key in HIDDEN}
    for query in ["座谈会", "质量兴市", "技监局", "ISO9001", "3C认证", "草稿", "定时发布"]:
        assert not hidden & {article.pk for article in search(query)}, query
    assert search("定时发布") == []


@pytest.mark.django_db
def test_title_outranks_summary_which_outranks_body():
    """A match in the title ranks above one in the summary, which ranks above one in the body."""
    when = timezone.now() - datetime.timedelta(days=1)
    body = ArticleFactory(title="甲", summary="乙", body="<p>帮扶对子</p>", published_at=when)
    summary = ArticleFactory(title="丙", summary="帮扶对子", body="<p>丁</p>")
    title = ArticleFactory(title="帮扶对子", summary="戊", body="<p>己</p>", published_at=when)
    assert search("帮扶对子") == [title, summary, body]
    assert search("帮扶对子", order="date") == [summary, title, body]


@pytest.mark.django_db
def test_agency_names_expand_queries():
    """An agency's short name finds its full name and its aliases, and the other way round."""
    AgencyFactory(name="齐齐哈尔市人民政府", short_name="齐市政府", aliases="鹤城政府")
    full = ArticleFactory(title="齐齐哈尔市人民政府召开常务会议")
    alias = ArticleFactory(title="鹤城政府部署质量工作")
    assert set(search("齐市政府")) == {full, alias}
    assert set(search("鹤城政府")) == {full, alias}


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "\u3000", "&|!():*'\"\\", "x" * 201, "\x00", "质量\x00兴市"],
)
def test_parse_query_never_raises(raw):
    """Whatever a reader types becomes terms or a message, never an exception."""
    parsed = parse_query(raw, [])
    assert parsed.terms or parsed.error


def test_parse_query_caps_terms():
    """A query of many words is cut to ten terms, so it stays cheap."""
    parsed = parse_query(" ".join(f"词{n}" for n in range(30)), [])
    assert len(parsed.terms) == 10


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.text(max_size=40))
def test_any_text_searches_without_error(raw):
    """Any string at all (emoji, combining marks, other scripts, NUL) parses and runs."""
    parsed = parse_query(raw, [])
    if not parsed.error:
        list(search_articles(parsed)[:10])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", ["µ²ª", "ǅ", "ภาษาไทย", "हिन्दी", "العربية", "🙂质量🙂", "Ⅻ", "ｶﾀｶﾅ", "𠀋𡈽", "a̐é"]
)
def test_unusual_scripts_search_without_error(raw):
    """Letters PostgreSQL's parser may split or drop still give a valid query."""
    ArticleFactory(title=f"标题{raw}")
    parsed = parse_query(raw, [])
    assert not parsed.error
    list(search_articles(parsed))


@pytest.mark.django_db
def test_articles_in_order_reads_ten_ids_a_statement(django_assert_num_queries):
    """Articles come back in the order of the ids, with their tags (oldest first), leaving out
    an article no longer published; two statements (articles, tags) per ten ids."""
    articles = [ArticleFactory(title=f"特种设备{n}") for n in range(23)]
    articles[5].tags.add("锅炉")  # one at a time: taggit creates a set of new tags in any order
    articles[5].tags.add("特种设备")
    articles[17].tags.add("电梯")
    articles[9].status = "draft"
    articles[9].save()
    ids = [article.pk for article in reversed(articles)]
    with django_assert_num_queries(6):
        found = articles_in_order(ids)
    assert [article.pk for article in found] == [pk for pk in ids if pk != articles[9].pk]
    tags = {article.pk: article.tag_names for article in found}
    assert tags[articles[5].pk] == ["锅炉", "特种设备"]
    assert tags[articles[17].pk] == ["电梯"]
    assert tags[articles[0].pk] == []
    with django_assert_num_queries(2):
        (single,) = articles_in_order([articles[3].pk])
    assert (single.title, single.column.name) == (articles[3].title, articles[3].column.name)
    assert articles_in_order([]) == []
