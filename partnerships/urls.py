from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("pairs/", views.PairListView.as_view(), name="pair-list"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair-detail"),
    path("agencies/", views.AgencyListView.as_view(), name="agency-list"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("data/pairs.json", views.pairs_json, name="pairs-json"),
    path("data/pairs.csv", views.pairs_csv, name="pairs-csv"),
    path("data/agencies.json", views.agencies_json, name="agencies-json"),
    path("data/agencies.csv", views.agencies_csv, name="agencies-csv"),
]
