"""Upload checks on pictures and attachments, and the renditions pages use."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.images import validate_attachment_upload, validate_image_upload
from articles.models import Image
from tests.factories import AttachmentFactory, ImageFactory, UserFactory
from tests.pictures import picture_bytes, png_claiming_size


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(admin_client, content, name="photo.png"):
    return admin_client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile(name, content), "alt_text": "会场", "caption": ""},
    )


def form_errors(response):
    return " ".join(str(e) for e in response.context["adminform"].form.errors.get("file", []))


@pytest.mark.django_db
def test_a_good_picture_is_stored_with_its_renditions(admin_client):
    """A PNG within the caps is saved with its size; narrower copies are written at once."""
    response = upload(admin_client, picture_bytes(800, 500))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 500)
    stem = image.file.name.removesuffix(".png")
    for width in (320, 640):
        assert default_storage.exists(f"renditions/{stem}-{width}w.png")
    assert not default_storage.exists(f"renditions/{stem}-1280w.png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"this is not a picture at all", "photo.jpg", "无法识别"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.png", "无法识别"),
        (picture_bytes(20, 20, "BMP"), "photo.jpg", "不支持 BMP"),
        (picture_bytes(20, 20, "TIFF"), "photo.png", "不支持 TIFF"),
        (png_claiming_size(100_000, 100_000), "bomb.png", "恶意构造"),
        (png_claiming_size(12_000, 12_000), "bomb.png", "恶意构造"),
        (png_claiming_size(8_000, 6_000), "big.png", "尺寸太大"),
    ],
)
def test_bad_uploads_are_form_errors(admin_client, content, name, message):
    """A renamed file, a wrong format, a bomb or too many pixels: a Chinese form error, no 500."""
    response = upload(admin_client, content, name)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_byte_cap_is_configurable(admin_client, settings):
    """QXS_IMAGE_MAX_BYTES refuses a larger file before anything is decoded."""
    settings.QXS_IMAGE_MAX_BYTES = 1000
    response = upload(admin_client, picture_bytes(400, 400, "JPEG"), "photo.jpg")
    assert response.status_code == 200
    assert "图片文件太大" in form_errors(response)
    settings.QXS_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    assert upload(admin_client, picture_bytes(400, 400, "JPEG"), "photo.jpg").status_code == 302


@pytest.mark.django_db
def test_pixel_cap_is_configurable(admin_client, settings):
    """QXS_IMAGE_MAX_PIXELS refuses a picture with more pixels than allowed."""
    settings.QXS_IMAGE_MAX_PIXELS = 100 * 100
    response = upload(admin_client, picture_bytes(101, 100))
    assert "尺寸太大" in form_errors(response)
    assert upload(admin_client, picture_bytes(100, 100)).status_code == 302


def test_validator_accepts_the_four_formats():
    """JPEG, PNG, WebP and GIF pass and report their real format."""
    for image_format in ["JPEG", "PNG", "WEBP", "GIF"]:
        upload_file = SimpleUploadedFile("x.bin", picture_bytes(10, 10, image_format))
        assert validate_image_upload(upload_file) == image_format


@pytest.mark.django_db
def test_rendition_urls_and_srcset():
    """rendition(w) is a resized copy for narrower widths and the original otherwise."""
    image = ImageFactory(file__width=800, file__height=400)
    small = image.rendition(320)
    assert small.startswith("/media/renditions/")
    with (
        default_storage.open(small.removeprefix("/media/")) as stored,
        PILImage.open(stored) as pic,
    ):
        assert pic.size == (320, 160)
    assert image.rendition(1280) == image.file.url
    assert image.srcset.endswith(f"{image.file.url} 800w")
    assert "320w" in image.srcset and "640w" in image.srcset and "1280w" not in image.srcset


def docx_bytes(member="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("协议.pdf", b"%PDF-1.4\n%...", True),
        ("协议.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, True),
        ("协议.docx", docx_bytes(), True),
        ("表.xlsx", docx_bytes("xl/workbook.xml"), True),
        ("协议.pdf", b"MZ\x90\x00 this is an exe", False),
        ("协议.docx", docx_bytes("other/file.xml"), False),
        ("协议.docx", b"PK\x03\x04 broken zip", False),
        ("setup.exe", b"MZ\x90\x00", False),
        ("page.html", b"<script>alert(1)</script>", False),
    ],
)
def test_attachment_type_is_checked_by_extension_and_content(name, content, ok):
    """A PDF or Office file is accepted only when its magic bytes match its extension."""
    upload_file = SimpleUploadedFile(name, content)
    if ok:
        validate_attachment_upload(upload_file)
    else:
        with pytest.raises(ValidationError):
            validate_attachment_upload(upload_file)


@pytest.mark.django_db
def test_attachment_size_is_recorded():
    """The stored size is the file's size in bytes."""
    attachment = AttachmentFactory()
    assert attachment.size == attachment.file.size > 0


