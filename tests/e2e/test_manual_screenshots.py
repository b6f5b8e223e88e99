"""The pictures of the editors' manual (docs/editors.md) and the README, taken from the demo.

Run only by ``make screenshots``, which sets ``QXS_SCREENSHOTS=docs/img``: the pictures are
committed, so ``make e2e`` must not rewrite them. Each test signs in as the demo's roles (编辑 and
审核, or an administrator for the sections only administrators keep), does what the manual
describes and saves the part of the page the text talks about, at 1280 × 800 CSS pixels and
device scale 1. The PNGs are reduced to a 256-colour palette to stay small; tests/docs checks
that each one exists, is referenced and stays under the size limit.
"""

import datetime
import io
import os
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from taggit.models import Tag

from articles import services
from articles.models import Article, Column, Image
from partnerships.models import HelpingPair, Meeting
from search.models import SearchPromotion, SearchSynonym
from tests.factories import ArticleFactory, ImageFactory, StaffUserFactory
from tests.imports.test_extract import SEED
from topics.models import Topic

from .support import PASSWORD, login, make_png, picture_button

OUTPUT = os.environ.get("QXS_SCREENSHOTS", "")
WIDTH, HEIGHT = 1280, 800
# Kept in step with tests/docs/test_editors_manual.py.
MAX_BYTES = 250 * 1024

pytestmark = pytest.mark.skipif(
    not OUTPUT, reason="the manual's screenshots are made by `make screenshots` only"
)

