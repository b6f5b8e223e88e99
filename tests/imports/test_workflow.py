"""Imports go through the editorial workflow: who imports, review, pending revisions, the
system user of import_pages, and articles a chief editor withdrew or archived."""

import shutil

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article, Notification, PendingRevision, StatusChange
from imports.models import ImportRecord
from tests.factories import StaffUserFactory, starting_word_lists

from .test_commands import imported, run
from .test_extract import SEED

pytestmark = pytest.mark.django_db
Status = Article.Status
UPLOAD = reverse("admin:imports_importrecord_upload")
CONFIRM = reverse("admin:imports_importrecord_confirm")
CHANGED = SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高").encode()


def import_in_admin(client, data, **fields):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(SEED.name, data), **fields})
    assert response.status_code == 200, response.content.decode()[:500]
    return client.post(CONFIRM, {"token": response.context["token"], "confirm": "1"}, follow=True)


@pytest.fixture
def editor(client):
    user = StaffUserFactory(groups=["编辑"], email="editor@example.gov.cn")
    client.force_login(user)
    return user


@pytest.fixture
def chief():
    return StaffUserFactory(groups=["审核"], email="chief@example.gov.cn")


def test_an_upload_asking_for_review_is_submitted_by_the_uploader(
    client, editor, chief, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_in_admin(client, SEED.read_bytes(), submit="on")
    article = imported(SEED.name)
    assert article.status == Status.REVIEW
    assert article.created_by == editor
    change = article.status_changes.get()
    assert (change.user, change.from_status, change.to_status) == (
        editor,
        Status.DRAFT,
        Status.REVIEW,
    )
    assert [m.to for m in mail.outbox] == [["chief@example.gov.cn"]]


def test_an_upload_without_review_is_a_draft_with_no_status_change(client, editor):
    import_in_admin(client, SEED.read_bytes())
    article = imported(SEED.name)
    assert article.status == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_an_editor_cannot_publish_by_upload_even_when_asking(client, editor):
    import_in_admin(client, SEED.read_bytes(), publish="on")
    assert imported(SEED.name).status == Status.DRAFT
    assert not Article.objects.filter(status=Status.PUBLISHED).exists()


def test_a_chief_editor_publishing_by_upload_is_recorded_as_them(client, chief):
    client.force_login(chief)
    import_in_admin(client, SEED.read_bytes(), publish="on")
    article = imported(SEED.name)
    assert article.status == Status.PUBLISHED
    change = article.status_changes.get()
    assert (change.user, change.to_status) == (chief, Status.PUBLISHED)
    # The related stubs too: every one of them published through a recorded move.
    for stub in Article.objects.filter(is_stub=True):
        assert stub.status_changes.get().user == chief


class TestPendingRevisions:
    @pytest.fixture
    def live(self):
        run("--publish", SEED)
        return imported(SEED.name)

    def test_an_editor_updating_a_live_article_leaves_a_pending_revision(
        self, client, editor, chief, live, django_capture_on_commit_callbacks
    ):
        before = (live.title, live.body, live.version)
        with django_capture_on_commit_callbacks(execute=True):
            response = import_in_admin(client, CHANGED)
        assert "待审修订 1" in response.content.decode()
        live.refresh_from_db()
        assert (live.title, live.body, live.version) == before
        revision = PendingRevision.objects.get()
        assert revision.submitted_by == editor
        assert "效率非常高" in revision.body
        assert Notification.objects.get(recipient=chief).kind == Notification.Kind.REVISION
        assert [m.to for m in mail.outbox] == [["chief@example.gov.cn"]]

    def test_a_chief_editor_compares_and_accepts(self, client, editor, chief, live):
        import_in_admin(client, CHANGED)
        revision = PendingRevision.objects.get()
        client.force_login(chief)
        url = reverse("admin:articles_pendingrevision_change", args=[revision.pk])
        page = client.get(url).content.decode()
        assert "网站上的文本" in page and "导入的修订" in page
        assert "<ins>非常</ins>" in page
        versions = live.history.count()
        response = client.post(url, {"accept": "1", "decision_note": "核实无误"})
        assert response.status_code == 302
        live.refresh_from_db()
        assert "效率非常高" in live.body
        assert live.status == Status.PUBLISHED
        assert live.history.count() == versions + 1
        revision.refresh_from_db()
        assert (revision.state, revision.decided_by, revision.decision_note) == (
            PendingRevision.State.ACCEPTED,
            chief,
            "核实无误",
        )
        # Decided once only.
        client.post(url, {"reject": "1"})
        revision.refresh_from_db()
        assert revision.state == PendingRevision.State.ACCEPTED

    def test_the_article_page_links_to_its_pending_revision(self, client, editor, chief, live):
        import_in_admin(client, CHANGED)
        revision = PendingRevision.objects.get()
        client.force_login(chief)
        page = client.get(reverse("admin:articles_article_change", args=[live.pk]))
        html = page.content.decode()
        assert "这篇稿件有导入的新文本等待审核" in html
        assert reverse("admin:articles_pendingrevision_change", args=[revision.pk]) in html

    def test_a_chief_editor_rejects_and_nothing_changes(
        self, client, editor, chief, live, django_capture_on_commit_callbacks
    ):
        import_in_admin(client, CHANGED)
        revision = PendingRevision.objects.get()
        client.force_login(chief)
        url = reverse("admin:articles_pendingrevision_change", args=[revision.pk])
        body = live.body
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"reject": "1", "decision_note": "原文有误"})
        live.refresh_from_db()
        assert live.body == body
        revision.refresh_from_db()
        assert revision.state == PendingRevision.State.REJECTED
        # The editor who imported it is told, with the note.
        assert [m.to for m in mail.outbox] == [["editor@example.gov.cn"]]
        assert "被拒绝" in mail.outbox[0].subject and "原文有误" in mail.outbox[0].body

    def test_an_editor_may_read_but_not_decide(self, client, editor, live):
        import_in_admin(client, CHANGED)
        revision = PendingRevision.objects.get()
        url = reverse("admin:articles_pendingrevision_change", args=[revision.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "采用修订" not in page.content.decode()
        assert client.post(url, {"accept": "1"}).status_code == 403
        revision.refresh_from_db()
        assert revision.state == PendingRevision.State.PENDING

    def test_a_missing_revision_is_404(self, client, chief):
        client.force_login(chief)
        url = reverse("admin:articles_pendingrevision_change", args=[999999])
        assert client.get(url).status_code == 404


def test_import_pages_publish_is_recorded_by_the_system_user():
    run("--publish", SEED)
    article = imported(SEED.name)
    change = article.status_changes.get()
    assert change.user.username == services.SYSTEM_USERNAME
    assert not change.user.is_active and not change.user.has_usable_password()
    assert (change.from_status, change.to_status) == (Status.DRAFT, Status.PUBLISHED)
    assert StatusChange.objects.filter(to_status=Status.PUBLISHED).count() == 6  # with 5 stubs


def test_import_pages_publish_never_republishes_a_withdrawn_article(tmp_path):
    page = tmp_path / SEED.name
    shutil.copy(SEED, page)
    run("--publish", page)
    article = imported(SEED.name)
    chief = StaffUserFactory(groups=["审核"])
    services.move_article(article, "unpublish", chief, comment="撤回核实")
    page.write_bytes(CHANGED)
    output = run("--publish", page)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert "效率非常高" in article.body  # a draft is updated in place
    assert "曾被撤回或归档" in output
    # The system's first publication and the chief editor's withdrawal, nothing after.
    assert list(article.status_changes.order_by("pk").values_list("to_status", flat=True)) == [
        Status.PUBLISHED,
        Status.DRAFT,
    ]


def test_import_pages_never_touches_an_archived_article(tmp_path):
    page = tmp_path / SEED.name
    shutil.copy(SEED, page)
    run("--publish", page)
    article = imported(SEED.name)
    services.move_article(article, "archive", StaffUserFactory(groups=["审核"]))
    body = article.body
    page.write_bytes(CHANGED)
    run("--publish", page)
    article.refresh_from_db()
    assert (article.status, article.body) == (Status.ARCHIVED, body)
    assert article.pending_revisions.count() == 1


def test_a_page_with_a_wrong_word_is_imported_as_a_draft_with_a_warning(tmp_path):
    starting_word_lists()
    page = tmp_path / "wrong.txt"
    page.write_text(
        "检测设备按装完毕\n发布时间：2004-09-21\n\n工作人员上门按装了检测设备。\n", encoding="utf-8"
    )
    output = run("--publish", page)
    article = ImportRecord.objects.get(source="wrong.txt").article
    assert article.status == Status.DRAFT
    assert "按装 → 安装" in output and "稿件保留为草稿" in output
