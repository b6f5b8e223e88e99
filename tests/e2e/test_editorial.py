"""The editor's journey in the admin, from a new draft to a published article readers find."""

import re

import feedparser
from django.urls import reverse
from playwright.sync_api import expect
from taggit.models import Tag

from articles.models import Article

from .support import login, make_png

TITLE = "温岭市质监局赴富裕县回访帮扶对子"
LINK = "https://www.example.org/zhiliang/2004/"


def fill_body(page, paragraphs, link_text, href):
    """Type into the prose editor (a ProseMirror contenteditable), then make a link with the
    editor's own link dialog."""
    editor = page.locator('.prose-editor [contenteditable="true"]')
    editor.click()
    for paragraph in paragraphs:
        page.keyboard.type(paragraph)
        page.keyboard.press("Enter")
    page.keyboard.type(link_text)
    page.keyboard.press("Shift+Home")
    page.locator('.prose-menubar button[data-name="link"]').click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator('input[name="href"]').fill(href)
    dialog.locator('button[type="submit"]').click()
    expect(editor.locator(f'a[href="{href}"]')).to_have_text(link_text)


def choose_autocomplete(page, field, typed, option_text):
    """Pick an option of an admin autocomplete (select2) field by typing part of it."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option_text).click()


def upload_cover_image(page, image_path, alt_text):
    """Add a picture through the "+" beside the cover image: the admin's add-another popup."""
    with page.expect_popup() as popup_info:
        page.click("#add_id_cover_image")
    popup = popup_info.value
    popup.set_input_files("#id_file", str(image_path))
    popup.fill("#id_alt_text", alt_text)
    popup.fill("#id_caption", "温岭市代表团在富裕县考察")
    popup.click('input[name="_save"]')
    popup.wait_for_event("close")
    expect(page.locator(".field-cover_image .select2-selection__rendered")).to_contain_text(
        alt_text
    )


def test_editor_writes_and_submits_chief_publishes_readers_find_it(
    open_page, demo, editor, chief_editor, tmp_path
):
    """An editor writes an article with a column, tags, a picture with alt text and a linked
    body, and submits it; the editor cannot publish it; the chief editor publishes it; then it is
    on the home page, the news list, its column and tag pages, the feed and in search."""
    Tag.objects.create(name="东北振兴", slug="dongbei")
    photo = make_png(tmp_path / "visit.png")

    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:articles_article_add"))
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "温岭市代表团会后即赴富裕县参观考察，落实帮扶合作。")
    fill_body(
        page,
        ["会议一结束，温岭市的代表就马上前往富裕县参观考察，抓紧落实进一步合作事宜。"],
        "质量兴市合作交流协议全文",
        LINK,
    )
    page.select_option("#id_column", label="工作动态")
    choose_autocomplete(page, "tags", "东北", "东北振兴")
    page.fill("#id_new_tags", "质量帮扶, 回访")
    page.fill("#id_source", "国家质检总局")
    page.fill("#id_author", "王明")
    page.fill("#id_responsible_editor", "李华")
    upload_cover_image(page, photo, "温岭市代表团在富裕县的企业车间")
    page.click('input[name="_continue"]')

    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    assert f'<a href="{LINK}"' in article.body
    assert article.cover_image.alt_text == "温岭市代表团在富裕县的企业车间"
    assert sorted(article.tags.names()) == ["东北振兴", "回访", "质量帮扶"]

    # The preview is the public page as it will look, for editors only.
    with page.expect_popup() as preview_info:
        page.locator(".object-tools a", has_text="预览").click()
    preview = preview_info.value
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.locator(f'.article-body a[href="{LINK}"]')).to_be_visible()
    preview.close()

    # The editor's buttons: submit, but no publish or schedule.
    tools = page.locator(".object-tools")
    expect(tools.locator(".qxs-move-submit")).to_be_visible()
    expect(tools.locator(".qxs-move-publish, .qxs-move-schedule")).to_have_count(0)
    tools.locator(".qxs-move-submit").click()
    page.click('#content-main input[type="submit"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    # Typing the publish address is refused too, and the list offers no publish action.
    response = page.goto(reverse("admin:articles_article_move", args=[article.pk, "publish"]))
    assert response.status == 403
    page.goto(reverse("admin:articles_article_changelist"))
    actions = page.locator('select[name="action"] option').all_inner_texts()
    assert not any("发布" in action for action in actions), actions
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    reader = open_page()
    reader.goto("/news/")
    expect(reader.locator("main")).not_to_contain_text(TITLE)

    chief = open_page()
    login(chief, chief_editor.username)
    chief.goto(reverse("admin:articles_article_change", args=[article.pk]))
    chief.locator(".object-tools .qxs-move-publish").click()
    chief.click('#content-main input[type="submit"]')
    expect(chief.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    url = article.get_absolute_url()
    for path in [
        "/",
        "/news/",
        reverse("articles:column", args=[article.column.slug]),
        reverse("articles:tag", args=["dongbei"]),
        reverse("articles:tag", args=[Tag.objects.get(name="回访").slug]),
    ]:
        reader.goto(path)
        expect(reader.locator(f'main a[href="{url}"]').first).to_have_text(TITLE)

    reader.goto(url)
    expect(reader.locator("h1")).to_have_text(TITLE)
    link = reader.locator(f'.article-body a[href="{LINK}"]')
    expect(link).to_have_text("质量兴市合作交流协议全文")
    picture = reader.locator('main img[alt="温岭市代表团在富裕县的企业车间"]')
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 0
    expect(reader.locator(".byline")).to_contain_text("王明")
    expect(reader.locator("main")).to_contain_text("李华")

    feed = feedparser.parse(reader.request.get(reverse("articles:feed")).body())
    assert any(entry.title == TITLE for entry in feed.entries)

    reader.goto("/search/?q=回访")
    result = reader.locator(".search-results li", has_text="富裕县").first
    expect(result.locator(f'a[href="{url}"]')).to_be_visible()
    expect(result.locator("mark").first).to_have_text(re.compile("回访"))


def test_article_form_loads_without_content_security_policy_violation(open_page, editor):
    """The article form and its editor load with no script error, no CSP violation and no
    failed request under the production Content Security Policy (the editor's own style sheet
    is allowed by its hash), and the editor's base styles apply."""
    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:articles_article_add"))
    editor_box = page.locator('.prose-editor [contenteditable="true"]')
    editor_box.click()
    page.keyboard.type("正文")
    page.wait_for_load_state("networkidle")
    assert not page.problems, "\n".join(page.problems)
    white_space = editor_box.evaluate("el => getComputedStyle(el).whiteSpace")
    assert white_space in {"pre-wrap", "break-spaces"}
