"""The reader's journeys on the public site, in Chinese and in English."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ArticleFactory, ColumnFactory

from .support import PHONE


def font_size(page, selector):
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def test_news_filters_valid_and_invalid_and_pagination(open_page, demo):
    """The filter form narrows the list (province, keyword) and the pages keep the filter; bad
    values are explained in Chinese above the form and ignored, never an error page."""
    column = ColumnFactory(name="通知公告", slug="notices")
    for number in range(25):
        ArticleFactory(title=f"计量检定通知第{number:02d}号", column=column)
    page = open_page()
    page.goto("/news/")
    expect(page.locator(".news-list > li")).to_have_count(20)

    page.select_option("#id_province", label="浙江省")
    page.click('.filters button[type="submit"]')
    expect(page).to_have_url(re.compile(r"province=330000"))
    expect(page.locator(".news-list > li")).to_have_count(1)
    expect(page.locator(".news-list")).to_contain_text("东北老工业基地质量兴市工作座谈会")

    page.goto("/news/")
    page.fill("#id_q", "计量检定")
    page.select_option("#id_column", label="通知公告")
    page.click('.filters button[type="submit"]')
    expect(page.locator(".result-count")).to_contain_text("25")
    expect(page.locator(".news-list > li")).to_have_count(20)
    page.locator('.pagination a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".news-list > li")).to_have_count(5)
    expect(page.locator("#id_q")).to_have_value("计量检定")
    expect(page.locator("#id_column")).to_have_value("notices")
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    page.locator('.pagination a[rel="prev"]').click()
    expect(page.locator(".news-list > li")).to_have_count(20)

    response = page.goto("/news/?column=nope&date_from=2004-13-45&province=999999")
    assert response.status == 200
    errors = page.locator(".form-errors[role=alert]")
    expect(errors).to_contain_text("栏目")
    expect(errors).to_contain_text("起始日期")
    expect(errors).to_contain_text("省份")
    expect(page.locator("#id_column")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".news-list > li")).to_have_count(20)

    page.goto("/news/?date_from=2005-01-01&date_to=2004-01-01")
    expect(page.locator(".form-errors")).to_contain_text("结束日期不能早于起始日期")

    assert page.goto("/news/?page=99").status == 404
    assert page.goto("/news/?page=abc").status == 404


def test_article_font_size_switch_and_print_view(open_page, demo):
    """The font-size switch enlarges the text at once, sets a class on <html> and is
    remembered in localStorage on later pages (no cookie: the server never knows); the print
    link prints, and the print view drops navigation and carries the page's address."""
    article = demo["article"]
    page = open_page()
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    page.goto(article.get_absolute_url())
    medium = font_size(page, ".article-body p")
    large_button = page.locator('.font-switch [data-font-size="large"]')
    expect(large_button).to_be_visible()
    expect(page.locator('.font-switch [data-font-size="medium"]')).to_have_attribute(
        "aria-pressed", "true"
    )

    large_button.click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bfont-large\b"))
    expect(large_button).to_have_attribute("aria-pressed", "true")
    expect(page.locator('.font-switch [data-font-size="medium"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    assert font_size(page, ".article-body p") > medium
    assert page.evaluate("localStorage.getItem('qxs_font_size')") == "large"
    assert not page.context.cookies()
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bfont-large\b"))
    expect(large_button).to_have_attribute("aria-pressed", "true")
    assert font_size(page, ".article-body p") > medium
    # Remembered on every page, in both languages.
    for path in ("/news/", "/en/pairs/"):
        page.goto(path)
        expect(page.locator("html")).to_have_class(re.compile(r"\bfont-large\b"))

    page.goto(article.get_absolute_url())
    page.click('.font-switch [data-font-size="small"]')
    assert font_size(page, ".article-body p") < medium
    page.click('.font-switch [data-font-size="medium"]')
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bfont-(small|large)\b"))
    assert font_size(page, ".article-body p") == medium
    page.goto("/news/")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bfont-(small|large)\b"))

    page.goto(article.get_absolute_url())
    page.click(".article-tools [data-print]")
    assert page.evaluate("window.__printed") == 1

    page.goto(article.get_absolute_url() + "?print=1")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".related-news")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text(article.get_absolute_url())
    expect(page.locator("h1")).to_have_text(article.title)
    page.click(".print-toolbar [data-print]")
    assert page.evaluate("window.__printed") == 1

    # The ordinary page printed from the browser's menu looks the same (print style sheet).
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".article-tools")).to_be_hidden()
    expect(page.locator(".article-body")).to_be_visible()
    assert not page.problems, page.problems


