"""The allow-list every article body passes through before it is stored.

Whatever an editor pastes (or the importer brings in), readers only ever get the tags below: no
script, no event handler, no ``style`` or ``class``, links only to http, https and mailto, and
pictures only from our own media storage. ``Article.save()`` calls :func:`sanitize_html`, so no
code path can store an unclean body. A picture from the image library carries its number
(``data-image``); ``articles.pictures`` then writes its renditions into the tag.
"""

import functools
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "blockquote",
    "strong",
    "em",
    "b",
    "i",
    "hr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # srcset, sizes, loading, decoding and data-image: library pictures (articles.pictures).
    "img": {
        "src",
        "alt",
        "width",
        "height",
        "srcset",
        "sizes",
        "loading",
        "decoding",
        "data-image",
    },
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
LINK_SCHEMES = {"http", "https", "mailto"}
# nh3's output is normalised (quoted attributes, one space apart), so this finds every <img> whose
# src was dropped; such a picture would only show as a broken icon. A library picture is kept: its
# src is written from the library (articles.pictures).
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\s(?:src|data-image)=)[^>]*>")
# A ``sizes`` value: media conditions and lengths, nothing that could hold a URL.
_SIZES = re.compile(r"(?!.*url)[a-z0-9 ().,:%-]{1,200}")


def is_our_media_url(url):
    """True for a URL under MEDIA_URL that cannot climb out of it (no ``..``, no other host)."""
    media_url = settings.MEDIA_URL
    if not url.startswith(media_url) or ".." in url or "\\" in url:
        return False
    # A relative MEDIA_URL ("/media/") must not turn into a protocol-relative "//host/..." URL.
    return not (media_url.startswith("/") and urlsplit(url).netloc)


def _is_our_srcset(value):
    candidates = [candidate.split() for candidate in value.split(",")]
    return all(
        len(parts) == 2 and is_our_media_url(parts[0]) and re.fullmatch(r"\d{1,5}w", parts[1])
        for parts in candidates
    )


def _filter_attribute(tag, name, value):
    if tag == "img":
        if name == "src":
            return value if is_our_media_url(value.strip()) else None
        if name == "srcset":
            return value if _is_our_srcset(value) else None
        if name == "sizes":
            return value if _SIZES.fullmatch(value) else None
        if name == "loading":
            return value if value in {"lazy", "eager"} else None
        if name == "decoding":
            return value if value in {"async", "sync", "auto"} else None
        if name == "data-image":
            return value if value.isdigit() and len(value) <= 12 else None
    if name in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 5 else None
    return value


@functools.cache
def _cleaner():
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html):
    """Return ``html`` reduced to the allow-list; an empty editor paragraph becomes ``""``."""
    if not html:
        return ""
    cleaned = _IMG_WITHOUT_SRC.sub("", _cleaner().clean(html)).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
