"""推荐结果 (issue 15, section 8): articles or pages staff attach to a query and its synonyms,
shown above the results with a label; articles only while public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from search.models import PromotedItem, SearchPromotion
from tests.factories import ArticleFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def promoted_block(response):
    page = response.content.decode()
    if 'class="search-promoted"' not in page:
        return ""
    return page.split('class="search-promoted"')[1].split("</section>")[0]


@pytest.fixture
def promotion():
    promotion = SearchPromotion.objects.create(query="帮扶对子", synonyms="结对帮扶\n对口 帮扶")
    article = ArticleFactory(title="八个帮扶对子名单")
    PromotedItem.objects.create(promotion=promotion, article=article, position=1)
    PromotedItem.objects.create(
        promotion=promotion, url="/pairs/", title="全部帮扶对子", position=2
    )
    return promotion


@pytest.mark.parametrize("query", ["帮扶对子", "结对帮扶", "对口帮扶", "  帮扶对子 "])
def test_the_query_and_its_synonyms_show_the_promoted_results_with_a_label(
    client, promotion, query
):
    block = promoted_block(client.get(URL, {"q": query}))
    assert "推荐结果" in block
    assert block.index("八个帮扶对子名单") < block.index('<a href="/pairs/">全部帮扶对子</a>')


def test_other_queries_show_none(client, promotion):
    assert promoted_block(client.get(URL, {"q": "帮扶"})) == ""
    assert promoted_block(client.get(URL, {"q": "质量"})) == ""


def test_promotions_come_above_the_results_and_only_on_the_first_page(client, promotion):
    for number in range(12):
        ArticleFactory(title=f"帮扶对子动态{number}")
    page = client.get(URL, {"q": "帮扶对子"}).content.decode()
    assert page.index('class="search-promoted"') < page.index('class="search-results"')
    assert promoted_block(client.get(URL, {"q": "帮扶对子", "page": 2})) == ""


def test_an_article_not_public_is_not_promoted_and_an_inactive_promotion_shows_nothing(
    client, promotion
):
    Article.objects.filter(title="八个帮扶对子名单").update(
        unpublish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    block = promoted_block(client.get(URL, {"q": "帮扶对子"}))
    assert "八个帮扶对子名单" not in block and "全部帮扶对子" in block
    promotion.active = False
    promotion.save()
    assert promoted_block(client.get(URL, {"q": "帮扶对子"})) == ""


def test_an_item_is_an_article_or_a_page_never_both_nor_neither(client):
    """The admin refuses an item with both or neither, with a message."""
    user = StaffUserFactory(is_superuser=True)
    client.force_login(user)
    article = ArticleFactory()
    data = {
        "query": "质量兴市",
        "synonyms": "",
        "active": "on",
        "items-TOTAL_FORMS": 1,
        "items-INITIAL_FORMS": 0,
        "items-0-position": 1,
        "items-0-article": article.pk,
        "items-0-url": "/pairs/",
        "items-0-title": "全部帮扶对子",
    }
    response = client.post(reverse("admin:search_searchpromotion_add"), data)
    assert response.status_code == 200
    assert "请选择一篇稿件，或者同时填写网址和标题（二者选一）。" in response.content.decode()
    data["items-0-article"] = ""
    data["items-0-url"] = "https://example.com/"
    response = client.post(reverse("admin:search_searchpromotion_add"), data)
    assert "请填写本站页面的地址，以 / 开头。" in response.content.decode()
    data["items-0-url"] = "/pairs/"
    assert client.post(reverse("admin:search_searchpromotion_add"), data).status_code == 302
    assert SearchPromotion.objects.get().keys == "|质量兴市|"
