"""The public news pages: list and filters, column, tag and date archives, the article page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.filters import ArticleFilter
from articles.models import Article
from articles.related import related_articles
from articles.views import column_neighbours
from tests.content import at, hidden_articles
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    AttachmentFactory,
    ColumnFactory,
    DivisionFactory,
    HelpingPairFactory,
    ImageFactory,
    MeetingFactory,
)
from tests.pages import budget

pytestmark = pytest.mark.django_db


def titles(response):
    return [article.title for article in response.context["articles"]]


# --- The list and its filters ------------------------------------------------------------


def test_news_list_shows_published_articles_only(client):
    """Drafts, articles in review, archived and scheduled articles are not listed."""
    column = ColumnFactory()
    ArticleFactory(title="已发布稿件", column=column)
    hidden = hidden_articles(column)
    response = client.get("/news/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "已发布稿件" in page
    for article in hidden:
        assert article.title not in page


def test_filter_by_column_tag_and_keyword(client):
    """Each filter narrows the list to the matching published articles."""
    work, meetings = ColumnFactory(slug="work"), ColumnFactory(slug="meetings")
    first = ArticleFactory(title="齐齐哈尔座谈会召开", column=meetings, summary="质量兴市")
    second = ArticleFactory(title="富裕县考察", column=work)
    first.tags.add("振兴东北")
    second.tags.add("考察")

    assert titles(client.get("/news/?column=work")) == ["富裕县考察"]
    assert titles(client.get("/news/?tag=振兴东北")) == ["齐齐哈尔座谈会召开"]
    assert titles(client.get("/news/?q=座谈会")) == ["齐齐哈尔座谈会召开"]
    assert titles(client.get("/news/?q=质量兴市")) == ["齐齐哈尔座谈会召开"]


def test_the_tag_filter_matches_slug_or_name_and_finds_the_tag_with_the_other_rows(
    client, count_queries
):
    """A tag is found by slug or by name (and with spaces around it), read with the columns
    and provinces; the list then filters the tagged rows by the tag's id, never joining the
    tag table again, and runs no more queries than the list of one column."""
    named = ArticleFactory(title="按名称", column=ColumnFactory(slug="work"))
    named.tags.add("振兴东北")
    by_slug = ArticleFactory(title="按网址标识")
    by_slug.tags.add("考察")
    slug = by_slug.tags.get().slug
    ArticleFactory(title="无标签")

    assert titles(client.get("/news/?tag=振兴东北")) == ["按名称"]
    assert titles(client.get("/news/?tag=%20振兴东北%20")) == ["按名称"]
    assert titles(client.get(f"/news/?tag={slug}")) == ["按网址标识"]
    response = client.get("/news/?tag=没有这个标签")
    assert titles(response) == []
    assert "共 0 条" in response.content.decode()

    by_tag = count_queries(client, "/news/?tag=振兴东北")
    by_column = count_queries(client, "/news/?column=work")
    assert len(by_tag) == len(by_column)
    assert len([sql for sql in by_tag if "taggit_tag" in sql]) == 1
    # No such tag: neither the count nor the rows are asked for.
    nothing = count_queries(client, "/news/?tag=没有这个标签")
    assert len(nothing) == len(by_tag) - 2
    assert not [sql for sql in nothing if "articles_taggedarticle" in sql]


def test_the_filterset_finds_the_tag_itself_without_the_views_ids():
    """Built without ``tags=``, the FilterSet reads the tag from the database."""
    tagged = ArticleFactory(title="带标签")
    tagged.tags.add("振兴东北")
    ArticleFactory(title="别的")
    filterset = ArticleFilter({"tag": "振兴东北"}, queryset=Article.objects.published())
    assert [article.title for article in filterset.qs] == ["带标签"]
    nothing = ArticleFilter({"tag": "没有"}, queryset=Article.objects.published())
    assert list(nothing.qs) == []


def test_filter_by_agency_id_or_name_and_by_province(client):
    """Agency by number or by part of its name; province by the code of an agency's division."""
    heilongjiang = DivisionFactory(code="230000", name="黑龙江省", level="province")
    DivisionFactory(code="320000", name="江苏省", level="province")
    fuyu = AgencyFactory(name="富裕县人民政府", short_name="富裕县政府")
    fuyu.division.code = "230227"
    fuyu.division.save()
    changshu = AgencyFactory(name="常熟市质量技术监督局", short_name="常熟市技监局")
    about_fuyu = ArticleFactory(title="富裕县新闻")
    about_fuyu.agencies.add(fuyu)
    about_changshu = ArticleFactory(title="常熟新闻")
    about_changshu.agencies.add(changshu, fuyu)
    ArticleFactory(title="无关新闻")

    assert titles(client.get(f"/news/?agency={changshu.pk}")) == ["常熟新闻"]
    assert sorted(titles(client.get("/news/?agency=富裕县"))) == ["富裕县新闻", "常熟新闻"]
    assert sorted(titles(client.get(f"/news/?province={heilongjiang.code}"))) == [
        "富裕县新闻",
        "常熟新闻",
    ]
    assert titles(client.get("/news/?province=320000")) == []


