"""Pictures in the article body: the editor's upload and library endpoints, library pictures
saved with their renditions, alt text required, pictures of other sites refused, and public
pages that show them without a query of their own."""

import json
import re
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Image
from articles.pictures import BODY_SIZES, body_picture_errors, expand_library_pictures
from articles.sanitize import sanitize_html
from articles.widgets import picture_dialog_labels
from imports.extract import extract
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    ImageFactory,
    StaffUserFactory,
)
from tests.pictures import picture_bytes, png_claiming_size

Status = Article.Status
UPLOAD = "admin:articles_image_upload"
LIBRARY = "admin:articles_image_library"


def img_tags(html):
    return re.findall(r"<img\s[^>]*>", html)


def attrs_of(tag):
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def upload(client, content=None, name="会场.png", alt="座谈会会场全景"):
    data = {"alt_text": alt}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse(UPLOAD), data)


# -- the upload endpoint ---------------------------------------------------------------------


def test_an_editor_uploads_a_picture_into_the_library(editor_client, editor):
    """A good picture with alt text is stored with its renditions and returned as JSON."""
    response = upload(editor_client, picture_bytes(1600, 1000))
    assert response.status_code == 201
    picture = response.json()["picture"]
    image = Image.objects.get()
    assert picture["id"] == image.pk
    assert (picture["width"], picture["height"]) == (1600, 1000)
    assert picture["alt"] == "座谈会会场全景" == image.alt_text
    assert image.uploaded_by == editor
    stem = image.file.name.removesuffix(".png")
    assert picture["src"] == default_storage.url(f"renditions/{stem}-1280w.png")
    assert picture["thumbnail"] == default_storage.url(f"renditions/{stem}-320w.png")
    for width in (320, 640, 1280):
        assert default_storage.exists(f"renditions/{stem}-{width}w.png")


@pytest.mark.parametrize(
    ("content", "name", "alt", "message"),
    [
        (None, "a.png", "会场", "图片文件：这个字段是必填项。"),
        (picture_bytes(), "a.png", "", "替代文本：这个字段是必填项。"),
        (b"not a picture at all", "a.png", "会场", "无法识别的图片文件"),
        (b"%PDF-1.4 renamed", "report.jpg", "会场", "无法识别的图片文件"),
        (png_claiming_size(40_000, 40_000), "bomb.png", "会场", "像素"),
        (picture_bytes(image_format="BMP"), "a.bmp", "会场", "不支持 BMP 格式"),
    ],
)
def test_a_bad_upload_gets_a_chinese_json_error(editor_client, content, name, alt, message):
    """Missing file or alt text, a file that is no picture, a bomb, a wrong format: 400, JSON."""
    response = upload(editor_client, content, name=name, alt=alt)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]
    assert not Image.objects.exists()


def test_upload_limits_are_those_of_the_library(editor_client, settings):
    """The byte and pixel caps of the image library hold for the editor's uploads too."""
    settings.QXS_IMAGE_MAX_BYTES = 1000
    response = upload(editor_client, picture_bytes(800, 500, "JPEG") + b"\0" * 2000, "a.jpg")
    assert response.status_code == 400
    assert "图片文件太大" in response.json()["error"]
    settings.QXS_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    settings.QXS_IMAGE_MAX_PIXELS = 100 * 100
    response = upload(editor_client, picture_bytes(200, 200), "b.png")
    assert response.status_code == 400
    assert "图片尺寸太大（200×200 像素）" in response.json()["error"]
    assert not Image.objects.exists()


def test_upload_needs_post_permission_and_a_login(client, db):
    """GET is refused (405), staff without the image permission get 403 (JSON, Chinese),
    anonymous users are sent to the login page; nothing is stored."""
    staff = StaffUserFactory()
    client.force_login(staff)
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 405
    assert "POST" in response.json()["error"]
    response = upload(client, picture_bytes())
    assert response.status_code == 403
    assert response.json()["error"] == "您没有上传图片的权限。"
    client.logout()
    response = upload(client, picture_bytes())
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not Image.objects.exists()


