"""robots.txt and the sitemaps: files for crawlers, with no language, so never under ``/en/``."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .sitemaps import sitemaps

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
]
