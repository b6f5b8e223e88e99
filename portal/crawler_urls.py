"""robots.txt and the sitemaps: files for crawlers, with no language, so never under ``/en/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", views.sitemap_section, name="sitemap-section"),
]
