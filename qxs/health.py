"""The health checks: ``/healthz`` (database and cache) and ``/healthz/database`` (database only).

Varnish probes ``/healthz/database``: the site serves fine without Redis (a cache error is a miss),
so Redis being down must not make the backend sick and switch Varnish to grace mode.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row is None or row[0] != 1:
        raise RuntimeError("unexpected answer to SELECT 1")


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("cache did not return the value it was given")


CHECKS = {"database": check_database, "cache": check_cache}


def health_response(parts=None):
    """200 with every part "ok", or 503 naming the part that failed (never a traceback).

    ``parts`` names the checks to run (all of them by default).
    """
    status = {}
    for name in parts or CHECKS:
        check = CHECKS[name]
        try:
            check()
        except Exception as exc:
            logger.warning("health check %s failed: %s", name, exc)
            status[name] = "error"
        else:
            status[name] = "ok"
    healthy = all(value == "ok" for value in status.values())
    response = JsonResponse(status, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
