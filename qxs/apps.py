from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QxsConfig(AppConfig):
    name = "qxs"
    verbose_name = _("站点")

    def ready(self):
        # Every process (web workers, shell, management commands) invalidates the page cache
        # when public content is written.
        from . import cache

        cache.connect_signals()
