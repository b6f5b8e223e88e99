import importlib
import sys

import pytest
from django.test import override_settings

# The settings of qxs/settings/prod.py that shape responses: applied over the test settings so the
# headers and cookies asserted are the ones production sends.
PROD_RESPONSE_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture
def prod_settings(monkeypatch):
    """The production module's response settings, read from qxs/settings/prod.py itself."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    for name in ("DJANGO_SECURE_HSTS_SECONDS", "DJANGO_SECURE_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    # Import prod (and the base it reads the environment through) afresh, then put back the
    # modules the running test settings came from.
    names = ("qxs.settings.base", "qxs.settings.prod")
    saved = {name: sys.modules.pop(name, None) for name in names}
    try:
        prod = importlib.import_module("qxs.settings.prod")
    finally:
        for name, module in saved.items():
            sys.modules.pop(name, None)
            if module is not None:
                sys.modules[name] = module
    values = {name: getattr(prod, name) for name in PROD_RESPONSE_SETTINGS}
    with override_settings(**values):
        yield values
