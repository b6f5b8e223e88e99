"""One simple cache in the app: the content generation, values kept for it, and whole pages.

Public pages are served by Varnish (or a CDN) in production, purged by surrogate key
(:mod:`qxs.surrogate`, :mod:`qxs.purge`). What the app keeps itself is small:

- **The content generation**, a value that changes whenever public content changes: any save,
  delete or m2m change of a content model (signals), any successful staff POST (admin actions
  that write with ``QuerySet.update()``), and :func:`bump_content_generation` for bulk writers
  that bypass signals (``generate_content``, importers). It lives in Redis when the cache is
  shared; with the local-memory cache (``make run``, tests) it is the modification time of a small
  file in ``var/``, so the processes of one machine agree on it.
- **Values kept for a generation** (:func:`cached_for_generation`): counts, archive years, search
  id lists. Dropped when the generation changes and at the next scheduled change.
- **Whole anonymous pages** (:class:`PublicPageCacheMiddleware`), keyed by URL and generation, for
  ``make run`` and machines without Varnish. Off by default when ``QXS_VARNISH_URLS`` is set
  (``QXS_APP_PAGE_CACHE`` decides). The same middleware writes every response's caching headers:
  ``Cache-Control: public, max-age=60, s-maxage=S`` with the surrogate keys in ``xkey`` for
  public pages, ``private`` for everything else.

Time is the other way content changes: a published article with a future ``published_at``
appears when its time comes, one with a past ``unpublish_at`` (定时下线) leaves, and a pin
expires, all with no write at all. So nothing is kept past the next scheduled change, and no
page past ``QXS_PAGE_CACHE_SECONDS`` (600 s by default); ``s-maxage`` tells Varnish the same,
which is why scheduled changes need no purge. The next scheduled change is read with the other
values every page needs (the site identity) in one statement per request (:func:`site_wide`).

A cache error is a miss: the site serves from the database when Redis is down
(``qxs.cache_backends.ResilientRedisCache``).
"""

import contextvars
import functools
import hashlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

from . import surrogate
from .prepared import PreparedQuery, select

logger = logging.getLogger(__name__)

# Apps whose rows appear on public pages: a write to any of their models changes the generation.
CONTENT_APPS = frozenset({"articles", "partnerships", "taggit", "portal", "topics"})

GENERATION_KEY = "qxs:content-generation"
NEXT_CHANGE_KEY = "qxs:next-change:{generation}"
VALUE_KEY = "qxs:generation:{generation}:{name}"
PAGE_KEY = "qxs:page:{digest}"
NO_SCHEDULED = 0.0
# The name of the next scheduled change among the site-wide values (``site_wide``).
NEXT_CHANGE = "next_change"
# How long browsers keep a public page without asking again (at most s-maxage).
BROWSER_SECONDS = 60

NOT_PUBLIC_CACHE_CONTROL = ("private", "no-store", "no-cache")
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)


def page_cache_seconds():
    return getattr(settings, "QXS_PAGE_CACHE_SECONDS", 600)


def app_page_cache_enabled():
    return getattr(settings, "QXS_APP_PAGE_CACHE", True)


# --- The content generation ----------------------------------------------------------------


def _uses_local_memory():
    # ``cache`` is a proxy: ask the backend itself.
    return isinstance(caches["default"], LocMemCache)


def _generation_file():
    return Path(
        getattr(settings, "QXS_CONTENT_GENERATION_FILE", None)
        or Path(settings.VAR_DIR) / "content-generation"
    )


