"""Related news: chosen when content changes and stored (``RelatedNews``), not per request.

An article's box lists its manual choices (``Article.related``) first, then the articles that
share the most tags and agencies with it, newest first. Besides the manual choices, only
articles that came before it are candidates (added to the site earlier, i.e. a lower primary
key, and published no later than it), so:

- publishing a new article changes no other article's box (only scheduled articles due later
  can list it), and reading a box never shows an article whose time has not come: when the
  article is visible, everything published before it is too;
- a change to an article X (publishing, unpublishing, a new time, its tags, agencies or manual
  choices) changes the boxes of X itself, of the articles that list X, of those that chose X by
  hand, and of the articles after X whose candidates X is among (the ``RELATED_CANDIDATES``
  next ones sharing each of its tags and agencies). A tag or agency X loses counts too: the
  articles after X that shared it no longer find X among their candidates and reach one row
  further back, to an article their box may now list, though X was never in it.
  :func:`refresh_around` recomputes exactly those and purges the pages of the ones whose box
  changed.

The candidates are read from two indexes, ``(tag, article)`` and ``(agency, article)``, so a tag
on half the archive costs what a rare one does. :func:`compute` is the rule for one article (the
admin preview); :func:`refresh` stores many boxes at once with the same rule in one ranking
statement per batch (:data:`RANKED_SQL`, window functions on PostgreSQL and SQLite), so the
backfill of 100,000 articles takes minutes, not an hour.

Writes that bypass signals (``bulk_create``, ``QuerySet.update()``) call :func:`refresh_around`
or :func:`refresh` themselves, or run ``manage.py refresh_related_news``.
"""

from django.db import connections, router, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from qxs import surrogate
from qxs.purge import purge

from .models import Article, RelatedNews, TaggedArticle

ArticleRelated = Article.related.through
ArticleAgency = Article.agencies.through

RELATED_LIMIT = 6
# Candidates per shared tag or agency: the articles that came just before.
RELATED_CANDIDATES = 200


def related_articles(article, tag_ids, agency_ids, limit=RELATED_LIMIT):
    """The related news of ``article`` computed now (one query): the admin preview's box.

    ``tag_ids`` and ``agency_ids`` are the article's own (they may be unsaved in a preview).
    """
    return list(
        _ranked(article, tag_ids, agency_ids).only(
            "title", "published_at", "created_at", "is_stub"
        )[:limit]
    )


def compute(article, tag_ids, agency_ids, limit=RELATED_LIMIT):
    """The ids of the articles ``article``'s box lists, best first (one query)."""
    if article.pk is None or article.status != Article.Status.PUBLISHED:
        return []
    return list(_ranked(article, tag_ids, agency_ids).values_list("pk", flat=True)[:limit])


def _ranked(article, tag_ids, agency_ids):
    manual = ArticleRelated.objects.filter(from_article_id=article.pk)
    candidate_sets = [manual.values("to_article_id")]
    shared_tags = shared_agencies = Value(0, output_field=IntegerField())
    before = {"lt": article.pk} if article.pk else {}
    if tag_ids:
        tagged = TaggedArticle.objects.filter(tag_id__in=tag_ids)
        newest = tagged.filter(**{f"content_object_id__{k}": v for k, v in before.items()})
        newest = newest.order_by("-content_object_id").values("content_object_id")
        candidate_sets.append(newest[:RELATED_CANDIDATES])
        shared_tags = _count(tagged.filter(content_object_id=OuterRef("pk")), "content_object_id")
    if agency_ids:
        linked = ArticleAgency.objects.filter(agency_id__in=agency_ids)
        newest = linked.filter(**{f"article_id__{k}": v for k, v in before.items()})
        newest = newest.order_by("-article_id").values("article_id")
        candidate_sets.append(newest[:RELATED_CANDIDATES])
        shared_agencies = _count(linked.filter(article_id=OuterRef("pk")), "article_id")
    # A sliced query cannot be a member of a compound statement on SQLite, so each set is a
    # plain primary-key lookup with its slice inside.
    first, *others = [
        Article.objects.filter(pk__in=ids).order_by().values("pk") for ids in candidate_sets
    ]
    candidates = first.union(*others) if others else first
    ranked = Article.objects.filter(status=Article.Status.PUBLISHED, pk__in=candidates)
    if article.published_at is not None:
        # Manual choices may be newer: pages read the box through published(), so a choice
        # still to come shows from its time on.
        chosen = manual.values("to_article_id")
        ranked = ranked.filter(Q(published_at__lte=article.published_at) | Q(pk__in=chosen))
    return (
        ranked.exclude(pk=article.pk)
        .annotate(
            is_manual=Exists(manual.filter(to_article_id=OuterRef("pk"))),
            score=shared_tags + shared_agencies,
        )
        .order_by("-is_manual", "-score", "-published_at", "-pk")
    )


