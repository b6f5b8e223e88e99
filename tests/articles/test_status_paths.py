"""Every path that changes an article's status writes a 状态变更 (StatusChange).

The paths: the admin's move buttons, the admin's bulk actions, the services called directly
(the permission matrix in test_workflow.py walks each move), an admin upload asking for review, an
admin upload published by a chief editor, ``import_pages --publish`` and ``load_demo`` (both as the
system user). After each, every article that is not a new draft has a status change whose new
status is its current one, made by the expected person.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, StatusChange
from tests.factories import ArticleFactory, StaffUserFactory
from tests.imports.test_extract import SEED

pytestmark = pytest.mark.django_db
Status = Article.Status


def assert_every_status_is_recorded(expected_user):
    """Each article not left a never-moved draft: its latest change leads to its status."""
    for article in Article.objects.all():
        latest = article.status_changes.order_by("-created_at", "-pk").first()
        if latest is None:
            assert article.status == Status.DRAFT, article.title
            continue
        assert latest.to_status == article.status, article.title
        assert latest.user == expected_user(article), article.title


def admin_button(client, chief, editor):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    client.force_login(chief)
    client.post(
        reverse("admin:articles_article_move", args=[article.pk, "publish"]),
        {"loaded_version": article.version},
    )
    return chief


def admin_bulk_action(client, chief, editor):
    articles = [ArticleFactory(), ArticleFactory()]
    client.force_login(chief)
    client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "archive_selected",
            "_selected_action": [a.pk for a in articles],
            "confirm": "yes",
            **{f"version_{a.pk}": a.version for a in articles},
        },
    )
    return chief


def services_directly(client, chief, editor):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    services.move_article(
        article, "schedule", chief, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    return chief


def admin_upload(client, user, publish):
    client.force_login(user)
    fields = {"publish": "on"} if publish else {"submit": "on"}
    response = client.post(
        reverse("admin:imports_importrecord_upload"),
        {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes()), **fields},
    )
    client.post(
        reverse("admin:imports_importrecord_confirm"),
        {"token": response.context["token"], "confirm": "1"},
    )
    return user


def admin_upload_for_review(client, chief, editor):
    return admin_upload(client, editor, publish=False)


def admin_upload_published(client, chief, editor):
    return admin_upload(client, chief, publish=True)


def import_pages_publish(client, chief, editor):
    call_command("import_pages", "--publish", str(SEED), stdout=io.StringIO())
    return services.system_user()


def load_demo(client, chief, editor):
    call_command("load_demo", stdout=io.StringIO())
    return services.system_user()


@pytest.mark.parametrize(
    "path",
    [
        admin_button,
        admin_bulk_action,
        services_directly,
        admin_upload_for_review,
        admin_upload_published,
        import_pages_publish,
        load_demo,
    ],
)
def test_every_path_records_its_status_changes(client, path):
    chief = StaffUserFactory(groups=["审核"])
    editor = StaffUserFactory(groups=["编辑"])
    user = path(client, chief, editor)
    assert StatusChange.objects.exists()
    assert_every_status_is_recorded(lambda article: user)
