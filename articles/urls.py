from django.urls import path, register_converter

from . import feeds, views


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    """Two-digit months as government sites write them: /news/2004/09/."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


class TagSlugConverter:
    """Tag slugs may be Chinese (taggit keeps Unicode); never a slash or a NUL character."""

    regex = "[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(YearConverter, "yyyy")
register_converter(TagSlugConverter, "tag")
register_converter(MonthConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="list"),
    path("news/feed/", feeds.ArticleFeed(), name="feed"),
    path("news/feed/atom/", feeds.AtomArticleFeed(), name="feed-atom"),
    path("news/column/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("news/column/<slug:slug>/feed/", feeds.ColumnFeed(), name="column-feed"),
    path("news/column/<slug:slug>/feed/atom/", feeds.AtomColumnFeed(), name="column-feed-atom"),
    path("news/tag/<tag:slug>/", views.TagView.as_view(), name="tag"),
    path("news/tag/<tag:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("news/tag/<tag:slug>/feed/atom/", feeds.AtomTagFeed(), name="tag-feed-atom"),
    path("news/<yyyy:year>/", views.ArchiveView.as_view(), name="archive-year"),
    path("news/<yyyy:year>/<mm:month>/", views.ArchiveView.as_view(), name="archive-month"),
    path("news/<yyyy:year>/<mm:month>/<int:pk>/", views.article_detail, name="detail"),
]
