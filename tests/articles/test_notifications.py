"""Notifications: who is told about a move, by mail after the commit, and a failed send that is
logged without undoing the move."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from articles import notifications, services
from articles.models import Article, Notification
from tests.factories import ArticleFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def people():
    author = StaffUserFactory(groups=["编辑"], email="author@example.gov.cn", first_name="作者")
    chiefs = [
        StaffUserFactory(groups=["审核"], email="chief1@example.gov.cn"),
        StaffUserFactory(groups=["审核"], email="chief2@example.gov.cn"),
        StaffUserFactory(groups=["审核"], email=""),  # no address: told on the desk only
    ]
    return author, chiefs


def draft_by(author):
    return ArticleFactory(status=Status.DRAFT, published_at=None, created_by=author, title="稿件甲")


def test_submitting_tells_the_chief_editors_after_the_commit(
    people, django_capture_on_commit_callbacks
):
    author, chiefs = people
    article = draft_by(author)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.move_article(article, "submit", author)
    # Nothing is sent before the transaction commits.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "chief1@example.gov.cn",
        "chief2@example.gov.cn",
    ]
    assert "稿件待审核：《稿件甲》" in mail.outbox[0].subject
    assert f"/articles/article/{article.pk}/change/" in mail.outbox[0].body
    assert set(Notification.objects.values_list("recipient", flat=True)) == {c.pk for c in chiefs}


def test_no_mail_when_the_move_is_rolled_back(people, django_capture_on_commit_callbacks):
    author, _chiefs = people
    article = draft_by(author)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.move_article(article, "submit", author)
        raise RuntimeError("something later in the same transaction failed")
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_sending_back_tells_the_author_with_the_note(people, django_capture_on_commit_callbacks):
    author, chiefs = people
    article = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_article(article, "return", chiefs[0], comment="第二段数据请核实")
    assert [m.to for m in mail.outbox] == [["author@example.gov.cn"]]
    assert "第二段数据请核实" in mail.outbox[0].body
    assert Notification.objects.get().kind == Notification.Kind.RETURNED


def test_publishing_tells_the_author(people, django_capture_on_commit_callbacks):
    author, chiefs = people
    article = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_article(article, "publish", chiefs[0])
    assert [m.to for m in mail.outbox] == [["author@example.gov.cn"]]
    assert "已发布" in mail.outbox[0].subject


def test_nobody_is_told_of_their_own_move(people, django_capture_on_commit_callbacks):
    _author, chiefs = people
    article = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=chiefs[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.move_article(article, "publish", chiefs[0])
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_failed_send_is_logged_and_the_move_stands(
    people, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    author, chiefs = people
    article = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=author)

    class BrokenConnection:
        def send_messages(self, messages):
            raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(notifications, "get_connection", lambda **kwargs: BrokenConnection())
    with (
        caplog.at_level(logging.ERROR, logger="articles.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.move_article(article, "publish", chiefs[0])
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.status_changes.count() == 1
    assert "author@example.gov.cn" in caplog.text
    assert "SMTP server down" in caplog.text
    # The desk still has it.
    assert Notification.objects.filter(recipient=author).exists()
