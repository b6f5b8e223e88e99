"""The benchmark's settings with every cache off: what ``_cold`` rounds measure.

No Django cache at all (``DummyCache``: the page cache stores and serves nothing, and every value
kept per content generation is computed on each request) and no fragment store, so each request
renders its page from the database as on a machine with nothing cached anywhere.
"""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The app's own page cache off too, even with no QXS_VARNISH_URLS (headers are still written).
QXS_APP_PAGE_CACHE = False
