"""A topic's feed: the newest public articles its sections show (chosen or by tag)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from articles.feeds import ArticleFeed
from articles.models import TaggedArticle
from qxs import surrogate

from .models import Topic, TopicEntry


class TopicFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, obj=None):
        return _("%(site)s · 专题：%(topic)s") % {"site": self.site_name(), "topic": obj.title}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.introduction[:200]

    def articles(self, obj=None):
        chosen = TopicEntry.objects.filter(section__topic=obj).values("article_id")
        tags = obj.sections.filter(tag__isnull=False).values("tag_id")
        tagged = TaggedArticle.objects.filter(tag_id__in=tags).values("content_object_id")
        # A UNION of the two id sets: an OR of them makes PostgreSQL scan every article.
        return super().articles(obj).filter(pk__in=chosen.order_by().union(tagged.order_by()))

    def collection_key(self, obj):
        return surrogate.topic(obj.pk)

    def get_feed(self, obj, request):
        # A newly tagged article changes the feed: the sections' tags name it too.
        surrogate.add(
            request,
            *(
                surrogate.tag(pk)
                for pk in obj.sections.filter(tag__isnull=False).values_list("tag_id", flat=True)
            ),
        )
        return super().get_feed(obj, request)
