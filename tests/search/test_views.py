"""The /search/ page: results, highlighting, filters, pagination, bad input and query budget."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from search.models import SearchQueryLog
from tests.factories import ArticleFactory, ColumnFactory

from .corpus import HIDDEN, build_corpus

URL = reverse("search:search")
# The log entry: one INSERT (search.views.log_search).
LOG_QUERIES = 1


def result_titles(response):
    return [article.title for article in response.context["results"]]


@pytest.mark.django_db
def test_blank_page_has_the_form_and_logs_nothing(client):
    """Opening the page without a query shows the form only."""
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert response.context["page_obj"] is None
    assert not SearchQueryLog.objects.exists()


@pytest.mark.django_db
def test_results_are_highlighted_and_escaped(client):
    """Matches are wrapped in <mark>; everything an editor typed is escaped."""
    ArticleFactory(
        title="<b>打假</b>行动",
        summary="",
        body="<p>开展&lt;script&gt;alert(1)&lt;/script&gt;打假专项行动</p>",
    )
    response = client.get(URL, {"q": "打假"})
    assert response.status_code == 200
    assert "&lt;b&gt;<mark>打假</mark>&lt;/b&gt;行动" in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>打假</mark>" in response.text
    assert "<script>alert" not in response.text


@pytest.mark.django_db
def test_traditional_and_full_width_matches_are_highlighted_where_they_are(client):
    """A simplified query marks the traditional or full-width words it matched."""
    ArticleFactory(title="兩岸計量標準交流會", summary="ＩＳＯ９００１認證", body="")
    response = client.get(URL, {"q": "计量标准 iso9001"})
    assert result_titles(response) == ["兩岸計量標準交流會"]
    assert "兩岸<mark>計量標準</mark>交流會" in response.text
    assert "<mark>ＩＳＯ９００１</mark>認證" in response.text


@pytest.mark.django_db
def test_hidden_articles_appear_nowhere_on_the_page(client):
    """Drafts, scheduled, in-review and archived articles: not in results, snippets or counts."""
    build_corpus()
    for query in ["座谈会", "技监局", "草稿", "定时发布", "待审核", "已归档"]:
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        for status, title, _text in HIDDEN.values():
            assert title not in response.text, (query, status)
    response = client.get(URL, {"q": "定时发布"})
    assert response.context["page_obj"].paginator.count == 0
    assert "没有找到相关的已发布稿件" in response.text


@pytest.mark.django_db
def test_column_and_date_filters(client):
    """Results narrow to the chosen column and date range; sort by date puts the newest first."""
    build_corpus()
    response = client.get(URL, {"q": "座谈会", "column": "meetings"})
    assert set(result_titles(response)) == {
        "东北老工业基地质量兴市工作座谈会召开",
        "于献忠司长在座谈会总结时的讲话",
    }
    response = client.get(URL, {"q": "技监局", "start": "2005-06-01", "end": "2005-12-31"})
    assert set(result_titles(response)) == {
        "晋江市技监局与敦化市技监局交流打假经验",
        "余杭区技监局赴金州区回访",
        "四平市技监局与龙口市技监局开展信息通报",
    }
    response = client.get(URL, {"q": "技监局", "sort": "date"})
    dates = [article.published_at for article in response.context["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 3


@pytest.mark.django_db
def test_a_deep_results_page_is_shown_and_marked_in_the_page_links(client):
    """From page 6 on, the links are elided around the current page, not around page 1."""
    column = ColumnFactory(slug="news", name="工作动态")
    for n in range(130):
        ArticleFactory(title=f"质量月活动第{n}期", column=column)
    response = client.get(URL, {"q": "质量月", "sort": "date", "page": 8})
    assert response.context["page_obj"].number == 8
    assert '<span aria-current="page">8</span>' in response.text
    assert "page=7" in response.text and "page=9" in response.text


@pytest.mark.django_db
def test_pagination_keeps_query_and_filters(client):
    """Page links carry the query, the column and the sort order."""
    column = ColumnFactory(slug="news", name="工作动态")
    for n in range(12):
        ArticleFactory(title=f"质量月活动第{n}期", column=column)
    response = client.get(URL, {"q": "质量月", "column": "news", "sort": "date"})
    assert len(response.context["results"]) == 10
    assert "?q=%E8%B4%A8%E9%87%8F%E6%9C%88&amp;column=news&amp;sort=date&amp;page=2" in (
        response.text
    )
    response = client.get(URL, {"q": "质量月", "column": "news", "sort": "date", "page": 2})
    assert len(response.context["results"]) == 2
    assert response.context["page_obj"].start_index() == 11


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "请输入要搜索的词语"),
        ({"q": "   \t "}, "请输入要搜索的词语"),
        ({"q": "\x00\x01"}, "请输入要搜索的词语"),
        ({"q": "质" * 201}, "搜索词太长了"),
        ({"q": "&|!():*'\"\\"}, "搜索词里没有可以查找的文字"),
        ({"q": "打假", "start": "2005-13-45"}, "有效的日期"),
        ({"q": "打假", "start": "2006-01-01", "end": "2005-01-01"}, "截止日期不能早于起始日期"),
        ({"q": "打假", "column": "no-such-column"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(client, params, message):
    """Empty, blank, over-long, operator-only or malformed input gets a Chinese message."""
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "'打假' & !(专项 | 行动):*"},
        {"q": "打假\x00\x1f"},
        {"q": "打假", "page": "abc"},
        {"q": "打假", "page": "-1"},
        {"q": "打假", "page": "99999"},
        {"q": "打假", "sort": "random"},
        {"q": "\\'; DROP TABLE articles_article; --"},
    ],
)
def test_operators_and_odd_parameters_still_search(client, params):
    """Operators, quotes, control characters and odd page numbers still give results."""
    ArticleFactory(title="打假专项行动")
    response = client.get(URL, params)
    assert response.status_code == 200
    if "DROP" not in params["q"]:
        assert result_titles(response) == ["打假专项行动"]


@pytest.mark.django_db
def test_each_first_page_search_is_logged(client):
    """A search is logged once with its result count; turning pages is not a new search."""
    for n in range(11):
        ArticleFactory(title=f"计量检定{n}")
    client.get(URL, {"q": " 计量检定 "})
    client.get(URL, {"q": "计量检定", "page": 2})
    client.get(URL, {"q": "火星探测器"})
    client.get(URL, {"q": ""})
    logged = list(SearchQueryLog.objects.order_by("pk").values_list("term", "result_count"))
    assert logged == [("计量检定", 11), ("火星探测器", 0)]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 25])
def test_query_count_is_fixed(client, django_assert_num_queries, size):
    """The ids, the page's articles, their tags and the log entry, at any size; a column is
    checked against the cached column choices, with no query of its own."""
    old = timezone.now() - datetime.timedelta(days=30)
    for n in range(size):
        article = ArticleFactory(title=f"特种设备检验{n}", published_at=old)
        article.tags.add("特种设备", f"标签{n}")
    client.get(URL, {"q": "预热"})  # fills the synonym, column and promotion caches
    with django_assert_num_queries(3 + LOG_QUERIES):
        response = client.get(URL, {"q": "特种设备", "start": "2000-01-01"})
    assert response.context["page_obj"].paginator.count == size
    with django_assert_num_queries(3 + LOG_QUERIES):
        response = client.get(URL, {"q": "特种设备", "column": article.column.slug})
    assert response.context["page_obj"].paginator.count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "later_page_queries"), [(3, 3), (25, 2)])
def test_a_warm_search_page_reads_only_its_articles_and_tags(
    client, django_assert_num_queries, size, later_page_queries
):
    """Its id list cached (as under load, where each process searches for the same words
    again and again), a search runs three statements at any size: the page's articles, their
    tags and the log entry. A later page is not logged (a page past the last is the last)."""
    column = ColumnFactory(slug="news", name="工作动态")
    for n in range(size):
        ArticleFactory(title=f"特种设备检验{n}", column=column).tags.add("特种设备", f"标签{n}")
    params = {"q": "特种设备", "column": "news", "start": "2000-01-01", "sort": "date"}
    client.get(URL, params)
    with django_assert_num_queries(2 + LOG_QUERIES) as queries:
        response = client.get(URL, params)
    assert len(response.context["results"]) == min(size, 10)
    assert response.text.count("标签：<mark>特种设备</mark>") == min(size, 10)
    assert "search_searchquerylog" in queries.captured_queries[-1]["sql"]
    with django_assert_num_queries(later_page_queries):
        client.get(URL, {**params, "page": 2})


@pytest.mark.django_db
def test_the_column_choices_are_one_plain_query(client):
    """Not Django's server-side cursor for a handful of rows (declare, fetch, close on
    PostgreSQL): one SELECT of the columns, every column offered in their order; then kept
    until content changes, so the next search reads no column."""
    from django.test.utils import CaptureQueriesContext

    columns = [ColumnFactory(name=f"栏目{n}", order=3 - n) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "质量"})
    column_queries = [q["sql"] for q in queries if '"articles_column"' in q["sql"]]
    assert len(column_queries) == 1, column_queries
    assert not any("DECLARE" in q["sql"] for q in queries)
    options = [f'<option value="{column.slug}">{column.name}</option>' for column in columns]
    positions = [response.text.index(option) for option in options]
    assert positions == sorted(positions, reverse=True)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "质量", "column": columns[0].slug})
    assert not [q["sql"] for q in queries if '"articles_column"' in q["sql"]]
    ColumnFactory(name="新栏目")
    assert "新栏目" in client.get(URL, {"q": "质量"}).text


@pytest.mark.django_db
def test_the_chosen_column_and_order_stay_selected(client):
    """The form shows what was searched with: the column and order chosen, the dates typed."""
    ColumnFactory(slug="news", name="工作动态")
    response = client.get(
        URL, {"q": "质量", "column": "news", "sort": "date", "start": "2005-01-01"}
    )
    assert '<option value="news" selected>工作动态</option>' in response.text
    assert '<option value="date" selected>' in response.text
    assert '<option value="" selected>' not in response.text
    assert 'name="start" id="id_start" value="2005-01-01"' in response.text
    response = client.get(URL, {"q": "质量"})
    assert '<option value="" selected>全部栏目</option>' in response.text
    assert " selected>" not in response.text.replace('<option value="" selected>', "")


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_log_entry_commits_without_waiting_for_the_disk(client):
    """The search log's commit skips the flush (synchronous_commit off for that transaction
    only, set by the INSERT itself): a reader never waits for the disk because of the log."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from search.views import log_search

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "质量"})
    statements = [q["sql"] for q in queries]
    (insert,) = [sql for sql in statements if sql.startswith("INSERT INTO search_searchquerylog")]
    assert "set_config('synchronous_commit', 'off', true)" in insert
    assert not any("SET LOCAL" in sql for sql in statements)
    logged = SearchQueryLog.objects.get()
    assert (logged.term, logged.normalized, logged.result_count) == ("质量", "质量", 0)

    def synchronous_commit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    assert synchronous_commit() == "on"  # the rest of the connection's work is unchanged
    with transaction.atomic():
        log_search("質量", 3, 2)
        assert synchronous_commit() == "off"  # for the transaction the entry is written in
    assert synchronous_commit() == "on"
    assert SearchQueryLog.objects.filter(normalized="质量").count() == 2


