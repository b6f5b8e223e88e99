"""Pictures in the article body: library pictures written out with their renditions, and the
checks a body must pass before it is saved (alt text on every picture, none from other sites).

The editor inserts a library picture as ``<img src alt data-image="<number>">``. When the article
is saved, :func:`expand_library_pictures` writes each such tag again from the library: ``src``,
``srcset``, ``sizes``, ``width`` and ``height`` (so the page does not jump while pictures load)
and ``loading="lazy"``. Public pages print the stored body as it is, with no query of their own.
The number stays in the tag, so the next save writes the tag again from the library.
"""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.apps import apps
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .sanitize import is_our_media_url

#: How wide a body picture is shown: the page's content width, or the whole screen on a phone.
BODY_SIZES = "(min-width: 72rem) 70rem, 100vw"
#: The rendition used as ``src`` (browsers without ``srcset``, and the editor).
BODY_SRC_WIDTH = 1280

# Tags as nh3 writes them: double-quoted attributes, one space apart.
_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_DATA_IMAGE = re.compile(r'\sdata-image="(\d+)"')


def _attributes(tag):
    return {name: unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def library_picture_tag(image, alt):
    """The ``<img>`` of library picture ``image`` as the public page shows it."""
    size = format_html(' width="{}" height="{}"', image.width, image.height) if image.width else ""
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}"{} alt="{}" loading="lazy" decoding="async"'
        ' data-image="{}">',
        image.rendition(BODY_SRC_WIDTH),
        image.srcset,
        BODY_SIZES,
        size,
        alt,
        image.pk,
    )


def _library_file_name(src):
    """The storage name of a library original that ``src`` points at (``images/...``), or ""."""
    if not is_our_media_url(src):
        return ""
    name = unquote(src[len(settings.MEDIA_URL) :])
    return name if name.startswith("images/") else ""


def expand_library_pictures(html):
    """Write every library picture of a sanitized body with its renditions (one query).

    A picture of ours without a number (pasted by its address, as before the toolbar had a
    picture button) gets its number when its file is in the library. A numbered picture that is
    no longer in the library keeps the address it has, or is dropped if it has none.
    """
    tags = [_attributes(tag) for tag in _IMG.findall(html)]
    ids = {int(attrs["data-image"]) for attrs in tags if "data-image" in attrs}
    names = {
        _library_file_name(attrs.get("src", "")) for attrs in tags if "data-image" not in attrs
    } - {""}
    if not ids and not names:
        return html
    Image = apps.get_model("articles", "Image")
    found = Image.objects.filter(pk__in=ids) | Image.objects.filter(file__in=names)
    by_pk = {image.pk: image for image in found}
    by_name = {image.file.name: image for image in by_pk.values()}

    def expand(match):
        tag = match.group()
        attrs = _attributes(tag)
        if "data-image" in attrs:
            image = by_pk.get(int(attrs["data-image"]))
        else:
            image = by_name.get(_library_file_name(attrs.get("src", "")))
            if image is None:
                return tag
        alt = attrs.get("alt", "").strip()
        if image is not None and image.file:
            return library_picture_tag(image, alt or image.alt_text)
        return _DATA_IMAGE.sub("", tag) if attrs.get("src") else ""

    return _IMG.sub(expand, html)


class _PictureFinder(HTMLParser):
    """Collects the attributes of every ``<img>`` of an HTML fragment, as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pictures = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.pictures.append({name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def body_pictures(html):
    """The attributes of each picture in ``html`` (unsanitized, as the editor sent it)."""
    finder = _PictureFinder()
    finder.feed(html or "")
    finder.close()
    return finder.pictures


def _picture_name(attrs, library):
    image = library.get(attrs.get("data-image", ""))
    if image is not None:
        return _("图片库中的“%(alt)s”") % {"alt": image.alt_text}
    src = attrs.get("src", "").strip()
    if src.startswith("data:"):
        return _("直接粘贴的图片")
    name = PurePosixPath(unquote(src.split("?")[0])).name or src
    return name if len(name) <= 60 else name[:59] + "…"


def body_picture_errors(html):
    """Chinese messages for the pictures of ``html`` that cannot be saved, each naming its picture.

    Refused: a picture from another site (never hot-linked, and not fetched by the server either),
    pasted picture data that never went into the library, a library number that is not in the
    library, and any picture without alt text.
    """
    pictures = body_pictures(html)
    if not pictures:
        return []
    ids = {
        number
        for attrs in pictures
        if (number := attrs.get("data-image", "")).isdigit() and len(number) <= 12
    }
    library = {}
    if ids:
        Image = apps.get_model("articles", "Image")
        library = {str(image.pk): image for image in Image.objects.filter(pk__in=ids)}
    errors = []
    for number, attrs in enumerate(pictures, 1):
        name = _picture_name(attrs, library)
        params = {"number": number, "name": name}
        src = attrs.get("src", "").strip()
        image_id = attrs.get("data-image", "")
        if not src and not image_id:
            continue  # nothing to show; the sanitizer drops it
        if image_id:
            if image_id not in library:
                errors.append(
                    _(
                        "第 %(number)d 张图片（图片库编号 %(id)s）已不在图片库中："
                        "请删除它，再用工具栏的“插入图片”重新插入。"
                    )
                    % {**params, "id": image_id[:12]}
                )
                continue
        elif src.startswith("data:"):
            errors.append(
                _(
                    "第 %(number)d 张图片是直接粘贴的图片数据，没有存入图片库："
                    "请删除它，用工具栏的“插入图片”上传。"
                )
                % params
            )
            continue
        elif src and not is_our_media_url(src):
            errors.append(
                _(
                    "第 %(number)d 张图片（%(src)s）来自其他网站。本站不引用外站图片："
                    "请把图片保存下来，用工具栏的“插入图片”上传到图片库，或删除它。"
                )
                % {**params, "src": src[:200]}
            )
            continue
        if not attrs.get("alt", "").strip():
            errors.append(
                _(
                    "第 %(number)d 张图片（%(name)s）没有替代文本：请选中图片，"
                    "点工具栏的“插入图片”，为看不到图片的读者写一句说明。"
                )
                % params
            )
    return errors
