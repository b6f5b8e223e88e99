"""The public page cache: anonymous pages are served from the cache and are never stale.

Every cached page is stored under the current *content generation*. Any save, delete or m2m change
of a public content model (articles, partnerships, tags, the site identity) bumps the generation
once at once and once more when the transaction commits, so the next request finds the stored
page out of date and renders it from the database. Staff POSTs bump it too, which covers admin
actions that write with ``QuerySet.update()`` (no signals). Bulk writers that bypass signals
(``generate_content``, importers) call :func:`bump_content_generation` themselves.

Time is the other way content changes: an article with a future ``published_at`` appears when its
time comes, with no write at all. A cached page therefore expires no later than the next
scheduled publication time (the earliest future ``published_at`` of a published article, itself
cached per generation), and never later than ``QXS_PAGE_CACHE_SECONDS`` (600 s by default).

The generation lives in the shared cache (Redis) when the cache is shared. With the local-memory
cache (one per process: ``make run``, tests) it is the modification time of a small file in
``var/``, so several processes on one machine still agree on it.

Only anonymous GET/HEAD requests are served from the cache: a request carrying a session or
messages cookie (every logged-in editor, and anyone a view has stored something for) always
goes to the view, and so do the admin, ``/healthz``, ``/i18n/`` and any response that is not a
plain 200, sets a cookie, or says ``private``/``no-store``/``no-cache`` (admin previews).
Public pages carry no CSRF token (the language switch is a plain link to ``/en/…``): a page
that rendered one is the reader's own and is never stored, so a cached page never holds a token.
"""

import functools
import hashlib
import logging
import os
import time
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from .fragments import fragments
from .locale import language_from_path

logger = logging.getLogger(__name__)

# Apps whose rows appear on public pages: a write to any of their models changes the generation.
CONTENT_APPS = frozenset({"articles", "partnerships", "taggit", "portal"})

GENERATION_KEY = "qxs:content-generation"
NEXT_PUBLICATION_KEY = "qxs:next-publication:{generation}"
# One entry per page and reader variant, holding the generation it was rendered in: a new render
# overwrites the old one, and an entry of another generation is never served.
PAGE_KEY = "qxs:page:{digest}"
# How long the next publication time is remembered for a generation (it is also rechecked
# whenever it has passed).
NEXT_PUBLICATION_TIMEOUT = 24 * 3600
NO_SCHEDULED = 0.0

UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
KEYED_VARY = frozenset({"", "cookie"})
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)


def page_cache_seconds():
    return getattr(settings, "QXS_PAGE_CACHE_SECONDS", 600)


# --- The content generation ----------------------------------------------------------------


def _uses_local_memory():
    return isinstance(cache, LocMemCache)


def _generation_file():
    return Path(
        getattr(settings, "QXS_CONTENT_GENERATION_FILE", None)
        or Path(settings.VAR_DIR) / "content-generation"
    )


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
    value = _redis_generation.read()
    if value is None:
        value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh start (or a flushed Redis): begin from the clock, so old page keys never return.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return None if value is None else str(value)


class _RedisGenerationReader:
    """Read the generation with one redis-py client kept for the process.

    Django's ``RedisCache`` builds a new client object for every call, which costs as much as the
    round trip itself; this read happens on every anonymous request, so it keeps one. Any failure
    (or another cache backend) returns ``None`` and the caller falls back to ``cache.get``; after
    a failure the fast path rests for a few seconds.
    """

    retry_interval = 5.0

    def __init__(self):
        self.backend = None
        self.client = None
        self.key = None
        self.resting_until = 0.0

    def read(self):
        backend = caches["default"]
        if not isinstance(backend, RedisCache) or time.monotonic() < self.resting_until:
            return None
        # While qxs.cache_backends.ResilientRedisCache is resting, or has writes to make up for
        # (it empties Redis on its next call), go through it instead.
        if getattr(backend, "_writes_lost", False) or (
            time.monotonic() < getattr(backend, "_down_until", 0.0)
        ):
            return None
        try:
            if backend is not self.backend:
                self.client = backend._cache.get_client(write=False)
                self.key = backend.make_and_validate_key(GENERATION_KEY)
                self.backend = backend
            raw = self.client.get(self.key)
            # Django's Redis serializer stores integers as plain numbers, so incr() works.
            return None if raw is None else int(raw)
        except Exception:
            self.backend = None
            self.resting_until = time.monotonic() + self.retry_interval
            return None


_redis_generation = _RedisGenerationReader()


class _ProcessPages:
    """A small per-process copy of recently served pages, in front of a shared cache (Redis).

    An entry is only used when its generation is the current one, which is still read from Redis
    on every request: the copy saves moving and unpickling the page, never the freshness check.
    """

    size = 256

    def __init__(self):
        self.entries = OrderedDict()

    def get(self, key, generation):
        entry = self.entries.get(key)
        if entry is None or entry["generation"] != generation:
            return None
        self.entries.move_to_end(key)
        return entry

    def put(self, key, entry):
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self):
        self.entries.clear()