def test_province_filter_includes_meetings_held_there(client):
    """An article about a meeting held in the province counts for the province."""
    DivisionFactory(code="230000", name="黑龙江省", level="province")
    venue = DivisionFactory(code="230200", name="齐齐哈尔市")
    ArticleFactory(title="座谈会报道", meeting=MeetingFactory(venue=venue))
    ArticleFactory(title="别处新闻")
    assert titles(client.get("/news/?province=230000")) == ["座谈会报道"]


MINUTES_10 = datetime.timedelta(minutes=10)
MINUTES_30 = datetime.timedelta(minutes=30)
MINUTES_59 = datetime.timedelta(minutes=59)


def test_filter_by_date_range_uses_local_dates(client):
    """The range includes both end days, in Beijing time."""
    ArticleFactory(title="九月二十日", published_at=at(2004, 9, 20, hour=0))
    ArticleFactory(title="九月二十二日", published_at=at(2004, 9, 22, hour=23))
    ArticleFactory(title="十月", published_at=at(2004, 10, 1))
    response = client.get("/news/?date_from=2004-09-20&date_to=2004-09-22")
    assert sorted(titles(response)) == ["九月二十二日", "九月二十日"]


def test_date_range_boundaries_are_beijing_midnights(client):
    """23:30 Beijing time on date_to is in, 00:10 the next day is out; likewise at date_from."""
    ArticleFactory(title="起始前一分钟", published_at=at(2004, 9, 19, 23) + MINUTES_59)
    ArticleFactory(title="起始零点", published_at=at(2004, 9, 20, hour=0))
    ArticleFactory(title="结束日深夜", published_at=at(2004, 9, 22, hour=23) + MINUTES_30)
    ArticleFactory(title="次日零点十分", published_at=at(2004, 9, 23, hour=0) + MINUTES_10)
    response = client.get("/news/?date_from=2004-09-20&date_to=2004-09-22")
    assert sorted(titles(response)) == ["结束日深夜", "起始零点"]
    assert titles(client.get("/news/?date_to=2004-09-22"))[0] == "结束日深夜"
    assert titles(client.get("/news/?date_from=2004-09-23")) == ["次日零点十分"]


