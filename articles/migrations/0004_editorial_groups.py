"""The two editorial groups: 编辑 (editors) and 审核 (chief editors).

Editors write and edit drafts and submit them for review; chief editors may also publish, schedule,
unpublish, return and archive (``articles.publish_article``). Superusers need no group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "编辑"
CHIEF_EDITOR = "审核"

EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "view_column"),
    ("articles", "add_image"),
    ("articles", "change_image"),
    ("articles", "view_image"),
    ("articles", "add_attachment"),
    ("articles", "change_attachment"),
    ("articles", "delete_attachment"),
    ("articles", "view_attachment"),
    ("articles", "view_statuschange"),
    ("articles", "view_historicalarticle"),
    ("taggit", "add_tag"),
    ("taggit", "view_tag"),
    ("partnerships", "view_meeting"),
    ("partnerships", "view_agency"),
    ("partnerships", "view_helpingpair"),
]
CHIEF_EDITOR_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("articles", "publish_article"),
    ("articles", "delete_article"),
    ("articles", "add_column"),
    ("articles", "change_column"),
    ("articles", "delete_image"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in [(EDITOR, EDITOR_PERMISSIONS), (CHIEF_EDITOR, CHIEF_EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"Permission {app_label}.{codename} does not exist.")
            group.permissions.add(permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, CHIEF_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("partnerships", "0002_written_as_notes_and_targets"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
