"""A 头条 and a column pin set in the admin by a chief editor, seen by a reader, and gone when
their time runs out: no cron job, no purge, no write, only the publication rule and the
pages' cache lifetime, which ends at the next scheduled change."""

import datetime
import re
import time

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, ColumnFactory, ImageFactory

from .support import login, serious_accessibility_violations

HEADLINE = "国家质检总局召开东北老工业基地质量兴市工作座谈会"
PINNED = "八个帮扶对子签署质量兴市合作交流协议"
COVER_ALT = "座谈会会场：主席台上方悬挂会议横幅"
# How far ahead the chief editor sets both end times: enough for two saves and a reader's
# visit on a busy machine, short enough to wait for.
AHEAD = datetime.timedelta(seconds=20)
HOUR = datetime.timedelta(hours=1)


def assert_accessible(page):
    violations = serious_accessibility_violations(page)
    assert not violations, "\n".join(violations)


def set_until(page, field, when):
    local = timezone.localtime(when)
    page.fill(f"#id_{field}_0", f"{local:%Y-%m-%d}")
    page.fill(f"#id_{field}_1", f"{local:%H:%M:%S}")


def shared_cache_seconds(response):
    match = re.search(r"s-maxage=(\d+)", response.headers["cache-control"])
    assert match, response.headers["cache-control"]
    return int(match.group(1))


def versions():
    return list(Article.objects.values_list("pk", "version", "updated_at").order_by("pk"))


def test_a_headline_and_a_pin_expire_by_time_alone(open_page, chief_editor):
    """The chief editor makes the newest article the 头条 and pins an older one to the top of
    its column, both until a few seconds ahead. The home page leads with the 头条 and its
    cover; the column page lists the pinned article first, marked 置顶; each page may be kept
    by a cache only until that time. Once it has passed, a reload shows neither, though
    nothing was saved or purged meanwhile."""
    column = ColumnFactory(name="工作动态", slug="work")
    now = timezone.now()
    pinned = ArticleFactory(title=PINNED, column=column, published_at=now - 48 * HOUR)
    ArticleFactory(title="齐齐哈尔市技监局开展计量检定", column=column, published_at=now - 1 * HOUR)
    headline = ArticleFactory(
        title=HEADLINE,
        summary="沿海与东北的质量技术监督部门和地方政府结成八个帮扶对子。",
        column=column,
        cover_image=ImageFactory(alt_text=COVER_ALT),
        published_at=now - datetime.timedelta(minutes=5),
    )

    chief = open_page()
    login(chief, chief_editor.username)
    until = (timezone.now() + AHEAD).replace(microsecond=0)
    chief.goto(reverse("admin:articles_article_change", args=[headline.pk]))
    set_until(chief, "headline_until", until)
    chief.click('input[name="_continue"]')
    expect(chief.locator(".messagelist .success")).to_be_visible()
    chief.goto(reverse("admin:articles_article_change", args=[pinned.pk]))
    set_until(chief, "pinned_until", until)
    chief.click('input[name="_continue"]')
    expect(chief.locator(".messagelist .success")).to_be_visible()
    expect(chief.locator("#id_pinned_until_1")).to_have_value(
        f"{timezone.localtime(until):%H:%M:%S}"
    )
    # Before axe, whose own inline styles the admin's Content Security Policy reports.
    assert not chief.problems, "\n".join(chief.problems)
    assert_accessible(chief)
    headline.refresh_from_db()
    pinned.refresh_from_db()
    assert (headline.headline_until, pinned.pinned_until) == (until, until)
    saved = versions()

    reader = open_page()
    response = reader.goto("/")
    lead = reader.locator("section.headline")
    expect(lead.get_by_role("link", name=HEADLINE)).to_be_visible()
    cover = lead.locator("img")
    expect(cover).to_have_attribute("alt", COVER_ALT)
    assert cover.evaluate("img => img.complete && img.naturalWidth") > 0
    assert shared_cache_seconds(response) <= (until - timezone.now()).total_seconds() + 1
    assert_accessible(reader)

    response = reader.goto(column.get_absolute_url())
    titles = reader.locator("main .news-list .news-title")
    expect(titles.first).to_contain_text(PINNED)
    expect(titles.first.locator(".badge-pinned")).to_have_text("置顶")
    expect(reader.locator("main .badge-pinned")).to_have_count(1)
    assert shared_cache_seconds(response) <= (until - timezone.now()).total_seconds() + 1
    assert_accessible(reader)

    # The time passes; nobody touches anything.
    time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 1)
    reader.reload()
    expect(titles.first).to_contain_text(HEADLINE)
    expect(reader.locator("main .badge-pinned")).to_have_count(0)
    expect(reader.locator("main .news-title", has_text=PINNED)).to_have_count(1)
    reader.goto("/")
    expect(reader.locator("section.headline")).to_have_count(0)
    # Back among the latest news.
    expect(
        reader.locator(f'main .news-list a[href="{headline.get_absolute_url()}"]')
    ).to_be_visible()
    assert versions() == saved

    assert not reader.problems, "\n".join(reader.problems)
