"""The topics' public pages: ``/topics/`` and ``/topics/<slug>/``."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import render
from django.views.generic import ListView

from articles.models import Article, TaggedArticle
from articles.purges import is_public
from partnerships.models import HelpingPair
from partnerships.views import pair_keys
from qxs import surrogate

from .models import Topic, TopicEntry

ARTICLE_FIELDS = (
    "title",
    "summary",
    "status",
    "published_at",
    "unpublish_at",
    "published_date_only",
    "created_at",
    "is_stub",
    "column__name",
    "column__slug",
)


class TopicListView(ListView):
    """Every public topic, with its banner."""

    paginate_by = 20
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.public().select_related("banner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        surrogate.add(
            self.request,
            surrogate.TOPICS,
            *(surrogate.topic(topic.pk) for topic in context["object_list"]),
        )
        return context


def section_articles(topic):
    """``topic.sections`` with ``section.shown``: its public articles, those chosen by hand
    first (in their order), then the newest with its tag. Three queries whatever the number
    of sections. Also returns the surrogate keys of what the page depends on."""
    sections = list(topic.sections.select_related("tag").order_by("order", "pk"))
    entries = (
        TopicEntry.objects.filter(section__topic=topic)
        .select_related("article__column")
        .only("section_id", "position", *(f"article__{name}" for name in ARTICLE_FIELDS))
        .order_by("section_id", "position", "pk")
    )
    chosen = {}
    # An entry not public yet still names its article: the page changes when it is published.
    keys = []
    for entry in entries:
        keys.append(surrogate.article(entry.article_id))
        if is_public(entry.article):
            chosen.setdefault(entry.section_id, []).append(entry.article)
    tagged = {}
    tag_sections = [section for section in sections if section.tag_id]
    if tag_sections:
        keys += [surrogate.tag(section.tag_id) for section in tag_sections]
        most = max(section.tag_limit for section in tag_sections)
        rows = (
            TaggedArticle.objects.filter(
                tag_id__in={section.tag_id for section in tag_sections},
                content_object__in=Article.objects.published().values("pk"),
            )
            .select_related("content_object__column")
            .only("tag_id", *(f"content_object__{name}" for name in ARTICLE_FIELDS))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("tag_id"),
                    order_by=[
                        F("content_object__published_at").desc(),
                        F("content_object_id").desc(),
                    ],
                )
            )
            .filter(rank__lte=most + 50)  # room for the ones also chosen by hand
            .order_by("tag_id", "rank")
        )
        for row in rows:
            tagged.setdefault(row.tag_id, []).append(row.content_object)
    for section in sections:
        shown = list(chosen.get(section.pk, []))
        seen = {article.pk for article in shown}
        if section.tag_id:
            extra = [a for a in tagged.get(section.tag_id, []) if a.pk not in seen]
            shown += extra[: section.tag_limit]
        section.shown = shown
        keys += [surrogate.article(article.pk) for article in shown]
    return sections, keys


def topic_detail(request, slug):
    """A topic's page: banner, introduction, sections, and its meeting's pairs."""
    topic = Topic.objects.public().select_related("banner", "meeting").filter(slug=slug).first()
    if topic is None:
        raise Http404("No public topic has this address.")
    sections, keys = section_articles(topic)
    pairs = []
    if topic.meeting_id:
        pairs = list(
            HelpingPair.objects.filter(meeting_id=topic.meeting_id)
            .select_related("helper", "helped")
            .order_by("order", "pk")
        )
        keys += [surrogate.meeting(topic.meeting_id), *pair_keys(pairs)]
    surrogate.add(request, surrogate.topic(topic.pk), *keys)
    context = {"topic": topic, "sections": sections, "pairs": pairs}
    return render(request, "topics/topic_detail.html", context)
