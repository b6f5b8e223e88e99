"""The 错敏字 check: real sentences with and without errors, the lists kept in the admin, and the
check before submitting and publishing (a reason is needed to go on over a hit)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ForbiddenWord, StatusChange, WrongWord
from articles.wordcheck import WordLists, check_article
from imports.demo import SEED_PAGE
from tests.factories import ArticleFactory, StaffUserFactory, starting_word_lists

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture(autouse=True)
def _word_lists(db):
    starting_word_lists()


def words(hits):
    return [(hit.field, hit.word, hit.suggestion) for hit in hits]


def test_the_data_migration_loads_the_shipped_lists():
    """The migration's loader fills empty tables from articles/data/wordcheck.json, with
    既使→即使 and 按装→安装 among the pairs."""
    from importlib import import_module

    from django.apps import apps

    WrongWord.objects.all().delete()
    ForbiddenWord.objects.all().delete()
    migration = import_module("articles.migrations.0006_newsroom_wordlists_and_permissions")
    migration.load_lists(apps, None)
    assert WrongWord.objects.get(wrong="既使").correct == "即使"
    assert WrongWord.objects.get(wrong="按装").correct == "安装"
    assert WrongWord.objects.count() >= 40
    assert ForbiddenWord.objects.filter(word="北朝鲜").exists()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "工作人员上门按装了检测设备，既使在节假日也不停工。",
            [("body", "按装", "安装"), ("body", "既使", "即使")],
        ),
        (
            "各地质监部门再接再励，一如继往地开展打假工作。",
            [("body", "再接再励", "再接再厉"), ("body", "一如继往", "一如既往")],
        ),
        ("企业之间的竟争日趋激烈，产品质量是关键。", [("body", "竟争", "竞争")]),
        ("报道中不应把朝鲜称为北朝鲜。", [("body", "北朝鲜", "朝鲜")]),
    ],
)
def test_sentences_with_errors_are_caught_with_their_correction(sentence, expected):
    assert words(WordLists.load().check(body=f"<p>{sentence}</p>")) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "即使在节假日，工作人员也上门安装检测设备。",
        "各地质监部门再接再厉，一如既往地开展打假工作。",
        "企业之间的竞争日趋激烈，产品质量是关键。",
    ],
)
def test_correct_sentences_pass(sentence):
    assert WordLists.load().check(title=sentence, summary=sentence, body=sentence) == []


def test_the_seed_page_has_no_hits():
    """The bureau's real report passes, so the demo publishes cleanly."""
    text = SEED_PAGE.read_text(encoding="utf-8")
    assert WordLists.load().check(body=text) == []


def test_title_summary_and_body_are_checked_and_markup_is_not_text():
    article = ArticleFactory.build(
        title="设备按装完毕",
        summary="既使下雨也照常检查",
        body="<p>按</p><p>装</p><p>震憾<b>人心</b></p>",
    )
    hits = check_article(article)
    assert words(hits) == [
        ("title", "按装", "安装"),
        ("summary", "既使", "即使"),
        ("body", "震憾", "震撼"),
    ]
    # The hit is shown in its context, marked and escaped.
    assert str(hits[0].html) == "设备<mark>按装</mark>完毕"


def test_words_added_in_the_admin_are_checked_and_inactive_ones_are_not():
    ForbiddenWord.objects.create(word="山寨产品", suggestion="仿冒产品")
    WrongWord.objects.filter(wrong="按装").update(active=False)
    hits = WordLists.load().check(body="查获山寨产品，现场按装监控。")
    assert words(hits) == [("body", "山寨产品", "仿冒产品")]


