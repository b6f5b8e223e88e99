"""Test settings: fast hashing, local-memory cache, plain static storage (as in bakerydemo)."""

import atexit
import os
import shutil
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
# The second factor is off by default, so the admin tests keep testing the admin (they sign in
# with force_login); tests/security/test_two_factor.py and test_staff_sessions.py turn it on.
QXS_STAFF_TWO_FACTOR = False
# The search flood limit is off by default (many tests search); tests/search/test_ratelimit.py
# turns it on.
QXS_SEARCH_RATE_LIMIT = 0
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "qxs-test",
    }
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="qxs-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="qxs-test-static-"))
# The content generation's file (qxs/cache.py with the local-memory cache) belongs to this test
# run, not to var/: two suites running at once on one checkout would bump each other's generation
# (and change query counts). Processes a test starts inherit it through the environment.
_GENERATION_MADE_HERE = "QXS_TEST_GENERATION_DIR" not in os.environ
_GENERATION_DIR = Path(
    os.environ.setdefault(
        "QXS_TEST_GENERATION_DIR", tempfile.mkdtemp(prefix="qxs-test-generation-")
    )
)
QXS_CONTENT_GENERATION_FILE = _GENERATION_DIR / "content-generation"


_OWNER_PID = os.getpid()


def _remove_temporary_folders(
    folders=(MEDIA_ROOT, STATIC_ROOT, *([_GENERATION_DIR] if _GENERATION_MADE_HERE else [])),
):
    """Remove the folders above when the process that made them exits.

    Only that process: a forked child (a gunicorn worker started by a test) inherits this hook
    and must not delete the folders its parent still uses.
    """
    if os.getpid() == _OWNER_PID:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


atexit.register(_remove_temporary_folders)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The content generator (bench/management/commands/generate_content.py) is tested too.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# Mail stays in memory (django.core.mail.outbox), as pytest-django also arranges.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
