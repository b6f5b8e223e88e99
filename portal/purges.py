"""Which cached pages a change to the site identity touches: every page (its name, logo,
footer and meta tags are in the shared chrome). Connected from ``PortalConfig.ready()``."""

from qxs import surrogate
from qxs.purge import purge_on_change

from .models import SiteIdentity


def connect():
    purge_on_change(SiteIdentity, lambda identity: [surrogate.SITE])
