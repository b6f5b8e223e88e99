"""Chinese names where Django and django-simple-history store or generate English ones.

- Permission names are written into the database in English when the tables are created
  ("Can add 稿件"); the group and user pages list them. After every migrate, the standard ones
  (add, change, delete, view) are renamed in Chinese from the model's Chinese name. Custom
  permissions keep the name their model gives them.
- The history of an article's agencies and pairs is kept in two generated models named
  ``HistoricalArticle_agencies`` and ``HistoricalArticle_pairs``; they get Chinese names too.
"""

from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}
HISTORY_MODEL_NAMES = {
    "historicalarticle_agencies": _("稿件历史版本的涉及机构"),
    "historicalarticle_pairs": _("稿件历史版本的涉及帮扶对子"),
}


def name_history_models():
    for model_name, name in HISTORY_MODEL_NAMES.items():
        try:
            model = apps.get_model("articles", model_name)
        except LookupError:
            continue
        model._meta.verbose_name = name
        model._meta.verbose_name_plural = name


def name_permissions(using="default", **kwargs):
    """Rename the standard permissions of every installed model in Chinese (post_migrate)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    with translation.override("zh-hans"):
        wanted = {}
        for model in apps.get_models():
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            verbose_name = str(model._meta.verbose_name)
            for action, word in ACTIONS.items():
                wanted[(content_type.pk, f"{action}_{model._meta.model_name}")] = (
                    f"可以{word}{verbose_name}"
                )[:255]
    changed = []
    for permission in Permission.objects.using(using).filter(name__startswith="Can "):
        name = wanted.get((permission.content_type_id, permission.codename))
        if name and permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])