def test_date_filters_compare_publication_times_not_converted_dates():
    """The date range is a plain comparison of published_at (index-friendly): no per-row
    time-zone conversion to a date in the SQL."""
    filterset = ArticleFilter(
        {"date_from": "2004-09-20", "date_to": "2004-09-22"}, queryset=Article.objects.all()
    )
    sql = str(filterset.qs.query).lower()
    assert "published_at" in sql
    assert "at time zone" not in sql
    assert "cast_date" not in sql


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_filter_nothing_out(client, query):
    """The first and last representable days are accepted and exclude no article."""
    ArticleFactory(title="仍然列出")
    response = client.get(f"/news/?{query}")
    assert response.status_code == 200
    assert titles(response) == ["仍然列出"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("column=nope", "选择一个有效的选项"),
        ("agency=99999", "没有编号为 99999 的机构"),
        ("agency=99999999999999999999999", "没有编号为"),
        ("province=999999", "选择一个有效的选项"),
        ("date_from=2004-13-45", "输入一个有效的日期"),
        ("date_from=2004-09-30&date_to=2004-09-01", "结束日期不能早于起始日期"),
        ("q=" + "长" * 150, "不超过 100 字符"),
    ],
)
def test_invalid_filter_values_are_form_errors_not_server_errors(client, query, message):
    """A bad value is shown as an error on the form; the page still lists the news."""
    ArticleFactory(title="仍然列出")
    response = client.get(f"/news/?{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page
    assert "仍然列出" in page


def test_pagination_keeps_filters_and_refuses_pages_past_the_end(client):
    """Page links carry the filters; a page past the end or a bad page number is a 404."""
    column = ColumnFactory(slug="work")
    ArticleFactory.create_batch(21, column=column)
    response = client.get("/news/?column=work")
    assert 'href="?column=work&amp;page=2"' in response.content.decode()
    second_page = client.get("/news/?column=work&page=2")
    assert second_page.status_code == 200
    assert len(second_page.context["articles"]) == 1
    assert client.get("/news/?column=work&page=3").status_code == 404
    assert client.get("/news/?page=abc").status_code == 404
    assert client.get("/news/?page=0").status_code == 404
    assert client.get("/news/?page=-1").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/news/?q=%00",
        "/news/?tag=%00",
        "/news/?agency=%00",
        "/news/?column=%00",
        "/news/?province=%00",
        "/news/?date_from=%00",
        "/news/?date_from=99999-01-01",
        "/news/?column=a&column=b&page=1&page=2",
        "/news/?page=%00",
        "/news/?page=99999999999999999999999",
        "/news/tag/%00/",
        "/news/tag/%00/feed/",
        "/news/column/%00/",
        "/news/1899/",
        "/news/9999/12/",
        "/news/2004/09/99999999999999999999/",
        "/font-size/?size=%00&next=%00",
    ],
)
def test_odd_input_never_causes_a_server_error(client, url):
    """NUL characters, huge numbers and repeated parameters answer 200, 400 or 404."""
    ArticleFactory()
    assert client.get(url).status_code in (200, 400, 404)


def test_an_empty_list_is_not_a_404(client):
    assert client.get("/news/").status_code == 200


# --- Column, tag and archive pages ---------------------------------------------------------


def test_column_page_lists_its_published_articles(client):
    column = ColumnFactory(slug="work", name="工作动态", description="各地工作动态。")
    ArticleFactory(title="本栏目", column=column)
    ArticleFactory(title="别的栏目")
    hidden_articles(column)
    response = client.get("/news/column/work/")
    assert titles(response) == ["本栏目"]
    page = response.content.decode()
    assert "<h1>工作动态</h1>" in page
    assert '<meta name="ColumnName" content="工作动态">' in page
    assert client.get("/news/column/unknown/").status_code == 404


def test_tag_page_and_unknown_or_unpublished_tags(client):
    """A tag page lists its published articles; a tag used only by drafts is a 404."""
    tagged = ArticleFactory(title="带标签")
    tagged.tags.add("振兴东北")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft.tags.add("内部")
    response = client.get("/news/tag/振兴东北/")
    assert titles(response) == ["带标签"]
    assert client.get("/news/tag/内部/").status_code == 404
    assert client.get("/news/tag/nothing/").status_code == 404


def test_a_new_years_first_article_is_in_the_archive_list_at_once(client):
    """The archive's years are cached per content generation, not for a fixed time: the first
    article of a new year is listed on the very next page, and disappears when unpublished."""
    ArticleFactory(published_at=at(2004, 9, 20))
    assert client.get("/news/").context["archive_years"] == [2004]
    new_year = ArticleFactory(published_at=at(2005, 1, 1, hour=0))
    column_page = client.get(f"/news/column/{new_year.column.slug}/")
    assert column_page.context["archive_years"] == [2005, 2004]
    assert 'href="/news/2005/"' in client.get("/news/").content.decode()
    new_year.status = Article.Status.DRAFT
    new_year.save()
    assert client.get("/news/").context["archive_years"] == [2004]