def _count(rows, group_field):
    """A correlated ``COUNT(*)`` of ``rows`` as an integer subquery (0 when there are none)."""
    counted = rows.order_by().values(group_field).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def refresh(pks, batch_size=1000):
    """Recompute and store the boxes of the articles ``pks``; purge the pages of those that
    changed. Returns the ids whose box changed.

    Set-based: a few statements per ``batch_size`` articles (:data:`RANKED_SQL` ranks every
    box of a batch at once), never one computation per article.
    """
    pks = sorted(set(pks))
    changed = []
    for start in range(0, len(pks), batch_size):
        changed += _refresh_batch(pks[start : start + batch_size])
    purge(*(surrogate.article(pk) for pk in changed))
    return changed


def _refresh_batch(pks):
    wanted, stored = {}, {}
    for article_id, related_id in _ranked_boxes(pks):
        wanted.setdefault(article_id, []).append(related_id)
    for article_id, related_id in (
        RelatedNews.objects.filter(article_id__in=pks)
        .order_by("article_id", "position")
        .values_list("article_id", "related_id")
    ):
        stored.setdefault(article_id, []).append(related_id)
    # Deleted articles have neither (the cascade removed their entries).
    changed = [pk for pk in pks if wanted.get(pk, []) != stored.get(pk, [])]
    if changed:
        with transaction.atomic():
            RelatedNews.objects.filter(article_id__in=changed).delete()
            RelatedNews.objects.bulk_create(
                RelatedNews(article_id=pk, related_id=related_id, position=position)
                for pk in changed
                for position, related_id in enumerate(wanted.get(pk, []))
            )
    return changed


