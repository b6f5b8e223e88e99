from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = _("专题")

    def ready(self):
        # Content changes purge the cached pages that show them (qxs/purge.py).
        from . import purges

        purges.connect()