def _touch_generation_file(path):
    """Move the file's modification time forward by at least a nanosecond."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        previous = path.stat().st_mtime_ns
    except FileNotFoundError:
        path.touch()
        previous = 0
    stamp = max(time.time_ns(), previous + 1)
    os.utime(path, ns=(stamp, stamp))


class _SharedGeneration:
    """The generation in the shared cache, and what this process saw of Redis being away.

    While Redis cannot be read the generation is unknown (``None``: nothing is cached, pages come
    from the database). A bump made meanwhile, by this process or another, was lost; so the first
    time this process reads Redis again it starts a new generation instead of trusting the old
    one. Nothing is flushed: entries of the old generation are simply never asked for again.
    """

    def __init__(self):
        self.missed = False

    def read(self):
        try:
            value = cache.get(GENERATION_KEY)
            if value is None:
                # A fresh start (or an evicted key): begin from the clock, so old keys never
                # return.
                cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
                value = cache.get(GENERATION_KEY)
        except Exception:  # a backend that raises: the same as one that misses
            logger.warning("could not read the content generation", exc_info=True)
            value = None
        if value is None:
            self.missed = True
            return None
        if self.missed:
            self.missed = False
            value = self.restart()
        return str(value)

    def bump(self):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet, or Redis is away (then restart() follows)
            if not cache.add(GENERATION_KEY, time.time_ns(), timeout=None):
                self.missed = True
                logger.error("could not bump the content generation: the cache is unavailable")

    def restart(self):
        value = time.time_ns()
        cache.set(GENERATION_KEY, value, timeout=None)
        logger.warning("the cache answers again: new content generation %s", value)
        return value


_shared_generation = _SharedGeneration()


def content_generation():
    """The current generation: a string that changes whenever public content changes.

    ``None`` when it cannot be known (the shared cache is down): nothing is cached then.
    """
    if _uses_local_memory():
        path = _generation_file()
        try:
            return str(path.stat().st_mtime_ns)
        except FileNotFoundError:
            _touch_generation_file(path)
            return str(path.stat().st_mtime_ns)
        except OSError:
            return None
    return _shared_generation.read()


def bump_content_generation():
    """Make everything kept per generation unreachable: call after writing public content
    without signals (``QuerySet.update()``, ``bulk_create()``)."""
    if _uses_local_memory():
        try:
            _touch_generation_file(_generation_file())
        except OSError:
            logger.exception("could not bump the content generation file")
        return
    _shared_generation.bump()


def _content_changed(sender, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    # Now, for this process and for tests that never commit; and again after the commit, so a
    # request that read the old generation and rendered old rows meanwhile cannot be reused.
    bump_content_generation()
    transaction.on_commit(bump_content_generation)


def connect_signals():
    """Connected from ``QxsConfig.ready()``: every process, including management commands."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"qxs-cache-{signal}")


# --- Scheduled publications and values kept per generation ---------------------------------


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # any cache backend's error is a miss
        logger.warning("cache read failed for %s", key, exc_info=True)
        return None


def _cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("cache write failed for %s", key, exc_info=True)


# What tells the next time public content changes by the clock alone (``register_schedule``),
# and other values every page reads (``register_site_wide``), registered by the apps, so this
# package imports none.
_schedules = []
_site_wide = {}
# What this request has read of them already (set by PublicPageCacheMiddleware; None outside a
# request).
_read_in_request = contextvars.ContextVar("qxs_site_wide_values", default=None)


def register_schedule(next_times):
    """Make the times of ``next_times(now)`` bound every cached page and value: an app whose
    content appears or goes at a set time (scheduled publication, 定时下线, pin expiry) registers
    it in its ``AppConfig.ready()``.

    ``next_times(now)`` returns ``{name: expression}``, each a scalar subquery giving the next
    such time after ``now`` (or NULL). Expressions rather than a function that queries, so they
    are all read in the one statement of :func:`site_wide`.
    """
    if next_times not in _schedules:
        _schedules.append(next_times)


def register_site_wide(name, expressions, load):
    """Read a value every public page needs (the site identity) with the next scheduled change,
    in the one statement of :func:`site_wide`; register it in ``AppConfig.ready()``. ``name``
    has no double underscore (it prefixes the statement's column names).

    ``expressions()`` returns ``{alias: expression}``, each a scalar subquery (a statement
    with no table has one row even when they find nothing); ``load(values)`` turns what they
    selected, ``{alias: value}``, into the value of ``site_wide(name)``.
    """
    _site_wide[name] = (expressions, load)


def _site_wide_query(now):
    """One statement with no table selecting every site-wide expression, named
    ``<value>__<alias>`` (``schedule__<n>_<name>`` for the schedules)."""
    expressions = {}
    for number, next_times in enumerate(_schedules):
        for alias, expression in next_times(now).items():
            expressions[f"schedule__{number}_{alias}"] = expression
    for name, (build, _load) in _site_wide.items():
        for alias, expression in build().items():
            expressions[f"{name}__{alias}"] = expression
    return select(expressions)


_SITE_WIDE_QUERY = PreparedQuery(_site_wide_query, ids=())


def _read_site_wide():
    """Every site-wide value, read in one statement."""
    if not _schedules and not _site_wide:
        return {NEXT_CHANGE: NO_SCHEDULED}
    (row,) = _SITE_WIDE_QUERY.rows(now=timezone.now())
    selected = {}
    for column, value in zip(_SITE_WIDE_QUERY.columns(), row, strict=True):
        name, alias = column.split("__", 1)
        selected.setdefault(name, {})[alias] = value
    values = {NEXT_CHANGE: earliest_timestamp(selected.pop("schedule", {}).values())}
    for name, (_build, load) in _site_wide.items():
        values[name] = load(selected.get(name, {}))
    return values


