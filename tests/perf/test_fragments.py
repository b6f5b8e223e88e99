"""Fragments kept in the process (qxs/fragments.py, ``{% fragment %}``): never staler than a page.

The staleness tests of the page cache run again here with the page cache bypassed, so every
page is rendered and only fragments, values kept per generation and the process's article copy
could make it stale.
"""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from articles.models import Article
from portal.models import SiteIdentity
from qxs.fragments import FragmentStore, fragments
from tests.factories import ArticleFactory, ColumnFactory, HelpingPairFactory
from tests.perf.test_cache import (  # noqa: F401  (collected again, with this module's client)
    test_a_change_to_a_meeting_shows_at_once,
    test_a_change_to_a_pair_or_agency_shows_at_once,
    test_a_scheduled_article_appears_when_its_time_comes,
    test_bulk_writes_need_an_explicit_bump,
    test_editing_shows_at_once,
    test_publishing_shows_at_once,
    test_tag_changes_show_at_once,
    test_unpublishing_shows_at_once,
)

pytestmark = pytest.mark.django_db

BYPASS = "HTTP_X_NO_PAGE_CACHE"


@pytest.fixture
def client(settings):
    """An anonymous reader whose requests the page cache neither serves nor stores."""
    settings.QXS_PAGE_CACHE_BYPASS_HEADER = BYPASS
    return BypassingClient()


class BypassingClient(Client):
    def get(self, *args, **kwargs):
        kwargs.setdefault(BYPASS, "1")
        response = super().get(*args, **kwargs)
        # The imported tests look for X-Cache: hit on a second request; here no page is stored.
        assert "X-Cache" not in response
        response["X-Cache"] = "hit"
        return response


def text(response):
    assert response.status_code == 200
    return response.content.decode()


# The store.


def test_the_store_drops_the_least_recently_used_beyond_its_budget(settings):
    settings.QXS_FRAGMENT_CACHE_BYTES = 250
    store = FragmentStore()
    store.put("a", "A")  # weighs 102
    store.put("b", "B")
    assert store.get("a") == "A"  # now the most recent
    store.put("c", "C")
    assert (store.get("a"), store.get("b"), store.get("c")) == ("A", None, "C")
    store.put("big", "x" * 500)  # heavier than the whole budget: not kept
    assert store.get("big") is None and store.get("c") == "C"
    store.put("obj", object(), weight=240)  # pushes out everything else
    assert store.get("a") is None and store.weight == 240


def test_a_generation_entry_is_only_served_for_its_generation_and_before_it_expires():
    store = FragmentStore()
    store.put("k", "old", generation="1", expires=time.time() + 60)
    assert store.get("k", "1") == "old"
    assert store.get("k", "2") is None
    store.put("k", "soon", generation="2", expires=time.time() - 1)
    assert store.get("k", "2") is None


def test_a_budget_of_zero_keeps_nothing(settings):
    settings.QXS_FRAGMENT_CACHE_BYTES = 0
    store = FragmentStore()
    store.put("k", "v")
    assert store.get("k") is None


def test_a_content_keyed_fragment_follows_its_values():
    """Keyed by what it shows, a fragment is rendered again as soon as a value changes."""
    template = Template(
        '{% load qxs_tags %}{% fragment "t" title %}<b>{{ title }}</b>{% endfragment %}'
    )
    assert template.render(Context({"title": "甲"})) == "<b>甲</b>"
    assert template.render(Context({"title": "乙"})) == "<b>乙</b>"
    assert template.render(Context({"title": "甲"})) == "<b>甲</b>"
    assert len(fragments) == 2


def test_a_row_shows_a_bulk_edit_at_once_where_only_rows_are_kept(client):
    """Related news is rows only: a title changed by update() (no signal, no generation
    change) still shows in the related list of an article rendered for a new generation."""
    column = ColumnFactory()
    article = ArticleFactory(column=column, title="主稿")
    other = ArticleFactory(column=column, title="相关稿件旧标题")
    article.related.add(other)
    text(client.get(article.get_absolute_url()))
    Article.objects.filter(pk=other.pk).update(title="相关稿件新标题")
    ArticleFactory(title="另一篇，换一个内容版本")
    page = text(client.get(article.get_absolute_url()))
    assert "相关稿件新标题" in page and "相关稿件旧标题" not in page


# Pages rendered while their fragments are kept.


@pytest.mark.parametrize("path", ["/", "/news/", "/news/?page=2", "/pairs/", "article"])
def test_a_page_rendered_again_in_the_same_generation_runs_no_query(
    client, path, django_assert_num_queries
):
    """The page cache missed, but the content has not changed: no query at all."""
    articles = ArticleFactory.create_batch(25)
    HelpingPairFactory.create_batch(2)
    url = articles[0].get_absolute_url() if path == "article" else path
    text(client.get(url))
    with django_assert_num_queries(0):
        text(client.get(url))