# The rule of :func:`compute` for many articles at once, in SQL that PostgreSQL and SQLite
# (3.25+, window functions) both run. Raw SQL rather than the ORM: the rule is a chain of
# common table expressions with correlated ``LIMIT 1 OFFSET n`` probes and two windows, which
# the ORM cannot say (no CTEs) or would say only unreadably.
#
# The candidates by tag of article A are the articles among the first RELATED_CANDIDATES rows
# of ``(tag, article)`` with a tag of A and an article before A, newest first. Those rows are
# among the RELATED_CANDIDATES rows just before A *of each tag*, so each tag is read only from
# its ``lowest`` row (the RELATED_CANDIDATES-th before A, one index probe) up to A: an index
# range, whatever the tag's size. A window then keeps the first RELATED_CANDIDATES rows over
# all of A's tags. Agencies the same. Rows tied on an article id are the same article, so how
# the window orders them changes nothing.
RANKED_SQL = """
WITH batch AS (
    SELECT id, published_at FROM {article}
    WHERE status = %(published)s AND id IN ({pks})
),
own_tags AS (
    SELECT b.id AS article_id, own.tag_id, (
        SELECT t.content_object_id FROM {tagged} t
        WHERE t.tag_id = own.tag_id AND t.content_object_id < b.id
        ORDER BY t.content_object_id DESC LIMIT 1 OFFSET %(offset)s
    ) AS lowest
    FROM batch b JOIN {tagged} own ON own.content_object_id = b.id
),
tag_rows AS (
    SELECT o.article_id, t.content_object_id AS candidate, ROW_NUMBER() OVER (
        PARTITION BY o.article_id ORDER BY t.content_object_id DESC
    ) AS n
    FROM own_tags o JOIN {tagged} t ON t.tag_id = o.tag_id
        AND t.content_object_id < o.article_id AND t.content_object_id >= COALESCE(o.lowest, 0)
),
own_agencies AS (
    SELECT b.id AS article_id, own.agency_id, (
        SELECT l.article_id FROM {agencies} l
        WHERE l.agency_id = own.agency_id AND l.article_id < b.id
        ORDER BY l.article_id DESC LIMIT 1 OFFSET %(offset)s
    ) AS lowest
    FROM batch b JOIN {agencies} own ON own.article_id = b.id
),
agency_rows AS (
    SELECT o.article_id, l.article_id AS candidate, ROW_NUMBER() OVER (
        PARTITION BY o.article_id ORDER BY l.article_id DESC
    ) AS n
    FROM own_agencies o JOIN {agencies} l ON l.agency_id = o.agency_id
        AND l.article_id < o.article_id AND l.article_id >= COALESCE(o.lowest, 0)
),
candidates AS (
    SELECT article_id, candidate FROM tag_rows WHERE n <= %(candidates)s
    UNION
    SELECT article_id, candidate FROM agency_rows WHERE n <= %(candidates)s
    UNION
    SELECT b.id, r.to_article_id FROM batch b JOIN {chosen} r ON r.from_article_id = b.id
),
scored AS (
    SELECT c.article_id, c.candidate, a.published_at, b.published_at AS article_published_at,
        CASE WHEN EXISTS (
            SELECT 1 FROM {chosen} r
            WHERE r.from_article_id = c.article_id AND r.to_article_id = c.candidate
        ) THEN 1 ELSE 0 END AS is_manual,
        (
            SELECT COUNT(*) FROM {tagged} own JOIN {tagged} t ON t.tag_id = own.tag_id
            WHERE own.content_object_id = c.article_id AND t.content_object_id = c.candidate
        ) + (
            SELECT COUNT(*) FROM {agencies} own JOIN {agencies} l ON l.agency_id = own.agency_id
            WHERE own.article_id = c.article_id AND l.article_id = c.candidate
        ) AS score
    FROM candidates c
    JOIN batch b ON b.id = c.article_id
    JOIN {article} a ON a.id = c.candidate
    WHERE a.status = %(published)s AND a.id <> c.article_id
),
ranked AS (
    SELECT article_id, candidate, ROW_NUMBER() OVER (
        PARTITION BY article_id ORDER BY is_manual DESC, score DESC, published_at DESC,
            candidate DESC
    ) AS position
    FROM scored
    -- Manual choices may be newer than the article; the others come no later than it.
    WHERE is_manual = 1 OR published_at <= article_published_at
)
SELECT article_id, candidate FROM ranked WHERE position <= %(limit)s
ORDER BY article_id, position
"""