def site_wide(name):
    """A site-wide value: ``NEXT_CHANGE`` (the Unix time of the next scheduled change of public
    content, or ``NO_SCHEDULED``) or a name given to ``register_site_wide``.

    The first call in a request reads them all in one statement and the others reuse it, so a
    page pays one query for its expiry and its chrome together, whichever asks first. Nothing
    is kept past the request: callers keep what they may (per generation, or until a save).
    """
    known = _read_in_request.get()
    if known is not None and name in known:
        return known[name]
    values = _read_site_wide()
    if known is not None:
        known.update(values)
    return values[name]


def earliest_timestamp(times):
    """The Unix time of the earliest of ``times`` (datetimes or ``None``), or ``NO_SCHEDULED``."""
    times = [when for when in times if when]
    return min(times).timestamp() if times else NO_SCHEDULED


def next_change_timestamp(generation):
    """The Unix time of the next scheduled change of public content, or ``NO_SCHEDULED``: the
    earliest of the registered schedules (for articles, ``Article.objects.scheduled_times()``:
    the earliest publication, unpublication, 头条 or pin expiry still to come).

    Kept per generation (a new schedule is a write, which starts a new one) and read again once
    the time it names has passed.
    """
    key = NEXT_CHANGE_KEY.format(generation=generation)
    value = _cache_get(key) if generation is not None else None
    if value is None or (value != NO_SCHEDULED and value <= time.time()):
        value = site_wide(NEXT_CHANGE)
        if generation is not None:
            _cache_set(key, value, 24 * 3600)
    return value


def page_expiry(generation, now=None):
    """When a page rendered now must stop being served (Unix time)."""
    now = time.time() if now is None else now
    expires = now + page_cache_seconds()
    scheduled = next_change_timestamp(generation)
    if scheduled != NO_SCHEDULED:
        expires = min(expires, scheduled)
    return expires


def _value_key(generation, name):
    if len(name) > 150 or not name.isascii() or any(c.isspace() for c in name):
        name = hashlib.sha256(name.encode()).hexdigest()
    return VALUE_KEY.format(generation=generation, name=name)


def cached_for_generation(name, compute, timeout=None):
    """``compute()``, kept in the cache under ``name`` for the current content generation.

    Recomputed after any content change, at the next scheduled change, and after
    ``timeout`` seconds when given. A cache error is a miss; with no generation (Redis down)
    every call computes.
    """
    generation = content_generation()
    if generation is None:
        return compute()
    key = _value_key(generation, name)
    entry = _cache_get(key)
    now = time.time()
    if entry is not None and entry[1] > now:
        return entry[0]
    value = compute()
    expires = page_expiry(generation, now)
    if timeout is not None:
        expires = min(expires, now + timeout)
    _cache_set(key, (value, expires), max(1, int(expires - now) + 1))
    return value


# --- The middleware ------------------------------------------------------------------------


def _passed_through_prefixes():
    """Paths the middleware leaves alone: static and media files carry their own headers."""
    return (settings.STATIC_URL, settings.MEDIA_URL)


def _never_public_prefixes():
    admin = "/" + getattr(settings, "ADMIN_URL", "admin/").lstrip("/")
    return (admin, "/healthz", *getattr(settings, "QXS_PAGE_CACHE_EXCLUDE", ()))


@functools.cache
def _policy_fingerprint():
    """The Content Security Policy pages are sent with: a stored page replays its header, so
    pages stored under another policy (before a deploy that changed it) are not reused."""
    policy = (
        getattr(settings, "CONTENT_SECURITY_POLICY", None),
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
    )
    return hashlib.sha256(repr(policy).encode()).hexdigest()[:16]


def _policy_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy_fingerprint.cache_clear()


setting_changed.connect(_policy_changed, dispatch_uid="qxs-cache-policy")