def test_upload_is_csrf_protected(editor):
    """Without the CSRF token the upload is refused; with it (as the admin page sends it) it
    is stored."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, picture_bytes()).status_code == 403
    assert not Image.objects.exists()
    client.get(reverse("admin:articles_article_add"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse(UPLOAD),
        {"alt_text": "会场", "file": SimpleUploadedFile("a.png", picture_bytes())},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201
    assert Image.objects.count() == 1


# -- the library endpoint --------------------------------------------------------------------


def test_library_lists_newest_first_and_searches_alt_text_and_caption(editor_client):
    """The dialog's list: newest first, searched by alt text or caption, JSON."""
    old = ImageFactory(alt_text="齐齐哈尔会场", caption="2004 年座谈会")
    new = ImageFactory(alt_text="温岭代表团在富裕县", caption="")
    data = editor_client.get(reverse(LIBRARY)).json()
    assert [p["id"] for p in data["results"]] == [new.pk, old.pk]
    assert data["count"] == 2 and data["has_next"] is False
    assert data["results"][0]["alt"] == "温岭代表团在富裕县"
    assert data["results"][0]["thumbnail"].startswith("/media/renditions/")
    for query, expected in [("富裕县", [new.pk]), ("座谈会", [old.pk]), ("没有的词", [])]:
        with_query = editor_client.get(reverse(LIBRARY), {"q": query}).json()
        assert [p["id"] for p in with_query["results"]] == expected, query


def test_library_pages_and_bad_page_numbers(editor_client):
    """24 pictures a page; a page number that is not one gives a page, never an error."""
    for _ in range(25):
        ImageFactory()
    first = editor_client.get(reverse(LIBRARY)).json()
    assert len(first["results"]) == 24 and first["has_next"] is True
    second = editor_client.get(reverse(LIBRARY), {"page": 2}).json()
    assert len(second["results"]) == 1 and second["has_next"] is False
    for page in ["abc", "-1", "999", ""]:
        response = editor_client.get(reverse(LIBRARY), {"page": page})
        assert response.status_code == 200, page
    for query in ["\x00", "会\x00场", "%", "_" * 500]:
        response = editor_client.get(reverse(LIBRARY), {"q": query})
        assert response.status_code == 200, query


def test_library_query_count_does_not_grow(editor_client):
    """The list costs the same queries for 2 or 20 pictures (no query per picture)."""
    counts = []
    for size in (2, 20):
        while Image.objects.count() < size:
            ImageFactory()
        editor_client.get(reverse(LIBRARY))  # renditions made once, outside the count
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse(LIBRARY)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_library_needs_the_view_permission(client, db):
    """Staff without the image permissions get a Chinese JSON 403; anonymous users log in."""
    ImageFactory()
    client.force_login(StaffUserFactory())
    response = client.get(reverse(LIBRARY))
    assert response.status_code == 403
    assert response.json()["error"] == "您没有查看图片库的权限。"
    client.logout()
    assert client.get(reverse(LIBRARY)).status_code == 302


# -- saving: library pictures written out with their renditions ------------------------------


@pytest.mark.django_db
def test_a_library_picture_is_saved_with_srcset_sizes_width_and_height():
    """``<img data-image>`` from the editor becomes the full rendition markup on save."""
    image = ImageFactory(file__width=1600, file__height=1000)
    article = ArticleFactory(
        body=f'<p>会场</p><img src="/media/anything.png" alt="会场全景" data-image="{image.pk}">'
    )
    [tag] = img_tags(article.body)
    attrs = attrs_of(tag)
    stem = image.file.name.removesuffix(".png")
    assert attrs["src"] == f"/media/renditions/{stem}-1280w.png"
    assert attrs["srcset"] == (
        f"/media/renditions/{stem}-320w.png 320w, /media/renditions/{stem}-640w.png 640w, "
        f"/media/renditions/{stem}-1280w.png 1280w, /media/{image.file.name} 1600w"
    )
    assert attrs["sizes"] == BODY_SIZES
    assert (attrs["width"], attrs["height"]) == ("1600", "1000")
    assert attrs["alt"] == "会场全景"
    assert attrs["loading"] == "lazy"
    assert attrs["data-image"] == str(image.pk)
    for width in (320, 640, 1280):
        assert default_storage.exists(f"renditions/{stem}-{width}w.png")


