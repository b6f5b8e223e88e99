"""Turning what a reader typed into the ids of the published articles it finds, best first."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Column, TaggedArticle
from qxs.cache import cached_for_generation
from qxs.prepared import PreparedQuery
from qxs.rows import Selection

from .synonyms import expand
from .text import normalize, query_terms, term_tsquery

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Matches ranked and counted per query (the newest ones); the page says "more than" beyond.
MAX_RESULTS = 1000

# Fallback (non-PostgreSQL) ranking: a title match outweighs a summary match, which outweighs
# the body, as ts_rank's A/B/C weights do on PostgreSQL.
FALLBACK_WEIGHTS = (("title", 10), ("summary", 4), ("body", 1))


@dataclass
class ParsedQuery:
    """A reader's query: the words to find (each with its alternatives) or why there are none."""

    text: str = ""
    terms: list = field(default_factory=list)
    error: str = ""

    @property
    def needles(self):
        """Every normalised string worth highlighting, longest first."""
        return sorted({alt for alts in self.terms for alt in alts}, key=len, reverse=True)


def parse_query(raw, synonym_groups):
    """Clean and split a raw query; never raises, whatever the input."""
    # Control characters (NUL included) become spaces; runs of spaces become one.
    text = " ".join("".join(c if c.isprintable() else " " for c in raw or "").split())
    if not text:
        return ParsedQuery(error=_("请输入要搜索的词语。"))
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(
            text=text[:MAX_QUERY_LENGTH],
            error=_("搜索词太长了：请不要超过 %(max)d 个字。") % {"max": MAX_QUERY_LENGTH},
        )
    terms = []
    for term in query_terms(normalize(text)):
        if term not in (alts[0] for alts in terms):
            terms.append(expand(term, synonym_groups))
    if not terms:
        return ParsedQuery(
            text=text, error=_("搜索词里没有可以查找的文字，请输入汉字、字母或数字。")
        )
    return ParsedQuery(text=text, terms=terms[:MAX_TERMS])


def matching_ids(parsed, order="relevance", column=None, start=None, end=None):
    """Ids of the published articles matching every term of ``parsed``, best (or newest) first.

    Only the newest ``MAX_RESULTS`` matches are ranked and counted, so a query that matches most
    of the archive (质量, 技监局) costs about as much as a rare one; narrower filters reach
    further back. One query, which fetches the capped ids with their rank; the page then counts
    and slices that list. The list is cached until public content changes or the next scheduled
    publication is due (``qxs.cache.cached_for_generation``), so a cached list is never stale;
    the key holds the expanded terms, so a new synonym is searched for at once.
    """
    key = repr(
        (
            parsed.terms,
            order,
            column.pk if column is not None else None,
            start.isoformat() if start is not None else None,
            end.isoformat() if end is not None else None,
            MAX_RESULTS,
        )
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cached_for_generation(
        f"search:{digest}", lambda: _matching_ids(parsed, order, column, start, end)
    )


def _matching_ids(parsed, order, column, start, end):
    matches = Article.objects.published()
    if column is not None:
        matches = matches.filter(column=column)
    if start is not None:
        matches = matches.filter(published_at__date__gte=start)
    if end is not None:
        matches = matches.filter(published_at__date__lte=end)
    if connection.vendor == "postgresql":
        tsquery = " & ".join(
            "(" + " | ".join(f"({term_tsquery(alt)})" for alt in alts) + ")"
            for alts in parsed.terms
        )
        query = SearchQuery(tsquery, config="simple", search_type="raw")
        matches = matches.filter(search_document__vector=query)
        rank = SearchRank(F("search_document__vector"), query)
    else:
        condition = Q()
        rank = Value(0)
        for alts in parsed.terms:
            term_condition = Q()
            for field_name, weight in FALLBACK_WEIGHTS:
                in_field = Q()
                for alt in alts:
                    in_field |= Q(**{f"search_document__{field_name}__contains": alt})
                term_condition |= in_field
                rank = rank + Case(
                    When(in_field, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            condition &= term_condition
        matches = matches.filter(condition)
    newest = matches.order_by("-published_at", "-pk")
    if order == "date":
        return list(newest.values_list("pk", flat=True)[:MAX_RESULTS])
    # Newest first from the database; a stable sort by rank keeps that order among equals.
    ranked = list(newest.annotate(rank=rank).values_list("pk", "rank")[:MAX_RESULTS])
    ranked.sort(key=lambda row: -row[1])
    return [pk for pk, _rank in ranked]


# Ids read by one statement: a page of results (the view's ``PER_PAGE``) in one query each
# for the articles and their tags, compiled once per process (``qxs.prepared``).
IDS_PER_QUERY = 10
ID_SLOTS = tuple(f"id{number}" for number in range(IDS_PER_QUERY))
# What a result shows: its link, title, snippet (the summary, or the body's text when the
# summary does not match), column, day and source; the other fields stay deferred.
RESULTS = Selection(
    Article,
    ("column", Column, "id", "name"),
    fields=("id", "title", "summary", "body", "column_id", "source", "published_at"),
)


def _results_query(now, **ids):
    return (
        Article.objects.published(now)
        .filter(pk__in=list(ids.values()))
        .order_by()
        .values_list(*RESULTS.names)
    )


def _tags_query(now, **ids):
    return (
        TaggedArticle.objects.filter(content_object_id__in=list(ids.values()))
        .order_by("tag_id")
        .values_list("content_object_id", "tag__name")
    )


RESULTS_QUERY = PreparedQuery(_results_query, ids=ID_SLOTS)
TAGS_QUERY = PreparedQuery(_tags_query, ids=ID_SLOTS)


def articles_in_order(ids, now=None):
    """The published articles with these ids, in that order, with their columns and the names
    of their tags (``tag_names``, oldest tag first); an id no longer published is left out.

    Two queries (articles, tags) for each ``IDS_PER_QUERY`` ids: a page of results. Tags are
    read as names, not through taggit's prefetch, which builds a manager and a queryset for
    each article (half the page's CPU once its id list was cached).
    """
    now = now or timezone.now()
    ids = list(ids)
    by_pk = {}
    tag_names = defaultdict(list)
    for first in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[first : first + IDS_PER_QUERY]
        # A short chunk repeats its first id in the slots left over.
        slots = dict(zip(ID_SLOTS, chunk + chunk[:1] * (IDS_PER_QUERY - len(chunk)), strict=True))
        for row in RESULTS_QUERY.rows(now=now, **slots):
            article = RESULTS.instances(row)[0]
            by_pk[article.pk] = article
        for article_id, name in TAGS_QUERY.rows(now=now, **slots):
            tag_names[article_id].append(name)
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    for article in articles:
        article.tag_names = tag_names[article.pk]
    return articles


def search_articles(parsed, order="relevance", column=None, start=None, end=None):
    """Every matching published article (up to ``MAX_RESULTS``), best or newest first."""
    return articles_in_order(matching_ids(parsed, order, column, start, end))
