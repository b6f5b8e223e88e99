"""The home page, robots.txt, the sitemap and the reader's switches."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.switch_language, name="language"),
    path("font-size/", views.set_font_size, name="font-size"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", views.sitemap_section, name="sitemap-section"),
]
