"""Scheduled publication, seen by a reader: absent before the time, present after it."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, ColumnFactory

from .support import login

TITLE = "福清市技监局与延边州技监局开展联合打假"


def test_article_scheduled_a_minute_ahead_appears_when_its_time_comes(open_page, chief_editor):
    """The chief editor schedules an article one minute ahead in the admin. Readers do not see
    it (home, news list, its page, search), even on pages cached meanwhile; once the server's
    clock has passed the time (shifted 61 seconds with time-machine, which moves the clock of
    the whole process, the live server's threads included) it is on every one of them."""
    column = ColumnFactory(name="工作动态", slug="work")
    ArticleFactory(title="已经发布的另一篇新闻", column=column)
    article = ArticleFactory(
        title=TITLE, column=column, status=Article.Status.REVIEW, published_at=None
    )

    chief = open_page()
    login(chief, chief_editor.username)
    chief.goto(reverse("admin:articles_article_change", args=[article.pk]))
    chief.locator(".object-tools .qxs-move-schedule").click()
    when = timezone.localtime() + datetime.timedelta(minutes=1)
    chief.fill("#id_publish_at_0", when.strftime("%Y-%m-%d"))
    chief.fill("#id_publish_at_1", when.strftime("%H:%M:%S"))
    chief.click('#content-main input[type="submit"]')
    expect(chief.locator(".messagelist .success")).to_be_visible()
    expect(chief.locator(".qxs-status-line")).to_contain_text("定时发布于")
    article.refresh_from_db()
    assert article.is_scheduled
    assert abs(article.published_at - when.replace(microsecond=0)) < datetime.timedelta(seconds=1)

    url = article.get_absolute_url()
    reader = open_page()
    search = f"/search/?q={TITLE}"
    for path in ["/", "/news/"]:
        reader.goto(path)
        expect(reader.locator("main")).to_contain_text("已经发布的另一篇新闻")
        expect(reader.locator(f'main a[href="{url}"]')).to_have_count(0)
    reader.goto(search)
    expect(reader.locator(".search-results a")).to_have_count(0)
    assert reader.goto(url).status == 404

    with time_machine.travel(article.published_at + datetime.timedelta(seconds=1)):
        assert reader.goto(url).status == 200
        expect(reader.locator("h1")).to_have_text(TITLE)
        for path in ["/", "/news/", search]:
            reader.goto(path)
            expect(reader.locator(f'main a[href="{url}"]').first).to_be_visible()