# A Monday morning in Beijing time.
CLOCK = datetime.datetime(2025, 3, 3, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
VISIT_TITLE = "温岭市质监局赴富裕县回访帮扶对子"
CHECK_TITLE = "富裕县企业质量提升现场会召开"


def output_dir():
    directory = Path(OUTPUT)
    if not directory.is_absolute():
        directory = settings.BASE_DIR / directory
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def shoot(page, name, *parts, pad=12, full_height=False, from_top=False):
    """Save ``docs/img/<name>.png``: the viewport, or the area around ``parts`` (locators);
    ``from_top`` keeps the page's full width from its top down to the bottom of ``parts``.

    The picture goes through a 256-colour palette (admin pages have few colours; text stays
    sharp without dithering) and is refused if it is still too large.
    """
    from PIL import Image as PillowImage

    # No blinking caret, focus ring or hover that differs from run to run.
    page.wait_for_load_state("networkidle")
    page.mouse.move(WIDTH - 1, HEIGHT - 1)
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    if parts:
        boxes = [part.bounding_box() for part in parts]
        left = max(min(box["x"] for box in boxes) - pad, 0)
        top = max(min(box["y"] for box in boxes) - pad, 0)
        right = min(max(box["x"] + box["width"] for box in boxes) + pad, WIDTH)
        bottom = max(box["y"] + box["height"] for box in boxes) + pad
        if from_top:
            left, top, right = 0, 0, WIDTH
        clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
        data = page.screenshot(clip=clip, full_page=True)
    else:
        data = page.screenshot(full_page=full_height)
    picture = PillowImage.open(io.BytesIO(data)).convert("RGB")
    picture = picture.quantize(colors=256, dither=PillowImage.Dither.NONE)
    path = output_dir() / f"{name}.png"
    picture.save(path, format="PNG", optimize=True)
    assert path.stat().st_size < MAX_BYTES, f"{path} is {path.stat().st_size} bytes"
    return path


@pytest.fixture(scope="module", autouse=True)
def chinese_font():
    """Without a font covering Chinese, Chromium draws every character as a box."""
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        pytest.fail("No Chinese font: apt-get install -y fonts-noto-cjk (make screenshots does).")


@pytest.fixture(scope="module", autouse=True)
def fixed_clock():
    """The same dates in the pictures on every run, so that regenerating them changes only what
    changed in the admin. time-machine stops the clock of the whole process (the live server's
    threads included) before any test's database is set up."""
    with time_machine.travel(CLOCK, tick=False):
        yield


@pytest.fixture
def open_page(open_page):
    """conftest's ``open_page`` at the manual's fixed size: 1280 × 800, device scale 1."""
    return lambda: open_page(width=WIDTH, height=HEIGHT)


@pytest.fixture
def editor(db):
    return StaffUserFactory(
        username="bianji", first_name="小编", last_name="王", password=PASSWORD, groups=["编辑"]
    )


@pytest.fixture
def chief_editor(db):
    return StaffUserFactory(
        username="shenhe", first_name="主任", last_name="李", password=PASSWORD, groups=["审核"]
    )


@pytest.fixture
def administrator(db):
    return StaffUserFactory(username="guanli", password=PASSWORD, is_superuser=True)


def choose(page, field, typed, option):
    """Pick an option of an admin autocomplete (select2) field by typing part of it."""
    page.locator(f"{field} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def work_column():
    return Column.objects.get_or_create(slug="work", defaults={"name": "工作动态"})[0]


def draft_by(user, title, **fields):
    fields.setdefault("body", "<p>会议一结束，温岭市的代表就马上前往富裕县参观考察。</p>")
    return ArticleFactory(
        title=title,
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=user,
        column=work_column(),
        **fields,
    )


def test_public_pages_for_the_readme(open_page, demo):
    """The home page and the pairs page, as a reader first sees them."""
    page = open_page()
    page.goto("/")
    expect(page.locator("main")).to_contain_text("质量兴市")
    shoot(page, "home")
    page.goto(reverse("partnerships:pair-list"))
    diagram = page.locator("main svg").first
    expect(diagram).to_be_visible()
    shoot(page, "pairs", diagram, from_top=True)


def test_editor_writes_and_submits(open_page, demo, editor, chief_editor, tmp_path):
    """编辑: the article form (title, summary, body, column and tags, cover picture), the
    article's page with its buttons, and the confirmation of 提交审核."""
    cover = ImageFactory(alt_text="温岭市代表团在富裕县的企业车间", uploaded_by=editor)
    Tag.objects.create(name="东北振兴", slug="dongbei")
    page = open_page()
    login(page, editor.username)
    # The image library refuses a picture without its alt text.
    page.goto(reverse("admin:articles_image_add"))
    page.set_input_files("#id_file", str(make_png(tmp_path / "visit.png")))
    page.fill("#id_caption", "温岭市代表团在富裕县考察")
    page.click('input[name="_save"]')
    expect(page.locator(".field-alt_text .errorlist")).to_be_visible()
    shoot(page, "image-alt")

    page.goto(reverse("admin:articles_article_add"))
    page.fill("#id_title", VISIT_TITLE)
    page.fill("#id_summary", "温岭市代表团会后即赴富裕县参观考察，落实帮扶合作。")
    body = page.locator('.prose-editor [contenteditable="true"]')
    body.click()
    page.keyboard.type("会议一结束，温岭市的代表就马上前往富裕县参观考察，抓紧落实进一步合作事宜。")
    # The toolbar's 插入图片: a picture picked from the library, its alt text filled in.
    picture_button(page).click()
    dialog = page.locator("dialog.qxs-picture-dialog[open]")
    dialog.get_by_role("button", name=cover.alt_text).click()
    expect(dialog.get_by_label("替代文本（必填）")).to_have_value(cover.alt_text)
    shoot(page, "body-picture", dialog)
    page.keyboard.press("Escape")
    expect(page.locator("dialog.qxs-picture-dialog")).to_have_count(0)
    page.select_option("#id_column", label="工作动态")
    choose(page, ".field-tags", "东北", "东北振兴")
    page.fill("#id_new_tags", "质量帮扶, 回访")
    page.fill("#id_source", "国家质检总局")
    page.fill("#id_author", "王小编")
    page.fill("#id_responsible_editor", "李主任")
    choose(page, ".field-cover_image", "温岭", cover.alt_text)

    fieldsets = page.locator("#article_form fieldset")
    shoot(page, "article-form", page.locator("#content h1"), fieldsets.nth(0))
    shoot(
        page,
        "article-form-columns",
        page.locator("fieldset", has=page.locator("#id_column")),
        page.locator("fieldset", has=page.locator("#id_source")),
    )
    shoot(
        page, "article-form-picture", page.locator("fieldset", has=page.locator("#id_cover_image"))
    )

    page.click('input[name="_continue"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    shoot(page, "article-saved")
    page.locator(".object-tools .qxs-move-submit").click()
    page.fill("#id_comment", "请审核。考察照片已选作封面。")
    shoot(page, "submit")
    page.click('#content-main input[type="submit"]')
    expect(page.locator(".messagelist .success")).to_be_visible()

    # The chief editor sends it back; the editor finds it on the desk with the note.
    article = Article.objects.get(title=VISIT_TITLE)
    services.move_article(article, "return", chief_editor, comment="请补充考察的时间和参加人员。")
    page.goto(reverse("admin:index"))
    expect(page.locator(".qxs-desk")).to_contain_text("请补充考察的时间和参加人员")
    shoot(page, "desk-editor", page.locator(".qxs-desk"))


def test_chief_editor_reviews(open_page, demo, editor, chief_editor):
    """审核: the desk (the README's picture too), the buttons of an article in review, sending
    back with a note, a 错敏字 hit on publishing, scheduling, 定时下线, 头条 and pins."""
    # The demo's report is the 头条 until 2099: the manual shows another article taking its place.
    Article.objects.filter(headline_until__isnull=False).update(headline_until=None)
    column = work_column()
    visit = draft_by(editor, VISIT_TITLE, cover_image=ImageFactory(alt_text="考察现场"))
    services.move_article(visit, "submit", editor, comment="请审核。")
    checked = draft_by(
        editor,
        CHECK_TITLE,
        summary="现场会要求企业既使订单再多，也要按装规程检验。",
        body="<p>现场会要求企业既使订单再多，也要按装规程检验每一批产品。</p>",
    )
    services.move_article(checked, "submit", editor, word_check_reason="稍后由审核核对")
    scheduled = draft_by(editor, "质量兴市合作交流协议签署一周年回顾")
    services.move_article(
        scheduled,
        "schedule",
        chief_editor,
        publish_at=timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        + datetime.timedelta(days=2),
    )
    recent = draft_by(editor, "齐齐哈尔市质监局通报打假合作进展")
    services.move_article(recent, "publish", chief_editor)

    page = open_page()
    login(page, chief_editor.username)
    expect(page.locator(".qxs-desk-review")).to_contain_text(VISIT_TITLE)
    shoot(page, "desk")

    page.goto(reverse("admin:articles_article_change", args=[visit.pk]))
    shoot(page, "review")
    page.locator(".object-tools .qxs-move-return").click()
    page.fill("#id_comment", "请补充考察的时间和参加人员。")
    shoot(page, "return")

    page.goto(reverse("admin:articles_article_move", args=[checked.pk, "publish"]))
    expect(page.locator(".qxs-word-check")).to_be_visible()
    page.click('#content-main input[type="submit"]')
    expect(page.locator(".errorlist")).to_contain_text("错敏字")
    shoot(page, "wordcheck", full_height=True)
    page.goto(reverse("admin:articles_article_change", args=[checked.pk]))
    shoot(page, "wordcheck-form", page.locator(".field-word_check_hits"))
    page.goto(reverse("admin:articles_wrongword_changelist"))
    shoot(page, "wordlists")

    page.goto(reverse("admin:articles_article_move", args=[visit.pk, "schedule"]))
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.fill("#id_publish_at_0", f"{tomorrow:%Y-%m-%d}")
    page.fill("#id_publish_at_1", "08:30:00")
    shoot(page, "schedule")

    # 定时下线, 头条 and a column pin on the published article.
    page.goto(reverse("admin:articles_article_change", args=[recent.pk]))
    choose(page, ".field-cover_image", "考察", "考察现场")
    in_a_month = timezone.localtime() + datetime.timedelta(days=30)
    in_a_week = timezone.localtime() + datetime.timedelta(days=7)
    page.fill("#id_unpublish_at_0", f"{in_a_month:%Y-%m-%d}")
    page.fill("#id_unpublish_at_1", "18:00:00")
    page.fill("#id_headline_until_0", f"{in_a_week:%Y-%m-%d}")
    page.fill("#id_headline_until_1", "18:00:00")
    page.fill("#id_pinned_until_0", f"{in_a_week:%Y-%m-%d}")
    page.fill("#id_pinned_until_1", "18:00:00")
    page.click('input[name="_continue"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    shoot(
        page,
        "unpublish-at",
        page.locator("fieldset", has=page.locator(".field-unpublish_at")),
    )
    shoot(
        page,
        "headline",
        page.locator("fieldset", has=page.locator(".field-headline_until")),
    )
    # A second 头条 is refused, naming the first.
    other = ArticleFactory(
        title="东北三省质监部门签署质量合作备忘录", column=column, cover_image=Image.objects.first()
    )
    page.goto(reverse("admin:articles_article_change", args=[other.pk]))
    page.fill("#id_headline_until_0", f"{in_a_week:%Y-%m-%d}")
    page.fill("#id_headline_until_1", "18:00:00")
    page.click('input[name="_continue"]')
    error = page.locator(".field-headline_until .errorlist")
    expect(error).to_contain_text("同一时间只能有一篇头条")
    shoot(page, "headline-refused", page.locator(".field-headline_until"))


def test_history_restore_and_conflict(open_page, demo, editor, chief_editor):
    """The history page with its 旧/新 choice, the comparison, the restore confirmation, and
    the conflict message when someone saved meanwhile."""
    article = draft_by(editor, "东北老工业基地质量兴市工作座谈会在齐齐哈尔召开")
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = open_page(), open_page()
    login(first, editor.username)
    login(second, chief_editor.username)
    first.goto(change_url)
    second.goto(change_url)

    first.fill("#id_summary", "八个帮扶对子签署质量兴市合作交流协议。")
    first.click('input[name="_continue"]')
    expect(first.locator(".messagelist .success")).to_be_visible()
    second.fill("#id_title", "质量兴市 振兴东北：座谈会在齐齐哈尔召开")
    second.click('input[name="_continue"]')
    expect(second.locator(".errornote, .errorlist", has_text="没有保存").first).to_be_visible()
    shoot(second, "conflict")

    # A third version, so the history has something to compare.
    first.goto(change_url)
    first.fill("#id_title", "东北老工业基地质量兴市工作座谈会召开")
    body = first.locator('.prose-editor [contenteditable="true"]')
    body.locator("p").last.click()
    first.keyboard.press("End")
    first.keyboard.type("温岭市代表团会后即赴富裕县考察。")
    first.click('input[name="_continue"]')
    expect(first.locator(".messagelist .success")).to_be_visible()

    first.goto(reverse("admin:articles_article_history", args=[article.pk]))
    shoot(first, "history")
    first.locator('#content-main [type="submit"]').first.click()
    expect(first.locator("h1")).to_contain_text("比较")
    shoot(first, "compare")
    first.get_by_role("link", name="恢复这个版本").first.click()
    expect(first.locator("h1")).to_contain_text("恢复")
    shoot(first, "restore")


def test_import(open_page, editor):
    """网页导入: the upload form, and the preview the editor confirms."""
    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:imports_importrecord_upload"))
    page.set_input_files("#id_file", str(SEED))
    page.check("#id_submit")
    shoot(page, "import")
    page.locator('#content-main input[type="submit"]').click()
    expect(page.locator("h1")).to_have_text("导入预览")
    shoot(page, "import-preview")


def test_administrator_pages(open_page, demo, administrator):
    """Sections an administrator keeps: 专题, meetings, pairs and agreements, search synonyms
    and 推荐结果, and the 错敏字 lists."""
    page = open_page()
    login(page, administrator.username)
    topic = Topic.objects.get()
    page.goto(reverse("admin:topics_topic_change", args=[topic.pk]))
    shoot(page, "topic")
    shoot(page, "topic-sections", page.locator(".inline-group").first)

    meeting = Meeting.objects.get()
    page.goto(reverse("admin:partnerships_meeting_change", args=[meeting.pk]))
    shoot(page, "meeting")
    pair = HelpingPair.objects.order_by("pk").first()
    page.goto(reverse("admin:partnerships_helpingpair_change", args=[pair.pk]))
    shoot(page, "pair")
    shoot(page, "pair-agreement", page.locator(".inline-group").first)
    shoot(page, "pair-activities", page.locator(".inline-group").nth(1))

    # The migration's synonyms were written when the test database was made, before the clock
    # stopped.
    SearchSynonym.objects.update(updated_at=timezone.now())
    page.goto(reverse("admin:search_searchsynonym_changelist"))
    shoot(page, "synonyms")
    promotion = SearchPromotion.objects.create(query="质量兴市", synonyms="质量强市")
    page.goto(reverse("admin:search_searchpromotion_change", args=[promotion.pk]))
    choose(page, ".field-article", "座谈会", "座谈会")
    page.click('input[name="_continue"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    shoot(page, "promotion")
    page.goto("/search/?q=质量兴市")
    shoot(page, "promotion-result")


def test_two_factor_sign_in(open_page, editor, chief_editor, settings):
    """双因素登录: enrolment at first sign-in, as production has it."""
    settings.QXS_STAFF_TWO_FACTOR = True
    # The enrolment page shows the pending device's secret: RFC 6238's published test key, so
    # the picture is the same on every run and shows no real secret.
    TOTPDevice.objects.create(
        user=editor, name="身份验证器", confirmed=False, key=b"12345678901234567890".hex()
    )
    page = open_page()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    expect(page.locator("#content-main")).to_contain_text("验证")
    shoot(page, "two-factor")

    TOTPDevice.objects.create(user=chief_editor, name="身份验证器", confirmed=True)
    page = open_page()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", chief_editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    expect(page.locator('input[name="code"]')).to_be_visible()
    shoot(page, "two-factor-code")


def test_pending_revision(open_page, demo, editor, chief_editor, tmp_path):
    """A changed copy of a published page waits as a 待审修订; 审核 compares and decides."""
    changed = tmp_path / SEED.name
    changed.write_text(
        SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高"), encoding="utf-8"
    )
    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:imports_importrecord_upload"))
    page.set_input_files("#id_file", str(changed))
    page.locator('#content-main input[type="submit"]').click()
    page.locator('#content-main [name="confirm"]').click()
    expect(page.locator(".messagelist")).to_contain_text("待审修订 1")

    chief = open_page()
    login(chief, chief_editor.username)
    chief.locator(".qxs-desk-review a").first.click()
    expect(chief.locator(".qxs-body-diff ins")).to_have_text("非常")
    chief.fill("#id_decision_note", "核实无误")
    shoot(chief, "revision", full_height=True)
