"""Links to news articles, built without ``reverse()`` per row: the news list's prefix once per
language and URL configuration, then each article's address and day from its values.

Shared by ``articles`` (lists, the home page) and ``partnerships`` (the news on meeting, pair and
agency pages), which may not import ``articles``; ``Article.get_absolute_url()`` builds the same
address (tests compare them). ``articles:list`` is a URL name, not an import.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language


def news_url_prefix():
    """``reverse("articles:list")`` (``/news/``, or ``/en/news/`` in English), worked out once per
    language and URL configuration: list pages build a link for every row from it, which
    ``reverse()`` would cost twenty times a page."""
    return _news_url_prefix(get_language(), get_script_prefix(), get_urlconf() or "")


@functools.lru_cache(maxsize=64)
def _news_url_prefix(language, script_prefix, urlconf):
    return reverse("articles:list", urlconf=urlconf or None)


def article_url_and_day(pk, published_at, created_at, prefix, zone):
    """``get_absolute_url()`` and ``published_day`` of an article from its values, the list
    prefix (``news_url_prefix()``) and the time zone the caller read once (``created_at`` is
    only used without ``published_at``)."""
    if published_at is not None:
        when = timezone.localtime(published_at, zone)
        day = f"{when:%Y-%m-%d}"
    else:
        when = timezone.localtime(created_at or timezone.now(), zone)
        day = ""
    return f"{prefix}{when.year:04d}/{when.month:02d}/{pk}/", day
