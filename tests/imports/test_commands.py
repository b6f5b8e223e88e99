"""The import_pages command: creating, re-importing, updating, failing, dry runs, linking."""

import datetime
import io
import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Column
from imports.models import ImportRecord
from imports.services import Importer
from partnerships import demo as partnerships_demo
from partnerships.models import Agency
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ColumnFactory,
    DivisionFactory,
    HelpingPairFactory,
)

from .test_extract import FIXTURES, SEED, SEED_RELATED, hard_wrap

pytestmark = pytest.mark.django_db


class TTY(io.StringIO):
    def isatty(self):
        return True


def run(*args, stderr=None):
    out = io.StringIO()
    call_command("import_pages", *map(str, args), stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def snapshot():
    """Every row of the apps an import can touch, as comparable tuples."""
    rows = {}
    for label in ("partnerships", "articles", "taggit", "imports"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(model.objects.values_list(), key=repr)
    return rows


def local(date):
    return timezone.make_aware(
        datetime.datetime.combine(date, datetime.time()), timezone.get_default_timezone()
    )


@pytest.fixture
def demo():
    return partnerships_demo.load()


def imported(source):
    return ImportRecord.objects.select_related("article").get(source=source).article


def test_seed_page_becomes_one_article_with_its_five_related_items(demo):
    output = run("--publish", SEED)
    article = imported(SEED.name)
    assert "新建 1，更新 0，无变化 0，失败 0" in output
    assert article.title == "质量兴市 振兴东北——“东北老工业基地质量兴市工作座谈会”召开"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == local(datetime.date(2004, 9, 21))
    assert article.source_url == SEED.name
    assert article.column.slug == "work"
    assert article.body.count("<p>") == 5
    assert article.body.count("质检总局质量司司长于献忠") == 1
    related = sorted(article.related.all(), key=lambda a: SEED_RELATED.index(_item(a)))
    assert [_item(a) for a in related] == SEED_RELATED
    assert all(a.is_stub and a.body == "" for a in related)
    assert all(a.status == Article.Status.PUBLISHED for a in related)
    assert Article.objects.count() == 6
    assert article.meeting == demo
    assert article.pairs.count() == 8
    # Every agency of the demo comes from the seed's text, and the seed names each of them.
    names = set(article.agencies.values_list("name", flat=True))
    assert names == {agency[0] for agency in partnerships_demo.AGENCIES.values()}
    assert {"常熟市质量技术监督局", "富裕县人民政府", "国家质量监督检验检疫总局质量管理司"} <= names


def _item(article):
    from imports.extract import RelatedItem

    return RelatedItem(article.title, timezone.localtime(article.published_at).date())


def test_imported_articles_are_drafts_unless_published(demo):
    run(SEED)
    article = imported(SEED.name)
    assert article.status == Article.Status.DRAFT
    assert article.published_at == local(datetime.date(2004, 9, 21))
    assert not Article.objects.published().exists()


def test_importing_the_same_page_again_changes_nothing(demo):
    run("--publish", SEED)
    before = snapshot()
    output = run("--publish", SEED)
    assert "新建 0，更新 0，无变化 1，失败 0" in output
    assert snapshot() == before


def test_a_reencoded_rewrapped_copy_under_another_name_changes_nothing(demo, tmp_path):
    run("--publish", SEED)
    before = snapshot()
    copy = tmp_path / "seed-gbk-wrapped.txt"
    copy.write_bytes(hard_wrap(SEED.read_text(encoding="utf-8"), 30).encode("gbk"))
    output = run("--publish", copy)
    assert "无变化 1" in output
    assert snapshot() == before


def test_changed_text_of_a_draft_updates_it_and_keeps_the_old_version(demo, tmp_path):
    page = tmp_path / SEED.name
    shutil.copy(SEED, page)
    run(page)
    article = imported(SEED.name)
    versions = article.history.count()
    page.write_text(
        SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高"), encoding="utf-8"
    )
    output = run(page)
    assert "新建 0，更新 1，无变化 0，失败 0" in output
    article.refresh_from_db()
    assert "效率非常高" in article.body
    assert article.history.count() == versions + 1
    previous = article.history.order_by("-history_date", "-history_id")[1]
    assert "效率很高" in previous.body
    assert Article.objects.filter(is_stub=False).count() == 1
    assert Article.objects.filter(is_stub=True).count() == 5


def test_changed_text_of_a_published_article_waits_as_a_pending_revision(demo, tmp_path):
    """--publish or not, the live text stays; the new text is a pending revision for 审核."""
    page = tmp_path / SEED.name
    shutil.copy(SEED, page)
    run("--publish", page)
    article = imported(SEED.name)
    before = (article.body, article.version, article.history.count())
    page.write_text(
        SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高"), encoding="utf-8"
    )
    output = run("--publish", page)
    assert "新建 0，更新 0，无变化 0，失败 0；待审修订 1" in output
    article.refresh_from_db()
    assert (article.body, article.version, article.history.count()) == before
    assert article.status == Article.Status.PUBLISHED
    revision = article.pending_revisions.get()
    assert "效率非常高" in revision.body
    assert revision.submitted_by.username == "system-import"
    # The same text again is unchanged: no second revision.
    assert "无变化 1" in run("--publish", page)
    assert article.pending_revisions.count() == 1


def test_a_changed_copy_under_another_name_updates_the_same_article(tmp_path):
    """Same title and date as an imported page: an earlier version of it, not a new article."""
    run(FIXTURES / "gbk_plain.txt")
    article = imported("gbk_plain.txt")
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(
        (FIXTURES / "gbk_plain.txt")
        .read_bytes()
        .replace("电线电缆".encode("gbk"), b"\xb5\xe7\xc6\xf7")
    )
    output = run(copy)
    assert "新建 0，更新 1" in output
    assert Article.objects.count() == 1
    assert imported("renamed.txt") == article
    assert imported("gbk_plain.txt") == article
    article.refresh_from_db()
    assert "假冒电器" in article.body


def test_a_broken_file_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("broken.html", "gbk_plain.txt", "utf8_news.html", "empty_page.html"):
        shutil.copy(FIXTURES / name, folder / name)
    output = run(folder)
    assert "新建 2，更新 0，无变化 0，失败 2" in output
    assert "失败 batch/broken.html：这不是文本或网页文件" in output
    assert "失败 batch/empty_page.html：没有找到正文" in output
    assert set(ImportRecord.objects.values_list("source", flat=True)) == {
        "batch/gbk_plain.txt",
        "batch/utf8_news.html",
    }
    canonical = imported("batch/utf8_news.html").source_url
    assert canonical == "https://zj.example.gov.cn/news/2005/0402.html"


def test_a_page_failing_while_written_leaves_no_half_article(tmp_path, monkeypatch):
    """Each page is one transaction: a failure after the article row is saved rolls it back."""
    shutil.copy(FIXTURES / "gbk_news.html", tmp_path / "a.html")
    shutil.copy(FIXTURES / "gbk_plain.txt", tmp_path / "b.txt")
    real_stub = Importer._stub

    def failing_stub(self, item, article):
        if item.title == "常熟市开展质量月活动":
            raise RuntimeError("disk full")
        return real_stub(self, item, article)

    monkeypatch.setattr(Importer, "_stub", failing_stub)
    output = run(tmp_path / "a.html", tmp_path / "b.txt")
    assert "新建 1，更新 0，无变化 0，失败 1" in output
    assert "失败 a.html：RuntimeError: disk full" in output
    assert list(Article.objects.values_list("title", flat=True)) == [
        "余杭区技监局与金州区技监局开展联合打假"
    ]
    assert not ImportRecord.objects.filter(source="a.html").exists()


def test_dry_run_writes_nothing_and_says_what_it_would_do(demo):
    before = snapshot()
    output = run("--dry-run", "--publish", SEED, FIXTURES / "gbk_news.html")
    assert snapshot() == before
    assert not Column.objects.exists()
    assert "试运行，未写入任何数据。将会：新建 2" in output
    assert "标题：质量兴市 振兴东北" in output
    assert "日期：2004-09-21（据正文推断）" in output
    assert output.count("→ 新建仅有标题的稿件") == 7
    assert "机构：质检总局、质检总局质量司、常熟市技监局" in output
    assert "会议：东北老工业基地质量兴市工作座谈会" in output
    assert "帮扶对子：8 个" in output


def test_unknown_column_is_refused_with_the_known_ones():
    ColumnFactory(slug="meetings", name="会议报道")
    with pytest.raises(CommandError, match="栏目“nope”不存在。现有栏目：meetings（会议报道）"):
        run("--column", "nope", SEED)
    assert not Article.objects.exists()


def test_column_option_puts_the_article_in_that_column():
    column = ColumnFactory(slug="meetings", name="会议报道")
    run("--column", "meetings", FIXTURES / "gbk_plain.txt")
    assert Article.objects.get().column == column


def test_related_item_links_to_an_existing_article_with_the_same_title():
    existing = ArticleFactory(title="常熟市开展质量月活动")
    run(FIXTURES / "gbk_news.html")
    article = imported("gbk_news.html")
    related = list(article.related.all())
    assert existing in related
    stub = next(a for a in related if a != existing)
    assert stub.is_stub and stub.title == "东北老工业基地质量兴市工作座谈会召开"
    assert stub.status == Article.Status.DRAFT
    assert stub.published_at == local(datetime.date(2004, 9, 21))


def test_importing_the_page_of_a_stub_fills_the_stub_in(tmp_path):
    run(FIXTURES / "gbk_news.html")
    stub = Article.objects.get(title="常熟市开展质量月活动")
    assert stub.is_stub
    page = tmp_path / "month.txt"
    page.write_text("常熟市开展质量月活动\n2004-09-01\n常熟市技监局启动质量月活动。\n", "utf-8")
    output = run(page)
    assert "新建 0，更新 1" in output
    stub.refresh_from_db()
    assert not stub.is_stub
    assert "启动质量月活动" in stub.body
    assert Article.objects.filter(title="常熟市开展质量月活动").count() == 1


def test_agencies_and_their_pair_are_linked_from_an_html_page():
    changshu = AgencyFactory(
        name="常熟市质量技术监督局",
        short_name="常熟市技监局",
        aliases="江苏省常熟市技监局",
        division=DivisionFactory(name="常熟市"),
    )
    fengcheng = AgencyFactory(
        name="凤城市质量技术监督局",
        short_name="凤城县技监局",
        aliases="辽宁省丹东市凤城县技监局",
        division=DivisionFactory(name="凤城县"),
    )
    pair = HelpingPairFactory(helper=changshu, helped=fengcheng)
    HelpingPairFactory()  # another pair, not mentioned
    run(FIXTURES / "gbk_news.html")
    article = imported("gbk_news.html")
    assert set(article.agencies.all()) == {changshu, fengcheng}
    assert list(article.pairs.all()) == [pair]
    assert article.source == "常熟市质量技术监督局"
    assert article.author == "张明"
    assert article.published_at == timezone.make_aware(
        datetime.datetime(2005, 3, 15, 10, 30), timezone.get_default_timezone()
    )


def test_ambiguous_mentions_are_resolved_by_context_or_reported(tmp_path):
    """富裕县政府 and 富裕县技监局 are resolved by the words after them; a bare 富裕县 is not."""
    fuyu = DivisionFactory(name="富裕县")
    government = AgencyFactory(
        name="富裕县人民政府", short_name="", kind=Agency.Kind.GOVERNMENT, division=fuyu
    )
    bureau = AgencyFactory(
        name="富裕县质量技术监督局", short_name="", kind=Agency.Kind.BUREAU, division=fuyu
    )
    output = run(FIXTURES / "ambiguous.txt")
    assert set(imported("ambiguous.txt").agencies.all()) == {government, bureau}
    assert "可能指" not in output

    bare = tmp_path / "bare.txt"
    bare.write_text("富裕县召开会议\n2005-07-09\n近日，富裕县召开质量兴县工作会议。\n", "utf-8")
    output = run(bare)
    assert not imported("bare.txt").agencies.exists()
    assert "请编辑核对 bare.txt：“富裕县”" in output
    assert "可能指：富裕县人民政府、富裕县质量技术监督局；未自动关联" in output


def test_publish_without_any_date_imports_a_draft(tmp_path):
    page = tmp_path / "nodate.txt"
    page.write_text("没有日期的稿件\n正文里也没有日期。\n", "utf-8")
    output = run("--publish", page)
    article = imported("nodate.txt")
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert "没有发布日期，稿件导入为草稿" in output


def test_progress_bar_is_drawn_on_a_terminal():
    stderr = TTY()
    run(FIXTURES / "gbk_plain.txt", FIXTURES / "ambiguous.txt", stderr=stderr)
    drawn = stderr.getvalue()
    assert "[###############---------------] 1/2 gbk_plain.txt" in drawn
    assert "[##############################] 2/2 ambiguous.txt" in drawn


def test_no_progress_bar_when_not_on_a_terminal():
    stderr = io.StringIO()
    run(FIXTURES / "gbk_plain.txt", FIXTURES / "ambiguous.txt", stderr=stderr)
    assert "[" not in stderr.getvalue()