def test_the_saved_font_size_applies_before_the_first_paint(open_page, demo):
    """The saved size is on <html> before <body> exists (font-size.js runs in <head>), so the
    page never paints at the default size and then jumps."""
    page = open_page()
    page.goto("/news/")
    page.evaluate("localStorage.setItem('qxs_font_size', 'large')")
    page.add_init_script(
        """new MutationObserver((changes, observer) => {
            if (document.body) {
                window.__classWhenBodyAppeared = document.documentElement.className;
                observer.disconnect();
            }
        }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(demo["article"].get_absolute_url())
    classes = page.evaluate("window.__classWhenBodyAppeared").split()
    assert "font-large" in classes and "js" in classes


def test_font_size_switch_is_hidden_without_javascript(open_page, demo):
    """With scripts off the switch could not work (the size lives in the browser), so it is not
    shown; the article reads at the default size and the print link still opens the print view."""
    article = demo["article"]
    page = open_page(javascript=False)
    page.goto(article.get_absolute_url())
    expect(page.locator(".font-switch")).to_be_hidden()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\b(js|font-large)\b"))
    expect(page.locator(".article-body")).to_be_visible()
    page.click(".article-tools [data-print]")
    expect(page).to_have_url(re.compile(r"\?print=1$"))
    expect(page.locator(".print-only")).to_contain_text(article.get_absolute_url())


def test_keyboard_reader_skips_to_the_content(open_page, demo):
    """The first Tab shows the skip link; following it puts the focus on the main content."""
    page = open_page()
    page.goto(demo["article"].get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_pairs_diagram_with_text_alternative_and_meeting_page(open_page, demo):
    """The pairs page draws the eight pairs (an SVG image with a title and a description that
    points to the table) and lists the same pairs in a table; the meeting page gives the facts
    of the seed and links to its pairs and news."""
    page = open_page()
    page.goto(reverse("partnerships:pair-list"))
    diagram = page.locator("figure.pair-diagram svg[role=img]")
    expect(diagram).to_be_visible()
    described_by = diagram.get_attribute("aria-describedby")
    description = page.locator(f"#{described_by}")
    expect(description).to_contain_text("8")
    expect(description).to_contain_text("表")
    expect(diagram.locator(".arcs path")).to_have_count(8)
    box = diagram.bounding_box()
    assert box["width"] > 200 and box["height"] > 200

    table = page.locator("table.pair-table").first
    expect(table.locator("tbody tr")).to_have_count(8)
    for helper, helped in [("温岭市", "富裕县"), ("常熟市", "凤城")]:
        expect(table.locator("tbody tr", has_text=helper)).to_contain_text(helped)
    for label in ["温岭市", "富裕县", "齐齐哈尔市"]:
        expect(diagram.locator("text", has_text=label).first).to_be_visible()

    page.locator("table.pair-table tbody tr", has_text="温岭市").locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("温岭市")
    expect(page.locator("main")).to_contain_text("富裕县")

    meeting = demo["meeting"]
    page.goto(meeting.get_absolute_url())
    expect(page.locator("h1")).to_have_text("东北老工业基地质量兴市工作座谈会")
    main = page.locator("main")
    for fact in ["2004年9月20日", "齐齐哈尔市", "国家质量监督检验检疫总局", "全国质量兴市先进市县"]:
        expect(main).to_contain_text(fact)
    expect(main.locator(f'a[href="{demo["article"].get_absolute_url()}"]').first).to_be_visible()
    expect(main.locator('a[href^="/pairs/"]')).not_to_have_count(0)


def test_search_from_the_header_highlights_the_terms(open_page, demo):
    """A search typed in the header box lists the seed article with the term marked, and names
    the other names it also searched for (技监局 = 质量技术监督局 = 质监局)."""
    page = open_page()
    page.goto("/")
    page.fill("#header-q", "技监局")
    page.press("#header-q", "Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = page.locator(".search-results li", has_text="东北老工业基地").first
    expect(result).to_be_visible()
    marks = result.locator("mark")
    expect(marks.first).to_have_text("技监局")
    assert marks.count() >= 3
    expect(page.locator(".result-count")).to_contain_text("质量技术监督局")

    page.fill("#search-q", "火星探测器")
    page.press("#search-q", "Enter")
    expect(page.locator(".search-results li")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("火星探测器")


def test_english_switch_and_back(open_page, demo):
    """The English link is the same page under /en/: the site's own words translated; the
    Chinese link brings the reader back to the Chinese URL. No cookie is involved."""
    page = open_page(width=PHONE)
    pairs = reverse("partnerships:pair-list")
    page.goto(pairs)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.click('.lang-switch a[hreflang="en"]')
    expect(page).to_have_url(re.compile(re.escape(f"/en{pairs}") + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".main-nav")).to_contain_text("News")
    expect(page.locator("h1")).not_to_have_text("帮扶对子")
    page.locator(".main-nav a", has_text="News").click()
    expect(page).to_have_url(re.compile(r"/en/news/$"))
    expect(page.locator(".main-nav")).to_contain_text("News")
    page.click('.lang-switch a[hreflang="zh-Hans"]')
    expect(page).to_have_url(re.compile(r"/news/$"))
    assert "/en/" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".main-nav")).to_contain_text("新闻")
    assert not page.context.cookies()
