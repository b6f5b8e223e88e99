"""Pictures in the body: an editor inserts pictures through the toolbar (uploaded, picked from
the library, pasted), each with its alt text, and readers get them as renditions."""

import base64
import io
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.factories import ColumnFactory, ImageFactory

from .support import login, make_png, picture_button, serious_accessibility_violations

TITLE = "齐齐哈尔座谈会图片报道"


def open_picture_dialog(page):
    button = picture_button(page)
    expect(button).to_have_attribute("title", "插入图片")
    button.click()
    dialog = page.locator("dialog.qxs-picture-dialog[open]")
    expect(dialog).to_be_visible()
    return dialog


def paste_screenshot(page):
    """Paste a PNG file into the editor, as a screenshot from the clipboard arrives."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (40, 110, 60)).save(buffer, format="PNG")
    page.locator('.prose-editor [contenteditable="true"]').evaluate(
        """(editable, data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "screenshot.png", { type: "image/png" }));
            editable.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            }));
        }""",
        base64.b64encode(buffer.getvalue()).decode(),
    )


def test_an_editor_inserts_pictures_with_alt_text_and_readers_get_renditions(
    open_page, editor, tmp_path
):
    """Upload, pick from the library (by keyboard) and paste: each asks for alt text, refuses
    to insert without it, and the saved article's public page shows every picture with srcset,
    sizes, width and height, loaded from our own site under the strict CSP."""
    ColumnFactory(name="工作动态")
    library_picture = ImageFactory(alt_text="齐齐哈尔座谈会会场", caption="2004 年 9 月 20 日")
    photo = make_png(tmp_path / "fuyu.png", width=1600, height=1000)

    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:articles_article_add"))
    page.fill("#id_title", TITLE)
    page.locator('.prose-editor [contenteditable="true"]').click()
    page.keyboard.type("座谈会结束后，温岭市代表团赴富裕县考察。")
    page.keyboard.press("Enter")

    # 1. Upload a new picture; without alt text the dialog says so and inserts nothing.
    dialog = open_picture_dialog(page)
    expect(dialog.get_by_role("heading", name="插入图片")).to_be_visible()
    expect(dialog.get_by_role("button", name="齐齐哈尔座谈会会场")).to_be_visible()
    assert page.problems == []
    assert serious_accessibility_violations(page) == []
    # axe-core sets inline styles of its own while it measures, which the CSP blocks: those
    # console lines are the test's, not the page's.
    page.problems.clear()
    dialog.get_by_label("图片文件").set_input_files(str(photo))
    dialog.get_by_role("button", name="插入", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text("请填写替代文本。")
    dialog.get_by_label("替代文本（必填）").fill("温岭市代表团在富裕县考察")
    dialog.get_by_role("button", name="插入", exact=True).click()
    expect(page.locator("dialog.qxs-picture-dialog")).to_have_count(0)
    uploaded = Image.objects.exclude(pk=library_picture.pk).get()
    assert uploaded.alt_text == "温岭市代表团在富裕县考察"
    assert uploaded.uploaded_by == editor
    editable = page.locator('.prose-editor [contenteditable="true"]')
    expect(editable.locator(f'img[data-image="{uploaded.pk}"]')).to_have_attribute(
        "alt", "温岭市代表团在富裕县考察"
    )

    # 2. Pick from the library with the keyboard: the alt text comes filled in, editable.
    # The picture just inserted may still be selected: End moves the cursor past it, and the
    # picture button stops showing it as active once the editor has the new selection (with
    # the picture selected, the button would open it to change its alt text instead).
    page.keyboard.press("End")
    expect(picture_button(page)).not_to_have_class(re.compile(r"\bactive\b"))
    dialog = open_picture_dialog(page)
    expect(dialog.get_by_role("heading", name="插入图片")).to_be_visible()
    dialog.get_by_label("搜索图片库").fill("会场")
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("status")).to_have_text("图片库中有 1 张图片。")
    choice = dialog.get_by_role("button", name="齐齐哈尔座谈会会场")
    choice.focus()
    page.keyboard.press("Enter")
    expect(choice).to_have_attribute("aria-pressed", "true")
    alt = dialog.get_by_label("替代文本（必填）")
    expect(alt).to_have_value("齐齐哈尔座谈会会场")
    alt.fill("齐齐哈尔座谈会会场全景")
    alt.press("Enter")
    expect(editable.locator(f'img[data-image="{library_picture.pk}"]')).to_have_attribute(
        "alt", "齐齐哈尔座谈会会场全景"
    )

    # 3. A pasted screenshot opens the same dialog and goes into the library.
    paste_screenshot(page)
    dialog = page.locator("dialog.qxs-picture-dialog[open]")
    expect(dialog.locator(".qxs-picture-pasted")).to_contain_text("已粘贴一张图片")
    dialog.get_by_label("替代文本（必填）").fill("考察座谈会现场")
    dialog.get_by_role("button", name="插入", exact=True).click()
    expect(editable.locator("img[data-image]")).to_have_count(3)
    assert Image.objects.count() == 3

    # A selected picture's alt text is changed through the same button.
    editable.locator(f'img[data-image="{uploaded.pk}"]').click()
    dialog = open_picture_dialog(page)
    expect(dialog.get_by_role("heading", name="修改图片")).to_be_visible()
    alt = dialog.get_by_label("替代文本（必填）")
    expect(alt).to_be_focused()
    expect(alt).to_have_value("温岭市代表团在富裕县考察")
    alt.fill("温岭市代表团在富裕县参观考察")
    dialog.get_by_role("button", name="更新", exact=True).click()
    expect(editable.locator(f'img[data-image="{uploaded.pk}"]')).to_have_attribute(
        "alt", "温岭市代表团在富裕县参观考察"
    )
    expect(editable.locator("img")).to_have_count(3)

    # Escape closes the dialog without inserting anything.
    open_picture_dialog(page)
    page.keyboard.press("Escape")
    expect(page.locator("dialog.qxs-picture-dialog")).to_have_count(0)
    expect(editable.locator("img")).to_have_count(3)

    page.select_option("#id_column", label="工作动态")
    page.click('input[name="_continue"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title=TITLE)
    assert article.body.count("srcset=") == 3

    # The chief editor's publication is another journey's; here it is set directly.
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    reader = open_page()
    reader.goto(article.get_absolute_url())
    pictures = reader.locator(".article-body img")
    expect(pictures).to_have_count(3)
    for index, alt_text in enumerate(
        ["温岭市代表团在富裕县参观考察", "齐齐哈尔座谈会会场全景", "考察座谈会现场"]
    ):
        picture = pictures.nth(index)
        expect(picture).to_have_attribute("alt", alt_text)
        for attribute in ("srcset", "sizes", "width", "height"):
            assert picture.get_attribute(attribute), (alt_text, attribute)
        picture.scroll_into_view_if_needed()
        reader.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
        )
        assert picture.evaluate("(img) => new URL(img.currentSrc).pathname").startswith("/media/")
    assert pictures.nth(0).get_attribute("width") == "1600"
    assert reader.problems == []
    assert page.problems == []
