"""Test settings: fast hashing, local-memory cache, plain static storage (as in bakerydemo)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# django-axes off by default: its backend refuses authenticate() without a request, which is how
# the test client's login() calls it. force_login() never authenticates, so it works either way.
# tests/security/test_login_lockout.py turns axes on with override_settings.
AXES_ENABLED = False
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "qxs-test",
    }
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="qxs-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="qxs-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The content generator (bench/management/commands/generate_content.py) is tested too.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# Mail stays in memory (django.core.mail.outbox), as pytest-django also arranges.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