def _ranked_boxes(pks, limit=RELATED_LIMIT):
    """``(article id, related id)`` of the boxes of articles ``pks``, each box best first."""
    if not pks:
        return []
    connection = connections[router.db_for_write(RelatedNews)]
    quote = connection.ops.quote_name
    sql = RANKED_SQL.format(
        article=quote(Article._meta.db_table),
        tagged=quote(TaggedArticle._meta.db_table),
        agencies=quote(ArticleAgency._meta.db_table),
        chosen=quote(ArticleRelated._meta.db_table),
        pks=", ".join(str(int(pk)) for pk in pks),
    )
    params = {
        "published": Article.Status.PUBLISHED,
        "offset": RELATED_CANDIDATES - 1,
        "candidates": RELATED_CANDIDATES,
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def refresh_all(batch_size=1000, progress=None):
    """Recompute every stored box (the backfill; after bulk writes without signals)."""
    return refresh_in_batches(
        Article.objects.order_by("pk").values_list("pk", flat=True), batch_size, progress
    )


def refresh_in_batches(pks, batch_size=1000, progress=None):
    """:func:`refresh` of ``pks``, a batch at a time; returns how many boxes changed.

    Enough after inserting new articles in bulk: only articles added after them, or that list
    them, could list them, and there are none yet.
    """
    pks = sorted(pks)
    changed = 0
    for start in range(0, len(pks), batch_size):
        changed += len(refresh(pks[start : start + batch_size]))
        if progress is not None:
            progress(min(start + batch_size, len(pks)), len(pks))
    return changed


def affected_by(pks, *, untagged=(), unlinked=(), batch_size=1000):
    """The articles whose box may change when articles ``pks`` change (``pks`` included).

    ``untagged`` and ``unlinked`` are the ``(article, tag)`` and ``(article, agency)`` links
    the change removed: the articles after each that shared the tag or agency are found from
    them, since the article's remaining links no longer lead there.

    A few statements per ``batch_size`` changed articles (:data:`AFTER_SQL`), never a query per
    article and tag.
    """
    untagged, unlinked = set(untagged), set(unlinked)
    pks = sorted({*pks, *(pk for pk, _ in untagged), *(pk for pk, _ in unlinked)})
    affected = set(pks)
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        in_batch = set(batch)
        affected.update(
            RelatedNews.objects.filter(related_id__in=batch).values_list("article_id", flat=True)
        )
        affected.update(
            ArticleRelated.objects.filter(to_article_id__in=batch).values_list(
                "from_article_id", flat=True
            )
        )
        affected.update(
            _candidates_after(
                batch,
                untagged=[link for link in untagged if link[0] in in_batch],
                unlinked=[link for link in unlinked if link[0] in in_batch],
            )
        )
    return affected


# The articles after each of ``pks`` whose candidates it is (or, for a link just removed, was)
# among: the RELATED_CANDIDATES next ones sharing each of its tags and agencies, read as an
# index range up to the ``highest`` (the RELATED_CANDIDATES-th after it, one index probe), as
# in :data:`RANKED_SQL`. The rows after an article are the same with or without its own, so
# a removed link, given as a row of ``VALUES``, finds the articles it was a candidate of.
AFTER_SQL = """
WITH tag_links (article_id, tag_id) AS (
    SELECT content_object_id, tag_id FROM {tagged} WHERE content_object_id IN ({pks})
    {untagged}
),
agency_links (article_id, agency_id) AS (
    SELECT article_id, agency_id FROM {agencies} WHERE article_id IN ({pks})
    {unlinked}
),
own_tags AS (
    SELECT own.article_id, own.tag_id, (
        SELECT t.content_object_id FROM {tagged} t
        WHERE t.tag_id = own.tag_id AND t.content_object_id > own.article_id
        ORDER BY t.content_object_id LIMIT 1 OFFSET %(offset)s
    ) AS highest
    FROM tag_links own
),
own_agencies AS (
    SELECT own.article_id, own.agency_id, (
        SELECT l.article_id FROM {agencies} l
        WHERE l.agency_id = own.agency_id AND l.article_id > own.article_id
        ORDER BY l.article_id LIMIT 1 OFFSET %(offset)s
    ) AS highest
    FROM agency_links own
)
SELECT t.content_object_id FROM own_tags o JOIN {tagged} t ON t.tag_id = o.tag_id
    AND t.content_object_id > o.article_id
    AND (o.highest IS NULL OR t.content_object_id <= o.highest)
UNION
SELECT l.article_id FROM own_agencies o JOIN {agencies} l ON l.agency_id = o.agency_id
    AND l.article_id > o.article_id
    AND (o.highest IS NULL OR l.article_id <= o.highest)
"""


def _candidates_after(pks, untagged=(), unlinked=()):
    connection = connections[router.db_for_write(RelatedNews)]
    quote = connection.ops.quote_name
    sql = AFTER_SQL.format(
        tagged=quote(TaggedArticle._meta.db_table),
        agencies=quote(ArticleAgency._meta.db_table),
        pks=", ".join(str(int(pk)) for pk in pks),
        untagged=_union_values(untagged),
        unlinked=_union_values(unlinked),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"offset": RELATED_CANDIDATES - 1})
        return [pk for (pk,) in cursor.fetchall()]


def _union_values(links):
    """``UNION VALUES (article, other), ...`` of integer pairs, or nothing."""
    if not links:
        return ""
    return "UNION VALUES " + ", ".join(f"({int(a)}, {int(b)})" for a, b in sorted(links))


def refresh_around(pks, *, untagged=(), unlinked=()):
    """Recompute every box a change to articles ``pks`` may have changed; ``untagged`` and
    ``unlinked`` are the links it removed (see :func:`affected_by`)."""
    return refresh(affected_by(pks, untagged=untagged, unlinked=unlinked))


# Changes seen by signals are collected per transaction and handled once, after it commits.

