"""Local development: DEBUG on unless DJANGO_DEBUG says otherwise, a fixed throw-away key."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# generate_content (a large archive for trying the site out) lives beside the benchmark.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# The one switch for a quick local start: QXS_STAFF_TWO_FACTOR=false skips the second factor in
# development (production always asks for it).
QXS_STAFF_TWO_FACTOR = env_bool("QXS_STAFF_TWO_FACTOR", True)
# Notification mail is printed to the console unless DJANGO_EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