process_pages = _ProcessPages()


def generation_and_entry(key):
    """The current generation and the page cached at ``key`` (``None`` when there is none).

    With Redis: one small read for the generation; the page comes from this process's copy when
    it has one for that generation, else from Redis.
    """
    if _uses_local_memory():
        return content_generation(), cache.get(key)
    generation = content_generation()
    if generation is None:
        return None, None
    entry = process_pages.get(key, generation)
    if entry is None:
        entry = cache.get(key)
        if entry is not None and entry["generation"] == generation:
            process_pages.put(key, entry)
    return generation, entry


def store_entry(key, entry, timeout):
    cache.set(key, entry, timeout=timeout)
    if not _uses_local_memory():
        process_pages.put(key, entry)


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


def bump_content_generation():
    """Make every cached page unreachable: call after writing public content without signals."""
    if _uses_local_memory():
        try:
            _touch_generation_file(_generation_file())
        except OSError:
            logger.exception("could not bump the content generation file")
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


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


# --- Scheduled publications ----------------------------------------------------------------


def next_publication_timestamp(generation):
    """The Unix time of the earliest scheduled (future) publication, or ``NO_SCHEDULED``."""
    from articles.models import Article

    key = NEXT_PUBLICATION_KEY.format(generation=generation)
    value = cache.get(key)
    if value is None or (value != NO_SCHEDULED and value <= time.time()):
        from django.db.models import Min
        from django.utils import timezone

        earliest = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        ).aggregate(earliest=Min("published_at"))["earliest"]
        value = earliest.timestamp() if earliest else NO_SCHEDULED
        cache.set(key, value, timeout=NEXT_PUBLICATION_TIMEOUT)
    return value


def page_expiry(generation, now=None):
    """When a page rendered now must stop being served (Unix time)."""
    now = time.time() if now is None else now
    expires = now + page_cache_seconds()
    scheduled = next_publication_timestamp(generation)
    if scheduled != NO_SCHEDULED:
        expires = min(expires, scheduled)
    return expires


def request_generation(request):
    """The content generation for this request, read once, or ``None`` for a request that must
    see the database as it is (a signed-in editor: any session or messages cookie).

    The page cache middleware reads it first; fragments and per-generation values of the same
    request use the same one. ``None`` makes them compute afresh and keep nothing.
    """
    if request is None:
        return content_generation()
    try:
        return request.qxs_content_generation
    except AttributeError:
        pass
    fresh_header = getattr(settings, "QXS_FRESH_GENERATION_HEADER", None)
    if _is_someones(request):
        generation = None
    elif fresh_header and fresh_header in request.META:
        # The benchmark's "after a change" round (unset in production): a generation of its
        # own, so everything kept per generation is computed as after a publication.
        generation = f"fresh:{time.time_ns()}:{id(request)}"
    else:
        generation = content_generation()
    request.qxs_content_generation = generation
    return generation


def kept_for_generation(request, key, compute, weigh=None):
    """``compute()``, kept in this process's fragment store for the request's content generation.

    For what many requests of one generation share (a rendered fragment, the site identity, a
    published article): dropped when the generation changes and at the next scheduled
    publication, like pages. A request that must see the database (``request_generation()`` is
    ``None``) computes afresh and keeps nothing; ``None`` is never kept. ``weigh(value)`` gives
    the store the weight of a value that is not a string.
    """
    generation = request_generation(request)
    if generation is None:
        return compute()
    value = fragments.get(key, generation)
    if value is None:
        value = compute()
        if value is not None:
            weight = weigh(value) if weigh is not None else None
            fragments.put(key, value, generation, page_expiry(generation), weight)
    return value


