from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from qxs import cache


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("新闻稿件")

    def ready(self):
        from . import admin_names, purges, related

        # Content changes purge the cached pages that show them (qxs/purge.py).
        purges.connect()
        admin_names.name_history_models()
        # After auth's own post_migrate handler has created the permissions in English.
        post_migrate.connect(admin_names.name_permissions, dispatch_uid="articles_permission_names")
        # Related news is stored and recomputed when an article or what it relates by changes.
        related.connect_signals()
        # Articles appear and go at set times: no cached page outlives the next one.
        cache.register_schedule(lambda now: self.get_model("Article").objects.scheduled_times(now))
