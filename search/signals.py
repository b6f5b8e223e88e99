"""Receivers that keep the search index current as articles, tags and synonyms change.

Every status change goes through ``Article.save()``, so reindexing on save keeps the text current;
whether an article is public is decided at query time by ``Article.objects.published()``.
"""

from .indexing import index_article
from .promotions import clear_promotion_cache
from .synonyms import clear_synonym_cache

INDEXED_FIELDS = frozenset({"title", "summary", "body"})


def article_saved(sender, instance, update_fields=None, **kwargs):
    # A save of other fields only (status, publication time) leaves the text as it was.
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return
    index_article(instance)


def article_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_article(instance)
        return
    # Changed from the tag's side (tag.article_set...): reindex the articles concerned.
    from articles.models import Article

    from .indexing import index_articles

    if pk_set:
        index_articles(Article.objects.filter(pk__in=pk_set))


def synonyms_changed(sender, **kwargs):
    clear_synonym_cache()


def promotions_changed(sender, **kwargs):
    clear_promotion_cache()
