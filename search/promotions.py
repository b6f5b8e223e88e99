"""推荐结果: the items staff attached to a query and its synonyms, read for the search page.

Which queries have promotions is kept in the cache (cleared when a promotion is saved or
deleted), so a search with none runs no query for them; a search with some runs one.
"""

from django.core.cache import cache

from articles.purges import is_public

from .models import PromotedItem, SearchPromotion, promotion_key

CACHE_KEY = "search:promotion-keys:v1"
CACHE_SECONDS = 60 * 60


def promoted_keys():
    """The matching keys of every active promotion."""
    keys = cache.get(CACHE_KEY)
    if keys is None:
        keys = set()
        for joined in SearchPromotion.objects.filter(active=True).values_list("keys", flat=True):
            keys.update(key for key in joined.split("|") if key)
        cache.set(CACHE_KEY, keys, CACHE_SECONDS)
    return keys


def clear_promotion_cache():
    cache.delete(CACHE_KEY)


def promoted_items(text):
    """The items attached to the query ``text`` (or one of its synonyms), in their order;
    articles only while public."""
    key = promotion_key(text)
    if not key or key not in promoted_keys():
        return []
    items = (
        PromotedItem.objects.filter(promotion__active=True, promotion__keys__contains=f"|{key}|")
        .select_related("article__column")
        .order_by("promotion_id", "position", "pk")
    )
    return [item for item in items if item.article is None or is_public(item.article)]