@pytest.mark.django_db
def test_only_the_newest_matches_are_counted_and_ranked(client, monkeypatch):
    """Past the cap the page says "more than" and lists the newest matches; filters reach back."""
    monkeypatch.setattr("search.query.MAX_RESULTS", 3)
    monkeypatch.setattr("search.views.MAX_RESULTS", 3)
    start = timezone.now() - datetime.timedelta(days=10)
    for n in range(5):
        ArticleFactory(title=f"质量攻关{n}", published_at=start + datetime.timedelta(days=n))
    response = client.get(URL, {"q": "质量攻关"})
    assert sorted(result_titles(response)) == ["质量攻关2", "质量攻关3", "质量攻关4"]
    assert "找到 3 篇以上" in response.text
    response = client.get(
        URL, {"q": "质量攻关", "end": timezone.localdate(start + datetime.timedelta(days=1))}
    )
    assert sorted(result_titles(response)) == ["质量攻关0", "质量攻关1"]
    assert "找到 2 篇" in response.text


@pytest.mark.django_db
def test_a_match_in_a_tag_is_shown(client):
    """An article found by its tag shows the matching tag, highlighted."""
    article = ArticleFactory(title="质量月活动", summary="摘要", body="<p>正文</p>")
    article.tags.add("锅炉压力容器", "计量")
    response = client.get(URL, {"q": "锅"})
    assert result_titles(response) == ["质量月活动"]
    assert "标签：<mark>锅</mark>炉压力容器" in response.text
    assert "计量" not in response.text.split("标签：")[1].split("</span>")[0]