def test_renaming_a_column_shows_in_the_sidebar_and_rows_at_once(client):
    column = ColumnFactory(name="旧栏目名")
    ArticleFactory(column=column)
    assert "旧栏目名" in text(client.get("/news/"))
    column.name = "新栏目名"
    column.save()
    page = text(client.get("/news/"))
    assert "新栏目名" in page and "旧栏目名" not in page


def test_the_site_identity_shows_at_once(client):
    identity = SiteIdentity.current()
    identity.sponsor = "某某市质量技术监督局"
    identity.save()
    text(client.get("/news/"))
    identity.sponsor = "某某市市场监督管理局"
    identity.save()
    page = text(client.get("/news/"))
    assert "某某市市场监督管理局" in page and "某某市质量技术监督局" not in page


def test_fragments_expire_within_the_configured_bound(client, settings):
    """With no scheduled article, a fragment kept per generation lives QXS_PAGE_CACHE_SECONDS."""
    import time_machine

    settings.QXS_PAGE_CACHE_SECONDS = 60
    article = ArticleFactory(title="有效期内")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        text(client.get("/news/"))
        Article.objects.filter(pk=article.pk).update(title="有效期后")
        assert "有效期内" in text(client.get("/news/"))
    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        assert "有效期后" in text(client.get("/news/"))


def test_a_signed_in_editor_reads_the_database(client):
    """Fragments kept per generation are not used for a request with a session."""
    article = ArticleFactory(title="匿名读者看到的")
    text(client.get("/news/"))
    text(client.get(article.get_absolute_url()))
    Article.objects.filter(pk=article.pk).update(title="数据库里的")
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    staff = Client()
    staff.force_login(editor)
    assert "数据库里的" in text(staff.get("/news/"))
    assert "数据库里的" in text(staff.get(article.get_absolute_url()))


def test_a_preview_neither_reads_nor_fills_the_store(client, rf):
    """An unsaved edit shown in a preview never reaches readers, and readers' fragments never
    hide the edit from the preview."""
    from django.contrib.auth.models import AnonymousUser

    from articles.views import render_article_page

    article = ArticleFactory(title="已发布的标题", summary="已发布的摘要")
    text(client.get(article.get_absolute_url()))
    article.title = "未保存的标题"
    article.summary = "未保存的摘要"
    request = rf.get("/admin/preview/")
    request.user = AnonymousUser()
    preview = render_article_page(request, article, preview=True).content.decode()
    assert "未保存的摘要" in preview and "已发布的摘要" not in preview
    page = text(client.get(Article.objects.get(pk=article.pk).get_absolute_url()))
    assert "已发布的摘要" in page and "未保存的" not in page


def test_a_template_edited_under_runserver_empties_the_store():
    """runserver reloads a changed template without restarting: its old fragments go."""
    from pathlib import Path

    from django.utils.autoreload import file_changed

    fragments.put("row", "<li>old</li>")
    file_changed.send(sender=None, file_path=Path("templates/includes/article_items.html"))
    assert fragments.get("row") is None


def test_each_request_gets_its_own_copy_of_a_kept_article(rf):
    """What a request loads onto the article (prefetched tags) never reaches the next one."""
    from django.db.models import prefetch_related_objects

    from articles.views import published_article

    article = ArticleFactory()
    article.tags.add("标签")
    published_article(rf.get("/"), article.pk)  # kept
    first = published_article(rf.get("/"), article.pk)  # a copy of the kept one
    prefetch_related_objects([first], "tags")
    first._state.fields_cache["cover_image"] = None
    second = published_article(rf.get("/"), article.pk)
    assert not hasattr(second, "_prefetched_objects_cache")
    assert "cover_image" not in second._state.fields_cache
    assert second.column.name == article.column.name  # the column stays loaded


def test_a_fragment_may_not_hold_a_block():
    """{% extends %} does not look inside fragments for blocks, so the tag refuses one."""
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template(
            '{% load qxs_tags %}{% fragment "x" %}{% block b %}{% endblock %}{% endfragment %}'
        )


def test_a_meeting_page_rendered_again_reads_only_the_meeting(client, django_assert_num_queries):
    """Its participants, pairs, regions and news are read only when its fragment is rendered."""
    meeting = HelpingPairFactory().meeting
    ArticleFactory(meeting=meeting)
    text(client.get(meeting.get_absolute_url()))
    with django_assert_num_queries(1):
        text(client.get(meeting.get_absolute_url()))