def test_year_and_month_archives_follow_beijing_time(client):
    """An article published 2004-09-30 20:00 UTC is an October article in Beijing."""
    ArticleFactory(title="九月", published_at=at(2004, 9, 20))
    ArticleFactory(
        title="十月一日", published_at=datetime.datetime(2004, 9, 30, 20, tzinfo=datetime.UTC)
    )
    ArticleFactory(title="次年", published_at=at(2005, 1, 1, hour=0))
    year = client.get("/news/2004/")
    assert sorted(titles(year)) == ["九月", "十月一日"]
    assert [(row["month"], row["count"]) for row in year.context["archive_months"]] == [
        (9, 1),
        (10, 1),
    ]
    assert titles(client.get("/news/2004/09/")) == ["九月"]
    assert titles(client.get("/news/2004/10/")) == ["十月一日"]
    assert client.get("/news/2004/13/").status_code == 404
    assert client.get("/news/2004/9/").status_code == 404
    assert client.get("/news/0001/").status_code == 404


def test_archive_years_skip_years_without_news(client):
    """The seed's related news jump from 2004 to 2018 and 2023: only those years are listed."""
    for year in (2004, 2018, 2023):
        ArticleFactory(published_at=at(year, 3, 27))
    ArticleFactory(status=Article.Status.DRAFT, published_at=at(2010, 1, 1))
    ArticleFactory(published_at=datetime.datetime(2024, 12, 31, 17, tzinfo=datetime.UTC))
    response = client.get("/news/")
    assert response.context["archive_years"] == [2025, 2023, 2018, 2004]
    assert '<a href="/news/2018/">2018年</a>' in response.content.decode()


def test_archive_years_list_only_what_readers_see_back_to_the_oldest_year(client):
    """Years before the probe's first (2000) are found too; an article taken off the site
    (定时下线 passed) or scheduled for later counts for no year, on SQLite and PostgreSQL."""
    now = timezone.now()
    ArticleFactory(published_at=at(1998, 5, 4))
    ArticleFactory(published_at=at(2004, 3, 27))
    ArticleFactory(published_at=at(2010, 6, 1), unpublish_at=now - datetime.timedelta(days=1))
    ArticleFactory(published_at=at(2012, 6, 1), unpublish_at=now + datetime.timedelta(days=1))
    ArticleFactory(published_at=now + datetime.timedelta(days=400))
    assert client.get("/news/").context["archive_years"] == [2012, 2004, 1998]


@pytest.mark.parametrize(
    "url",
    [
        "/news/",
        "/news/?column=work&q=质量",
        "/news/column/work/",
        "/news/tag/质量兴市/",
        "/news/2004/",
    ],
)
def test_list_pages_query_count_does_not_grow_with_rows(client, url, count_queries):
    """The same number of queries with 3 and with 25 articles (tags, agencies and all)."""
    column = ColumnFactory(slug="work")

    def add(n):
        for _ in range(n):
            article = ArticleFactory(column=column, published_at=at(2004, 9, 20))
            article.tags.add("质量兴市")
            article.agencies.add(AgencyFactory())

    add(3)
    small = len(count_queries(client, url))
    add(22)
    large = len(count_queries(client, url))
    assert small == large <= budget("list")


# --- The article page ----------------------------------------------------------------------


@pytest.fixture
def symposium_article():
    column = ColumnFactory(name="会议报道", slug="meetings")
    meeting = MeetingFactory(title="东北老工业基地质量兴市工作座谈会")
    article = ArticleFactory(
        title="质量兴市 振兴东北",
        column=column,
        summary="座谈会在齐齐哈尔召开。",
        body="<p>2004年9月20日至21日，座谈会召开。</p>",
        source="国家质检总局",
        author="质量司",
        responsible_editor="张编辑",
        published_at=at(2004, 9, 22, hour=9),
        meeting=meeting,
        cover_image=ImageFactory(alt_text="座谈会会场", caption="会场一角"),
    )
    article.tags.add("质量兴市", "振兴东北")
    article.agencies.add(AgencyFactory(name="富裕县人民政府"))
    article.pairs.add(HelpingPairFactory())
    AttachmentFactory(article=article, title="合作交流协议")
    return article


def test_article_url_is_date_plus_id(symposium_article):
    assert symposium_article.get_absolute_url() == f"/news/2004/09/{symposium_article.pk}/"


