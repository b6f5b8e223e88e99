"""The newsroom in the browser: an import taken through review to publication, the desk for
编辑 and 审核, a 错敏字 hit blocking and then published with a reason, and the editor's toolbar in
Chinese. axe-core checks every new page."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, PendingRevision, StatusChange
from tests.factories import ArticleFactory
from tests.imports.test_extract import SEED

from .support import login, serious_accessibility_violations

SEED_TITLE = "质量兴市 振兴东北——“东北老工业基地质量兴市工作座谈会”召开"


def assert_accessible(page):
    violations = serious_accessibility_violations(page)
    assert not violations, "\n".join(violations)


def upload(page, path, *, submit=False):
    page.goto(reverse("admin:imports_importrecord_upload"))
    assert_accessible(page)
    page.set_input_files("#id_file", str(path))
    if submit:
        page.check("#id_submit")
    page.locator('#content-main input[type="submit"]').click()
    expect(page.locator("h1")).to_have_text("导入预览")
    assert_accessible(page)
    page.locator('#content-main [name="confirm"]').click()
    expect(page.locator(".messagelist")).to_contain_text("导入完成")


def test_an_import_goes_through_review_to_publication(open_page, editor, chief_editor, tmp_path):
    """An editor uploads a page asking for review; the chief editor finds it on the desk and
    publishes it; a changed copy of the live page waits as a pending revision that the chief
    editor compares and accepts; readers never see the unreviewed text."""
    page = open_page()
    login(page, editor.username)
    upload(page, SEED, submit=True)
    article = Article.objects.get(title=SEED_TITLE)
    assert article.status == Article.Status.REVIEW

    chief = open_page()
    login(chief, chief_editor.username)
    desk = chief.locator(".qxs-desk-review")
    expect(desk).to_contain_text(SEED_TITLE)
    assert_accessible(chief)
    desk.get_by_role("link", name=SEED_TITLE).click()
    chief.locator(".object-tools .qxs-move-publish").click()
    chief.click('#content-main input[type="submit"]')
    expect(chief.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.status_changes.filter(user=chief_editor, to_status="published").exists()

    # The editor uploads a changed copy of the live page: it waits for review.
    changed = tmp_path / SEED.name
    changed.write_text(
        SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高"), encoding="utf-8"
    )
    upload(page, changed)
    expect(page.locator(".messagelist")).to_contain_text("待审修订 1")
    reader = open_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("main")).to_contain_text("效率很高")

    chief.goto(reverse("admin:index"))
    chief.locator(".qxs-desk-review a", has_text=SEED_TITLE).click()
    expect(chief.locator(".qxs-body-diff ins")).to_have_text("非常")
    assert_accessible(chief)
    chief.fill("#id_decision_note", "核实无误")
    chief.locator('input[name="accept"]').click()
    expect(chief.locator(".messagelist .success")).to_contain_text("已采用修订")
    assert PendingRevision.objects.get().state == PendingRevision.State.ACCEPTED
    reader.goto(article.get_absolute_url())
    expect(reader.locator("main")).to_contain_text("效率非常高")


def test_the_desk_shows_each_person_their_work(open_page, editor, chief_editor):
    """编辑 see their drafts and what was sent back with the note; 审核 see what awaits them."""
    from articles import services

    ArticleFactory(status="draft", published_at=None, created_by=editor, title="我写的草稿")
    returned = ArticleFactory(status="review", published_at=None, created_by=editor, title="退稿")
    services.move_article(returned, "return", chief_editor, comment="请补充企业名单")
    ArticleFactory(status="review", published_at=None, created_by=editor, title="等待审核的稿件")

    page = open_page()
    login(page, editor.username)
    expect(page.locator(".qxs-desk-drafts")).to_contain_text("我写的草稿")
    expect(page.locator(".qxs-desk-returned")).to_contain_text("请补充企业名单")
    expect(page.locator(".qxs-desk-notifications")).to_contain_text("稿件被退回修改：《退稿》")
    expect(page.locator(".qxs-desk-review")).to_have_count(0)
    assert_accessible(page)
    page.locator(".qxs-desk-returned a", has_text="退稿").click()
    expect(page).to_have_url(re.compile(rf"/articles/article/{returned.pk}/change/$"))

    chief = open_page()
    login(chief, chief_editor.username)
    expect(chief.locator(".qxs-desk-review")).to_contain_text("等待审核的稿件")
    expect(chief.locator(".qxs-desk-review .qxs-desk-count")).to_have_text("1")
    assert_accessible(chief)


def test_a_word_check_hit_blocks_then_is_published_with_a_reason(open_page, chief_editor):
    article = ArticleFactory(
        status="review", published_at=None, title="检测设备按装到位", summary="摘要"
    )
    page = open_page()
    login(page, chief_editor.username)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator(".field-word_check_hits mark")).to_have_text("按装")
    page.locator(".object-tools .qxs-move-publish").click()
    expect(page.locator(".qxs-word-check mark")).to_have_text("按装")
    expect(page.locator(".qxs-word-check")).to_contain_text("建议改为“安装”")
    assert_accessible(page)
    page.click('#content-main input[type="submit"]')
    expect(page.locator(".errorlist")).to_contain_text("请先改正，或写明为什么仍要发布")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    page.fill("#id_word_check_reason", "标题照录企业原话")
    page.click('#content-main input[type="submit"]')
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    change = StatusChange.objects.get(article=article)
    assert "按装" in change.word_check and "标题照录企业原话" in change.word_check
    expect(page.locator(".field-word_check")).to_contain_text("标题照录企业原话")


def test_the_editor_toolbar_speaks_chinese(open_page, editor):
    page = open_page()
    login(page, editor.username)
    page.goto(reverse("admin:articles_article_add"))
    expect(page.locator('.prose-menubar [title="加粗"]')).to_have_count(1)
    titles = page.locator(".prose-menubar [title]").evaluate_all(
        "els => els.map(el => el.getAttribute('title'))"
    )
    english = [title for title in titles if re.search(r"[a-z]{3,}", title)]
    assert titles and not english, english
