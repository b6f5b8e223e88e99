"""Context every public page needs, at no query cost once cached."""

from django.utils.functional import SimpleLazyObject

from .models import SiteIdentity

FONT_SIZE_COOKIE = "qxs_font_size"
FONT_SIZES = ("small", "medium", "large")


def font_size(request):
    """The reader's chosen text size (大/中/小) from its cookie, ``medium`` by default."""
    value = request.COOKIES.get(FONT_SIZE_COOKIE, "medium")
    return value if value in FONT_SIZES else "medium"


def site(request):
    """The footer's site identity (lazy and cached) and the reader's font size."""
    return {
        "site_identity": SimpleLazyObject(SiteIdentity.current),
        "font_size": font_size(request),
    }
