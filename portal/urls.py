"""The home page (in each language; robots.txt and the sitemaps are in ``crawler_urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap/", views.site_map, name="site-map"),
]