@pytest.mark.django_db
def test_the_stored_body_survives_the_sanitizer_and_a_second_save():
    """What the expansion writes is inside the allow-list: saving again changes nothing."""
    image = ImageFactory()
    article = ArticleFactory(body=f'<img src="/media/x.png" alt="会场" data-image="{image.pk}">')
    stored = article.body
    assert sanitize_html(stored) == stored
    article.save()
    article.refresh_from_db()
    assert article.body == stored


@pytest.mark.django_db
def test_a_picture_without_alt_text_saved_outside_the_form_gets_the_library_alt():
    """Paths without the admin form (commands, imports) never store a picture without alt."""
    image = ImageFactory(alt_text="富裕县考察")
    article = ArticleFactory(body=f'<img src="/media/x.png" data-image="{image.pk}">')
    assert attrs_of(img_tags(article.body)[0])["alt"] == "富裕县考察"


@pytest.mark.django_db
def test_a_library_picture_pasted_by_its_address_gets_its_number():
    """A body from before the picture button (the original's address) is linked to the
    library on its next save and gets its renditions."""
    image = ImageFactory()
    article = ArticleFactory(body=f'<p>甲</p><img src="{image.file.url}" alt="会场">')
    attrs = attrs_of(img_tags(article.body)[0])
    assert attrs["data-image"] == str(image.pk)
    assert "320w" in attrs["srcset"]


@pytest.mark.django_db
def test_a_picture_deleted_from_the_library_keeps_its_address_or_goes():
    """A number no longer in the library: the address stays if there is one; otherwise the
    picture is dropped rather than shown broken."""
    body = (
        '<img src="/media/images/a.png" alt="甲" data-image="987654">'
        '<img data-image="987653" alt="乙">'
    )
    expanded = expand_library_pictures(sanitize_html(body))
    assert expanded == '<img src="/media/images/a.png" alt="甲">'


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<img src="/media/a.png" srcset="/media/a-320w.png 320w, /media/a.png 800w">', True),
        ('<img src="/media/a.png" srcset="https://evil.example/a.png 320w">', False),
        ('<img src="/media/a.png" srcset="/media/a.png 320w, //evil.example/b.png 640w">', False),
        ('<img src="/media/a.png" srcset="/media/a.png">', False),
    ],
)
def test_srcset_only_from_our_media(html, kept):
    """A ``srcset`` candidate from anywhere but our media storage drops the whole srcset."""
    assert ("srcset=" in sanitize_html(html)) is kept


def test_sizes_loading_and_number_are_checked():
    """``sizes`` holds no URL, ``loading`` is lazy or eager, ``data-image`` is a number."""
    cleaned = sanitize_html(
        '<img src="/media/a.png" sizes="url(https://evil.example/)" loading="evil"'
        ' data-image="1 or 1=1">'
    )
    assert cleaned == '<img src="/media/a.png">'


# -- the admin form: alt text required, other sites refused ---------------------------------


