"""The set-based refresh stores exactly the box the per-article rule computes.

``related.refresh`` ranks every box of a batch in a few SQL statements; ``related.compute`` is
the rule for one article (the admin preview runs it). On varied data (ties on score and time,
manual choices older, newer, unpublished and the article itself, stubs, drafts, archived and
scheduled articles, articles without tags or agencies, popular and rare tags) every stored box
must equal what ``compute`` gives, and only the pages of boxes that changed are purged. The
suite runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

import datetime
import random

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag

from articles import related
from articles.models import Article, RelatedNews, TaggedArticle
from qxs import purge as purge_module
from tests.factories import AgencyFactory, ColumnFactory

pytestmark = pytest.mark.django_db

BASE = datetime.datetime(2004, 1, 1, 8, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def purged(monkeypatch):
    """The surrogate keys sent to the caches."""
    sent = []
    monkeypatch.setattr(purge_module.sender, "submit", lambda keys: sent.extend(keys))
    return sent


@pytest.fixture
def no_signals():
    """Bulk writes: rows go in without the signals that would store boxes one by one."""
    receivers = [
        (post_save, related._article_saved, Article),
        (pre_delete, related._article_deleted, Article),
        (post_save, related._tagging_changed, TaggedArticle),
        (post_delete, related._tag_removed, TaggedArticle),
        (m2m_changed, related._links_changed, related.ArticleAgency),
        (m2m_changed, related._links_changed, related.ArticleRelated),
    ]
    for signal, receiver, sender in receivers:
        signal.disconnect(receiver, sender=sender)
    yield
    related.connect_signals()


def build_archive(rng, count):
    """``count`` articles with tags, agencies and manual choices drawn from ``rng``."""
    column = ColumnFactory()
    tags = Tag.objects.bulk_create(Tag(name=f"标签{i}", slug=f"tag-{i}") for i in range(6))
    agencies = [AgencyFactory() for _ in range(3)]
    rows = []
    for i in range(count):
        roll = rng.random()
        # Few distinct times, so ties on the time are broken by the id.
        when = BASE + datetime.timedelta(days=rng.randrange(12))
        if roll < 0.08:
            status, when = Article.Status.DRAFT, None
        elif roll < 0.12:
            status = Article.Status.REVIEW
        elif roll < 0.18:
            status = Article.Status.ARCHIVED
        elif roll < 0.26:
            status, when = Article.Status.PUBLISHED, NOW + datetime.timedelta(days=rng.randrange(9))
        else:
            status = Article.Status.PUBLISHED
        rows.append(
            Article(
                title=f"稿件{i}",
                column=column,
                status=status,
                published_at=when,
                is_stub=rng.random() < 0.1,
            )
        )
    articles = Article.objects.bulk_create(rows)
    tagged, linked, chosen = [], [], []
    for article in articles:
        # One tag on most articles, a few with none: scores tie often.
        weights = [8, 4, 2, 1, 1, 1]
        for tag in {rng.choices(tags, weights)[0] for _ in range(rng.choice([0, 1, 1, 2, 3]))}:
            tagged.append(TaggedArticle(content_object=article, tag=tag))
        for agency in rng.sample(agencies, rng.choice([0, 0, 1, 2])):
            linked.append(related.ArticleAgency(article_id=article.pk, agency_id=agency.pk))
        if rng.random() < 0.15:
            for other in rng.sample(articles, rng.randint(1, 3)):  # newer, unpublished, itself
                chosen.append(
                    related.ArticleRelated(from_article_id=article.pk, to_article_id=other.pk)
                )
    TaggedArticle.objects.bulk_create(tagged)
    related.ArticleAgency.objects.bulk_create(linked)
    related.ArticleRelated.objects.bulk_create(chosen, ignore_conflicts=True)
    return articles


def stored_boxes():
    boxes = {}
    for article_id, related_id in RelatedNews.objects.order_by(
        "article_id", "position"
    ).values_list("article_id", "related_id"):
        boxes.setdefault(article_id, []).append(related_id)
    return boxes


def computed_boxes():
    """Each article's box by the per-article rule."""
    tags, agencies = {}, {}
    for article_id, tag_id in TaggedArticle.objects.values_list("content_object_id", "tag_id"):
        tags.setdefault(article_id, []).append(tag_id)
    for article_id, agency_id in related.ArticleAgency.objects.values_list(
        "article_id", "agency_id"
    ):
        agencies.setdefault(article_id, []).append(agency_id)
    boxes = {}
    for article in Article.objects.order_by("pk"):
        box = related.compute(article, tags.get(article.pk), agencies.get(article.pk))
        if box:
            boxes[article.pk] = box
    return boxes


