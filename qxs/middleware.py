"""Cross-app middleware."""

from .health import health_response


class HealthCheckMiddleware:
    """Answer ``/healthz`` first, before host validation, HTTPS redirects and sessions.

    Container and load-balancer probes call the app by its internal address, which is not in
    ``ALLOWED_HOSTS``; answering here keeps the probe honest (it still checks the database and
    cache) without widening the allowed hosts for every other URL.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == self.path and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