def test_article_page_shows_byline_body_facts_and_meta(client, symposium_article):
    """Byline, body, cover with alt and caption, attachment type and size, tags, meeting,
    agencies, pairs, the government meta tags, Open Graph and the canonical URL."""
    response = client.get(symposium_article.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "发布时间：" in page and "2004-09-22 09:00" in page
    assert "来源：国家质检总局" in page
    assert "作者：质量司" in page
    assert "责任编辑：张编辑" in page
    assert "<p>2004年9月20日至21日，座谈会召开。</p>" in page
    assert 'alt="座谈会会场"' in page and "<figcaption>会场一角</figcaption>" in page
    attachment = symposium_article.attachments.get()
    assert "合作交流协议" in page
    assert f"PDF，{filesizeformat(attachment.size)}" in page
    assert reverse("articles:tag", kwargs={"slug": "质量兴市"}) in page
    assert "东北老工业基地质量兴市工作座谈会" in page
    assert "富裕县人民政府" in page
    canonical = f"http://testserver{symposium_article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert '<meta name="ArticleTitle" content="质量兴市 振兴东北">' in page
    assert '<meta name="PubDate" content="2004-09-22 09:00">' in page
    assert '<meta name="ContentSource" content="国家质检总局">' in page
    assert '<meta name="ColumnName" content="会议报道">' in page
    assert re.search(r'<meta name="Keywords" content="[^"]*振兴东北[^"]*">', page)
    assert '<meta name="Description" content="座谈会在齐齐哈尔召开。">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:title" content="质量兴市 振兴东北">' in page


def test_unpublished_articles_have_no_page(client):
    """Drafts, articles in review, archived and scheduled ones answer 404."""
    for article in hidden_articles():
        when = timezone.localtime(article.published_at or article.created_at)
        assert client.get(f"/news/{when:%Y/%m}/{article.pk}/").status_code == 404


def test_wrong_year_or_month_redirects_permanently_to_the_canonical_url(client):
    article = ArticleFactory(published_at=at(2004, 9, 22))
    response = client.get(f"/news/2005/01/{article.pk}/?print=1")
    assert response.status_code == 301
    assert response["Location"] == f"/news/2004/09/{article.pk}/?print=1"
    assert client.get(f"/news/2004/09/{article.pk + 1000}/").status_code == 404


def test_scheduled_article_appears_when_its_time_comes(client, time_machine):
    """A future publication time needs no cron: the page exists once the time has passed."""
    time_machine.move_to(datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC), tick=False)
    article = ArticleFactory(published_at=datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC))
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    assert "/news/2024/01/" not in client.get("/news/").content.decode()
    time_machine.move_to(datetime.datetime(2024, 1, 3, tzinfo=datetime.UTC), tick=False)
    cache.clear()
    assert client.get(url).status_code == 200


def test_related_news_manual_first_then_shared_tags_and_agencies_in_one_query():
    """Manual choices lead, then articles sharing more tags and agencies; published only."""
    agency = AgencyFactory()
    manual = ArticleFactory(title="手动相关", published_at=at(2001, 1, 1))
    two_shared = ArticleFactory(title="两项相同", published_at=at(2002, 1, 1))
    two_shared.tags.add("质量兴市")
    two_shared.agencies.add(agency)
    one_shared = ArticleFactory(title="一项相同", published_at=at(2003, 1, 1))
    one_shared.tags.add("振兴东北")
    ArticleFactory(title="无关")
    draft = ArticleFactory(title="草稿相关", status=Article.Status.DRAFT)
    draft.tags.add("质量兴市")
    manual_draft = ArticleFactory(title="手动但未发布", status=Article.Status.DRAFT)
    article = ArticleFactory(published_at=at(2004, 9, 22))
    article.tags.add("质量兴市", "振兴东北")
    article.agencies.add(agency)
    article.related.add(manual, manual_draft)

    tags = list(article.tags.all())
    agencies = list(article.agencies.all())
    with CaptureQueriesContext(connection) as queries:
        related = related_articles(article, [t.pk for t in tags], [a.pk for a in agencies])
    assert len(queries.captured_queries) == 1
    assert [item.title for item in related] == ["手动相关", "两项相同", "一项相同"]