@pytest.mark.parametrize(
    ("seed", "candidates"),
    [(1, related.RELATED_CANDIDATES), (2, 5), (3, 3), (4, 1)],
)
def test_the_set_based_refresh_stores_what_the_per_article_rule_computes(
    no_signals, monkeypatch, seed, candidates
):
    """Few candidates per tag make the cut-off bite: a candidate's rows straddle it, a popular
    tag's rows push a rare tag's out."""
    monkeypatch.setattr(related, "RELATED_CANDIDATES", candidates)
    build_archive(random.Random(seed), 150)
    expected = computed_boxes()
    assert len(expected) > 40  # the data really exercises the rule
    if candidates >= related.RELATED_LIMIT:
        assert any(len(box) == related.RELATED_LIMIT for box in expected.values())

    related.refresh_all(batch_size=37)  # batches cut across the archive

    assert stored_boxes() == expected


def test_small_batches_and_one_batch_store_the_same(no_signals):
    build_archive(random.Random(5), 120)
    related.refresh_all(batch_size=1)
    one_by_one = stored_boxes()
    RelatedNews.objects.all().delete()
    related.refresh_all(batch_size=1000)
    assert stored_boxes() == one_by_one == computed_boxes()


def test_only_the_boxes_that_changed_are_rewritten_and_purged(
    no_signals, purged, django_capture_on_commit_callbacks
):
    """Purges go out when the transaction commits, as on the live site."""
    articles = build_archive(random.Random(6), 120)
    with django_capture_on_commit_callbacks(execute=True):
        assert related.refresh_all() > 0
    assert len(purged) > 10
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert related.refresh_all() == 0
    assert purged == []

    # Bulk writes without signals: a popular tag lost by a few articles, a manual choice added.
    before = stored_boxes()
    popular = Tag.objects.get(slug="tag-0")
    TaggedArticle.objects.filter(tag=popular, content_object__in=articles[40:60]).delete()
    related.ArticleRelated.objects.get_or_create(
        from_article_id=articles[-1].pk, to_article_id=articles[0].pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = related.refresh([article.pk for article in articles])
    after = stored_boxes()

    assert after == computed_boxes()
    really_changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    assert really_changed  # the writes did move some boxes
    assert set(changed) == really_changed
    assert sorted(purged) == sorted(f"article-{pk}" for pk in really_changed)


def test_refreshing_deleted_and_unpublished_articles_empties_their_boxes(no_signals):
    articles = build_archive(random.Random(7), 80)
    related.refresh_all()
    boxes = stored_boxes()
    listed = next(pk for pk, box in boxes.items() if len(box) > 1)
    Article.objects.filter(pk=listed).update(status=Article.Status.DRAFT)
    missing = max(article.pk for article in articles) + 1000
    related.refresh([listed, missing])
    assert listed not in stored_boxes()
    assert not RelatedNews.objects.filter(article_id=missing).exists()


@pytest.mark.parametrize("candidates", [related.RELATED_CANDIDATES, 3])
def test_refreshing_around_changed_articles_leaves_every_box_exact(
    no_signals, monkeypatch, candidates
):
    """``affected_by`` finds every box a change can move: after tags and agencies are added
    to some articles (in bulk, without signals), refreshing only those around them gives
    the boxes the per-article rule computes for the whole archive."""
    monkeypatch.setattr(related, "RELATED_CANDIDATES", candidates)
    rng = random.Random(8)
    articles = build_archive(rng, 120)
    related.refresh_all()
    changed = rng.sample(articles, 12)
    tags = list(Tag.objects.all())
    agency = related.ArticleAgency.objects.values_list("agency_id", flat=True).first()
    for article in changed:
        TaggedArticle.objects.get_or_create(content_object=article, tag=rng.choice(tags))
        related.ArticleAgency.objects.get_or_create(article_id=article.pk, agency_id=agency)
    assert stored_boxes() != computed_boxes()  # the writes moved boxes the refresh must find

    affected = related.affected_by(article.pk for article in changed)
    related.refresh(affected)

    assert stored_boxes() == computed_boxes()
    assert len(affected) < len(articles) or candidates >= len(articles)


@pytest.mark.parametrize("candidates", [related.RELATED_CANDIDATES, 3])
def test_refreshing_around_removed_links_leaves_every_box_exact(
    no_signals, monkeypatch, candidates
):
    """An article that loses a tag or an agency no longer fills a candidate place of the
    articles after it: their candidates reach one row further back. Given the links removed,
    ``affected_by`` finds those articles too (the article's remaining links no longer name
    them), and refreshing them gives the boxes the per-article rule computes."""
    monkeypatch.setattr(related, "RELATED_CANDIDATES", candidates)
    rng = random.Random(9)
    articles = build_archive(rng, 120)
    related.refresh_all()
    changed = [article.pk for article in rng.sample(articles, 12)]
    tag_links = TaggedArticle.objects.filter(content_object_id__in=changed)
    agency_links = related.ArticleAgency.objects.filter(article_id__in=changed)
    untagged = list(tag_links.values_list("content_object_id", "tag_id"))
    unlinked = list(agency_links.values_list("article_id", "agency_id"))
    assert untagged and unlinked
    tag_links.delete()
    agency_links.delete()

    affected = related.affected_by(changed, untagged=untagged, unlinked=unlinked)
    related.refresh(affected)

    assert stored_boxes() == computed_boxes()
    assert len(affected) < len(articles) or candidates >= len(articles)
