"""Context every public page needs, at no query cost once cached."""

from django.utils.functional import SimpleLazyObject

from qxs.cache import kept_for_generation

from .models import SiteIdentity

FONT_SIZE_COOKIE = "qxs_font_size"
FONT_SIZES = ("small", "medium", "large")
SITE_IDENTITY_KEY = ("site-identity",)


def font_size(request):
    """The reader's chosen text size (大/中/小) from its cookie, ``medium`` by default."""
    value = request.COOKIES.get(FONT_SIZE_COOKIE, "medium")
    return value if value in FONT_SIZES else "medium"


def site_identity(request):
    """``SiteIdentity.current()``, kept in the process for the content generation.

    Saving the identity changes the generation (the ``portal`` app is public content), so the
    process's copy is never staler than a page.
    """
    return kept_for_generation(request, SITE_IDENTITY_KEY, SiteIdentity.current)


def site(request):
    """The footer's site identity (lazy and cached) and the reader's font size."""
    return {
        "site_identity": SimpleLazyObject(lambda: site_identity(request)),
        "font_size": font_size(request),
    }
