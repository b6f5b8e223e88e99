from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site's own pages and chrome: the home page, error pages, the header and footer, the
    site identity, robots.txt and the sitemap index, and the demo and backup commands."""

    name = "portal"
    verbose_name = _("站点")

    def ready(self):
        # Content changes purge the cached pages that show them (qxs/purge.py).
        from . import purges

        purges.connect()