def test_related_news_without_tags_or_agencies_are_the_manual_ones():
    manual = ArticleFactory(title="手动相关")
    ArticleFactory(title="别的")
    article = ArticleFactory()
    article.related.add(manual)
    assert [item.title for item in related_articles(article, [], [])] == ["手动相关"]


def test_previous_and_next_in_the_column(client):
    """上一篇 is the newer article of the same column, 下一篇 the older one."""
    column = ColumnFactory()
    older = ArticleFactory(title="较早", column=column, published_at=at(2004, 9, 1))
    current = ArticleFactory(title="当前", column=column, published_at=at(2004, 9, 10))
    newer = ArticleFactory(title="较新", column=column, published_at=at(2004, 9, 20))
    ArticleFactory(title="别栏目", published_at=at(2004, 9, 15))
    ArticleFactory(
        title="未发布", column=column, status=Article.Status.DRAFT, published_at=at(2004, 9, 12)
    )
    response = client.get(current.get_absolute_url())
    assert response.context["newer_article"] == newer
    assert response.context["older_article"] == older
    assert "上一篇" in response.content.decode()


def test_previous_and_next_break_ties_of_the_same_minute_by_id():
    """Articles published at the same moment still chain newer/older by id, none skipped."""
    column = ColumnFactory()
    when = at(2004, 9, 10)
    first, second, third = (ArticleFactory(column=column, published_at=when) for _ in range(3))
    ArticleFactory(column=column, published_at=at(2004, 9, 11), title="更新")
    assert column_neighbours(second) == (third, first)
    assert column_neighbours(third)[0].title == "更新"
    assert column_neighbours(first)[1] is None


def test_stub_articles_render_as_title_only(client):
    stub = ArticleFactory(title="江苏省计量科学研究院", body="", summary="", is_stub=True)
    page = client.get(stub.get_absolute_url()).content.decode()
    assert "只收录了标题和发布日期" in page
    assert '<meta name="robots" content="noindex">' in page


def test_print_view_and_the_font_size_switch(client):
    """The print view is the page marked for printing. The size switch is three buttons that
    act in the browser (static/js/site.js): nothing on the page depends on a cookie."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    print_page = client.get(f"{url}?print=1").content.decode()
    assert 'class="print-view"' in print_page
    assert '<meta name="robots" content="noindex">' in print_page

    client.cookies["qxs_font_size"] = "large"
    page = client.get(url).content.decode()
    assert '<button type="button" data-font-size="large" aria-pressed="false">' in page
    assert '<button type="button" data-font-size="medium" aria-pressed="true">' in page
    assert "font-large" not in page


def test_admin_preview_renders_a_draft_privately(rf):
    """render_article_page(preview=True) shows a draft as its page would look, never cached."""
    from django.contrib.auth.models import AnonymousUser

    from articles.views import render_article_page

    draft = ArticleFactory(title="草稿预览", status=Article.Status.DRAFT, published_at=None)
    request = rf.get("/admin/preview/")
    request.user = AnonymousUser()
    response = render_article_page(request, draft, preview=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "草稿预览" in page
    assert "预览" in page and "未发布" in page
    assert response["Cache-Control"] == "private, no-store"


def test_article_page_query_count_does_not_grow_with_relations(client, count_queries):
    """Same queries with 1 or 12 tags, agencies, pairs, attachments and related articles."""
    column = ColumnFactory()
    article = ArticleFactory(column=column, published_at=at(2004, 9, 22))
    ArticleFactory(column=column, published_at=at(2004, 9, 1))
    ArticleFactory(column=column, published_at=at(2004, 9, 30))

    def add(n):
        for _ in range(n):
            other = ArticleFactory(column=column, published_at=at(2003, 1, 1))
            tag = f"标签{other.pk}"
            article.tags.add(tag)
            other.tags.add(tag)
            agency = AgencyFactory()
            article.agencies.add(agency)
            other.agencies.add(agency)
            article.pairs.add(HelpingPairFactory())
            article.related.add(ArticleFactory())
            AttachmentFactory(article=article)

    add(1)
    small = len(count_queries(client, article.get_absolute_url()))
    add(11)
    large = len(count_queries(client, article.get_absolute_url()))
    assert small == large <= budget("page")
