"""Purging the HTTP caches in front of the site (Varnish) by surrogate key.

:func:`purge` is the one entry point: code that changes public content names the keys it touches
(see :mod:`qxs.surrogate`), and after the transaction commits a purge for them goes to every cache
listed in ``QXS_VARNISH_URLS``. Sending happens off the request path, so an editor's save never
waits for (or fails because of) a cache.
"""

from django.db import transaction


def purge(*keys):
    """Purge every cached page carrying one of ``keys``, once the current transaction commits.

    Outside a transaction the purge is scheduled at once. Keys given several times in one
    transaction are sent once.
    """
    keys = {key for key in keys if key}
    if not keys:
        return
    transaction.on_commit(lambda: _send(keys))


def _send(keys):
    """Hand ``keys`` to the sender (one PURGE per cache with an ``xkey-purge`` header).

    Placeholder until the sender lands: it does nothing, which is right for a site with no
    ``QXS_VARNISH_URLS``.
    """
