"""The benchmark site with every cache off, for the ``*_cold`` rounds of ``bench/run.py``.

Django's ``DummyCache`` stores nothing, so the app's page cache and every value it keeps per
content generation miss on every request; nothing stands in front of this gunicorn. What a
request costs here is what the first reader after a change pays, on any page of the archive.
"""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Rendered fragments kept per process, while that store exists (qxs/fragments.py): none.
QXS_FRAGMENT_CACHE_BYTES = 0
