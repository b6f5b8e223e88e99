"""The open data files: the same bytes in every language, so never under ``/en/``."""

from django.urls import path

from . import views

app_name = "open-data"

urlpatterns = [
    path("data/pairs.json", views.pairs_json, name="pairs-json"),
    path("data/pairs.csv", views.pairs_csv, name="pairs-csv"),
    path("data/agencies.json", views.agencies_json, name="agencies-json"),
    path("data/agencies.csv", views.agencies_csv, name="agencies-csv"),
]
