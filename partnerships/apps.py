from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("帮扶合作")

    def ready(self):
        # Content changes purge the cached pages that show them (qxs/purge.py).
        from . import purges

        purges.connect()
