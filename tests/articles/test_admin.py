"""The editors' admin: lists, the change form, tags, preview and the supporting pages."""

import re

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    ImageFactory,
    StaffUserFactory,
    UserFactory,
)

Status = Article.Status


def test_changelist_shows_the_editorial_columns(editor_client):
    """Status (with scheduled time), column, publication time, author and version are listed."""
    ArticleFactory(title="已发布的稿件", author="张三")
    ArticleFactory(title="草稿", status=Status.DRAFT, published_at=None)
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    for text in ["已发布的稿件", "张三", "已发布", "草稿", "栏目", "发布时间", "版本"]:
        assert text in html


def test_changelist_filters_and_search(editor_client):
    """Filtering by status and searching the title narrow the list."""
    ArticleFactory(title="齐齐哈尔座谈会")
    ArticleFactory(title="温岭考察", status=Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_changelist")
    drafts = editor_client.get(url, {"status__exact": "draft"}).context["cl"].result_list
    assert [a.title for a in drafts] == ["温岭考察"]
    found = editor_client.get(url, {"q": "齐齐哈尔"}).context["cl"].result_list
    assert [a.title for a in found] == ["齐齐哈尔座谈会"]


def test_changelist_query_count_does_not_grow(editor_client, django_assert_max_num_queries):
    """The list (with its editable rows) costs the same number of queries for 3 or 30 rows."""
    url = reverse("admin:articles_article_changelist")
    column = ColumnFactory()
    counts = []
    for size in (3, 30):
        while Article.objects.count() < size:
            ArticleFactory(column=column)
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        editor_client.get(url)


def test_change_form_has_the_editor_and_no_inline_script(editor_client):
    """The body editor is loaded from static files: no inline script, no import map, no CDN."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert "data-qxs-prose-editor" in html
    assert "/static/admin/js/prose-editor-init.js" in html
    assert "/static/django_prose_editor/editor.js" in html
    assert 'type="importmap"' not in html
    inline_scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and "json" not in tag
    ]
    assert inline_scripts == []
    assert "//cdn" not in html and "https://" not in "".join(re.findall(r'src="[^"]*"', html))
    assert 'name="loaded_version"' in html


def test_add_form_creates_a_draft_by_the_editor(editor_client, editor):
    """A new article is a draft, created by whoever added it, with a first version."""
    column = ColumnFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "新稿件",
            "column": column.pk,
            "body": "<p>正文</p><script>x</script>",
            "new_tags": "质量兴市, 帮扶对子",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="新稿件")
    assert article.status == Status.DRAFT
    assert article.created_by == editor
    assert article.body == "<p>正文</p>"
    assert set(article.tags.values_list("name", flat=True)) == {"质量兴市", "帮扶对子"}
    assert article.history.get().history_type == "+"


def test_tags_are_chosen_by_autocomplete(editor_client):
    """Existing tags are offered by the admin's autocomplete as the editor types."""
    Tag.objects.create(name="质量兴市")
    Tag.objects.create(name="打假")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "质量"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["质量兴市"]


def test_tags_selected_and_new_are_saved_together(editor_client):
    """Chosen tags and typed new ones both end up on the article."""
    existing = Tag.objects.create(name="质量兴市")
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "loaded_version": article.version,
            "title": article.title,
            "column": article.column_id,
            "tags": [existing.pk],
            "new_tags": "东北振兴",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert set(article.tags.values_list("name", flat=True)) == {"质量兴市", "东北振兴"}


def test_preview_shows_a_draft_to_staff_and_never_caches(editor_client):
    """Staff see the draft as the public page would; the response is never cached."""
    article = ArticleFactory(title="尚未发布的稿件", status=Status.DRAFT, published_at=None)
    response = editor_client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 200
    assert "尚未发布的稿件" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_preview_is_hidden_from_everyone_else(client, db):
    """Anonymous and non-staff users are sent to the login page; staff without the article
    permission get 404; an unknown id is 404."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert "/login/" in client.get(url)["Location"]
    client.force_login(UserFactory())
    assert "/login/" in client.get(url)["Location"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    missing = reverse("admin:articles_article_preview", args=[article.pk + 1000])
    assert client.get(missing).status_code == 404


def test_move_page_for_an_unknown_move_or_article_is_404(client, db):
    """Typos in the URL give 404, not 500."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    article = ArticleFactory()
    assert (
        client.get(reverse("admin:articles_article_move", args=[article.pk, "x"])).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:articles_article_move", args=[999, "publish"])).status_code == 404
    )


def test_status_change_admin_is_read_only(client, db):
    """Even a superuser cannot add or edit workflow records by hand."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:articles_statuschange_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_statuschange_add")).status_code == 403


def test_column_and_image_admins(client, db):
    """Columns and pictures have their own lists; a picture shows its rendition."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ColumnFactory(name="工作动态")
    image = ImageFactory(file__width=800, file__height=400)
    assert "工作动态" in client.get(reverse("admin:articles_column_changelist")).content.decode()
    html = client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert image.rendition(320) in html
    html = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'srcset="' in html


def test_editor_bulk_actions_are_only_the_allowed_ones(editor_client):
    """An editor's action menu offers submitting, not publishing."""
    ArticleFactory(status=Status.DRAFT, published_at=None)
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'value="submit_selected"' in html
    assert 'value="publish_selected"' not in html
    assert 'value="delete_selected"' not in html


def test_chief_editor_has_every_move(client, db):
    """A chief editor's action menu has every move."""
    client.force_login(StaffUserFactory(groups=["审核"]))
    ArticleFactory()
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    for move in ["submit", "return", "publish", "schedule", "unpublish", "archive", "unarchive"]:
        assert f'value="{move}_selected"' in html


def test_publish_permission_is_defined(db):
    """The custom permission exists with a Chinese name."""
    permission = Permission.objects.get(codename="publish_article")
    assert "发布" in permission.name
