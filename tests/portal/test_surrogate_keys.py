"""Every public page names what it shows in its surrogate keys (``qxs.surrogate``).

The keys are what a purge finds pages by: a page that shows an article, a pair or an agency
without naming it would stay stale in Varnish. Each test reads the keys the view recorded on the
request (``qxs.surrogate.keys_of``), which the page-cache middleware turns into the ``xkey``
header.
"""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from qxs import surrogate
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ColumnFactory,
    CooperationActivityFactory,
    HelpingPairFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def site(django_capture_on_commit_callbacks):
    """An article with everything an article page shows, and the things around it (its related
    news stored as after a commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _site()


def _site():
    column = ColumnFactory(slug="work")
    meeting = MeetingFactory()
    pair = HelpingPairFactory(meeting=meeting)
    MeetingParticipantFactory(meeting=meeting, agency=pair.helper)
    agency = pair.helper
    manual = ArticleFactory(title="手动相关", published_at=at(2003, 1, 1))
    shared = ArticleFactory(title="同一标签", published_at=at(2003, 2, 1))
    shared.tags.add("质量兴市")
    older = ArticleFactory(title="较早", column=column, published_at=at(2004, 9, 1))
    article = ArticleFactory(
        title="正文", column=column, published_at=at(2004, 9, 10), meeting=meeting, featured=True
    )
    newer = ArticleFactory(title="较新", column=column, published_at=at(2004, 9, 20))
    article.tags.add("质量兴市")
    article.agencies.add(agency)
    article.pairs.add(pair)
    article.related.add(manual)
    CooperationActivityFactory(pair=pair, article=article)
    return {
        "column": column,
        "meeting": meeting,
        "pair": pair,
        "agency": agency,
        "article": Article.objects.get(pk=article.pk),
        "older": older,
        "newer": newer,
        "manual": manual,
        "shared": shared,
        "tag": article.tags.get(),
    }


def keys(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return set(surrogate.keys_of(response.wsgi_request))


def article_key(article):
    return surrogate.article(article.pk)


def test_article_page_names_the_article_and_everything_it_links(client, site):
    found = keys(client, site["article"].get_absolute_url())
    assert {
        article_key(site["article"]),
        surrogate.column(site["column"].pk),
        surrogate.tag(site["tag"].pk),
        surrogate.agency(site["agency"].pk),
        surrogate.pair(site["pair"].pk),
        surrogate.meeting(site["meeting"].pk),
        article_key(site["manual"]),  # related, chosen by hand
        article_key(site["shared"]),  # related by a shared tag
        article_key(site["newer"]),  # 上一篇
        article_key(site["older"]),  # 下一篇
    } <= found


@pytest.mark.parametrize("query", ["", "?page=1", "?column=work", "?q=正文"])
def test_news_list_names_news_and_each_row(client, site, query):
    found = keys(client, reverse("articles:list") + query)
    assert surrogate.NEWS in found
    assert article_key(site["article"]) in found


def test_column_page_names_its_column_and_rows(client, site):
    found = keys(client, reverse("articles:column", args=["work"]))
    assert {surrogate.NEWS, surrogate.column(site["column"].pk)} <= found
    assert {article_key(site[name]) for name in ("article", "older", "newer")} <= found


def test_tag_page_names_its_tag_and_rows(client, site):
    found = keys(client, reverse("articles:tag", args=["质量兴市"]))
    assert {surrogate.NEWS, surrogate.tag(site["tag"].pk)} <= found
    assert {article_key(site["article"]), article_key(site["shared"])} <= found
    assert article_key(site["older"]) not in found  # not tagged, not shown


@pytest.mark.parametrize("args", [[2004], [2004, "09"]])
def test_archive_pages_name_news_and_rows(client, site, args):
    name = "articles:archive-year" if len(args) == 1 else "articles:archive-month"
    found = keys(client, reverse(name, args=args))
    assert surrogate.NEWS in found
    assert {article_key(site[name]) for name in ("article", "older", "newer")} <= found
    assert article_key(site["manual"]) not in found  # 2003


def test_home_page_names_home_news_articles_meeting_and_pairs(client, site):
    found = keys(client, reverse("home"))
    assert {
        surrogate.HOME,
        surrogate.NEWS,
        article_key(site["article"]),
        article_key(site["newer"]),
        surrogate.meeting(site["meeting"].pk),
        surrogate.pair(site["pair"].pk),
    } <= found


@pytest.mark.parametrize(
    ("name", "args", "collection"),
    [
        ("articles:feed", [], lambda site: surrogate.NEWS),
        ("articles:feed-atom", [], lambda site: surrogate.NEWS),
        ("articles:column-feed", ["work"], lambda site: surrogate.column(site["column"].pk)),
        ("articles:tag-feed", ["质量兴市"], lambda site: surrogate.tag(site["tag"].pk)),
    ],
)
def test_feeds_name_their_collection_and_items(client, site, name, args, collection):
    found = keys(client, reverse(name, args=args))
    assert collection(site) in found
    assert article_key(site["article"]) in found


def test_meeting_pages_name_meetings_pairs_agencies_and_articles(client, site):
    found = keys(client, reverse("partnerships:meeting-list"))
    assert {surrogate.MEETINGS, surrogate.meeting(site["meeting"].pk)} <= found
    found = keys(client, site["meeting"].get_absolute_url())
    assert {
        surrogate.meeting(site["meeting"].pk),
        surrogate.pair(site["pair"].pk),
        surrogate.agency(site["agency"].pk),
        article_key(site["article"]),
    } <= found


def test_pair_pages_name_pairs_agencies_and_articles(client, site):
    pair = site["pair"]
    found = keys(client, reverse("partnerships:pair-list"))
    assert {surrogate.PAIRS, surrogate.pair(pair.pk), surrogate.agency(pair.helped_id)} <= found
    found = keys(client, pair.get_absolute_url())
    assert {
        surrogate.pair(pair.pk),
        surrogate.agency(pair.helper_id),
        surrogate.agency(pair.helped_id),
        article_key(site["article"]),
    } <= found


def test_agency_pages_name_agencies_pairs_meetings_and_articles(client, site):
    agency = site["agency"]
    found = keys(client, reverse("partnerships:agency-list"))
    assert {surrogate.AGENCIES, surrogate.agency(agency.pk)} <= found
    found = keys(client, agency.get_absolute_url())
    assert {
        surrogate.agency(agency.pk),
        surrogate.pair(site["pair"].pk),
        surrogate.meeting(site["meeting"].pk),
        article_key(site["article"]),
    } <= found


def test_region_page_names_its_division_and_what_is_in_it(client, site):
    agency = site["agency"]
    other = AgencyFactory(division__code="810000")
    found = keys(client, reverse("partnerships:region-detail", args=[agency.division.code]))
    assert {
        surrogate.division(agency.division_id),
        surrogate.agency(agency.pk),
        surrogate.pair(site["pair"].pk),
    } <= found
    assert surrogate.agency(other.pk) not in found


@pytest.mark.parametrize(
    ("name", "collection"),
    [
        ("open-data:pairs-json", surrogate.PAIRS),
        ("open-data:pairs-csv", surrogate.PAIRS),
        ("open-data:agencies-json", surrogate.AGENCIES),
        ("open-data:agencies-csv", surrogate.AGENCIES),
    ],
)
def test_open_data_names_its_rows(client, site, name, collection):
    found = keys(client, reverse(name))
    assert collection in found
    assert surrogate.agency(site["agency"].pk) in found


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("articles", surrogate.NEWS),
        ("pairs", surrogate.PAIRS),
        ("agencies", surrogate.AGENCIES),
        ("meetings", surrogate.MEETINGS),
    ],
)
def test_sitemap_sections_name_their_set_of_rows(client, site, section, key):
    assert key in keys(client, reverse("sitemap-section", args=[section]))
    assert key in keys(client, reverse("sitemap-index"))


def test_site_map_names_meetings_pairs_and_agencies(client, site):
    found = keys(client, reverse("site-map"))
    pair = site["pair"]
    assert {
        surrogate.MEETINGS,
        surrogate.PAIRS,
        surrogate.meeting(site["meeting"].pk),
        surrogate.pair(pair.pk),
        surrogate.agency(pair.helper_id),
        surrogate.agency(pair.helped_id),
    } <= found


def test_a_page_names_only_what_it_shows(client, site):
    """An article page does not name an unrelated article."""
    unrelated = ArticleFactory(title="无关", published_at=at(2010, 1, 1))
    assert article_key(unrelated) not in keys(client, site["article"].get_absolute_url())
