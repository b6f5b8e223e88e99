"""The home page, robots.txt, the sitemap and the reader's switches."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .sitemaps import sitemaps

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.switch_language, name="language"),
    path("font-size/", views.set_font_size, name="font-size"),
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
