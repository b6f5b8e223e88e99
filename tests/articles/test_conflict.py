"""No lost edits: a save based on an old version is refused, never a silent overwrite."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleConflict
from tests.factories import ArticleFactory, StaffUserFactory

Status = Article.Status
EMPTY_INLINES = {
    "attachments-TOTAL_FORMS": 0,
    "attachments-INITIAL_FORMS": 0,
    "status_changes-TOTAL_FORMS": 0,
    "status_changes-INITIAL_FORMS": 0,
}


def change_form_data(article, **changes):
    return {
        "loaded_version": article.version,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "column": article.column_id,
        "source": article.source,
        **EMPTY_INLINES,
        **changes,
    }


@pytest.fixture
def editors(client, db):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(StaffUserFactory(username="wang", groups=["编辑"]))
    second.force_login(StaffUserFactory(username="li", groups=["编辑"]))
    return first, second


@pytest.mark.django_db
def test_every_save_increments_the_version():
    """Each save adds one to the version."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    start = article.version
    article.title = "新标题"
    article.save()
    article.save(update_fields=["title"])
    article.refresh_from_db()
    assert article.version == start + 2


@pytest.mark.django_db
def test_a_stale_copy_cannot_be_saved():
    """Two copies loaded at the same version: the first save wins, the second raises."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    mine, theirs = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    theirs.title = "他们的标题"
    theirs.save()
    mine.title = "我的标题"
    with pytest.raises(ArticleConflict):
        mine.save()
    assert Article.objects.get(pk=article.pk).title == "他们的标题"
    assert mine.version == article.version  # unchanged, so a retry still fails


def test_second_editor_gets_a_conflict_on_the_change_form(editors):
    """Both open the form; the first saves; the second's save is refused with a link to the
    newer version, and the form shows what the second editor typed."""
    first, second = editors
    article = ArticleFactory(status=Status.DRAFT, published_at=None, title="原标题")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200
    loaded = change_form_data(article)

    assert first.post(url, {**loaded, "title": "王的标题"}).status_code == 302
    response = second.post(url, {**loaded, "title": "李的标题", "summary": "李写的摘要"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "没有保存" in html
    assert "wang" in html
    assert f'href="{url}"' in html
    assert "李的标题" in html and "李写的摘要" in html
    article.refresh_from_db()
    assert article.title == "王的标题"
    assert article.version == loaded["loaded_version"] + 1


def test_a_conflict_found_only_by_the_locked_update_is_no_500(editors, monkeypatch):
    """If the version check in the form passed but the locked UPDATE in save() refuses (a save
    landed in between), the admin answers with the form again instead of a 500; the second
    pass validates against the database and saves once."""
    from articles.forms import ArticleAdminForm

    _, second = editors
    article = ArticleFactory(status=Status.DRAFT, published_at=None, title="原标题")
    url = reverse("admin:articles_article_change", args=[article.pk])
    original_clean = ArticleAdminForm.clean
    passes = []

    def clean_with_a_stale_instance(form):
        cleaned = original_clean(form)
        passes.append(form.instance.version)
        if len(passes) == 1:
            form.instance.version -= 1  # what a save landing after validation looks like
        return cleaned

    monkeypatch.setattr(ArticleAdminForm, "clean", clean_with_a_stale_instance)
    start = article.version
    response = second.post(url, change_form_data(article, title="李的标题"))
    assert response.status_code == 302
    assert len(passes) == 2
    article.refresh_from_db()
    assert (article.title, article.version) == ("李的标题", start + 1)
    assert article.history.count() == 2


def test_list_editable_conflict(editors):
    """A list row changed by someone else since the list was loaded is refused, with the
    message on the row; rows that were not touched are not in the way."""
    _, second = editors
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    untouched = ArticleFactory(status=Status.DRAFT, published_at=None)
    changelist = reverse("admin:articles_article_changelist")
    page = second.get(changelist)
    assert 'name="form-0-loaded_version"' in page.content.decode()

    rows = list(page.context["cl"].result_list)
    data = {"form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 2, "_save": "保存"}
    for index, row in enumerate(rows):
        data |= {
            f"form-{index}-id": row.pk,
            f"form-{index}-column": row.column_id,
            f"form-{index}-loaded_version": row.version,
        }
        if row == article:
            data[f"form-{index}-featured"] = "on"

    # Someone else saves both articles in the meantime.
    for row in (article, untouched):
        other = Article.objects.get(pk=row.pk)
        other.summary = "别人的修改"
        other.save()

    response = second.post(changelist, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有保存" in html
    assert html.count("没有保存") == 1
    article.refresh_from_db()
    assert article.featured is False
    assert article.summary == "别人的修改"


def test_list_editable_saves_when_nobody_else_did(editors):
    """Without a conflict the list's editable columns save as usual."""
    first, _ = editors
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    response = first.post(
        reverse("admin:articles_article_changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": article.pk,
            "form-0-column": article.column_id,
            "form-0-featured": "on",
            "form-0-loaded_version": article.version,
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.featured is True


def test_list_editable_refuses_an_editor_on_a_published_row(editors):
    """An editor cannot change a published article through the list either."""
    first, _ = editors
    article = ArticleFactory()
    response = first.post(
        reverse("admin:articles_article_changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": article.pk,
            "form-0-column": article.column_id,
            "form-0-featured": "on",
            "form-0-loaded_version": article.version,
            "_save": "保存",
        },
    )
    assert response.status_code == 200
    assert "没有权限" in response.content.decode()
    article.refresh_from_db()
    assert article.featured is False


@pytest.mark.django_db
def test_bulk_action_skips_articles_changed_after_confirmation(client):
    """A bulk move applies to the versions shown on the confirmation page; an article saved
    since is skipped and named, not overwritten."""
    client.force_login(StaffUserFactory(groups=["审核"]))
    kept = ArticleFactory(status=Status.REVIEW, published_at=None)
    changed = ArticleFactory(status=Status.REVIEW, published_at=None)
    changelist = reverse("admin:articles_article_changelist")
    selection = {"action": "publish_selected", "_selected_action": [kept.pk, changed.pk]}
    assert client.post(changelist, {**selection, "index": 0}).status_code == 200
    versions = {f"version_{a.pk}": a.version for a in (kept, changed)}
    other = Article.objects.get(pk=changed.pk)
    other.title = "确认之后改的标题"
    other.save()

    response = client.post(
        changelist, {**selection, **versions, "confirm": "yes", "comment": ""}, follow=True
    )
    html = response.content.decode()
    assert "确认之后改的标题" in html and "没有发布" in html
    kept.refresh_from_db()
    changed.refresh_from_db()
    assert kept.status == Status.PUBLISHED
    assert changed.status == Status.REVIEW


@pytest.mark.django_db
def test_move_button_refuses_a_stale_version(client):
    """The move page carries the version it showed; a newer save makes the move fail loudly."""
    chief = StaffUserFactory(groups=["审核"])
    client.force_login(chief)
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
    stale_version = article.version
    article.title = "刚刚改过"
    article.save()
    response = client.post(url, {"loaded_version": stale_version}, follow=True)
    assert "没有保存" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.REVIEW


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_cannot_both_win():
    """Two threads save copies of the same version at once: exactly one succeeds, the version
    goes up by one, and the stored title is the winner's."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    start = article.version
    copies = [Article.objects.get(pk=article.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = {}

    def save(index, copy):
        try:
            barrier.wait()
            copy.title = f"标题{index}"
            copy.save()
            results[index] = "saved"
        except ArticleConflict:
            results[index] = "conflict"
        except Exception as exc:  # SQLite may answer "database is locked" to the loser
            results[index] = type(exc).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i, c)) for i, c in enumerate(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [i for i, result in results.items() if result == "saved"]
    assert len(winners) == 1, results
    article.refresh_from_db()
    assert article.version == start + 1
    assert article.title == f"标题{winners[0]}"


@pytest.mark.django_db
def test_services_refuse_a_stale_expected_version():
    """move_article with an old expected_version raises and changes nothing."""
    chief = StaffUserFactory(groups=["审核"])
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    stale = article.version
    Article.objects.get(pk=article.pk).save()
    with pytest.raises(ArticleConflict):
        services.move_article(article, "publish", chief, expected_version=stale)
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
