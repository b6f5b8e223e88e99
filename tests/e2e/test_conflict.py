"""Two people editing the same article: the second save is refused and loses nothing."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory

from .support import login


def test_second_save_shows_the_conflict_and_keeps_what_both_typed(open_page, editor, chief_editor):
    """Both open version 1; the first saves a new title; the second's save of a new summary and
    an extra paragraph is refused with the conflict message, the form still holding what they
    typed; they open the latest version from the message, merge, and both changes are kept."""
    article = ArticleFactory(
        title="质量兴市工作座谈会在齐齐哈尔召开",
        summary="原摘要",
        body="<p>原有的第一段。</p>",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = open_page(), open_page()
    login(first, editor.username)
    login(second, chief_editor.username)
    first.goto(change_url)
    second.goto(change_url)

    first.fill("#id_title", "东北老工业基地质量兴市工作座谈会在齐齐哈尔召开")
    first.click('input[name="_continue"]')
    expect(first.locator(".messagelist .success")).to_be_visible()

    second.fill("#id_summary", "八个帮扶对子签署合作交流协议。")
    body = second.locator('.prose-editor [contenteditable="true"]')
    body.locator("p").last.click()
    second.keyboard.press("End")
    second.keyboard.press("Enter")
    second.keyboard.type("审核补充：协议规定每年提出一两个合作项目。")
    second.click('input[name="_continue"]')

    error = second.locator(".errornote, .errorlist", has_text="没有保存").first
    expect(error).to_be_visible()
    expect(error).to_contain_text(editor.username)
    expect(second.locator("#id_summary")).to_have_value("八个帮扶对子签署合作交流协议。")
    expect(body).to_contain_text("审核补充：协议规定每年提出一两个合作项目。")
    expect(body).to_contain_text("原有的第一段。")
    article.refresh_from_db()
    assert article.title == "东北老工业基地质量兴市工作座谈会在齐齐哈尔召开"
    assert article.summary == "原摘要"
    assert article.version == 2

    # The message links to the latest version; the second editor merges their changes there.
    with second.expect_popup() as popup_info:
        error.locator(f'a[href="{change_url}"]').click()
    latest = popup_info.value
    expect(latest.locator("#id_title")).to_have_value(
        "东北老工业基地质量兴市工作座谈会在齐齐哈尔召开"
    )
    latest.fill("#id_summary", second.locator("#id_summary").input_value())
    latest.locator('.prose-editor [contenteditable="true"] p').last.click()
    latest.keyboard.press("End")
    latest.keyboard.press("Enter")
    latest.keyboard.type("审核补充：协议规定每年提出一两个合作项目。")
    latest.click('input[name="_continue"]')
    expect(latest.locator(".messagelist .success")).to_be_visible()

    article.refresh_from_db()
    assert article.title == "东北老工业基地质量兴市工作座谈会在齐齐哈尔召开"
    assert article.summary == "八个帮扶对子签署合作交流协议。"
    assert "原有的第一段。" in article.body
    assert "审核补充：协议规定每年提出一两个合作项目。" in article.body
    assert article.version == 3
