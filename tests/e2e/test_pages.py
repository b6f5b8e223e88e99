"""Every public page type: accessible (axe-core), no script errors, fits a 375 px phone.

Screenshots of each at desktop (1280 px) and phone (375 px) width go to var/screenshots/. Each
test walks all the pages and reports every page that fails, not only the first.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from partnerships.models import Agency, Division, HelpingPair
from tests.factories import ArticleFactory, AttachmentFactory, ImageFactory

from .support import DESKTOP, PHONE, horizontal_overflow, login, save_screenshot
from .support import serious_accessibility_violations as axe_violations


@pytest.fixture
def public_pages(demo):
    """``(name, path, status)`` of one page of each public type, over the demo content plus an
    article with everything an article can show (picture, table, link, tags, attachment)."""
    meeting = demo["meeting"]
    pair = HelpingPair.objects.select_related("helper").order_by("pk").first()
    article = ArticleFactory(
        title="温岭市与富裕县签订质量兴市合作项目",
        summary="两地确定年度合作项目。",
        body=(
            '<p>两地确定了<a href="https://www.example.org/">年度合作项目</a>。</p>'
            "<h2>合作项目</h2><table><tr><th>项目</th><th>年份</th></tr>"
            "<tr><td>农产品质量标准</td><td>2005</td></tr></table>"
        ),
        column=demo["article"].column,
        source="国家质检总局",
        author="王明",
        responsible_editor="李华",
        cover_image=ImageFactory(alt_text="温岭市代表团在富裕县考察企业"),
        meeting=meeting,
    )
    article.tags.add("帮扶", "质量兴市")
    article.agencies.add(pair.helper, pair.helped)
    article.pairs.add(pair)
    AttachmentFactory(article=article, title="合作项目协议书")
    stub = Article.objects.filter(is_stub=True).order_by("pk").first()
    tag = article.tags.get(name="帮扶")
    seed = demo["article"]
    published = seed.published_at
    return [
        ("home", "/", 200),
        ("news-list", reverse("articles:list"), 200),
        (
            "news-list-invalid-filter",
            reverse("articles:list") + "?column=x&date_from=2004-13-1",
            200,
        ),
        ("news-column", reverse("articles:column", args=[seed.column.slug]), 200),
        ("news-tag", reverse("articles:tag", args=[tag.slug]), 200),
        ("news-year", reverse("articles:archive-year", args=[published.year]), 200),
        (
            "news-month",
            reverse("articles:archive-month", args=[published.year, published.month]),
            200,
        ),
        ("article-seed", seed.get_absolute_url(), 200),
        ("article-full", article.get_absolute_url(), 200),
        ("article-stub", stub.get_absolute_url(), 200),
        ("article-print", seed.get_absolute_url() + "?print=1", 200),
        ("meetings", reverse("partnerships:meeting-list"), 200),
        ("meeting", meeting.get_absolute_url(), 200),
        ("pairs", reverse("partnerships:pair-list"), 200),
        ("pair", pair.get_absolute_url(), 200),
        ("agencies", reverse("partnerships:agency-list"), 200),
        ("agency", Agency.objects.get(name="温岭市人民政府").get_absolute_url(), 200),
        ("region", Division.objects.get(name="黑龙江省").get_absolute_url(), 200),
        ("search", reverse("search:search") + "?q=技监局", 200),
        ("search-empty", reverse("search:search"), 200),
        ("not-found", "/news/2004/09/999999/", 404),
    ]


def test_public_pages_have_no_serious_accessibility_violation_or_script_error(
    open_page, public_pages
):
    """axe-core finds no serious or critical violation on any public page type at desktop
    width, and no page logs a script error, a CSP violation or a failed request."""
    page = open_page(width=DESKTOP)
    failures = []
    for name, path, status in public_pages:
        page.problems.clear()
        response = page.goto(path)
        if response.status != status:
            failures.append(f"{path}: HTTP {response.status}, expected {status}")
        page.wait_for_load_state("networkidle")
        failures += axe_violations(page)
        failures += [
            f"{path}: {problem}"
            for problem in page.problems
            if not (status != 200 and problem == f"HTTP {status}: {response.url}")
            and not (status != 200 and "status of 404" in problem and path in problem)
        ]
        save_screenshot(page, f"{name}-desktop")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_fit_a_375_px_phone_without_horizontal_scrolling(
    open_page, public_pages, language
):
    """At 375 px every page type is as wide as the screen, in Chinese and in English (longer
    words): nothing scrolls sideways."""
    page = open_page(width=PHONE)
    prefix = suffix = ""
    if language != "zh-hans":
        page.goto("/")
        page.click(f'.lang-switch a[hreflang="{language}"]')
        expect(page.locator("html")).to_have_attribute("lang", language)
        prefix, suffix = f"/{language}", f"-{language}"
    failures = []
    for name, path, _status in public_pages:
        path = prefix + path
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.wait_for_load_state("networkidle")
        overflow = horizontal_overflow(page)
        if overflow:
            width = page.evaluate("document.documentElement.scrollWidth")
            failures.append(f"{path}: {width} px wide; sticking out: {', '.join(overflow)}")
        save_screenshot(page, f"{name}-phone{suffix}")
    assert not failures, "\n".join(failures)


def test_article_change_form_has_no_serious_accessibility_violation(open_page, demo, editor):
    """The editors' form of a draft (with the prose editor loaded) passes axe-core too."""
    draft = ArticleFactory(
        title="富裕县质量工作概况",
        body="<p>富裕县介绍了本地的经济发展。</p>",
        column=demo["article"].column,
        status=Article.Status.DRAFT,
        published_at=None,
        cover_image=ImageFactory(),
    )
    draft.tags.add("帮扶")
    page = open_page(width=DESKTOP)
    login(page, editor.username)
    page.goto(reverse("admin:articles_article_change", args=[draft.pk]))
    page.locator('.prose-editor [contenteditable="true"]').wait_for()
    violations = axe_violations(page)
    save_screenshot(page, "admin-article-change-desktop")
    assert not violations, "\n".join(violations)
