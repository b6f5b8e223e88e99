"""The starting 错敏字 lists (articles/data/wordcheck.json, whose "source" says where they come
from), and the newsroom's permissions for the two editorial groups.

审核 (chief editors) keep both word lists, decide pending revisions and see notifications; 编辑
(editors) may read the lists and the revisions.
"""

import json
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "wordcheck.json"

EDITOR_PERMISSIONS = [
    ("articles", "view_wrongword"),
    ("articles", "view_forbiddenword"),
    ("articles", "view_pendingrevision"),
]
CHIEF_EDITOR_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("articles", "add_wrongword"),
    ("articles", "change_wrongword"),
    ("articles", "delete_wrongword"),
    ("articles", "add_forbiddenword"),
    ("articles", "change_forbiddenword"),
    ("articles", "delete_forbiddenword"),
    ("articles", "change_pendingrevision"),
]


def load_lists(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    WrongWord = apps.get_model("articles", "WrongWord")
    ForbiddenWord = apps.get_model("articles", "ForbiddenWord")
    note = "初始词表"
    for entry in data["wrong_words"]:
        WrongWord.objects.get_or_create(
            wrong=entry["wrong"], defaults={"correct": entry["correct"], "note": note}
        )
    for entry in data["forbidden_words"]:
        ForbiddenWord.objects.get_or_create(
            word=entry["word"], defaults={"suggestion": entry["suggestion"], "note": note}
        )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in [("编辑", EDITOR_PERMISSIONS), ("审核", CHIEF_EDITOR_PERMISSIONS)]:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_newsroom_revisions_notifications_wordcheck"),
        ("articles", "0004_editorial_groups"),
    ]

    operations = [
        migrations.RunPython(load_lists, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
