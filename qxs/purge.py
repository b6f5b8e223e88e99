"""Purging the HTTP caches in front of the site (Varnish) by surrogate key.

:func:`purge` is the one entry point: code that changes public content names the keys it touches
(see :mod:`qxs.surrogate`), and after the transaction commits a purge for them goes to every cache
listed in ``QXS_VARNISH_URLS``. Sending happens off the request path, so an editor's save never
waits for (or fails because of) a cache.

The wire protocol (the VCL in ``deploy/varnish/`` implements it with vmod xkey): for each base URL,
``PURGE /`` with the header ``xkey-purge: <space-separated keys>``; Varnish answers 200.

The sender is one daemon thread per process with a bounded queue. A purge that fails (Varnish
down, a timeout, an answer other than 2xx) is logged and retried with backoff for about five
minutes, per URL; then it is given up and logged as an error (the pages it would have dropped
still expire by their ``s-maxage``). At exit the process waits a few seconds for its queue to
empty, so a management command purges like the web app does; :func:`flush` waits explicitly.
"""

import atexit
import contextlib
import heapq
import itertools
import logging
import os
import queue
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from qxs import surrogate

logger = logging.getLogger(__name__)

HEADER = "xkey-purge"
# Varnish refuses request headers longer than 8 KB by default (http_req_hdr_len).
MAX_HEADER_LENGTH = 4000


_bulk = threading.local()


@contextlib.contextmanager
def whole_site():
    """Within this block no purge is sent key by key: at its end, if anything was purged, one
    purge of ``site`` (every public page) goes out instead. For bulk loads that touch most of the
    site (``generate_content``), where the exact keys would be thousands of requests to Varnish.
    """
    outer = getattr(_bulk, "keys", None)
    _bulk.keys = set()
    try:
        yield
    finally:
        keys, _bulk.keys = _bulk.keys, outer
        if keys:
            purge(surrogate.SITE)


def purge(*keys):
    """Purge every cached page carrying one of ``keys``, once the current transaction commits.

    Outside a transaction the purge is sent at once. Keys given several times in one
    transaction are sent once; nothing is sent when the transaction rolls back.
    """
    keys = _present(keys)
    if not keys:
        return
    if getattr(_bulk, "keys", None) is not None:
        _bulk.keys.update(keys)  # within whole_site(): one purge of "site" at its end
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        sender.submit(keys)
        return
    pending = connection.__dict__.get("_qxs_pending_purge")
    # A new batch when there is none, when it was sent, or when its callback is gone from
    # run_on_commit because the savepoint it was registered in rolled back.
    if (
        pending is None
        or pending.sent
        or not any(entry[1] == pending.send for entry in connection.run_on_commit)
    ):
        pending = connection._qxs_pending_purge = _PendingPurge()
        transaction.on_commit(pending.send)
    pending.keys.update(keys)


def _present(keys):
    """The keys given, without the empty ones (``None``, ``""``, ``[]``: an optional relation)."""
    return {key for key in keys if key}


class _PendingPurge:
    """The keys one transaction purges, handed to the sender once when it commits."""

    def __init__(self):
        self.keys = set()
        self.sent = False

    def send(self):
        self.sent = True
        sender.submit(self.keys)


def enabled():
    """Whether purges go anywhere: without ``QXS_VARNISH_URLS`` (``make run``, tests) the
    receivers below do not even work out the keys."""
    return bool(getattr(settings, "QXS_VARNISH_URLS", None))


def flush(timeout=10.0):
    """Wait until every purge queued so far was sent or given up, at most ``timeout`` seconds.

    Returns True when nothing is left.
    """
    return sender.flush(timeout)


def purge_now(*keys, timeout=None):
    """Purge ``keys`` from every cache in ``QXS_VARNISH_URLS`` now, once, without the queue.

    For commands that must know the outcome (``manage.py purge_site``). Returns
    ``{url: error}`` for the caches that could not be purged (unreachable, or an answer other
    than 2xx); empty when every cache was purged.
    """
    return sender.send_now(_present(keys), timeout)


def _batches(keys):
    """``keys`` sorted and cut into header values short enough for Varnish."""
    batch, length = [], 0
    for key in sorted(keys):
        if batch and length + len(key) + 1 > MAX_HEADER_LENGTH:
            yield " ".join(batch)
            batch, length = [], 0
        batch.append(key)
        length += len(key) + 1
    if batch:
        yield " ".join(batch)


