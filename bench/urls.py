"""The site's URLs plus ``/bench/hello/``, the smallest view the same app can serve."""

from django.http import HttpResponse
from django.urls import path

from qxs.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site_urlpatterns]