@pytest.mark.django_db
def test_a_repeated_search_reuses_its_result_list_and_is_still_logged(
    client, django_assert_num_queries
):
    """The second identical search skips the search query (one query fewer) and is logged."""
    for n in range(3):
        ArticleFactory(title=f"电梯安全检查{n}")
    client.get(URL, {"q": "预热"})  # fills the synonym, column and next-publication caches
    with django_assert_num_queries(3 + LOG_QUERIES):
        first = client.get(URL, {"q": "电梯安全"})
    with django_assert_num_queries(2 + LOG_QUERIES):
        second = client.get(URL, {"q": "电梯安全"})
    assert result_titles(second) == result_titles(first) != []
    logged = SearchQueryLog.objects.filter(term="电梯安全").values_list("result_count", flat=True)
    assert list(logged) == [3, 3]


@pytest.mark.django_db
def test_a_cached_result_list_is_never_stale(client):
    """Publishing, unpublishing or a new synonym shows in the very next search."""
    from search.models import SearchSynonym

    kept = ArticleFactory(title="压力容器检验")
    assert result_titles(client.get(URL, {"q": "压力容器"})) == ["压力容器检验"]
    new = ArticleFactory(title="压力容器普查")
    assert set(result_titles(client.get(URL, {"q": "压力容器"}))) == {kept.title, new.title}
    kept.status = "draft"
    kept.save()
    assert result_titles(client.get(URL, {"q": "压力容器"})) == ["压力容器普查"]
    ArticleFactory(title="锅炉容器普查")
    assert result_titles(client.get(URL, {"q": "承压设备"})) == []
    SearchSynonym.objects.create(terms="承压设备\n压力容器")
    assert result_titles(client.get(URL, {"q": "承压设备"})) == ["压力容器普查"]


@pytest.mark.django_db
def test_a_scheduled_article_is_found_as_soon_as_its_time_comes(client):
    """A result list cached before a scheduled publication is not served after it."""
    due = timezone.now() + datetime.timedelta(minutes=2)
    ArticleFactory(title="计量器具检定通知")
    ArticleFactory(title="计量器具检定结果", published_at=due)
    assert result_titles(client.get(URL, {"q": "计量器具"})) == ["计量器具检定通知"]
    assert result_titles(client.get(URL, {"q": "计量器具"})) == ["计量器具检定通知"]
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert set(result_titles(client.get(URL, {"q": "计量器具"}))) == {
            "计量器具检定通知",
            "计量器具检定结果",
        }
