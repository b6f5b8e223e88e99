from django.urls import path

from . import feeds, views

app_name = "topics"

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="list"),
    path("topics/<slug:slug>/", views.topic_detail, name="detail"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="feed"),
]