def _is_someones(request):
    """A request with a session or messages cookie (every signed-in editor): it reads the
    database as it is, never a cached page or anything kept per generation."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    )


def cached_for_generation(name, compute, timeout=None, request=None, local=True):
    """``compute()``, cached until public content changes or the next scheduled publication.

    For values derived from published content that views keep in the cache (the archive's
    years, counts for a sidebar): keyed by the content generation, so they are never staler
    than the pages themselves. With ``local`` the process keeps a copy in front of the shared
    cache (in the fragment store; pass ``False`` for large values whose keys readers choose,
    such as search results); with ``request`` the generation this request already read is used.
    """
    generation = content_generation() if request is None else request_generation(request)
    if generation is None:
        return compute()
    local_key = ("generation-value", name)
    entry = fragments.get(local_key, generation) if local else None
    if entry is not None:
        return entry[0]
    key = f"qxs:generation:{generation}:{name}"
    entry = cache.get(key)
    if entry is None or entry[1] <= time.time():
        value = compute()
        expires = page_expiry(generation)
        if timeout is not None:
            expires = min(expires, time.time() + timeout)
        entry = (value, expires)
        cache.set(key, entry, timeout=max(1, int(expires - time.time()) + 1))
    if local:
        fragments.put(local_key, entry, generation, entry[1])
    return entry[0]


# --- The middleware ------------------------------------------------------------------------


def _excluded_prefixes():
    admin = "/" + getattr(settings, "ADMIN_URL", "admin/").lstrip("/")
    return (
        admin,
        "/healthz",
        "/i18n/",
        settings.STATIC_URL,
        settings.MEDIA_URL,
        *getattr(settings, "QXS_PAGE_CACHE_EXCLUDE", ()),
    )


@functools.cache
def _policy_fingerprint():
    """The Content Security Policy the pages are sent with: a stored page replays its header,
    so pages stored under another policy (before a deploy that changed it) are not reused."""
    policy = (
        getattr(settings, "CONTENT_SECURITY_POLICY", None),
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
    )
    return hashlib.sha256(repr(policy).encode()).hexdigest()[:16]


@receiver(setting_changed)
def _policy_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy_fingerprint.cache_clear()


def _reader_variant(request):
    """What besides the URL changes an anonymous page: nothing but its language, which the URL
    names too (``qxs.locale.language_from_path``; cookies and Accept-Language never count)."""
    return language_from_path(request.path_info)


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the cache; see the module docstring for the rules.

    Sits early, right after SecurityMiddleware (the HTTPS redirect comes first): a hit skips the
    CSP middleware, WhiteNoise, sessions, locale, CSRF, authentication,
    messages and the rest, and is answered here with the headers those middlewares gave the page
    when it was rendered. Nothing on a stored page is per reader (pages with a CSRF token are not
    stored), so a hit is the same bytes for everyone. On a miss the page goes through
    every middleware; by the time it comes back here ``request.user``, the session and the
    messages are known, and they decide whether it may be stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            self._after_write(request, response)
            return response
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = self._key(request)
        generation, entry = generation_and_entry(key)
        request.qxs_content_generation = generation
        if generation is None:
            return self.get_response(request)
        if (
            entry is not None
            and entry["generation"] == generation
            and entry["expires"] > time.time()
        ):
            return self._respond(request, entry, None, hit=True)

        response = self.get_response(request)
        if request.method != "GET" or not self._may_store(request, response):
            return response
        entry = self._entry(request, response, generation)
        timeout = entry["expires"] - time.time()
        if timeout > 0:
            store_entry(key, entry, max(1, int(timeout)))
        return self._respond(request, entry, response, hit=False)

    # Which requests and responses take part.

    def _may_use_cache(self, request):
        # The benchmark measures uncached pages by sending this header (unset in production).
        bypass_header = getattr(settings, "QXS_PAGE_CACHE_BYPASS_HEADER", None)
        if bypass_header and bypass_header in request.META:
            return False
        if _is_someones(request):
            return False
        return not request.path.startswith(_excluded_prefixes())

    def _may_store(self, request, response):
        if response.status_code != 200 or response.streaming:
            return False
        # Any cookie (a session, messages, a preference, a CSRF token) makes the page someone's.
        if response.cookies:
            return False
        # So does a CSRF token in it, even when the reader already had the cookie: public pages
        # have no form that posts, and a page that grows one is rendered for each reader.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL):
            return False
        # The key covers the cookies a page may depend on; a page that varies on anything else
        # (a header the key does not hold) is not stored.
        varies_on = {name.strip().lower() for name in response.get("Vary", "").split(",")}
        if varies_on - KEYED_VARY:
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

    # Keys and entries.

    def _key(self, request):
        parts = "\n".join(
            [
                _policy_fingerprint(),
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                _reader_variant(request),
            ]
        )
        return PAGE_KEY.format(digest=hashlib.sha256(parts.encode()).hexdigest()[:40])

    def _entry(self, request, response, generation):
        content = response.content
        etag = response.get("ETag") or quote_etag(hashlib.md5(content).hexdigest())
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "etag", "set-cookie")
        ]
        headers.append(("ETag", etag))
        if "Cache-Control" not in response:
            headers.append(("Cache-Control", "private, no-cache"))
        return {
            "generation": generation,
            "content": content,
            "headers": headers,
            "etag": etag,
            "expires": page_expiry(generation),
        }

    def _respond(self, request, entry, response, *, hit):
        """The reader's response: 304 when their copy is current, else the page.

        On a hit the page is rebuilt from the entry; on a miss it is the view's response.
        """
        if CONDITIONAL_HEADERS.intersection(request.META):
            not_modified = get_conditional_response(request, etag=entry["etag"])
            if not_modified is not None:
                not_modified["ETag"] = entry["etag"]
                return not_modified
        if response is None:
            content = entry["content"]
            response = HttpResponse(content)
            for name, value in entry["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(content))
        else:
            response["ETag"] = entry["etag"]
            if "Cache-Control" not in response:
                # Browsers keep the page but ask again each time (a cheap 304 via the ETag).
                patch_cache_control(response, private=True, no_cache=True)
        response["X-Cache"] = "hit" if hit else "miss"
        return response
