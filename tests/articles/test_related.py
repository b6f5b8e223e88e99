"""Related news is stored when content changes, and is never stale or early on a page.

Every change runs inside ``django_capture_on_commit_callbacks(execute=True)``: the boxes are
recomputed, and their pages purged, when the transaction commits, as on the live site.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import related
from articles.models import Article, RelatedNews, TaggedArticle
from qxs import purge as purge_module
from tests.factories import AgencyFactory, ArticleFactory

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block and then what its commit would run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def purged(monkeypatch):
    """The surrogate keys sent to the caches, in order."""
    sent = []
    monkeypatch.setattr(purge_module.sender, "submit", lambda keys: sent.extend(sorted(keys)))
    return sent


def box(article):
    return list(
        RelatedNews.objects.filter(article=article)
        .order_by("position")
        .values_list("related__title", flat=True)
    )


def tagged(title, when, *tags, **fields):
    article = ArticleFactory(title=title, published_at=when, **fields)
    article.tags.add(*tags)
    return article


def test_a_new_article_lists_the_earlier_ones_it_shares_tags_and_agencies_with(committed):
    agency = AgencyFactory()
    with committed():
        one = tagged("一项相同", at(2004, 1, 1), "质量兴市")
        two = tagged("两项相同", at(2004, 2, 1), "质量兴市")
        two.agencies.add(agency)
        tagged("无关", at(2004, 3, 1), "别的标签")
    with committed():
        article = tagged("新稿", at(2004, 9, 1), "质量兴市")
        article.agencies.add(agency)
    assert box(article) == ["两项相同", "一项相同"]
    # Publishing the new one changed no earlier box: they only list what came before them.
    assert box(two) == ["一项相同"]
    assert box(one) == []


def test_manual_choices_come_first(committed):
    with committed():
        shared = tagged("同标签", at(2004, 1, 1), "质量兴市")
        chosen = ArticleFactory(title="手动相关", published_at=at(2003, 1, 1))
        article = tagged("正文", at(2004, 9, 1), "质量兴市")
        article.related.add(chosen)
    assert box(article) == ["手动相关", "同标签"]
    assert shared.pk  # listed second, by its shared tag


def test_unpublishing_removes_it_from_every_box_and_purges_their_pages(committed, purged, client):
    with committed():
        earlier = tagged("较早稿件", at(2004, 1, 1), "质量兴市")
        later = tagged("较晚稿件", at(2004, 9, 1), "质量兴市")
    assert box(later) == ["较早稿件"]
    assert "较早稿件" in client.get(later.get_absolute_url()).content.decode()
    purged.clear()
    with committed():
        earlier.status = Article.Status.ARCHIVED
        earlier.save()
    assert box(later) == []
    assert f"article-{later.pk}" in purged
    assert "较早稿件" not in client.get(later.get_absolute_url()).content.decode()


def test_tag_changes_move_articles_in_and_out_of_boxes(committed, purged):
    with committed():
        earlier = tagged("较早稿件", at(2004, 1, 1), "质量兴市")
        later = tagged("较晚稿件", at(2004, 9, 1), "振兴东北")
    assert box(later) == []
    with committed():
        earlier.tags.add("振兴东北")
    assert box(later) == ["较早稿件"]
    assert f"article-{later.pk}" in purged
    purged.clear()
    with committed():
        later.tags.remove("振兴东北")
    assert box(later) == []
    assert purged == [f"article-{later.pk}"]


def test_agency_links_changed_from_the_agencys_side_refresh_the_boxes(committed, purged):
    """``agency.articles.add(...)`` and ``.remove(...)`` move articles in and out of boxes,
    and purge the pages whose box changed, as ``article.agencies`` does."""
    agency = AgencyFactory()
    with committed():
        earlier = ArticleFactory(title="较早稿件", published_at=at(2004, 1, 1))
        later = ArticleFactory(title="较晚稿件", published_at=at(2004, 9, 1))
    assert box(later) == []
    with committed():
        agency.articles.add(earlier, later)
    assert box(later) == ["较早稿件"]
    assert f"article-{later.pk}" in purged
    purged.clear()
    with committed():
        agency.articles.remove(earlier)
    assert box(later) == []
    assert f"article-{later.pk}" in purged
    with committed():
        agency.articles.add(earlier)
    assert box(later) == ["较早稿件"]
    with committed():
        agency.articles.clear()
    assert box(later) == []


def test_an_unchanged_box_is_not_purged(committed, purged):
    with committed():
        tagged("较早稿件", at(2004, 1, 1), "质量兴市")
        later = tagged("较晚稿件", at(2004, 9, 1), "质量兴市")
    purged.clear()
    with committed():
        later.title = "改了标题"
        later.save()
    assert f"article-{later.pk}" not in purged


def test_a_scheduled_article_is_never_shown_before_its_time(committed, client, time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC), tick=False)
    with committed():
        scheduled = tagged(
            "定时稿件", datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC), "质量兴市"
        )
        # Published now, chosen the scheduled one by hand and shares its tag.
        now_article = tagged("今日稿件", timezone.now() - datetime.timedelta(hours=1), "质量兴市")
        now_article.related.add(scheduled)
    url = now_article.get_absolute_url()
    assert "定时稿件" not in client.get(url).content.decode()
    time_machine.move_to(datetime.datetime(2024, 1, 3, tzinfo=datetime.UTC), tick=False)
    assert "定时稿件" in client.get(url).content.decode()


def test_a_scheduled_article_lists_only_what_is_published_before_it(committed):
    """Its box is computed early, but holds nothing published after its own time."""
    with committed():
        scheduled = tagged("定时稿件", timezone.now() + datetime.timedelta(days=1), "质量兴市")
        before = tagged("之前", timezone.now() - datetime.timedelta(days=1), "质量兴市")
    # ``before`` came after ``scheduled`` was written, yet is published earlier.
    assert box(before) == []  # the scheduled one is not before it
    assert box(scheduled) == []  # added to the site later: not a candidate


def test_deleting_an_article_refreshes_the_boxes_that_listed_it(committed, purged):
    with committed():
        earlier = tagged("较早稿件", at(2004, 1, 1), "质量兴市")
        also = tagged("也较早", at(2003, 1, 1), "质量兴市")
        later = tagged("较晚稿件", at(2004, 9, 1), "质量兴市")
    assert box(later) == ["较早稿件", "也较早"]
    purged.clear()
    with committed():
        earlier.delete()
    assert box(later) == ["也较早"]
    assert f"article-{later.pk}" in purged
    assert also.pk


@pytest.fixture
def one_candidate(monkeypatch):
    """Each tag and agency offers only the one article just before: a small archive then
    behaves as a large one does at ``RELATED_CANDIDATES``."""
    monkeypatch.setattr(related, "RELATED_CANDIDATES", 1)


@pytest.mark.parametrize("lose", ["untag", "unlink", "unlink from the agency", "clear", "delete"])
def test_losing_a_link_lets_later_boxes_reach_one_row_further_back(
    committed, purged, one_candidate, lose
):
    """A draft that shares a tag (or an agency) with later articles fills a candidate place
    without being listed. When it loses the tag (or agency, or is deleted), a later article's
    candidates reach one row further back, to an article its box now lists, though the draft
    was never in that box."""
    agency = AgencyFactory()
    with committed():
        oldest = tagged("最早稿件", at(2004, 1, 1), "质量兴市")
        draft = tagged("草稿", None, "质量兴市", status=Article.Status.DRAFT)
        later = tagged("较晚稿件", at(2004, 9, 1), "质量兴市")
        if lose.startswith(("unlink", "clear")):
            for article in (oldest, draft, later):
                article.tags.clear()
                article.agencies.add(agency)
    assert box(later) == []
    purged.clear()
    with committed():
        if lose == "untag":
            draft.tags.remove("质量兴市")
        elif lose == "unlink":
            draft.agencies.remove(agency)
        elif lose == "unlink from the agency":
            agency.articles.remove(draft)
        elif lose == "clear":
            draft.agencies.clear()
        else:
            draft.delete()
    assert box(later) == ["最早稿件"]
    assert f"article-{later.pk}" in purged
    assert oldest.pk


def test_refresh_related_news_fills_boxes_after_bulk_writes():
    """Bulk inserts send no signals; the command (and the migration's backfill) fills them."""
    earlier, later = Article.objects.bulk_create(
        [
            Article(
                title="较早",
                column=ArticleFactory().column,
                status="published",
                published_at=at(2004, 1, 1),
            ),
            Article(
                title="较晚",
                column=ArticleFactory().column,
                status="published",
                published_at=at(2004, 9, 1),
            ),
        ]
    )
    tag = tagged("带标签", at(2000, 1, 1), "质量兴市").tags.get()
    TaggedArticle.objects.bulk_create(
        [
            TaggedArticle(content_object=earlier, tag=tag),
            TaggedArticle(content_object=later, tag=tag),
        ]
    )
    assert box(later) == []
    call_command("refresh_related_news", verbosity=0)
    assert box(later) == ["较早"]  # "带标签" was added later: not a candidate
