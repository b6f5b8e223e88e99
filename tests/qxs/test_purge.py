"""Purging Varnish by surrogate key (qxs/purge.py and each app's purges.py), against a real
little HTTP server on 127.0.0.1 standing in for Varnish (``varnish`` fixture, conftest.py)."""

import datetime
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from portal.models import SiteIdentity
from qxs import purge
from tests.factories import (
    AgencyFactory,
    AgreementClauseFactory,
    ArticleFactory,
    ColumnFactory,
    CooperationActivityFactory,
    DivisionFactory,
    HelpingPairFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    TopicEntryFactory,
    TopicFactory,
    TopicSectionFactory,
)

from .conftest import FakeVarnish

pytestmark = pytest.mark.django_db


# --- The sender --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_purge_goes_out_at_once(varnish):
    """``PURGE /`` with the keys, space-separated, in ``xkey-purge``."""
    purge.purge("news", "article-7", None, "")
    assert purge.flush(5)
    assert varnish.purges == [("PURGE", "/", "article-7 news", True)]


def test_a_purge_waits_for_the_commit_and_sends_each_key_once(
    varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        purge.purge("article-1", "news")
        purge.purge("news", "tag-3")
        assert purge.flush(5)
        assert varnish.purges == []
    assert purge.flush(5)
    assert varnish.purges == [("PURGE", "/", "article-1 news tag-3", True)]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(varnish):
    article = ArticleFactory(title="回滚前")
    assert purge.flush(5)
    varnish.forget()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "回滚中"
        article.save()
        raise RuntimeError("the editor's save failed")
    assert purge.flush(5)
    assert varnish.purges == []
    # ... and the next committed change is sent as usual.
    article.refresh_from_db()
    article.title = "回滚后"
    article.save()
    assert purge.flush(5)
    assert f"article-{article.pk}" in varnish.sent_keys()


def test_a_rolled_back_savepoint_does_not_swallow_later_purges(
    varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            purge.purge("article-1")
            raise RuntimeError
        purge.purge("article-2")
    assert purge.flush(5)
    assert varnish.sent_keys() == {"article-2"}


def test_every_varnish_gets_every_purge(settings, varnish):
    second = FakeVarnish()
    try:
        settings.QXS_VARNISH_URLS = [varnish.url, second.url + "/"]
        purge.sender.submit({"site"})
        assert purge.flush(5)
        assert varnish.purged_keys() == second.purged_keys() == {"site"}
    finally:
        second.shutdown()
        second.server_close()


def test_a_failing_varnish_is_retried_and_logged(varnish, caplog):
    varnish.statuses = [500, 503]
    with caplog.at_level(logging.WARNING, logger="qxs.purge"):
        purge.sender.submit({"article-9"})
        assert purge.flush(5)
    assert [ok for *_rest, ok in varnish.purges] == [False, False, True]
    assert varnish.purged_keys() == {"article-9"}
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(failures) == 2


def test_an_unreachable_varnish_is_given_up_with_an_error(settings, caplog, varnish):
    unreachable = FakeVarnish()
    url = unreachable.url
    unreachable.server_close()  # nothing listens there any more
    settings.QXS_VARNISH_URLS = [url]
    with caplog.at_level(logging.WARNING, logger="qxs.purge"):
        purge.sender.submit({"article-9"})
        assert purge.flush(5)
    assert any(r.levelno == logging.ERROR and "giving up" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_the_editors_save_never_waits_for_varnish(settings):
    """The save and its commit return while Varnish has not even answered yet."""
    answer = threading.Event()
    hanging = FakeVarnish()
    original = hanging.RequestHandlerClass.do_PURGE

    def do_purge(handler):
        answer.wait(5)
        original(handler)

    hanging.RequestHandlerClass = type("Hanging", (hanging.RequestHandlerClass,), {})
    hanging.RequestHandlerClass.do_PURGE = do_purge
    settings.QXS_VARNISH_URLS = [hanging.url]
    try:
        article = ArticleFactory()
        article.title = "不等缓存"
        article.save()  # commits: the purge is queued
        assert not hanging.purges  # saved and committed; the purge is still in flight
        answer.set()
        assert purge.flush(5)
        assert f"article-{article.pk}" in hanging.purged_keys()
    finally:
        answer.set()
        hanging.shutdown()
        hanging.server_close()


def test_long_key_lists_are_cut_into_headers_varnish_accepts(varnish):
    keys = {f"article-{n}" for n in range(2000)}
    purge.sender.submit(keys)
    assert purge.flush(5)
    assert len(varnish.purges) > 1
    assert all(len(header) <= purge.MAX_HEADER_LENGTH for _m, _p, header, _ok in varnish.purges)
    assert varnish.sent_keys() == keys


def test_a_full_queue_drops_the_purge_with_an_error(varnish, caplog, monkeypatch):
    sender = purge.PurgeSender()
    monkeypatch.setattr(sender, "_start", lambda: None)  # no thread: the queue only fills
    sender._queue.maxsize = 1
    with caplog.at_level(logging.ERROR, logger="qxs.purge"):
        sender.submit({"article-1"})
        sender.submit({"article-2"})
    assert any("queue full" in r.getMessage() for r in caplog.records)


def test_a_management_command_sends_its_purges_before_exiting(varnish, tmp_path):
    """``manage.py …`` with the stack's environment purges like the web app: the queue is
    flushed at exit."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qxs.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "QXS_VARNISH_URLS": varnish.url,
    }
    code = "import django; django.setup(); from qxs.purge import purge; purge('site', 'news')"
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True, timeout=60)
    assert varnish.purged_keys() == {"site", "news"}


# --- What each change purges ---------------------------------------------------------------
# Real commits (transaction=True), as in the running site.

each_commit = pytest.mark.django_db(transaction=True)


def article_keys(article, *extra):
    return {f"article-{article.pk}", "news", f"column-{article.column_id}", *extra}


@each_commit
def test_publishing_purges_the_article_lists_column_and_neighbours(sent_after_commit):
    column = ColumnFactory()
    older = ArticleFactory(column=column)
    draft = ArticleFactory(column=column, status=Article.Status.DRAFT, published_at=None)
    draft.tags.add("特种设备")
    tag = Tag.objects.get(name="特种设备")
    chief = get_user_model().objects.create_superuser("chief", password="x")
    from articles import services

    with sent_after_commit() as sent:
        services.move_article(draft, "publish", chief)
    assert sent == article_keys(draft, f"article-{older.pk}", f"tag-{tag.pk}")


@each_commit
def test_a_draft_purges_nothing(sent_after_commit):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    agency = AgencyFactory()
    Tag.objects.create(name="草稿标签", slug="draft-tag")
    with sent_after_commit() as sent:
        draft.title = "草稿改题"
        draft.save()
        draft.tags.add("草稿标签")
        draft.agencies.add(agency)
    assert sent == set()


@each_commit
def test_moving_an_article_purges_both_columns_and_both_sets_of_neighbours(sent_after_commit):
    old_column, new_column = ColumnFactory(), ColumnFactory()
    old_neighbour = ArticleFactory(column=old_column)
    new_neighbour = ArticleFactory(column=new_column)
    article = ArticleFactory(column=old_column)
    with sent_after_commit() as sent:
        article.column = new_column
        article.save()
    assert sent == {
        f"article-{article.pk}",
        "news",
        f"column-{old_column.pk}",
        f"column-{new_column.pk}",
        f"article-{old_neighbour.pk}",
        f"article-{new_neighbour.pk}",
    }


@each_commit
def test_unpublishing_purges_what_the_article_was_on(sent_after_commit):
    meeting = MeetingFactory()
    pair = HelpingPairFactory(meeting=meeting)
    agency = AgencyFactory()
    article = ArticleFactory(meeting=meeting)
    article.agencies.add(agency)
    article.pairs.add(pair)
    with sent_after_commit() as sent:
        article.status = Article.Status.DRAFT
        article.save()
    assert sent == article_keys(
        article, f"meeting-{meeting.pk}", f"agency-{agency.pk}", f"pair-{pair.pk}"
    )


@each_commit
def test_tag_changes_purge_the_old_and_the_new_tag(sent_after_commit):
    article = ArticleFactory()
    article.tags.add("旧标签")
    old = Tag.objects.get(name="旧标签")
    with sent_after_commit() as sent:
        article.tags.set(["新标签"])
    new = Tag.objects.get(name="新标签")
    assert sent == {f"article-{article.pk}", f"tag-{old.pk}", f"tag-{new.pk}"}


@each_commit
def test_renaming_or_deleting_a_tag_purges_its_pages(sent_after_commit):
    article = ArticleFactory()
    article.tags.add("质量")
    tag = Tag.objects.get(name="质量")
    with sent_after_commit() as sent:
        tag.name = "质量强市"
        tag.save()
    assert sent == {f"tag-{tag.pk}"}
    tag_pk = tag.pk
    with sent_after_commit() as sent:
        tag.delete()
    assert sent == {f"tag-{tag_pk}", f"article-{article.pk}"}


@each_commit
def test_many_to_many_links_purge_both_ends_from_either_side(sent_after_commit):
    article = ArticleFactory()
    agency, pair = AgencyFactory(), HelpingPairFactory()
    with sent_after_commit() as sent:
        article.agencies.add(agency)
        article.pairs.add(pair)
    assert sent == {f"article-{article.pk}", f"agency-{agency.pk}", f"pair-{pair.pk}"}
    with sent_after_commit() as sent:
        article.agencies.clear()
    assert sent == {f"article-{article.pk}", f"agency-{agency.pk}"}
    other_agency, other_pair = AgencyFactory(), HelpingPairFactory()
    with sent_after_commit() as sent:
        other_agency.articles.add(article)  # from the other side
        other_pair.articles.add(article)
    assert sent == {f"article-{article.pk}", f"agency-{other_agency.pk}", f"pair-{other_pair.pk}"}
    with sent_after_commit() as sent:
        other_pair.articles.remove(article)
    assert sent == {f"article-{article.pk}", f"pair-{other_pair.pk}"}
    meeting = MeetingFactory()
    region = DivisionFactory()
    with sent_after_commit() as sent:
        region.meetings_attended.add(meeting)  # from the other side
    assert sent == {f"meeting-{meeting.pk}", f"division-{region.pk}"}


@each_commit
def test_a_column_is_in_every_pages_navigation(sent_after_commit):
    column = ColumnFactory()
    with sent_after_commit() as sent:
        column.name = "工作动态（新）"
        column.save()
    assert sent == {f"column-{column.pk}", "site"}


@each_commit
def test_partnership_changes(sent_after_commit):
    pair = HelpingPairFactory()
    helper, helped, meeting = pair.helper, pair.helped, pair.meeting
    with sent_after_commit() as sent:
        helper.short_name = "温岭市市场监管局"
        helper.save()
    assert sent == {
        f"agency-{helper.pk}",
        "agencies",
        f"division-{helper.division_id}",
        "pairs",
        f"pair-{pair.pk}",
    }
    with sent_after_commit() as sent:
        meeting.title = "质量兴市工作座谈会（更正）"
        meeting.save()
    assert sent == {
        f"meeting-{meeting.pk}",
        "meetings",
        "home",
        f"division-{meeting.venue_id}",
    }
    other = AgencyFactory()
    with sent_after_commit() as sent:
        pair.helped = other
        pair.save()
    assert sent == {
        f"pair-{pair.pk}",
        "pairs",
        "home",
        f"agency-{helper.pk}",
        f"agency-{helped.pk}",
        f"agency-{other.pk}",
        f"meeting-{meeting.pk}",
    }
    with sent_after_commit() as sent:
        participant = MeetingParticipantFactory(meeting=meeting, agency=other)
    assert sent == {f"meeting-{meeting.pk}", f"agency-{other.pk}"}
    with sent_after_commit() as sent:
        participant.delete()
    assert sent == {f"meeting-{meeting.pk}", f"agency-{other.pk}"}


@each_commit
def test_agreements_clauses_and_activities_purge_their_pair(sent_after_commit):
    clause = AgreementClauseFactory()
    pair = clause.agreement.pair
    with sent_after_commit() as sent:
        clause.text = "加强质量技术监督合作"
        clause.save()
    assert sent == {f"pair-{pair.pk}"}
    article = ArticleFactory()
    with sent_after_commit() as sent:
        CooperationActivityFactory(pair=pair, article=article)
    assert sent == {f"pair-{pair.pk}", f"article-{article.pk}"}


@each_commit
def test_a_division_purges_its_agencies_meetings_and_the_diagram(sent_after_commit):
    meeting = MeetingFactory()
    division = meeting.venue
    agency = AgencyFactory(division=division)
    with sent_after_commit() as sent:
        division.current_name = "凤城市"
        division.save()
    assert sent == {
        f"division-{division.pk}",
        "agencies",
        "pairs",
        f"agency-{agency.pk}",
        f"meeting-{meeting.pk}",
    }


@each_commit
def test_the_site_identity_purges_every_page(sent_after_commit):
    identity = SiteIdentity.current()
    with sent_after_commit() as sent:
        identity.site_name = "质量兴市网"
        identity.save()
    assert sent == {"site"}


@each_commit
def test_the_admins_bulk_publish_purges_every_article_it_moved(client, sent_after_commit):
    column = ColumnFactory()
    drafts = [
        ArticleFactory(column=column, status=Article.Status.REVIEW, published_at=None)
        for _ in range(3)
    ]
    chief = get_user_model().objects.create_superuser("chief", password="x")
    client.force_login(chief)
    data = {
        "action": "publish_selected",
        "_selected_action": [a.pk for a in drafts],
        "confirm": "1",
        **{f"version_{a.pk}": a.version for a in drafts},
    }
    with sent_after_commit() as sent:
        response = client.post("/admin/articles/article/", data)
    assert response.status_code in (200, 302)
    assert Article.objects.published().count() == 3
    assert sent == {"news", f"column-{column.pk}", *(f"article-{a.pk}" for a in drafts)}


def test_without_varnish_no_keys_are_worked_out(settings):
    """No QXS_VARNISH_URLS (make run, tests): a save does not read what it would purge."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory()
    counts = []
    for urls in ([], ["http://127.0.0.1:9"]):
        settings.QXS_VARNISH_URLS = urls
        with CaptureQueriesContext(connection) as queries:
            article.title = f"标题{len(urls)}"
            article.save()
        counts.append(len(queries))
    assert counts[0] < counts[1]


@each_commit
def test_a_headline_or_a_pin_purges_the_home_page_news_and_its_column(sent_after_commit):
    """Setting (or clearing) a 头条 or a pin changes the home page (news) and the column page."""
    article = ArticleFactory()
    with sent_after_commit() as sent:
        article.pinned_until = timezone.now() + datetime.timedelta(hours=1)
        article.save()
    assert {"news", f"column-{article.column_id}", f"article-{article.pk}"} <= sent


@each_commit
def test_topics_purge_their_page_and_the_lists_of_topics(sent_after_commit):
    topic = TopicFactory()
    article = ArticleFactory()
    with sent_after_commit() as sent:
        topic.title = "新专题名"
        topic.save()
    assert sent == {f"topic-{topic.pk}", "topics"}
    with sent_after_commit() as sent:
        section = TopicSectionFactory(topic=topic)
        TopicEntryFactory(section=section, article=article)
    assert sent == {f"topic-{topic.pk}"}


@pytest.mark.django_db(transaction=True)
def test_within_whole_site_one_purge_of_site_goes_out_at_the_end(varnish):
    with purge.whole_site():
        purge.purge("article-1", "news")
        with transaction.atomic():
            purge.purge("article-2")
        assert purge.flush(5)
        assert varnish.purges == []
    assert purge.flush(5)
    assert varnish.purges == [("PURGE", "/", "site", True)]


@pytest.mark.django_db(transaction=True)
def test_whole_site_sends_nothing_when_nothing_changed(varnish):
    with purge.whole_site():
        pass
    assert purge.flush(5)
    assert varnish.purges == []
