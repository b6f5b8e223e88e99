"""The partnership pages (in each language; the open data files are in ``data_urls``)."""

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
]
