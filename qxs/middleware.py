"""Cross-app middleware."""

import logging
import sys

from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from .health import health_response
from .locale import language_from_path

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/healthz/database`` first, before host validation, HTTPS
    redirects and sessions.

    Container and load-balancer probes call the app by its internal address, which is not in
    ``ALLOWED_HOSTS``; answering here keeps the probe honest (it still checks the database and
    cache) without widening the allowed hosts for every other URL. ``/healthz/database`` checks
    the database alone: Varnish's backend probe, which must not fail while only Redis is down.
    """

    paths = {"/healthz": None, "/healthz/database": ("database",)}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path in self.paths and request.method in ("GET", "HEAD"):
            return health_response(self.paths[path])
        return self.get_response(request)


class URLLanguageMiddleware:
    """Activate the language the URL names (``qxs.locale.language_from_path``): English under
    ``/en/``, Chinese everywhere else.

    Not Django's ``LocaleMiddleware``: that one reads the language cookie and Accept-Language
    for unprefixed URLs and then adds ``Vary: Accept-Language``, so a shared cache would keep a
    copy per browser language of every Chinese page. Here the URL alone decides, so a page is
    the same bytes for every reader and nothing is added to ``Vary``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_path(request.path_info)
        request.LANGUAGE_CODE = language
        # Active for this request only: the thread's next request, or code run after it (a
        # test asking for a URL), does not inherit it.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response():
    """503 with the static Chinese page: rendered without a request, so no context processor runs
    and nothing touches the database."""
    try:
        response = HttpResponse(render_to_string("503.html"), status=503)
    except Exception:  # the page must never turn into a 500 (a missing static manifest, say)
        logger.exception("could not render 503.html")
        response = HttpResponse(
            "服务暂时不可用，请稍后再试。", content_type="text/plain; charset=utf-8", status=503
        )
    response["Retry-After"] = str(DatabaseUnavailableMiddleware.retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a page in Chinese, not a 500, while the database cannot be reached.

    Views and template rendering reach ``process_exception``. An error raised inside another
    middleware never gets there (Django turns it into a 500 first), so the
    ``got_request_exception`` receiver below marks the request and the 500 is replaced here.
    Nothing is kept between requests: with ``CONN_HEALTH_CHECKS`` the next request opens a new
    connection, so the site recovers on its own when the database is back.
    """

    retry_after = 30
    marker = "_qxs_database_unavailable"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:
            return self._unavailable(request, exc)
        if response.status_code == 500 and getattr(request, self.marker, False):
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        logger.error("database unavailable for %s: %s", request.path, exc)
        return database_unavailable_response()


def _mark_database_error(sender, request=None, **kwargs):
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, DatabaseUnavailableMiddleware.marker, True)


got_request_exception.connect(_mark_database_error, dispatch_uid="qxs-database-unavailable")
