"""Public pages of meetings, pairs, agencies and regions: content, 404s, and query budgets that
do not grow with the number of rows."""

import datetime

import pytest
from django.utils import translation

from articles.models import Article
from partnerships import demo
from partnerships.models import (
    ActivityKind,
    Agency,
    Division,
    HelpingPair,
    Honour,
    MeetingParticipant,
)
from tests.factories import (
    AgencyFactory,
    AgreementClauseFactory,
    ArticleFactory,
    CooperationActivityFactory,
    CooperationAgreementFactory,
    DivisionFactory,
    HelpingPairFactory,
    MeetingParticipantFactory,
)
from tests.pages import budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return demo.load()


def add_rows(meeting, n):
    """Grow every relation each page lists by ``n`` rows, around the seed's agencies and pair 1."""
    changshu = Agency.objects.get(name="常熟市质量技术监督局")
    qiqihar = Division.objects.get(code="230200")
    pair1 = HelpingPair.objects.get(order=1)
    honour = Honour.objects.get()
    start = HelpingPair.objects.count()
    for i in range(n):
        place = DivisionFactory(
            code=f"2302{60 + start + i:02d}", parent=qiqihar, level=Division.Level.COUNTY
        )
        helped = AgencyFactory(division=place)
        helped.honours.add(honour)
        pair = HelpingPairFactory(helper=changshu, helped=helped, meeting=meeting, order=20 + i)
        AgreementClauseFactory(
            agreement=CooperationAgreementFactory(pair=pair),
            target_kind=ActivityKind.PROJECT,
            target_min=1,
            target_max=2,
        )
        MeetingParticipantFactory(
            meeting=meeting, agency=helped, role=MeetingParticipant.Role.EXPERIENCE
        )
        MeetingParticipantFactory(agency=changshu)
        published = ArticleFactory(meeting=meeting)
        published.agencies.add(changshu, helped)
        published.pairs.add(pair1, pair)
        draft = ArticleFactory(meeting=meeting, status=Article.Status.DRAFT, published_at=None)
        CooperationActivityFactory(
            pair=pair1,
            kind=ActivityKind.PROJECT,
            date=datetime.date(2005 + i, 6, 1),
            article=published,
        )
        CooperationActivityFactory(pair=pair1, article=draft)
        AgreementClauseFactory(
            agreement=CooperationAgreementFactory(pair=pair1, title=f"补充协议{start + i}")
        )


def urls(meeting):
    changshu = Agency.objects.get(name="常熟市质量技术监督局")
    return [
        "/meetings/",
        meeting.get_absolute_url(),
        "/pairs/",
        HelpingPair.objects.get(order=1).get_absolute_url(),
        "/agencies/",
        changshu.get_absolute_url(),
        "/regions/230000/",
        "/regions/230200/",
        "/regions/230227/",
        "/data/pairs.json",
        "/data/pairs.csv",
        "/data/agencies.json",
        "/data/agencies.csv",
    ]


def test_every_page_runs_a_fixed_number_of_queries(client, meeting, count_queries):
    """Each page costs as many queries with one extra row of everything as with six.

    (One, not none: Django skips a prefetch query when there is nothing to prefetch.)"""
    pages = urls(meeting)
    add_rows(meeting, 1)
    small = {url: len(count_queries(client, url)) for url in pages}
    add_rows(meeting, 5)
    large = {url: len(count_queries(client, url)) for url in pages}
    assert large == small
    assert max(large.values()) <= budget("list")


