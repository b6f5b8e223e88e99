"""A reader finds the demo's topic (专题): the list of topics, the topic's page with its
banner, sections, the report and the eight pairs, its feed, and the same page in English.
axe-core checks every page."""

import re

import feedparser
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from topics import demo as topics_demo
from topics.models import Topic

from .support import serious_accessibility_violations

TITLE = topics_demo.TITLE


def assert_accessible(page):
    violations = serious_accessibility_violations(page)
    assert not violations, "\n".join(violations)


def assert_image_loaded(image):
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0


def test_a_reader_opens_the_demo_topic_in_chinese_and_in_english(open_page, demo):
    """From /topics/ to 东北老工业基地质量兴市: the banner with its alt text, the sections in
    order (the report chosen by hand, the report's related items), the eight pairs formed at
    the meeting, a feed a feed reader can read; then the English page at /en/topics/<slug>/,
    the site's words translated around the topic's own."""
    report, meeting = demo["article"], demo["meeting"]
    topic = Topic.objects.get(slug=topics_demo.SLUG)
    url = topic.get_absolute_url()
    pairs = list(meeting.pairs.select_related("helper", "helped").order_by("order", "pk"))
    assert len(pairs) == 8

    page = open_page()
    page.goto(reverse("topics:list"))
    expect(page.locator("h1")).to_have_text("专题")
    card = page.locator("main .card", has_text=TITLE)
    assert_image_loaded(card.locator("img"))
    expect(card.locator("img")).to_have_attribute("alt", topics_demo.BANNER_ALT)
    assert_accessible(page)
    card.get_by_role("link", name=TITLE).click()

    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    banner = page.locator("img.topic-banner")
    assert_image_loaded(banner)
    expect(banner).to_have_attribute("alt", topics_demo.BANNER_ALT)
    expect(page.locator(".topic-header .lead")).to_contain_text("齐齐哈尔市")
    expect(page.locator(".topic-nav a")).to_have_text(["座谈会报道", "相关新闻"])
    report_section, related_section = (
        page.locator("section", has=page.get_by_role("heading", name=name, exact=True))
        for name in ("座谈会报道", "相关新闻")
    )
    expect(report_section.get_by_role("link", name=report.title)).to_be_visible()
    stubs = list(report.related.order_by("-published_at", "pk"))
    expect(related_section.locator(".news-list > li")).to_have_count(len(stubs))
    expect(related_section.locator(".news-title a:not(.badge)")).to_have_text(
        [stub.title for stub in stubs]
    )
    pair_links = page.locator(".pair-list a")
    expect(pair_links).to_have_text([str(pair) for pair in pairs])
    assert_accessible(page)

    # The section links lead down the page; the pairs and the report lead on.
    page.locator(".topic-nav a", has_text="相关新闻").click()
    expect(page).to_have_url(re.compile(r"#section-\d+$"))
    expect(related_section.get_by_role("heading", name="相关新闻")).to_be_in_viewport()

    feed_link = page.locator("article.topic a", has_text="RSS 订阅")
    response = page.request.get(feed_link.get_attribute("href"))
    assert response.ok
    assert "xml" in response.headers["content-type"]
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert TITLE in feed.feed.title
    assert report.title in [entry.title for entry in feed.entries]

    pair_links.first.click()
    expect(page).to_have_url(re.compile(re.escape(pairs[0].get_absolute_url()) + "$"))
    page.go_back()
    report_section.get_by_role("link", name=report.title).click()
    expect(page.locator("h1")).to_have_text(report.title)
    page.go_back()

    # The English page: the same topic under /en/, the chrome and headings in English.
    page.click('.lang-switch a[hreflang="en"]')
    expect(page).to_have_url(re.compile(re.escape(f"/en{url}") + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".breadcrumbs")).to_contain_text("Topics")
    expect(page.locator("h1")).to_have_text(TITLE)
    assert_image_loaded(page.locator("img.topic-banner"))
    expect(page.get_by_role("heading", name="Helping pairs")).to_be_visible()
    expect(page.locator(".pair-list a")).to_have_count(8)
    english_feed = page.locator("article.topic a", has_text="RSS feed")
    assert english_feed.get_attribute("href").startswith("/en/")
    assert page.request.get(english_feed.get_attribute("href")).ok
    assert_accessible(page)
    with translation.override("en"):
        page.goto(reverse("topics:list"))
    expect(page.locator("h1")).to_have_text("Topics")
    assert_accessible(page)

    assert not page.problems, "\n".join(page.problems)
