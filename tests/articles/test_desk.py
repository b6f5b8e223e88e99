"""The editors' desk on the admin home page: each person's lists, one click from each article,
and a query count that does not grow with the number of articles."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, PendingRevision
from tests.factories import ArticleFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status
INDEX = reverse("admin:index")


def desk_section(html, key):
    start = html.index(f'class="module qxs-desk-list qxs-desk-{key}"')
    return html[start : html.index("</section>", start)]


def fill(author, chief, size):
    """``size`` articles of every kind the desk lists."""
    now = timezone.now()
    for n in range(size):
        ArticleFactory(status=Status.DRAFT, published_at=None, created_by=author, title=f"草稿{n}")
        ArticleFactory(status=Status.REVIEW, published_at=None, created_by=author, title=f"待审{n}")
        returned = ArticleFactory(
            status=Status.REVIEW, published_at=None, created_by=author, title=f"退回{n}"
        )
        services.move_article(returned, "return", chief, comment=f"请补充数据{n}")
        ArticleFactory(published_at=now + datetime.timedelta(days=2), title=f"定时{n}")
        ArticleFactory(published_at=now - datetime.timedelta(days=1), title=f"新发{n}")
        live = ArticleFactory(published_at=now - datetime.timedelta(days=3), title=f"在线{n}")
        PendingRevision.objects.create(article=live, title=f"修订{n}", submitted_by=author)


def queries_for(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries)


def test_desk_query_count_does_not_grow_with_the_articles(client):
    author = StaffUserFactory(groups=["编辑"])
    chief = StaffUserFactory(groups=["审核"])
    counts = {}
    for added in (2, 23):  # 2, then 25 of each kind: more than a list shows
        fill(author, chief, added)
        for role, user in (("editor", author), ("chief", chief)):
            client.force_login(user)
            counts.setdefault(role, []).append(queries_for(client))
    assert counts["editor"][0] == counts["editor"][1]
    assert counts["chief"][0] == counts["chief"][1]


def test_editor_sees_their_drafts_and_what_was_sent_back_with_the_note(client):
    author = StaffUserFactory(groups=["编辑"])
    chief = StaffUserFactory(groups=["审核"])
    fill(author, chief, 1)
    ArticleFactory(status=Status.DRAFT, published_at=None, title="别人的草稿")
    client.force_login(author)
    html = client.get(INDEX).content.decode()
    assert "待我审核" not in html
    drafts = desk_section(html, "drafts")
    assert "草稿0" in drafts and "别人的草稿" not in drafts and "退回0" not in drafts
    returned = desk_section(html, "returned")
    assert "退回0" in returned and "请补充数据0" in returned
    assert '<span class="qxs-desk-count">1</span>' in returned
    # One click from the article.
    article = Article.objects.get(title="退回0")
    assert reverse("admin:articles_article_change", args=[article.pk]) in returned


def test_chief_editor_sees_articles_and_revisions_to_review(client):
    author = StaffUserFactory(groups=["编辑"])
    chief = StaffUserFactory(groups=["审核"])
    fill(author, chief, 2)
    client.force_login(chief)
    html = client.get(INDEX).content.decode()
    review = desk_section(html, "review")
    assert '<span class="qxs-desk-count">4</span>' in review  # 2 articles + 2 revisions
    assert "待审0" in review and "在线1" in review
    revision = PendingRevision.objects.get(title="修订1")
    assert reverse("admin:articles_pendingrevision_change", args=[revision.pk]) in review


def test_everyone_sees_scheduled_and_recent_articles(client):
    author = StaffUserFactory(groups=["编辑"])
    chief = StaffUserFactory(groups=["审核"])
    fill(author, chief, 1)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=9), title="下月定时")
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=30), title="上月旧闻")
    for user in (author, chief):
        client.force_login(user)
        html = client.get(INDEX).content.decode()
        scheduled = desk_section(html, "scheduled")
        assert "定时0" in scheduled and "下月定时" not in scheduled
        recent = desk_section(html, "recent")
        assert "新发0" in recent and "上月旧闻" not in recent


def test_the_desk_lists_my_last_notifications(client):
    author = StaffUserFactory(groups=["编辑"])
    chief = StaffUserFactory(groups=["审核"])
    fill(author, chief, 1)
    client.force_login(author)
    notices = desk_section(client.get(INDEX).content.decode(), "notifications")
    assert "稿件被退回修改：《退回0》" in notices


def test_staff_without_article_rights_get_no_article_lists(client):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(INDEX).content.decode()
    assert "qxs-desk-drafts" not in html and "qxs-desk-review" not in html
