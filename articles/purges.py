"""Which cached pages a change to articles, columns, tags, images or attachments touches.

Connected from ``ArticlesConfig.ready()``; see :mod:`qxs.purge` and the key names in
:mod:`qxs.surrogate`. A row that is not public (a draft, a scheduled article before its time)
appears on no page, so changing it purges nothing; publishing or unpublishing purges the pages
it joins or leaves.
"""

from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from qxs import surrogate
from qxs.cache import bump_content_generation
from qxs.purge import enabled, purge, purge_on_change, purge_on_m2m_change

from .models import Article, Attachment, Column, Image, TaggedArticle


def is_public(article):
    """The publication rule of ``ArticleQuerySet.published()``, for one row in memory."""
    now = timezone.now()
    return (
        article.status == Article.Status.PUBLISHED
        and article.published_at is not None
        and article.published_at <= now
        and (article.unpublish_at is None or article.unpublish_at > now)
    )


def neighbours(article):
    """The pks of the newer and the older public article of its column (the page's prev/next
    links), as the database holds them now."""
    same_column = Article.objects.published().filter(column_id=article.column_id)
    at = article.published_at
    newer = (
        same_column.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=article.pk))
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:1]
    )
    older = (
        same_column.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=article.pk))
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:1]
    )
    return [*newer, *older]


def article_keys(article):
    """Every page showing a public ``article``: its own page (and the related-news boxes and
    prev/next links that show it, which carry its key), the news lists, home page and feeds,
    its column's and tags' pages, its meeting's, agencies' and pairs' pages, and the pages of
    its neighbours in the column, whose prev/next links change when it comes or goes."""
    if not is_public(article):
        return []
    pk = article.pk
    tags = TaggedArticle.objects.filter(content_object_id=pk).values_list("tag_id", flat=True)
    agencies = Article.agencies.through.objects.filter(article_id=pk)
    pairs = Article.pairs.through.objects.filter(article_id=pk)
    return [
        surrogate.article(pk),
        surrogate.NEWS,
        surrogate.column(article.column_id),
        article.meeting_id and surrogate.meeting(article.meeting_id),
        *(surrogate.tag(t) for t in tags),
        *(surrogate.agency(a) for a in agencies.values_list("agency_id", flat=True)),
        *(surrogate.pair(p) for p in pairs.values_list("helpingpair_id", flat=True)),
        *(surrogate.article(n) for n in neighbours(article)),
    ]


def public_articles(pks):
    return set(Article.objects.published().filter(pk__in=pks).values_list("pk", flat=True))


def tagging_keys(tagged):
    """Tagging or untagging a public article: its page and the tag's pages."""
    if not public_articles([tagged.content_object_id]):
        return []
    return [surrogate.article(tagged.content_object_id), surrogate.tag(tagged.tag_id)]


def linked_keys(key_of_target):
    """For an article's many-to-many links: the public articles' pages and the linked pages."""

    def keys_of_links(articles, targets):
        public = public_articles(articles)
        if not public:
            return []
        return [*map(surrogate.article, public), *map(key_of_target, targets)]

    return keys_of_links


def related_keys(articles, targets):
    """Hand-picked related news: the pages of the public articles that show the list."""
    return list(map(surrogate.article, public_articles(articles)))


def connect():
    purge_on_change(Article, article_keys)
    purge_on_change(TaggedArticle, tagging_keys)
    # A column's name and order are in every page's navigation.
    purge_on_change(Column, lambda column: [surrogate.column(column.pk), surrogate.SITE])
    # A tag's name shows wherever the tag does (article pages carry their tags' keys).
    purge_on_change(Tag, lambda tag: [surrogate.tag(tag.pk)])
    purge_on_change(
        Image,
        lambda image: map(
            surrogate.article,
            public_articles(Article.objects.filter(cover_image=image).values("pk")),
        ),
    )
    purge_on_change(
        Attachment,
        lambda attachment: map(surrogate.article, public_articles([attachment.article_id])),
    )
    purge_on_m2m_change(Article._meta.get_field("agencies"), linked_keys(surrogate.agency))
    purge_on_m2m_change(Article._meta.get_field("pairs"), linked_keys(surrogate.pair))
    purge_on_m2m_change(Article._meta.get_field("related"), related_keys)


@contextmanager
def written_in_bulk(queryset):
    """For writers that bypass signals (``QuerySet.update()``, a bulk admin action):

        with written_in_bulk(Article.objects.filter(pk__in=ids)) as rows:
            rows.update(featured=True)

    purges what the rows showed on before the write and after it, and starts a new content
    generation for the app's own cache.
    """
    pks = list(queryset.values_list("pk", flat=True))

    def keys():
        if not enabled():
            return set()
        return {key for row in Article.objects.filter(pk__in=pks) for key in article_keys(row)}

    before = keys()
    yield Article.objects.filter(pk__in=pks)
    bump_content_generation()
    purge(*before, *keys())
