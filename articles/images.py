"""Checks on uploaded pictures and attachments, and the resized copies (renditions) pages use.

An upload is judged by its content, never by its name: Pillow reads the header to learn the real
format and size before anything is decoded, so a file over the byte cap, a picture over the pixel
cap or a decompression bomb becomes a form error in Chinese instead of a 500 or a full memory.
"""

import io
import warnings
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

#: The widths (in CSS pixels) the templates ask for; see ``Image.rendition()``.
RENDITION_WIDTHS = (320, 640, 1280)
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024

# Magic bytes of the attachment types we accept: PDF, the old binary Office formats (OLE2), and
# the zip-based Office Open XML and OpenDocument formats.
_PDF = b"%PDF-"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = b"PK\x03\x04"
ATTACHMENT_TYPES = {
    ".pdf": (_PDF, None),
    ".doc": (_OLE2, None),
    ".xls": (_OLE2, None),
    ".ppt": (_OLE2, None),
    ".wps": (_OLE2, None),
    ".docx": (_ZIP, "word/"),
    ".xlsx": (_ZIP, "xl/"),
    ".pptx": (_ZIP, "ppt/"),
    ".odt": (_ZIP, "mimetype"),
    ".ods": (_ZIP, "mimetype"),
    ".odp": (_ZIP, "mimetype"),
}


def image_limits():
    return settings.QXS_IMAGE_MAX_BYTES, settings.QXS_IMAGE_MAX_PIXELS


def validate_image_upload(upload):
    """Refuse anything but a JPEG, PNG, WebP or GIF within the byte and pixel caps.

    Returns the format name Pillow found. Only the header is parsed; the pixel cap is checked
    before any decoding, and Pillow's own decompression-bomb guard is turned into a form error.
    """
    max_bytes, max_pixels = image_limits()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("图片文件太大（%(size)s），上限是 %(limit)s。"),
            code="image_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as picture:
                image_format = picture.format
                width, height = picture.size
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("图片像素过多，可能是恶意构造的文件，已拒绝。"), code="image_bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("无法识别的图片文件。只接受 JPEG、PNG、WebP 和 GIF 格式。"), code="image_invalid"
        ) from exc
    finally:
        if position is not None:
            upload.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("不支持 %(format)s 格式。只接受 JPEG、PNG、WebP 和 GIF 格式。"),
            code="image_format",
            params={"format": image_format},
        )
    if width * height > max_pixels:
        raise ValidationError(
            _("图片尺寸太大（%(width)s×%(height)s 像素），上限是 %(limit)s 万像素。"),
            code="image_too_many_pixels",
            params={"width": width, "height": height, "limit": max_pixels // 10_000},
        )
    return image_format


def validate_attachment_upload(upload):
    """Accept PDF and Office files whose content matches their extension."""
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("不支持的附件类型。只接受 PDF、Word、Excel、PowerPoint、WPS 和 OpenDocument 文件。"),
            code="attachment_type",
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("附件太大（%(size)s），上限是 %(limit)s。"),
            code="attachment_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(ATTACHMENT_MAX_BYTES),
            },
        )
    magic, zip_member = ATTACHMENT_TYPES[suffix]
    position = upload.tell()
    try:
        upload.seek(0)
        matches = upload.read(len(magic)) == magic
        if matches and zip_member:
            upload.seek(0)
            matches = _zip_has_member(upload, zip_member)
    finally:
        upload.seek(position)
    if not matches:
        raise ValidationError(
            _("文件内容与扩展名 %(suffix)s 不符，可能已损坏或被改名。"),
            code="attachment_mismatch",
            params={"suffix": suffix},
        )


def _zip_has_member(upload, prefix):
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# Renditions keep the original's format, except GIF (animation is not kept) which becomes PNG.
_RENDITION_FORMATS = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
_RENDITION_FORMATS["GIF"] = _RENDITION_FORMATS["PNG"]


def _rendition_format(image):
    suffix = PurePosixPath(image.file.name).suffix.lower().lstrip(".")
    original = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
    return _RENDITION_FORMATS[original.get(suffix, "JPEG")]


def rendition_name(image, width):
    """Where the ``width``-pixel copy of ``image`` lives in the media storage.

    Named after the original file (whose name the storage keeps unique), so a replaced picture
    never shows an old copy.
    """
    stem = PurePosixPath(image.file.name).with_suffix("")
    return f"renditions/{stem}-{width}w.{_rendition_format(image)[1]}"


def make_rendition(image, width):
    """Write the ``width``-pixel-wide copy of ``image`` if it is missing; return its name."""
    name = rendition_name(image, width)
    if default_storage.exists(name):
        return name
    image_format = _rendition_format(image)[0]
    with image.file.open("rb") as source, PILImage.open(source) as original:
        picture = ImageOps.exif_transpose(original)
        if image_format == "JPEG" and picture.mode not in {"RGB", "L"}:
            picture = picture.convert("RGB")
        elif image_format != "JPEG" and picture.mode == "P":
            picture = picture.convert("RGBA")
        height = max(1, round(picture.height * width / picture.width))
        resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if image_format in {"JPEG", "WEBP"} else {}
        resized.save(buffer, format=image_format, **options)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return name


def make_renditions(image):
    """Write every rendition narrower than the original (called after an upload)."""
    return [make_rendition(image, width) for width in RENDITION_WIDTHS if width < image.width]
