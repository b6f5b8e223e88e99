from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="list"),
    path("news/column/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("news/<int:year>/<str:month>/<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
]