@pytest.mark.django_db
def test_attachment_inline_refuses_a_renamed_file(admin_client):
    """An .exe renamed to .pdf on the article page is a form error on the attachment row."""
    from tests.factories import ArticleFactory

    article = ArticleFactory(status="draft", published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "loaded_version": article.version,
        "title": article.title,
        "column": article.column_id,
        "attachments-TOTAL_FORMS": 1,
        "attachments-INITIAL_FORMS": 0,
        "attachments-0-title": "合作协议",
        "attachments-0-order": 0,
        "attachments-0-file": SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 not a pdf"),
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "文件内容与扩展名 .pdf 不符" in response.content.decode()
    assert not article.attachments.exists()
    data["attachments-0-file"] = SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n%%EOF\n")
    assert admin_client.post(url, data).status_code == 302
    assert article.attachments.get().size == len(b"%PDF-1.4\n%%EOF\n")


@pytest.mark.django_db
def test_renditions_are_written_on_save_and_pages_never_look_at_the_storage(monkeypatch):
    """Saving a picture writes its narrower copies; ``srcset`` and ``rendition()`` then only
    derive their URLs, whatever the storage holds."""
    image = ImageFactory(file__width=800, file__height=400)
    stem = image.file.name.removesuffix(".png")
    assert image.renditions_made
    for width in (320, 640):
        assert default_storage.exists(f"renditions/{stem}-{width}w.png")

    def no_storage(*args, **kwargs):
        raise AssertionError("a page looked at the storage")

    for method in ("exists", "open", "save", "size"):
        monkeypatch.setattr(default_storage, method, no_storage)
    page_image = Image.objects.get(pk=image.pk)
    assert page_image.srcset == (
        f"/media/renditions/{stem}-320w.png 320w, /media/renditions/{stem}-640w.png 640w, "
        f"{image.file.url} 800w"
    )
    assert page_image.rendition(640) == f"/media/renditions/{stem}-640w.png"
    assert page_image.rendition(1280) == image.file.url


@pytest.mark.django_db
def test_a_picture_whose_renditions_cannot_be_written_is_logged_on_save(caplog):
    """A missing original is logged once, when the picture is saved, not on each page."""
    image = ImageFactory(file__width=800, file__height=400)
    stem = image.file.name.removesuffix(".png")
    for width in (320, 640):
        default_storage.delete(f"renditions/{stem}-{width}w.png")
    default_storage.delete(image.file.name)
    image = Image.objects.get(pk=image.pk)
    with caplog.at_level("WARNING", logger="articles.models"):
        image.save()
        assert "320w" in image.srcset
    assert not image.renditions_made
    (record,) = caplog.records
    assert record.getMessage().startswith(f"Image {image.pk}: no renditions of {image.file.name}:")


@pytest.mark.django_db
def test_the_admin_warns_when_the_renditions_could_not_be_written(admin_client, monkeypatch):
    """The picture is kept (pages link the copies all the same); the editor is told to save it
    again, which writes them."""

    def full_disk(image):
        raise OSError("No space left on device")

    monkeypatch.setattr("articles.models.make_renditions", full_disk)
    response = upload(admin_client, picture_bytes(800, 500))
    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert "缩略图生成失败，请稍后再次保存这张图片。" in page.content.decode()
    image = Image.objects.get()
    monkeypatch.undo()
    image.save()
    assert image.renditions_made
    assert default_storage.exists(f"renditions/{image.file.name.removesuffix('.png')}-320w.png")
