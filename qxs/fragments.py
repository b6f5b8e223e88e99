"""Rendered template fragments kept in each process, so a page the page cache misses renders less.

The page cache (``qxs.cache``) stores whole pages per URL and reader variant. Below it, the
``{% fragment %}`` tag (``qxs_tags``) keeps pieces of pages that many pages or many requests
share, keyed so that a fragment is never staler than a page would be:

- **By content** (``{% fragment "news-row" article.pk article.title ... %}``): the key holds every
  value the fragment shows, so it is a pure function of them and can never be stale. A list row
  stays valid when other articles are published, which is when the page cache is emptied.
- **By generation** (``{% fragment "sidebar" per_generation ... %}``): for fragments that depend on
  public content at large (the columns, the archive's years, the site identity). The key holds
  the content generation, and the fragment is dropped at the next scheduled publication, by the
  page cache's two rules (``qxs.cache.page_expiry``).

Every key also holds the active language. The store is a per-process LRU bounded by
``QXS_FRAGMENT_CACHE_BYTES`` (32 MiB; a list row weighs about a kilobyte, a list page's content
about 30): no network round trip, and nothing to invalidate across machines, since a generation
key is read from the shared generation on every request.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed


class FragmentStore:
    """A thread-safe LRU of rendered fragments: ``key -> (value, generation, expires, weight)``.

    Bounded by weight, not count: a string weighs what CPython stores for it (two bytes a
    character for Chinese text), anything else the ``weight`` given to ``put()`` (1 KB by
    default). Keys come partly from readers (paths, filters), so the bound is what keeps a flood
    of distinct URLs from growing a worker.
    """

    def __init__(self):
        self.entries = OrderedDict()
        self.weight = 0
        self.lock = threading.Lock()

    @property
    def budget(self):
        return getattr(settings, "QXS_FRAGMENT_CACHE_BYTES", 32 * 1024 * 1024)

    def get(self, key, generation=None):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            value, stored_generation, expires, _weight = entry
            if stored_generation != generation or (expires is not None and expires <= time.time()):
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return value

    def put(self, key, value, generation=None, expires=None, weight=None):
        if weight is None:
            weight = 2 * len(value) + 100 if isinstance(value, str) else 1024
        budget = self.budget
        if weight > budget:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (value, generation, expires, weight)
            self.weight += weight
            while self.weight > budget:
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        self.weight -= self.entries.pop(key)[3]

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.weight = 0

    def __len__(self):
        return len(self.entries)


fragments = FragmentStore()


@receiver(setting_changed)
def _clear_on_setting_change(**kwargs):
    """Tests that change settings (URLs, languages, templates) start from an empty store."""
    fragments.clear()


@receiver(file_changed)
def _clear_on_template_change(sender, file_path, **kwargs):
    """``runserver`` reloads templates without a restart: drop what the old ones rendered.

    Returns nothing, so the autoreloader still decides whether to restart.
    """
    if file_path.suffix in (".html", ".txt", ".xml"):
        fragments.clear()
