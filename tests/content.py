"""Content helpers shared by test modules (never test functions)."""

import datetime

from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, ColumnFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    """A time in the site's time zone."""
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def hidden_articles(column=None):
    """A draft, one in review, an archived one and a scheduled one: none may appear anywhere."""
    column = column or ColumnFactory()
    future = timezone.now() + datetime.timedelta(days=3)
    return [
        ArticleFactory(title="草稿稿件", column=column, status=Article.Status.DRAFT),
        ArticleFactory(title="待审稿件", column=column, status=Article.Status.REVIEW),
        ArticleFactory(title="归档稿件", column=column, status=Article.Status.ARCHIVED),
        ArticleFactory(title="定时稿件", column=column, published_at=future),
    ]