_PENDING = "_qxs_related_news_pending"


class _Pending:
    """What one transaction changed: articles, and the tag and agency links it removed."""

    def __init__(self):
        self.pks, self.untagged, self.unlinked = set(), set(), set()


def schedule(pks, *, untagged=(), unlinked=()):
    """Refresh the boxes around articles ``pks`` once the current transaction commits.

    ``untagged`` and ``unlinked`` are the ``(article, tag)`` and ``(article, agency)`` links
    removed: they are gone from the database by then, and they lead to the articles that
    shared them (:func:`affected_by`).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        refresh_around(pks, untagged=untagged, unlinked=unlinked)
        return
    pending = getattr(connection, _PENDING, None)
    # A rolled-back transaction drops the callback but not the set: start a new one then.
    registered = pending is not None and any(
        callback[1] is _flush for callback in connection.run_on_commit
    )
    if not registered:
        pending = _Pending()
        setattr(connection, _PENDING, pending)
        # Robust: a failure is logged and never undoes or fails the editor's save.
        transaction.on_commit(_flush, robust=True)
    pending.pks.update(pks)
    pending.untagged.update(untagged)
    pending.unlinked.update(unlinked)


def _flush():
    connection = transaction.get_connection()
    pending = getattr(connection, _PENDING, None)
    setattr(connection, _PENDING, None)
    if pending and (pending.pks or pending.untagged or pending.unlinked):
        refresh_around(pending.pks, untagged=pending.untagged, unlinked=pending.unlinked)


# Signals: every save of an article or of its tags, agencies and manual choices, wherever it
# comes from (the admin, services, imports, management commands).


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule([instance.pk])


def _article_deleted(sender, instance, **kwargs):
    """Before the cascade removes them: the articles that list or chose this one, and its
    agencies (the cascade deletes those links without a signal; its tags send theirs)."""
    schedule(
        [instance.pk],
        unlinked=ArticleAgency.objects.filter(article_id=instance.pk).values_list(
            "article_id", "agency_id"
        ),
    )
    listing = set(
        RelatedNews.objects.filter(related_id=instance.pk).values_list("article_id", flat=True)
    )
    listing.update(
        ArticleRelated.objects.filter(to_article_id=instance.pk).values_list(
            "from_article_id", flat=True
        )
    )
    listing.discard(instance.pk)
    if listing:
        # The cascade empties their entries, so the recomputed box may equal what is left:
        # their pages still showed the deleted article.
        purge(*(surrogate.article(pk) for pk in listing))
        schedule(listing)


def _tagging_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule([instance.content_object_id])


def _tag_removed(sender, instance, **kwargs):
    schedule([instance.content_object_id], untagged=[(instance.content_object_id, instance.tag_id)])


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    # Removed agency links (never manual choices: they make no candidate places) as
    # (article, agency); a clear's are known only before it.
    removed = []
    if sender is ArticleAgency and action in ("post_remove", "pre_clear"):
        if action == "pre_clear":
            own = "agency_id" if reverse else "article_id"
            links = ArticleAgency.objects.filter(**{own: instance.pk})
            removed = list(links.values_list("article_id", "agency_id"))
        elif reverse:
            removed = [(pk, instance.pk) for pk in pk_set or ()]
        else:
            removed = [(instance.pk, pk) for pk in pk_set or ()]
    if not reverse:
        schedule([instance.pk], unlinked=removed)
    elif action == "pre_clear":
        # An agency losing all its articles: which ones is known only before.
        schedule([pk for pk, _ in removed], unlinked=removed)
    elif pk_set:
        schedule(pk_set, unlinked=removed)


def connect_signals():
    """Connected from ``ArticlesConfig.ready()``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    post_save.connect(_article_saved, sender=Article, dispatch_uid="related-news-article")
    pre_delete.connect(_article_deleted, sender=Article, dispatch_uid="related-news-delete")
    post_save.connect(_tagging_changed, sender=TaggedArticle, dispatch_uid="related-news-tag")
    post_delete.connect(_tag_removed, sender=TaggedArticle, dispatch_uid="related-news-untag")
    for through in (ArticleAgency, ArticleRelated):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"related-news-{through.__name__}"
        )