def _is_someones(request):
    """A request with a session or messages cookie (every signed-in editor, or someone a view
    stored a message for): it reads the database as it is and its answer is private."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    )


def _mark_private(response):
    """Never public: what already says private or no-store stays, anything else becomes private
    (a ``public`` or ``s-maxage`` the view set is dropped)."""
    if surrogate.HEADER in response:
        del response[surrogate.HEADER]
    directives = [d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()]
    if not {d.lower() for d in directives} & {"private", "no-store"}:
        kept = [d for d in directives if d.split("=")[0].lower() not in ("public", "s-maxage")]
        response["Cache-Control"] = ", ".join(["private", *kept])
    return response


def _public_headers(response, keys, expires, now):
    """The headers a shared cache needs: how long to keep the page and what it shows."""
    shared_seconds = max(0, int(expires - now))
    response["Cache-Control"] = (
        f"public, max-age={min(BROWSER_SECONDS, shared_seconds)}, s-maxage={shared_seconds}"
    )
    response[surrogate.HEADER] = " ".join(keys)


def _vary_without_cookie(response):
    """A request without a session cookie cannot depend on the session: drop ``Cookie``."""
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in vary if v.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
    return kept


class PublicPageCacheMiddleware:
    """Caching headers for every response, and whole anonymous pages kept in the app.

    Sits early, right after SecurityMiddleware (the HTTPS redirect comes first): a hit in the
    app's page cache skips the CSP middleware, sessions, locale, CSRF, authentication and the
    rest, and is answered with the headers those middlewares gave the page when it was rendered.

    A response is *public* when an anonymous GET/HEAD (no session or messages cookie) of a page
    outside the admin and ``/healthz`` answers 200 with no cookie, no CSRF token, no
    ``private``/``no-store``/``no-cache`` and no ``Vary`` but on ``Cookie``; once the inner
    middlewares have run, no signed-in user, no session written and no message waiting. Public
    responses get ``Cache-Control: public, max-age=60, s-maxage=S`` (S: seconds to the next
    scheduled change, at most ``QXS_PAGE_CACHE_SECONDS``), the surrogate keys in ``xkey``
    and a strong ``ETag`` answered with 304. Every other response is ``private`` (or keeps its
    ``no-store``). Static and media files are left as WhiteNoise or the server sends them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_passed_through_prefixes()):
            return self.get_response(request)
        # The site-wide values (``site_wide``) are read at most once for the whole request.
        token = _read_in_request.set({})
        try:
            return self._handle(request)
        finally:
            _read_in_request.reset(token)

    def _handle(self, request):
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            self._after_write(request, response)
            return _mark_private(response)
        if _is_someones(request) or request.path.startswith(_never_public_prefixes()):
            return _mark_private(self.get_response(request))

        use_app_cache = app_page_cache_enabled()
        generation = content_generation()
        key = self._key(request) if use_app_cache and generation is not None else None
        if key is not None:
            entry = _cache_get(key)
            if (
                entry is not None
                and entry["generation"] == generation
                and entry["expires"] > time.time()
            ):
                return self._respond(request, entry, None, hit=True)

        response = self.get_response(request)
        if not self._is_public(request, response):
            return _mark_private(response)
        _vary_without_cookie(response)
        if response.streaming:
            now = time.time()
            _public_headers(response, self._keys(request), page_expiry(generation, now), now)
            return response
        entry = self._entry(request, response, generation)
        timeout = entry["expires"] - time.time()
        if key is not None and request.method == "GET" and timeout >= 1:
            _cache_set(key, entry, int(timeout))
        return self._respond(request, entry, response, hit=False)

    # Which responses are public.

    def _is_public(self, request, response):
        if response.status_code != 200:
            return False
        # Any cookie (a session, messages, a CSRF token) makes the page someone's.
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in NOT_PUBLIC_CACHE_CONTROL):
            return False
        varies_on = {name.strip().lower() for name in response.get("Vary", "").split(",")}
        if varies_on - {"", "cookie", "accept-encoding"}:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and len(messages):
            return False
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated

    def _after_write(self, request, response):
        """A staff member's successful POST may have written content without signals."""
        if response.status_code >= 400 or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            bump_content_generation()

    # Keys, entries and the answer.

    def _key(self, request):
        parts = "\n".join(
            [
                _policy_fingerprint(),
                request.scheme,
                request.get_host(),
                request.path,
                request.META.get("QUERY_STRING", ""),
            ]
        )
        return PAGE_KEY.format(digest=hashlib.sha256(parts.encode()).hexdigest()[:40])

    def _keys(self, request):
        return sorted({*surrogate.keys_of(request), surrogate.SITE})

    def _entry(self, request, response, generation):
        content = response.content
        etag = response.get("ETag") or quote_etag(hashlib.md5(content).hexdigest())
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "etag", "set-cookie", "cache-control")
        ]
        return {
            "generation": generation,
            "content": content,
            "headers": headers,
            "etag": etag,
            "keys": self._keys(request),
            "expires": page_expiry(generation),
        }

    def _respond(self, request, entry, response, *, hit):
        """The reader's response: 304 when their copy is current, else the page.

        On a hit the page is rebuilt from the entry; on a miss it is the view's response.
        """
        now = time.time()
        if response is None:
            response = HttpResponse(entry["content"])
            for name, value in entry["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(entry["content"]))
        response["ETag"] = entry["etag"]
        _public_headers(response, entry["keys"], entry["expires"], now)
        if app_page_cache_enabled():
            response["X-Cache"] = "hit" if hit else "miss"
        if CONDITIONAL_HEADERS.intersection(request.META):
            not_modified = get_conditional_response(request, etag=entry["etag"], response=response)
            if not_modified is not response:
                return not_modified
        return response
