"""Version history: every save is kept with who and when; versions can be compared and restored."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleConflict
from tests.articles.test_conflict import change_form_data as form_data
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    HelpingPairFactory,
    StaffUserFactory,
    UserFactory,
)

Status = Article.Status


@pytest.fixture
def editor(db):
    return StaffUserFactory(username="zhang", groups=["编辑"])


@pytest.fixture
def draft(db):
    article = ArticleFactory(
        status=Status.DRAFT,
        published_at=None,
        title="座谈会召开",
        body="<p>第一段。</p><p>第二段。</p>",
    )
    return Article.objects.get(pk=article.pk)


def test_every_save_is_a_version_with_who_and_when(client, editor, draft):
    """Admin saves, service moves and plain saves (management commands) all leave a version."""
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    assert client.post(url, form_data(draft, title="座谈会在齐齐哈尔召开")).status_code == 302
    draft.refresh_from_db()
    chief = StaffUserFactory(groups=["审核"])
    services.move_article(draft, "publish", chief)
    draft.summary = "命令行改的摘要"
    draft.save()

    records = list(draft.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~", "~", "~"]
    assert [r.history_user for r in records[1:]] == [editor, chief, None]
    assert records[1].title == "座谈会在齐齐哈尔召开"
    assert records[2].status == Status.PUBLISHED
    assert records[3].summary == "命令行改的摘要"
    assert [r.version for r in records] == [1, 2, 3, 4]


def test_one_admin_save_is_one_version_holding_its_relations(client, editor, draft):
    """Saving the form with new agencies writes one version, and it lists those agencies."""
    client.force_login(editor)
    agency = AgencyFactory(short_name="温岭市技监局")
    before = draft.history.count()
    url = reverse("admin:articles_article_change", args=[draft.pk])
    response = client.post(url, form_data(draft, agencies=[agency.pk]))
    assert response.status_code == 302
    assert draft.history.count() == before + 1
    latest = draft.history.first()
    assert list(latest.agencies.values_list("agency_id", flat=True)) == [agency.pk]
    history = client.get(reverse("admin:articles_article_history", args=[draft.pk]))
    assert "<td>涉及机构</td>" in history.content.decode()


def test_links_changed_from_the_other_side_are_versions_of_each_article(draft):
    """``agency.articles.add(article)`` (and remove, clear, and the same from a pair) keeps a
    version of every article whose links changed, holding the links as they now are. It used
    to fail with an AttributeError inside django-simple-history."""
    other = ArticleFactory()
    agency, pair = AgencyFactory(), HelpingPairFactory()

    def versions(article):
        return article.history.count()

    def latest_links(article):
        record = article.history.order_by("-history_date", "-history_id").first()
        return (
            list(record.agencies.values_list("agency_id", flat=True)),
            list(record.pairs.values_list("helpingpair_id", flat=True)),
        )

    before = versions(draft), versions(other)
    agency.articles.add(draft, other)
    assert (versions(draft), versions(other)) == (before[0] + 1, before[1] + 1)
    assert latest_links(draft) == ([agency.pk], [])
    pair.articles.add(draft)
    assert latest_links(draft) == ([agency.pk], [pair.pk])
    assert versions(other) == before[1] + 1

    agency.articles.remove(other)
    assert latest_links(other) == ([], [])
    agency.articles.clear()
    assert latest_links(draft) == ([], [pair.pk])
    pair.articles.clear()
    assert latest_links(draft) == ([], [])
    assert versions(draft) == before[0] + 4
    assert versions(other) == before[1] + 2


def test_compare_page_shows_fields_and_a_readable_body_diff(client, editor, draft):
    """Two versions side by side: the changed title, and the body with the edit marked."""
    first = draft.history.first()
    draft.title = "座谈会在齐齐哈尔召开"
    draft.body = "<p>第一段。</p><p>第二段改了。</p><p>新增的第三段。</p>"
    draft.save()
    second = draft.history.first()
    client.force_login(editor)
    url = reverse("admin:articles_article_compare", args=[draft.pk])
    response = client.get(url, {"a": first.history_id, "b": second.history_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert "座谈会召开" in html and "座谈会在齐齐哈尔召开" in html
    assert "<ins>改了</ins>" in html
    assert '<p class="qxs-added"><span class="qxs-sign">+</span>新增的第三段。</p>' in html
    assert "<script" not in html.split('id="content-main"')[1]


def test_compare_page_escapes_the_body_text(client, editor, draft):
    """Body text is shown as text in the diff, so no stored markup can run there."""
    draft.body = "<p>&lt;img src=x onerror=alert(1)&gt;</p>"
    draft.save()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_compare", args=[draft.pk])).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_compare_query_count_does_not_grow_with_history(
    client, editor, draft, django_assert_max_num_queries
):
    """The compare page reads the versions once, however many there are."""
    client.force_login(editor)
    url = reverse("admin:articles_article_compare", args=[draft.pk])
    for size in (2, 12):
        while draft.history.count() < size:
            draft.summary = f"摘要{draft.version}"
            draft.save()
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_restore_brings_back_content_as_a_new_version(client, editor, draft):
    """Restoring an old version copies its content back, keeps the status, and is itself a
    new version that can be undone."""
    old = draft.history.first()
    draft.title = "改坏的标题"
    draft.body = "<p>改坏的正文</p>"
    draft.save()
    versions_before = draft.history.count()
    client.force_login(editor)
    url = reverse("admin:articles_article_restore", args=[draft.pk, old.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "改坏的标题" in page.content.decode()
    response = client.post(url, {"loaded_version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.status) == ("座谈会召开", old.body, Status.DRAFT)
    assert draft.history.count() == versions_before + 1
    newest = draft.history.first()
    assert newest.history_user == editor
    assert "恢复" in newest.history_change_reason


def test_restore_goes_through_the_conflict_check(client, editor, draft):
    """A restore confirmed on a page showing an older current version is refused."""
    old = draft.history.first()
    stale_version = draft.version
    draft.title = "别人刚保存的标题"
    draft.save()
    client.force_login(editor)
    url = reverse("admin:articles_article_restore", args=[draft.pk, old.history_id])
    response = client.post(url, {"loaded_version": stale_version}, follow=True)
    assert "没有保存" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "别人刚保存的标题"
    with pytest.raises(ArticleConflict):
        services.restore_version(draft, old, editor, expected_version=stale_version)


def test_editor_cannot_restore_a_published_article(client, editor):
    """Restoring is changing: an editor may not do it on a published article."""
    article = ArticleFactory()
    record = article.history.first()
    client.force_login(editor)
    url = reverse("admin:articles_article_restore", args=[article.pk, record.history_id])
    assert client.post(url, {"loaded_version": article.version}).status_code == 403


def test_history_pages_need_staff(client, draft):
    """Anonymous visitors are sent to the login page; non-staff users too."""
    for url in [
        reverse("admin:articles_article_history", args=[draft.pk]),
        reverse("admin:articles_article_compare", args=[draft.pk]),
    ]:
        assert "/login/" in client.get(url)["Location"]
    client.force_login(UserFactory())
    assert (
        "/login/"
        in client.get(reverse("admin:articles_article_compare", args=[draft.pk]))["Location"]
    )


def test_history_page_lists_versions_with_compare_choices(client, editor, draft):
    """The history page offers two radio buttons per version and a compare button."""
    draft.title = "第二版"
    draft.save()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_history", args=[draft.pk])).content.decode()
    assert html.count('type="radio" name="a"') == 2
    assert reverse("admin:articles_article_compare", args=[draft.pk]) in html
    assert "标题" in html  # the changed field is named


def test_simple_history_revert_form_is_replaced_by_our_compare_page(client, editor, draft):
    """django-simple-history's own revert form (no conflict check) redirects to our page."""
    record = draft.history.first()
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[draft.pk, record.history_id])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:articles_article_compare", args=[draft.pk]) in response["Location"]


def test_history_page_query_count_does_not_grow(client, editor, draft):
    """The history page costs the same for 2 or 12 versions (no query per version)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = reverse("admin:articles_article_history", args=[draft.pk])
    counts = []
    for size in (2, 12):
        while draft.history.count() < size:
            draft.summary = f"摘要{draft.version}"
            draft.save()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_change_form_query_count_does_not_grow(client, editor, draft):
    """The change form costs the same with 2 or 10 recorded moves and versions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    counts = []
    for size in (2, 10):
        while draft.status_changes.count() < size:
            services.move_article(draft, "submit", editor)
            services.move_article(draft, "return", StaffUserFactory(groups=["审核"]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