def post_article(client, body, article=None):
    column = article.column if article else ColumnFactory()
    data = {
        "title": "座谈会图片报道",
        "column": column.pk,
        "body": body,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    if article is None:
        return client.post(reverse("admin:articles_article_add"), data)
    data["loaded_version"] = article.version
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def body_errors(response):
    return [str(e) for e in response.context["adminform"].form.errors.get("body", [])]


def test_the_form_refuses_a_picture_without_alt_text_and_names_it(editor_client):
    """Saving a body picture without alt text is a form error naming the picture."""
    image = ImageFactory(alt_text="会场全景")
    response = post_article(
        editor_client,
        f'<p>甲</p><img src="/media/x.png" alt=" " data-image="{image.pk}">'
        '<img src="/media/images/2004/09/qiqihar.jpg">',
    )
    assert response.status_code == 200
    errors = body_errors(response)
    assert len(errors) == 2
    assert errors[0].startswith("第 1 张图片（图片库中的“会场全景”）没有替代文本")
    assert errors[1].startswith("第 2 张图片（qiqihar.jpg）没有替代文本")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("https://www.aqsiq.gov.cn/images/meeting.jpg", "来自其他网站"),
        ("//evil.example/media/a.jpg", "来自其他网站"),
        ("file:///C:/Users/x/a.jpg", "来自其他网站"),
        ("data:image/png;base64,iVBORw0KGgo=", "直接粘贴的图片数据"),
    ],
)
def test_the_form_refuses_pictures_that_are_not_in_the_library(editor_client, src, message):
    """A picture of another site is never hot-linked nor fetched: the form names it."""
    response = post_article(editor_client, f'<p>甲</p><img src="{src}" alt="会场">')
    [error] = body_errors(response)
    assert error.startswith("第 1 张图片")
    assert message in error
    if not src.startswith("data:"):
        assert src in error
    assert not Article.objects.exists()


@pytest.mark.parametrize("number", ["424242", "9" * 30, "abc"])
def test_the_form_refuses_a_number_not_in_the_library(editor_client, number):
    """A library number that is not (any more) in the library is named, not silently lost;
    a number no database holds is no 500."""
    response = post_article(
        editor_client, f'<img src="/media/x.png" alt="甲" data-image="{number}">'
    )
    [error] = body_errors(response)
    assert f"图片库编号 {number[:12]}" in error and "已不在图片库中" in error


def test_the_form_saves_a_library_picture_with_alt_text(editor_client):
    """With alt text, a library picture is saved as its rendition markup."""
    image = ImageFactory()
    response = post_article(
        editor_client, f'<p>甲</p><img src="/media/x.png" alt="会场" data-image="{image.pk}">'
    )
    assert response.status_code == 302
    article = Article.objects.get()
    attrs = attrs_of(img_tags(article.body)[0])
    assert attrs["alt"] == "会场" and attrs["sizes"] == BODY_SIZES and attrs["width"] == "800"


