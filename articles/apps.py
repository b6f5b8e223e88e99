from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("新闻稿件")

    def ready(self):
        # Content changes purge the cached pages that show them (qxs/purge.py).
        from . import purges

        purges.connect()
