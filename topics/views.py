"""The topics' public pages: ``/topics/`` and ``/topics/<slug>/``."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import render
from django.views.generic import ListView
from taggit.models import Tag

from articles.models import Article, Column, TaggedArticle
from articles.purges import is_public
from partnerships.models import HelpingPair
from partnerships.views import pair_keys
from qxs import surrogate

from .models import Topic, TopicSection

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


# What the section query reads, each in its model's field order (as ``Model.from_db`` wants).


def _in_model_order(model, names):
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


SECTION_FIELDS = _in_model_order(TopicSection, {"id", "title", "order", "tag_id", "tag_limit"})
TAG_FIELDS = _in_model_order(Tag, {"id", "name", "slug"})
ENTRY_ARTICLE_FIELDS = _in_model_order(
    Article, {"id", *(name for name in ARTICLE_FIELDS if "__" not in name)}
)
COLUMN_FIELDS = ("name", "slug")


def _sections_with_entries(topic):
    """The topic's sections in order, each with ``chosen``: the articles chosen by hand, in
    their order (public or not), from one query (sections left-joined to their entries)."""
    rows = (
        TopicSection.objects.filter(topic=topic)
        .order_by("order", "pk", "entries__position", "entries__pk")
        .values_list(
            *SECTION_FIELDS,
            *(f"tag__{name}" for name in TAG_FIELDS),
            *(f"entries__article__{name}" for name in ENTRY_ARTICLE_FIELDS),
            *(f"entries__article__column__{name}" for name in COLUMN_FIELDS),
        )
    )
    sections = {}
    for row in rows:
        section_values, row = row[: len(SECTION_FIELDS)], row[len(SECTION_FIELDS) :]
        tag_values, row = row[: len(TAG_FIELDS)], row[len(TAG_FIELDS) :]
        article_values, column_values = row[: len(ENTRY_ARTICLE_FIELDS)], row[-2:]
        section = sections.get(section_values[0])
        if section is None:
            section = TopicSection.from_db("default", SECTION_FIELDS, section_values)
            section.tag = Tag.from_db("default", TAG_FIELDS, tag_values) if tag_values[0] else None
            section.chosen = []
            sections[section.pk] = section
        if article_values[0] is not None:
            article = Article.from_db("default", ENTRY_ARTICLE_FIELDS, article_values)
            article.column = Column(name=column_values[0], slug=column_values[1])
            section.chosen.append(article)
    return list(sections.values())


def section_articles(topic):
    """``topic.sections`` with ``section.shown``: its public articles, those chosen by hand
    first (in their order), then the newest with its tag. Two queries whatever the number
    of sections. Also returns the surrogate keys of what the page depends on."""
    sections = _sections_with_entries(topic)
    chosen = {}
    # An entry not public yet still names its article: the page changes when it is published.
    keys = []
    for section in sections:
        keys += [surrogate.article(article.pk) for article in section.chosen]
        chosen[section.pk] = [article for article in section.chosen if is_public(article)]
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