def test_the_form_keeps_an_older_own_media_picture_with_alt_text(editor_client):
    """Our own media picture outside the library (older bodies) with alt text still saves."""
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    response = post_article(
        editor_client, '<img src="/media/images/2004/09/a.jpg" alt="会场">', article
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == '<img src="/media/images/2004/09/a.jpg" alt="会场">'


def test_picture_errors_ignore_a_body_without_pictures(db, django_assert_num_queries):
    """No picture, no query and no error."""
    with django_assert_num_queries(0):
        assert body_picture_errors("<p>正文</p>") == []


# -- the editor and the public page ----------------------------------------------------------


def test_the_editor_is_given_the_picture_endpoints_and_chinese_labels(editor_client):
    """The body widget carries the upload and library URLs and the dialog's Chinese labels."""
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    [raw] = re.findall(r'data-qxs-prose-editor="([^"]*)"', html)
    config = json.loads(unescape(raw))["pictures"]
    assert config["upload"] == reverse(UPLOAD)
    assert config["library"] == reverse(LIBRARY)
    assert config["module"] == "/static/admin/js/body-pictures.js"
    assert config["labels"]["button"] == "插入图片"
    assert config["labels"]["alt"] == "替代文本（必填）"


def test_the_picture_labels_are_translated_to_english():
    """The English catalogue has the dialog's labels (as it has the rest of the admin)."""
    with translation.override("en"):
        labels = picture_dialog_labels()
    assert labels["button"] == "Insert picture"
    assert labels["alt"] == "Alt text (required)"
    assert not any(re.search(r"[\u4e00-\u9fff]", text) for text in labels.values())


def test_the_public_page_shows_renditions_with_no_extra_query(client, db, count_queries):
    """The article page prints the picture with srcset, sizes, width and height, and runs the
    same queries as the same article without pictures."""
    column = ColumnFactory()
    plain = ArticleFactory(column=column, body="<p>会场</p>")
    image = ImageFactory()
    pictured = ArticleFactory(
        column=column,
        body=f'<p>会场</p><img src="/media/x.png" alt="会场全景" data-image="{image.pk}">'
        f'<img src="/media/x.png" alt="代表合影" data-image="{image.pk}">',
    )
    plain_queries = count_queries(client, plain.get_absolute_url())
    pictured_queries = count_queries(client, pictured.get_absolute_url())
    assert len(pictured_queries) == len(plain_queries)
    html = client.get(pictured.get_absolute_url()).content.decode()
    tags = [tag for tag in img_tags(html) if "data-image" in tag]
    assert len(tags) == 2
    for tag, alt in zip(tags, ["会场全景", "代表合影"], strict=True):
        attrs = attrs_of(tag)
        assert attrs["alt"] == alt
        assert "320w" in attrs["srcset"] and attrs["sizes"] == BODY_SIZES
        assert (attrs["width"], attrs["height"]) == ("800", "500")


# -- the importer ----------------------------------------------------------------------------


def test_the_importer_leaves_pictures_out_and_says_so():
    """An imported page's pictures are never hot-linked: the body is text, and the report
    names the pictures left out."""
    page = (
        "<html><head><title>温岭市代表团赴富裕县考察</title></head><body>"
        "<h1>温岭市代表团赴富裕县考察</h1><div class='content'>"
        "<p>2004年9月22日，座谈会结束后，温岭市代表团即赴富裕县参观考察。</p>"
        "<p><img src='http://www.example.gov.cn/upload/2004/kaocha.jpg'></p>"
        "<p>双方就质量兴市合作交流协议的落实进行了座谈，商定建立定期通报制度。</p>"
        "</div></body></html>"
    )
    extracted = extract(page.encode(), "kaocha.html")
    assert "kaocha.jpg" in " ".join(extracted.warnings)
    assert any("图片没有导入" in warning for warning in extracted.warnings)
    assert not any("img" in paragraph for paragraph in extracted.paragraphs)


# -- deleting a picture the body uses --------------------------------------------------------


@pytest.mark.django_db
def test_a_picture_a_body_shows_cannot_be_deleted_singly_or_in_bulk(client):
    """The delete page names the article (with a link) and refuses, as a protected foreign key
    would; a picture no body shows is deleted as before."""
    used, unused = ImageFactory(), ImageFactory()
    article = ArticleFactory(
        title="会场图片报道",
        body=f'<p>会场</p><img src="/x.png" alt="会场" data-image="{used.pk}">',
    )
    client.force_login(StaffUserFactory(is_superuser=True))

    page = client.get(reverse("admin:articles_image_delete", args=[used.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "正文使用这张图片的稿件" in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    client.post(reverse("admin:articles_image_delete", args=[used.pk]), {"post": "yes"})
    assert Image.objects.filter(pk=used.pk).exists()

    client.post(
        reverse("admin:articles_image_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )
    assert Image.objects.filter(pk=used.pk).exists()
    assert Image.objects.filter(pk=unused.pk).exists()  # the bulk delete refused as a whole

    client.post(reverse("admin:articles_image_delete", args=[unused.pk]), {"post": "yes"})
    assert not Image.objects.filter(pk=unused.pk).exists()


@pytest.mark.django_db
def test_a_refused_upload_shows_no_size(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    page = client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("会场.png", picture_bytes(1200, 750)), "alt_text": ""},
    )
    assert page.status_code == 200  # the form again, with its error
    assert "1200 × 750" not in page.content.decode()
