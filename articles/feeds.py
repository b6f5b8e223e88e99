"""RSS 2.0 and Atom feeds of the news, for the whole site, a column or a tag."""

import copy

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from qxs import surrogate

from .models import Article, Column, TaggedArticle

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
FEED_LENGTH = 20
# RSS names Chinese the traditional way (zh-cn); other languages by their code.
FEED_LANGUAGES = {"zh-hans": "zh-cn"}


class SourceElementsMixin:
    """Adds ``dc:source`` (the article's 来源) to each entry: readers of news feeds expect it;
    and ``dc:date`` with the date alone for an article whose source gave no time of day (its
    ``pubDate``/``published`` is left out rather than made up as midnight)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_source"):
            handler.addQuickElement("dc:source", item["content_source"])
        if item.get("published_day"):
            handler.addQuickElement("dc:date", item["published_day"])


class RssFeedWithSource(SourceElementsMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}


class AtomFeedWithSource(SourceElementsMixin, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:dc": DUBLIN_CORE}


class ArticleFeed(Feed):
    """The latest published news (title-only stubs left out)."""

    feed_type = RssFeedWithSource

    @property
    def language(self):
        """The page's language: a feed under /en/ is English (titles, links, ``<language>``)."""
        return FEED_LANGUAGES.get(get_language(), get_language())

    def site_name(self):
        # The site identity is portal's, and portal imports this app (its home page lists news):
        # looked up through the app registry, so the imports between the two stay one-way.
        return apps.get_model("portal", "SiteIdentity").current().site_name

    def title(self, obj=None):
        return _("%(site)s · 新闻") % {"site": self.site_name()}

    def link(self, obj=None):
        return reverse("articles:list")

    def description(self, obj=None):
        return _("%(site)s发布的最新新闻。") % {"site": self.site_name()}

    def articles(self, obj=None):
        return Article.objects.published().filter(is_stub=False)

    def collection_key(self, obj):
        """The surrogate key of the set of articles the feed lists."""
        return surrogate.NEWS

    def get_feed(self, obj, request):
        """The feed, its entries read once and named in the response's surrogate keys."""
        items = list(self.items(obj))
        surrogate.add(
            request,
            self.collection_key(obj),
            *(surrogate.article(item.pk) for item in items),
            *(surrogate.column(item.column_id) for item in items),
        )
        feed = copy.copy(self)
        feed.items = lambda obj=None: items
        return super(ArticleFeed, feed).get_feed(obj, request)

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("column")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = item.summary or Truncator(strip_tags(item.body)).chars(200)
        if item.source:
            text = _("%(text)s（来源：%(source)s）") % {"text": text, "source": item.source}
        return text

    def item_pubdate(self, item):
        # A date-only time goes out as dc:date (see SourceElementsMixin).
        return None if item.published_date_only else item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or item.source or None

    def item_categories(self, item):
        return [item.column.name, *(tag.name for tag in item.tags.all())]

    def item_extra_kwargs(self, item):
        return {
            "content_source": item.source,
            "published_day": item.published_day if item.published_date_only else "",
        }


class AtomArticleFeed(ArticleFeed):
    feed_type = AtomFeedWithSource
    subtitle = ArticleFeed.description


class ColumnFeed(ArticleFeed):
    """The latest news of one column."""

    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, obj=None):
        return _("%(site)s · %(column)s") % {"site": self.site_name(), "column": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or _("“%(column)s”栏目的最新新闻。") % {"column": obj.name}

    def articles(self, obj=None):
        return super().articles(obj).filter(column=obj)

    def collection_key(self, obj):
        return surrogate.column(obj.pk)


class AtomColumnFeed(ColumnFeed):
    feed_type = AtomFeedWithSource
    subtitle = ColumnFeed.description


class TagFeed(ArticleFeed):
    """The latest news with one tag."""

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("%(site)s · 标签：%(tag)s") % {"site": self.site_name(), "tag": obj.name}

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return _("带有“%(tag)s”标签的最新新闻。") % {"tag": obj.name}

    def articles(self, obj=None):
        tagged = TaggedArticle.objects.filter(tag=obj).values("content_object_id")
        return super().articles(obj).filter(pk__in=tagged)

    def collection_key(self, obj):
        return surrogate.tag(obj.pk)


class AtomTagFeed(TagFeed):
    feed_type = AtomFeedWithSource
    subtitle = TagFeed.description
