from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site's own pages and chrome: the home page, error pages, the header and footer, the
    site identity, robots.txt and the sitemap index, and the demo and backup commands."""

    name = "portal"
    verbose_name = _("站点")

    def ready(self):
        # Content changes purge the cached pages that show them (qxs/purge.py).
        from qxs import cache

        from . import models, purges

        purges.connect()
        # Every page shows the identity: read with the next scheduled change, in one query.
        cache.register_site_wide(
            models.SITE_WIDE_NAME, models.site_identity_expressions, models.site_identity_from
        )