def test_meeting_page_lists_participants_by_role_and_the_pairs(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "东北老工业基地质量兴市工作座谈会" in html
    assert "2004年9月20日" in html and "9月21日" in html
    for role in ("主办", "出席", "经验介绍", "情况介绍", "会议总结"):
        assert f"<h3>{role}</h3>" in html
    assert html.index("<h3>经验介绍</h3>") < html.index("<h3>情况介绍</h3>")
    assert "质检总局质量司司长于献忠" in html
    assert "辽宁省大连市瓦房店技监局" in html
    assert "辽宁省丹东市凤城县技监局" in html


def test_related_articles_are_published_only(client, meeting):
    pair = HelpingPair.objects.get(order=1)
    agency = pair.helper
    ArticleFactory(title="已发布的报道", meeting=meeting).pairs.add(pair)
    draft = ArticleFactory(title="草稿不应出现", status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(
        title="定时发布尚未到时",
        published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    for article in (draft, scheduled):
        article.pairs.add(pair)
        article.agencies.add(agency)
        article.meeting = meeting
        article.save()
    CooperationActivityFactory(pair=pair, title="有草稿稿件的活动", article=draft)
    for url in (meeting.get_absolute_url(), pair.get_absolute_url(), agency.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "草稿不应出现" not in html, url
        assert "定时发布尚未到时" not in html, url
    assert "已发布的报道" in client.get(pair.get_absolute_url()).content.decode()
    assert "有草稿稿件的活动" in client.get(pair.get_absolute_url()).content.decode()


def test_meeting_page_lists_the_newest_news_about_it_or_its_pairs(client, meeting):
    """The ten newest of both kinds together, newest first, an article of both kinds once."""
    pair = HelpingPair.objects.get(order=1)
    start = datetime.datetime(2005, 1, 1, tzinfo=datetime.UTC)
    titles = {}
    for day in range(24):
        # Even days about the meeting, odd days about its pair; day 23 (the newest) about both.
        article = ArticleFactory(
            title=f"第{day}天的报道",
            published_at=start + datetime.timedelta(days=day),
            meeting=meeting if day % 2 == 0 or day == 23 else None,
        )
        if day % 2:
            article.pairs.add(pair)
        titles[day] = article.title
    ArticleFactory(title="别处的报道", published_at=start + datetime.timedelta(days=30))
    html = client.get(meeting.get_absolute_url()).content.decode()
    news = html.split('class="related-news"')[1].split("</section>")[0]
    shown = [day for day in range(24) if titles[day] in news]
    assert shown == list(range(14, 24))
    assert [news.index(titles[day]) for day in reversed(shown)] == sorted(
        news.index(titles[day]) for day in shown
    )
    assert news.count(titles[23]) == 1
    assert "别处的报道" not in news


def test_pairs_page_has_the_diagram_and_the_table(client, meeting):
    html = client.get("/pairs/").content.decode()
    assert 'role="img"' in html
    assert 'aria-labelledby="pair-diagram-title"' in html
    assert 'aria-describedby="pair-diagram-desc"' in html
    assert "帮扶对子一览" in html  # the table the description points to
    assert html.count('class="arc"') == 8
    assert html.count('class="place-label"') == 16
    for name in ("浙江省温岭市政府", "齐齐哈尔市富裕县政府", "辽宁省丹东市凤城县技监局"):
        assert name in html


def test_pair_page_shows_agreement_timeline_and_yearly_targets(client, meeting):
    pair = HelpingPair.objects.get(order=1)
    CooperationActivityFactory(
        pair=pair, kind=ActivityKind.PROJECT, title="联合质量攻关", date=datetime.date(2005, 5, 1)
    )
    html = client.get(pair.get_absolute_url()).content.decode()
    assert "质量兴市合作交流协议" in html
    assert "建立质量兴市信息定期通报制度" in html
    assert "温岭市代表前往富裕县参观考察" in html
    assert "推定日期" in html
    assert html.index("温岭市代表前往富裕县参观考察") < html.index("联合质量攻关")
    rows = html.split('<table class="targets">')[1].split("</table>")[0]
    # The year the pair was formed (September 2004) is not judged (issue 15).
    assert "2004" in rows and "结对当年，不考核" in rows and "未达标" not in rows
    assert "2005" in rows and "1 项" in rows and "合作项目 1–2 项" in rows and "达标" in rows


def test_agency_page_lists_pairs_meetings_and_honours(client, meeting):
    changshu = Agency.objects.get(name="常熟市质量技术监督局")
    html = client.get(changshu.get_absolute_url()).content.decode()
    assert "江苏省常熟市技监局" in html
    assert "全国质量兴市先进市县" in html
    assert "辽宁省丹东市凤城县技监局" in html  # its pair
    assert "经验介绍" in html


def test_agency_list_groups_by_province_and_filters(client, meeting):
    html = client.get("/agencies/").content.decode()
    assert html.index("国家机关") < html.index("辽宁省") < html.index("广东省")
    northeast = client.get("/agencies/", {"region": "northeast"}).content.decode()
    assert "富裕县人民政府" in northeast and "常熟市质量技术监督局" not in northeast
    governments = client.get("/agencies/", {"kind": "government"}).content.decode()
    assert "温岭市人民政府" in governments and "常熟市质量技术监督局" not in governments
    unknown = client.get("/agencies/", {"kind": "<script>", "region": "x"})
    assert unknown.status_code == 200
    assert "常熟市质量技术监督局" in unknown.content.decode()


def test_region_page_shows_todays_name_and_agencies_below(client, meeting):
    html = client.get("/regions/210682/").content.decode()
    assert "凤城县（今凤城市）" in html
    assert "1994年撤县设市" in html
    province = client.get("/regions/230000/").content.decode()
    assert "富裕县人民政府" in province and "宁安市质量技术监督局" in province
    assert "东北老工业基地质量兴市工作座谈会" in province  # held in 齐齐哈尔
    assert "广东省中山市技监局" in province  # helper of a pair with an agency there
    assert "江苏省常熟市技监局" not in province  # its pair is in 辽宁


@pytest.mark.parametrize(
    "url",
    [
        "/regions/abc/",
        "/regions/999999/",
        "/regions/2302270/",
        "/pairs/999999/",
        "/agencies/999999/",
        "/meetings/no-such-meeting/",
        "/pairs/99999999999999999999999/",
        "/pairs/?page=99",
        "/agencies/?page=abc",
        "/meetings/?page=0",
    ],
)
def test_bad_codes_and_ids_are_404(client, meeting, url):
    assert client.get(url).status_code == 404


def test_open_data_answers_get_and_head_only(client, meeting):
    assert client.post("/data/pairs.json").status_code == 405
    assert client.head("/data/pairs.csv").status_code == 200


def test_the_pair_list_pages_a_hundred_pairs_in_order(client, settings):
    """Pages of 100 pairs by number, the total above them; the page after the last is a 404."""
    settings.QXS_APP_PAGE_CACHE = False
    HelpingPairFactory.create_batch(103, meeting=HelpingPairFactory().meeting)
    numbers = []
    for index, pair in enumerate(HelpingPair.objects.order_by("pk")):
        pair.order = 200 - index  # the list's order is not the pairs' creation order
        pair.save(update_fields=["order"])
        numbers.append(pair.order)
    numbers.sort()
    first, second = client.get("/pairs/"), client.get("/pairs/?page=2")
    assert [pair.order for pair in first.context["object_list"]] == numbers[:100]
    assert [pair.order for pair in second.context["object_list"]] == numbers[100:]
    assert "共 104 个" in second.content.decode()
    assert second.context["object_list"][0].helper.division.name
    assert client.get("/pairs/?page=3").status_code == 404


def test_the_pair_list_without_pairs(client):
    response = client.get("/pairs/")
    assert response.status_code == 200
    assert "共 0 个" in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_related_news_links_and_days_are_the_articles_own(client, meeting, prefix):
    """``news_rows()`` builds the links and days without ``get_absolute_url()``: the same ones,
    in the site's time zone (a late evening in UTC is the next day in Beijing), in English too."""
    pair = HelpingPair.objects.get(order=1)
    article = ArticleFactory(
        title="跨日的报道",
        published_at=datetime.datetime(2005, 1, 31, 20, 0, tzinfo=datetime.UTC),
        meeting=meeting,
    )
    article.pairs.add(pair)
    article.agencies.add(pair.helper)
    with translation.override("en" if prefix else "zh-hans"):
        url = article.get_absolute_url()
    assert url == f"{prefix}/news/2005/02/{article.pk}/"
    for page in (
        meeting.get_absolute_url(),
        pair.get_absolute_url(),
        pair.helper.get_absolute_url(),
    ):
        html = client.get(prefix + page).content.decode()
        news = html.split('class="related-news"')[1].split("</section>")[0]
        assert f'<a href="{url}">跨日的报道</a>' in news, page
        assert '<time datetime="2005-02-01">2005-02-01</time>' in news, page
