"""The admin upload: preview first, nothing written until confirmed; zips; bad input; rights."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from imports.models import ImportRecord
from tests.factories import ArticleFactory, UserFactory

from .test_commands import snapshot
from .test_extract import FIXTURES, SEED

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:imports_importrecord_upload")
CONFIRM = reverse("admin:imports_importrecord_confirm")
CHANGELIST = reverse("admin:imports_importrecord_changelist")


@pytest.fixture
def editor(client):
    """A staff member who may write articles but not publish them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["add_article", "view_article"]
        )
    )
    client.force_login(user)
    return user


@pytest.fixture
def chief(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def upload(client, name, data, **fields):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})


def token_of(response):
    return response.context["token"]


def test_upload_shows_the_extraction_and_writes_nothing(client, editor):
    before = snapshot()
    response = upload(client, SEED.name, SEED.read_bytes())
    assert response.status_code == 200
    page = response.content.decode()
    assert "质量兴市 振兴东北——“东北老工业基地质量兴市工作座谈会”召开" in page
    assert "2004-09-21（据正文推断）" in page
    assert page.count("新建仅有标题的稿件") == 5
    assert "云南昆明市质监局“质监速度”推进“放管服（2018-03-27）" in page
    assert "正文重复出现，已只保留一份。" in page
    assert 'name="confirm"' in page
    assert snapshot() == before


def test_confirm_imports_what_the_preview_showed(client, editor):
    response = upload(client, SEED.name, SEED.read_bytes())
    response = client.post(CONFIRM, {"token": token_of(response), "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "导入完成：新建 1，更新 0，待审修订 0，无变化 0，失败 0。" in response.content.decode()
    article = ImportRecord.objects.get(source=SEED.name).article
    assert article.created_by == editor
    assert article.status == Article.Status.DRAFT
    assert article.related.count() == 5


def test_confirming_twice_imports_once(client, editor):
    token = token_of(upload(client, SEED.name, SEED.read_bytes()))
    client.post(CONFIRM, {"token": token, "confirm": "1"})
    response = client.post(CONFIRM, {"token": token, "confirm": "1"}, follow=True)
    assert "已经处理过或已过期" in response.content.decode()
    assert Article.objects.filter(is_stub=False).count() == 1


def test_a_new_upload_replaces_one_never_confirmed(client, editor):
    first = token_of(upload(client, SEED.name, SEED.read_bytes()))
    second = token_of(upload(client, "gbk_plain.txt", (FIXTURES / "gbk_plain.txt").read_bytes()))
    pending = [key for key in client.session.keys() if key.startswith("imports:")]  # noqa: SIM118
    assert pending == [f"imports:pending:{second}"]
    client.post(CONFIRM, {"token": first, "confirm": "1"})
    assert not Article.objects.exists()


def test_cancel_writes_nothing_and_forgets_the_upload(client, editor):
    before = snapshot()
    token = token_of(upload(client, SEED.name, SEED.read_bytes()))
    response = client.post(CONFIRM, {"token": token, "cancel": "1"}, follow=True)
    assert "已取消导入" in response.content.decode()
    assert snapshot() == before
    assert not [key for key in client.session.keys() if key.startswith("imports:")]  # noqa: SIM118


def test_a_zip_of_pages_with_a_broken_one(client, chief):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pages/gbk_news.html", (FIXTURES / "gbk_news.html").read_bytes())
        archive.writestr("pages/gbk_plain.txt", (FIXTURES / "gbk_plain.txt").read_bytes())
        archive.writestr("pages/broken.html", (FIXTURES / "broken.html").read_bytes())
        archive.writestr("../evil.txt", b"x")
    response = upload(client, "pages.zip", buffer.getvalue(), publish="on")
    page = response.content.decode()
    assert "常熟市技监局赴凤城县技监局交流质量兴市经验" in page
    assert "余杭区技监局与金州区技监局开展联合打假" in page
    assert "无法导入：这不是文本或网页文件" in page
    assert "无法导入：文件名含有不安全的路径" in page
    response = client.post(CONFIRM, {"token": token_of(response), "confirm": "1"}, follow=True)
    assert "新建 2" in response.content.decode()
    published = Article.objects.filter(is_stub=False, status=Article.Status.PUBLISHED)
    assert published.count() == 2


def test_an_editor_without_the_publish_right_cannot_publish(client, editor):
    response = client.get(UPLOAD)
    assert "直接发布" not in response.content.decode()
    response = upload(
        client, "gbk_plain.txt", (FIXTURES / "gbk_plain.txt").read_bytes(), publish="on"
    )
    client.post(CONFIRM, {"token": token_of(response), "confirm": "1"})
    assert Article.objects.get().status == Article.Status.DRAFT


@pytest.mark.parametrize(
    "name, data, error",
    [
        ("notes.doc", b"x", "只能上传"),
        ("pages.zip", b"not a zip", "压缩包已损坏"),
    ],
)
def test_bad_uploads_are_form_errors_not_500(client, editor, name, data, error):
    response = upload(client, name, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Article.objects.exists()


def test_a_broken_single_page_is_shown_as_failed_with_no_confirm_button(client, editor):
    response = upload(client, "broken.html", (FIXTURES / "broken.html").read_bytes())
    page = response.content.decode()
    assert "无法导入：这不是文本或网页文件" in page
    assert 'name="confirm"' not in page


def test_staff_without_article_rights_cannot_import(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(CONFIRM, {"token": "x", "confirm": "1"}).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("records", [2, 20])
def test_record_list_query_count_does_not_grow(
    client, chief, django_assert_max_num_queries, records
):
    for number in range(records):
        ImportRecord.objects.create(
            source=f"page{number}.html", fingerprint=f"{number:064d}", article=ArticleFactory()
        )
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "导入网页" in response.content.decode()
    assert "page1.html" in response.content.decode()