def test_submit_with_a_hit_is_refused_without_a_reason():
    editor = StaffUserFactory(groups=["编辑"])
    article = ArticleFactory(status=Status.DRAFT, published_at=None, title="设备按装完毕")
    with pytest.raises(services.WordCheckFailed) as raised:
        services.move_article(article, "submit", editor)
    assert "按装 → 安装" in str(raised.value)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_a_chief_editor_publishes_over_a_hit_with_a_reason_recorded():
    chief = StaffUserFactory(groups=["审核"])
    article = ArticleFactory(
        status=Status.REVIEW, published_at=None, body="<p>引用原文：北朝鲜</p>"
    )
    change = services.move_article(article, "publish", chief, word_check_reason="引用外电原文")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert "北朝鲜" in change.word_check
    assert "引用外电原文" in change.word_check


def test_a_clean_article_records_no_word_check():
    chief = StaffUserFactory(groups=["审核"])
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    change = services.move_article(article, "publish", chief)
    assert change.word_check == ""


def test_moves_other_than_submit_and_publish_are_not_checked():
    chief = StaffUserFactory(groups=["审核"])
    article = ArticleFactory(title="设备按装完毕")
    services.move_article(article, "unpublish", chief)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


class TestAdmin:
    @pytest.fixture
    def chief_client(self, client):
        client.force_login(StaffUserFactory(groups=["审核"]))
        return client

    def test_change_form_highlights_hits_with_the_suggestion(self, chief_client):
        article = ArticleFactory(status=Status.DRAFT, published_at=None, title="设备按装完毕")
        response = chief_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        html = response.content.decode()
        assert "设备<mark>按装</mark>完毕" in html
        assert "建议改为“安装”" in html

    def test_publish_page_blocks_a_hit_then_publishes_with_a_reason(self, chief_client):
        article = ArticleFactory(status=Status.REVIEW, published_at=None, summary="既使下雨也检查")
        url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
        page = chief_client.get(url).content.decode()
        assert "<mark>既使</mark>" in page
        assert "忽略错敏字的理由" in page

        refused = chief_client.post(url, {"loaded_version": article.version, "comment": ""})
        assert refused.status_code == 200
        assert "请先改正，或写明为什么仍要发布" in refused.content.decode()
        article.refresh_from_db()
        assert article.status == Status.REVIEW

        done = chief_client.post(
            url, {"loaded_version": article.version, "word_check_reason": "原话照录"}
        )
        assert done.status_code == 302
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert "原话照录" in article.status_changes.get().word_check

    def test_bulk_publish_skips_articles_with_hits(self, chief_client):
        clean = ArticleFactory(status=Status.REVIEW, published_at=None)
        dirty = ArticleFactory(status=Status.REVIEW, published_at=None, title="按装完毕")
        response = chief_client.post(
            reverse("admin:articles_article_changelist"),
            {
                "action": "publish_selected",
                "_selected_action": [clean.pk, dirty.pk],
                "confirm": "yes",
                f"version_{clean.pk}": clean.version,
                f"version_{dirty.pk}": dirty.version,
            },
            follow=True,
        )
        assert "1 处错敏字" in response.content.decode()
        clean.refresh_from_db()
        dirty.refresh_from_db()
        assert (clean.status, dirty.status) == (Status.PUBLISHED, Status.REVIEW)

    def test_the_lists_are_kept_in_the_admin_by_chief_editors(self, chief_client):
        response = chief_client.post(
            reverse("admin:articles_wrongword_add"),
            {"wrong": "帐目", "correct": "账目", "note": "", "active": "on"},
        )
        assert response.status_code == 302
        assert WrongWord.objects.get(wrong="帐目").correct == "账目"
        listing = chief_client.get(reverse("admin:articles_forbiddenword_changelist"))
        assert "北朝鲜" in listing.content.decode()


def test_a_future_schedule_is_checked_too():
    chief = StaffUserFactory(groups=["审核"])
    article = ArticleFactory(status=Status.REVIEW, published_at=None, title="按装完毕")
    with pytest.raises(services.WordCheckFailed):
        services.move_article(
            article,
            "schedule",
            chief,
            publish_at=timezone.now() + datetime.timedelta(days=1),
        )
