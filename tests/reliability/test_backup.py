"""make backup / make restore: every model's rows and every media file come back exactly.

Runs on whichever database the suite uses: SQLite (online backup API) or PostgreSQL (pg_dump and
pg_restore against pytest's own test database, whose name pytest-django put in the connection).
"""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import new_backup_codes
from articles.models import Article, Notification, PendingRevision, StatusChange
from partnerships.models import Division
from portal.backup import MANIFEST, create_backup, restore_backup
from portal.models import SiteIdentity
from search.models import (
    PromotedItem,
    SearchDailyCount,
    SearchPromotion,
    SearchQueryLog,
    SearchSynonym,
)
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    ImageFactory,
    UserFactory,
    starting_word_lists,
)

# pg_dump and pg_restore work on committed rows, from their own connections.
pytestmark = pytest.mark.django_db(transaction=True)


# Tables the project never writes: taggit's generic tags (articles use TaggedArticle), and the
# axes logs for features left off (failure log, attempt expiration).
UNUSED_MODELS = {"taggit.TaggedItem", "axes.AccessFailureLog", "axes.AccessAttemptExpiration"}


def snapshot_database():
    """Every row of every model, as plain values, ordered by primary key."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def snapshot_media():
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def populate():
    """Rows in every model of the project: the seed's demo, articles with a cover image, an
    attachment, tags and history, an import, a search, a login failure, a session and more."""
    call_command("load_demo", verbosity=0)
    editor = UserFactory(username="backup-editor", is_staff=True)
    Group.objects.get_or_create(name="编辑")
    cover = ImageFactory(alt_text="座谈会现场")
    article = ArticleFactory(title="备份测试新闻", cover_image=cover, body="<p>正文</p>")
    article.tags.add("质量兴市", "帮扶")
    article.title = "备份测试新闻（修改）"
    article.save()
    AttachmentFactory(article=article, title="合作交流协议")
    StatusChange.objects.create(
        article=article, user=editor, from_status="draft", to_status="published"
    )
    LogEntry.objects.create(
        user=editor, object_id=str(article.pk), object_repr=str(article), action_flag=ADDITION
    )
    # The newsroom: the word lists, a pending revision of an import, and a notification.
    starting_word_lists()
    PendingRevision.objects.create(
        article=article, title="备份测试新闻（导入修订）", submitted_by=editor
    )
    Notification.objects.create(
        recipient=editor, article=article, kind=Notification.Kind.PUBLISHED, subject="稿件已发布"
    )
    SiteIdentity.objects.update_or_create(pk=1, defaults={"site_name": "质量兴市"})
    SearchSynonym.objects.create(terms="技监局\n质量技术监督局")
    promotion = SearchPromotion.objects.create(query="帮扶对子", synonyms="结对帮扶")
    PromotedItem.objects.create(promotion=promotion, article=article, position=1)
    SearchQueryLog.objects.create(term="质量兴市", result_count=1, took_ms=3)
    SearchDailyCount.objects.create(
        day=datetime.date(2026, 1, 5), term="技监局", searches=4, zero_result_searches=1
    )
    # The editor's second factor: an authenticator and backup codes.
    TOTPDevice.objects.create(user=editor, name="身份验证器", confirmed=True)
    new_backup_codes(editor)

    from imports.extract import extract
    from imports.services import Importer

    importer = Importer(publish=True)
    page = "质量兴市工作动态\n\n发布时间：2004-09-22\n\n温岭市代表团赴富裕县考察。".encode()
    importer.apply(importer.plan(extract(page, "page.txt"), "page.txt"))

    Client().force_login(editor)  # a session row
    with override_settings(AXES_ENABLED=True):
        # an axes access attempt (a failure) and an access log (a success)
        for username, password in [("intruder", "wrong"), ("backup-editor", "pw-for-tests")]:
            Client().post(reverse("admin:login"), {"username": username, "password": password})


def test_backup_and_restore_round_trip_every_model_and_media_file(tmp_path):
    """Back up, change and delete rows and files, restore: the database and the media folder are
    exactly as they were at the backup."""
    populate()
    before, media_before = snapshot_database(), snapshot_media()
    empty = sorted(
        label for label, rows in before.items() if not rows and label not in UNUSED_MODELS
    )
    assert empty == [], f"models without rows, not round-tripped: {empty}"
    assert any(name.startswith("images/") for name in media_before)
    assert any(name.startswith("attachments/") for name in media_before)

    folder = create_backup(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["database"] == connection.vendor
    assert "articles.0001_initial" in manifest["migrations"]

    # Damage: rows deleted, changed and added; a media file deleted and a stray one added.
    Article.objects.all().delete()
    Division.objects.update(name="改错的名字")
    UserFactory(username="created-after-the-backup")
    media_root = Path(settings.MEDIA_ROOT)
    next(path for path in media_root.rglob("*.png")).unlink()
    (media_root / "stray.txt").write_text("not in the backup")
    assert snapshot_database() != before

    restore_backup(folder)
    assert snapshot_database() == before
    assert snapshot_media() == media_before


def test_make_style_commands_back_up_and_restore(tmp_path, monkeypatch):
    """``manage.py backup`` prints the new folder under BACKUP_DIR; ``manage.py restore PATH
    --noinput`` restores it; without a path it takes the latest."""
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    ArticleFactory(title="命令备份")
    call_command("backup", stdout=(out := _Output()))
    folder = Path(out.text.strip())
    assert folder.parent == tmp_path and (folder / MANIFEST).exists()

    Article.objects.all().delete()
    call_command("restore", "--noinput", stdout=_Output())
    assert Article.objects.filter(title="命令备份").exists()


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path):
    """A backup whose files do not match their checksums is refused; the database is untouched."""
    ArticleFactory(title="不应丢失")
    folder = create_backup(tmp_path)
    dump = next(path for path in folder.iterdir() if path.name.startswith("database."))
    dump.write_bytes(dump.read_bytes()[:-10])
    Article.objects.create(title="备份之后", column=Article.objects.get().column)
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore", str(folder), "--noinput")
    assert Article.objects.count() == 2


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