class PurgeSender:
    """One daemon thread per process sending purges from a bounded queue, with retries."""

    queue_size = 10_000
    timeout = 2.0  # seconds, for connecting and for the answer
    retry_delays = (1, 2, 4, 8, 15, 30, 60, 60, 60, 60)  # about five minutes in all
    exit_wait = 5.0

    def __init__(self):
        self._queue = queue.Queue(maxsize=self.queue_size)
        self._retries = []  # heap of (due, sequence, url, keys, attempt)
        self._sequence = itertools.count()
        self._unfinished = 0
        self._idle = threading.Condition()
        self._thread = None
        self._pid = None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def submit(self, keys):
        """Queue a purge of ``keys`` to every cache in ``QXS_VARNISH_URLS``; never blocks."""
        urls = list(getattr(settings, "QXS_VARNISH_URLS", ()) or ())
        if not urls or not keys:
            return
        self._start()
        for url in urls:
            for header in _batches(keys):
                with self._idle:
                    self._unfinished += 1
                try:
                    self._queue.put_nowait((url, header, 0))
                except queue.Full:
                    self._finished()
                    logger.error("purge queue full, purge of %s to %s dropped", header, url)

    def send_now(self, keys, timeout=None):
        """One attempt per cache, in this thread; ``{url: error}`` of the ones that failed."""
        failed = {}
        for url in getattr(settings, "QXS_VARNISH_URLS", ()) or ():
            for header in _batches(keys):
                try:
                    self._request(url, header, timeout)
                except Exception as exc:
                    failed[url] = exc
                    break
        return failed

    def flush(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._unfinished:
                left = deadline - time.monotonic()
                if left <= 0:
                    logger.error("%d purges still unsent after %ss", self._unfinished, timeout)
                    return False
                self._idle.wait(left)
        return True

    def _start(self):
        # A forked process (a gunicorn worker) does not inherit the thread: start its own.
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._idle:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            if self._pid != os.getpid():
                self._queue = queue.Queue(maxsize=self.queue_size)
                self._retries = []
                self._unfinished = 0
                atexit.register(self.flush, self.exit_wait)
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="qxs-purge", daemon=True)
            self._thread.start()

    def _finished(self):
        with self._idle:
            self._unfinished -= 1
            if not self._unfinished:
                self._idle.notify_all()

    def _run(self):
        while True:
            wait = None
            if self._retries:
                wait = max(0.0, self._retries[0][0] - time.monotonic())
            try:
                url, header, attempt = self._queue.get(timeout=wait)
            except queue.Empty:
                _due, _seq, url, header, attempt = heapq.heappop(self._retries)
            try:
                self._send(url, header, attempt)
            except Exception:  # the thread must survive anything
                logger.exception("purge sender error")
                self._finished()

    def _send(self, url, header, attempt):
        try:
            self._request(url, header)
        except Exception as exc:
            if attempt < len(self.retry_delays):
                delay = self.retry_delays[attempt]
                logger.warning(
                    "purge of %s to %s failed (%s), retrying in %ss", header, url, exc, delay
                )
                due = time.monotonic() + delay
                heapq.heappush(self._retries, (due, next(self._sequence), url, header, attempt + 1))
                return
            logger.error("purge of %s to %s failed (%s), giving up", header, url, exc)
        self._finished()

    def _request(self, url, header, timeout=None):
        parts = urlsplit(url)
        request = urllib.request.Request(
            f"{parts.scheme}://{parts.netloc}/", method="PURGE", headers={HEADER: header}
        )
        with self._opener.open(request, timeout=timeout or self.timeout) as response:
            response.read()


sender = PurgeSender()


# --- From model changes to keys ------------------------------------------------------------
# Each app says once, in its ``purges.py`` (connected from its ``AppConfig.ready()``), which keys
# a row of each of its models touches; these two helpers run that before and after every write.


def purge_on_change(model, keys_of):
    """Saving or deleting a ``model`` row purges ``keys_of(row)`` as it was AND as it is.

    Before a save the stored row is read again (one query, plus what ``keys_of`` reads), so a
    row that moves (another column, another tag, unpublished) purges the pages it leaves as well
    as those it joins. Raw saves (fixtures) purge nothing.
    """
    uid = f"qxs-purge-{model._meta.label_lower}"

    def before_save(sender, instance, raw=False, **kwargs):
        if raw or not enabled() or instance._state.adding or instance.pk is None:
            return
        stored = sender._base_manager.filter(pk=instance.pk).first()
        instance._qxs_keys_before = _present(keys_of(stored)) if stored is not None else set()

    def after_save(sender, instance, raw=False, **kwargs):
        if raw or not enabled():
            return
        before = instance.__dict__.pop("_qxs_keys_before", set())
        purge(*before, *_present(keys_of(instance)))

    def before_delete(sender, instance, **kwargs):
        if enabled():
            purge(*keys_of(instance))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=uid)


def purge_on_m2m_change(field, keys_of_links):
    """A change to the many-to-many ``field`` purges ``keys_of_links(sources, targets)``.

    ``sources`` are the pks of rows of the model that declares ``field``, ``targets`` the pks
    on the other side, as changed from either side (``article.agencies.add(agency)`` or
    ``agency.articles.add(article)``). A clear purges the links it is about to remove.
    """
    through = field.remote_field.through
    source_name, target_name = field.m2m_column_name(), field.m2m_reverse_name()
    uid = f"qxs-purge-{through._meta.label_lower}"

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear") or not enabled():
            return
        own, other = (target_name, source_name) if reverse else (source_name, target_name)
        if action == "pre_clear":
            pk_set = set(
                through._base_manager.filter(**{own: instance.pk}).values_list(other, flat=True)
            )
        if not pk_set:
            return
        sources, targets = (set(pk_set), {instance.pk}) if reverse else ({instance.pk}, pk_set)
        purge(*keys_of_links(sources, set(targets)))

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=uid)
