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

Every key also holds the active language. The store is a per-process LRU of
``QXS_FRAGMENT_CACHE_SIZE`` entries (a list row is about half a kilobyte): no network round trip,
and nothing to invalidate across machines, since a generation key is read from the shared
generation on every request.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed


class FragmentStore:
    """A thread-safe LRU of rendered fragments: ``key -> (html, generation, expires)``."""

    def __init__(self):
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    @property
    def size(self):
        return getattr(settings, "QXS_FRAGMENT_CACHE_SIZE", 4096)

    def get(self, key, generation=None):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            html, stored_generation, expires = entry
            if stored_generation != generation or (expires is not None and expires <= time.time()):
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return html

    def put(self, key, html, generation=None, expires=None):
        size = self.size
        if size <= 0:
            return
        with self.lock:
            self.entries[key] = (html, generation, expires)
            self.entries.move_to_end(key)
            while len(self.entries) > size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()

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
