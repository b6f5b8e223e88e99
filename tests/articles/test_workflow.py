"""The editorial workflow: who may make which status move, how moves are recorded, scheduling."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, StatusChange
from tests.factories import ArticleFactory, StaffUserFactory, UserFactory

Status = Article.Status
ROLES = ["anonymous", "editor", "chief", "superuser"]
# (move, starting status, status afterwards)
MOVES = [
    ("submit", Status.DRAFT, Status.REVIEW),
    ("return", Status.REVIEW, Status.DRAFT),
    ("publish", Status.DRAFT, Status.PUBLISHED),
    ("publish", Status.REVIEW, Status.PUBLISHED),
    ("schedule", Status.REVIEW, Status.PUBLISHED),
    ("unpublish", Status.PUBLISHED, Status.DRAFT),
    ("archive", Status.PUBLISHED, Status.ARCHIVED),
    ("unarchive", Status.ARCHIVED, Status.DRAFT),
]
ALLOWED = {
    "anonymous": set(),
    "editor": {"submit"},
    "chief": {"submit", "return", "publish", "schedule", "unpublish", "archive", "unarchive"},
    "superuser": {"submit", "return", "publish", "schedule", "unpublish", "archive", "unarchive"},
}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_user(role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "editor":
        return StaffUserFactory(groups=["编辑"])
    if role == "chief":
        return StaffUserFactory(groups=["审核"])
    return UserFactory(is_staff=True, is_superuser=True)


def make_article(status):
    published_at = timezone.now() - datetime.timedelta(days=1) if status != Status.DRAFT else None
    return ArticleFactory(status=status, published_at=published_at)


def test_groups_are_created_with_the_right_permissions(db):
    """The data migration makes 编辑 without and 审核 with the publish permission."""
    editor = Group.objects.get(name="编辑")
    chief = Group.objects.get(name="审核")
    assert not editor.permissions.filter(codename="publish_article").exists()
    assert chief.permissions.filter(codename="publish_article").exists()
    assert editor.permissions.filter(codename="change_article").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("move", "source", "target"), MOVES)
def test_permission_matrix_in_services(role, move, source, target):
    """Every role and move: an allowed move changes the status and is recorded; others fail."""
    user = make_user(role)
    article = make_article(source)
    later = timezone.now() + datetime.timedelta(days=2)
    if move in ALLOWED[role]:
        change = services.move_article(article, move, user, comment="说明", publish_at=later)
        article.refresh_from_db()
        assert article.status == target
        assert (change.from_status, change.to_status, change.user, change.comment) == (
            source,
            target,
            user,
            "说明",
        )
    else:
        with pytest.raises(services.MoveNotAllowed):
            services.move_article(article, move, user, publish_at=later)
        article.refresh_from_db()
        assert article.status == source
        assert not StatusChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("move", "source", "target"), MOVES)
def test_permission_matrix_in_the_admin_buttons(client, role, move, source, target):
    """The move pages: login for anonymous, 403 for a move the role lacks, the move otherwise."""
    user = make_user(role)
    if role != "anonymous":
        client.force_login(user)
    article = make_article(source)
    url = reverse("admin:articles_article_move", args=[article.pk, move])
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=2))
    data = {
        "comment": "按钮",
        "loaded_version": article.version,
        "publish_at_0": later.strftime("%Y-%m-%d"),
        "publish_at_1": later.strftime("%H:%M:%S"),
    }
    page = client.get(url)
    response = client.post(url, data)
    article.refresh_from_db()
    if role == "anonymous":
        assert page.status_code == 302 and "/login/" in page["Location"]
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert article.status == source
    elif move in ALLOWED[role]:
        assert page.status_code == 200
        assert response.status_code == 302
        assert article.status == target
        assert StatusChange.objects.get().comment == "按钮"
    else:
        assert page.status_code == 403
        assert response.status_code == 403
        assert article.status == source


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "chief", "superuser"])
@pytest.mark.parametrize(("move", "source", "target"), MOVES)
def test_permission_matrix_in_bulk_actions(client, role, move, source, target):
    """A bulk action the role lacks is not offered and changes nothing; an allowed one needs
    the confirmation page, then moves every selected article."""
    client.force_login(make_user(role))
    articles = [make_article(source), make_article(source)]
    changelist = reverse("admin:articles_article_changelist")
    selection = {"action": f"{move}_selected", "_selected_action": [a.pk for a in articles]}
    first = client.post(changelist, {**selection, "index": 0})
    assert all(a.status == source for a in Article.objects.all())
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=2))
    confirm = {
        **selection,
        "confirm": "yes",
        "comment": "批量",
        "publish_at_0": later.strftime("%Y-%m-%d"),
        "publish_at_1": later.strftime("%H:%M:%S"),
        **{f"version_{a.pk}": a.version for a in articles},
    }
    client.post(changelist, confirm)
    statuses = set(Article.objects.values_list("status", flat=True))
    if move in ALLOWED[role]:
        assert first.status_code == 200
        assert "确认" in first.content.decode()
        assert statuses == {target}
        assert StatusChange.objects.filter(comment="批量").count() == 2
    else:
        assert statuses == {source}
        assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_editor_cannot_publish_through_the_change_form(client):
    """Status is not a form field: posting status=published leaves a draft a draft."""
    editor = StaffUserFactory(groups=["编辑"])
    client.force_login(editor)
    article = make_article(Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "loaded_version": article.version,
            "title": "改过的标题",
            "column": article.column_id,
            "status": "published",
            "published_at_0": "2004-09-20",
            "published_at_1": "10:00:00",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "改过的标题"
    assert article.status == Status.DRAFT
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_editor_cannot_publish_through_list_editable(client):
    """The list's editable columns do not include the status."""
    client.force_login(StaffUserFactory(groups=["编辑"]))
    article = make_article(Status.DRAFT)
    client.post(
        reverse("admin:articles_article_changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": article.pk,
            "form-0-column": article.column_id,
            "form-0-status": "published",
            "form-0-loaded_version": article.version,
            "_save": "保存",
        },
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT


@pytest.mark.django_db
def test_editor_sees_a_published_article_read_only(client):
    """Editors change drafts and articles in review; a published one is view-only for them."""
    client.force_login(StaffUserFactory(groups=["编辑"]))
    article = make_article(Status.PUBLISHED)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    response = client.post(url, {"title": "篡改", "loaded_version": article.version})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "篡改"


@pytest.mark.django_db
def test_change_page_shows_only_the_allowed_buttons_and_the_record(client):
    """The article's page offers the role's moves and lists each recorded move with comment."""
    chief = StaffUserFactory(groups=["审核"])
    article = make_article(Status.DRAFT)
    services.move_article(article, "submit", chief, comment="请审核第二段")
    client.force_login(StaffUserFactory(groups=["编辑"]))
    editor_page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = editor_page.content.decode()
    assert "请审核第二段" in html
    assert reverse("admin:articles_article_move", args=[article.pk, "publish"]) not in html
    client.force_login(chief)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert reverse("admin:articles_article_move", args=[article.pk, "publish"]) in html
    assert reverse("admin:articles_article_move", args=[article.pk, "return"]) in html


@pytest.mark.django_db
def test_scheduled_publication_appears_at_its_time_without_cron(client):
    """A scheduled article is on no public page before its time and on them from that second."""
    chief = StaffUserFactory(groups=["审核"])
    when = datetime.datetime(2030, 1, 1, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime.datetime(2029, 12, 31, 9, 0, tzinfo=SHANGHAI), tick=False):
        article = make_article(Status.REVIEW)
        services.move_article(article, "schedule", chief, publish_at=when)
        article.refresh_from_db()
        assert article.is_scheduled
    with time_machine.travel(when - datetime.timedelta(seconds=1), tick=False):
        assert not Article.objects.published().exists()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in client.get(reverse("articles:list")).content.decode()
    with time_machine.travel(when, tick=False):
        assert list(Article.objects.published()) == [article]
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get(reverse("articles:list")).content.decode()


@pytest.mark.django_db
def test_schedule_needs_a_future_time():
    """Scheduling for a past moment is refused and changes nothing."""
    chief = StaffUserFactory(groups=["审核"])
    article = make_article(Status.REVIEW)
    with pytest.raises(services.MoveNotAllowed):
        services.move_article(
            article, "schedule", chief, publish_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    article.refresh_from_db()
    assert article.status == Status.REVIEW


@pytest.mark.django_db
def test_publish_keeps_a_past_time_and_replaces_a_future_one():
    """An old imported article keeps its date; a draft with a future time is published now."""
    chief = StaffUserFactory(groups=["审核"])
    old = ArticleFactory(
        status=Status.DRAFT, published_at=datetime.datetime(2004, 9, 21, tzinfo=SHANGHAI)
    )
    services.move_article(old, "publish", chief)
    assert old.published_at == datetime.datetime(2004, 9, 21, tzinfo=SHANGHAI)
    future = ArticleFactory(
        status=Status.DRAFT, published_at=timezone.now() + datetime.timedelta(days=3)
    )
    services.move_article(future, "publish", chief)
    assert future.published_at <= timezone.now()
    assert set(Article.objects.published()) == {old, future}


@pytest.mark.django_db
@pytest.mark.parametrize("move", ["unpublish", "archive"])
def test_unpublished_and_archived_articles_leave_the_site(client, move):
    """After unpublishing or archiving, the article page is gone and the list no longer has it."""
    chief = StaffUserFactory(groups=["审核"])
    article = make_article(Status.PUBLISHED)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.move_article(article, move, chief)
    assert client.get(url).status_code == 404
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_moves_call_save_so_post_save_listeners_see_them():
    """Status moves go through save(): a post_save receiver sees the new status."""
    from django.db.models.signals import post_save

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.status)

    post_save.connect(listener, sender=Article)
    try:
        article = make_article(Status.REVIEW)
        services.move_article(article, "publish", StaffUserFactory(groups=["审核"]))
    finally:
        post_save.disconnect(listener, sender=Article)
    assert seen[-1] == Status.PUBLISHED
