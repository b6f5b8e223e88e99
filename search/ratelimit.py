"""The search flood limit: so many searches per client address per window, shared by every process.

Searches are never cached, so each one reaches the database; a loop of distinct queries from one
address could keep it busy for everyone. The count lives in the default cache: Redis when
``REDIS_URL`` is set (one count for every process and machine), local memory otherwise (one count
per process, enough for ``make run``). A fixed window: the key names the window, so a count
disappears with it and nothing has to be reset.

Redis unreachable: the cache backend (qxs.cache_backends.ResilientRedisCache) answers as if the
key were missing, so the count cannot be read and the search goes ahead. Searching is never
refused because the limiter is down.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from qxs.security import client_ip

logger = logging.getLogger(__name__)


def count_search(address, now=None):
    """Count one search from ``address``; return the seconds to wait when over the limit, else 0."""
    limit = settings.QXS_SEARCH_RATE_LIMIT
    if limit <= 0:
        return 0
    window = settings.QXS_SEARCH_RATE_WINDOW_SECONDS
    now = time.time() if now is None else now
    started = int(now // window) * window
    key = f"search-rate:{started}:{address}"
    try:
        # add() creates the count for this window (with a timeout that outlives it slightly);
        # incr() is atomic in Redis, so processes counting at once never lose a search.
        cache.add(key, 0, timeout=window + 5)
        count = cache.incr(key)
    except ValueError:
        # The key is not there even after add(): the cache cannot be reached. No limit.
        return 0
    if count <= limit:
        return 0
    if count == limit + 1:
        logger.warning("Search rate limit reached by %s (%d in %d s)", address, limit, window)
    return max(1, int(started + window - now + 0.999))


def too_many_searches(retry_after):
    """429 in Chinese with ``Retry-After``. Rendered without the request, so no context processor
    runs and nothing reads the database: a flood should cost as little as possible."""
    response = HttpResponse(render_to_string("429.html", {"retry_after": retry_after}), status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def limit_searches(view):
    """Decorator for the search view: requests with a query (``q``) count toward the limit."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if "q" in request.GET:
            retry_after = count_search(client_ip(request) or "unknown")
            if retry_after:
                return too_many_searches(retry_after)
        return view(request, *args, **kwargs)

    return wrapper
