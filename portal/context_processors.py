"""Context every public page needs: the site identity and the page's language versions.

Nothing here reads cookies, the session or the user: a page is the same for every reader of its
URL, so a shared cache may keep it (issue 14).
"""

import functools

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from qxs.locale import path_in_language

from .models import SiteIdentity

# The pages the header, footer and news sidebar link to: ``site_urls.<key>`` in templates.
SITE_URL_NAMES = {
    "home": "home",
    "news": "articles:list",
    "feed": "articles:feed",
    "feed_atom": "articles:feed-atom",
    "topics": "topics:list",
    "meetings": "partnerships:meeting-list",
    "pairs": "partnerships:pair-list",
    "agencies": "partnerships:agency-list",
    "search": "search:search",
    "site_map": "site-map",
    "sitemap": "sitemap-index",
}

# The header's link to each language, written in that language.
SWITCH_LABELS = {"zh-hans": "中文", "en": "English"}


def hreflang(code):
    """A Django language code as a BCP 47 tag, as ``hreflang`` and ``lang`` want it:
    ``zh-hans`` → ``zh-Hans``."""
    language, *subtags = code.split("-")
    for index, tag in enumerate(subtags):
        if len(tag) == 4:  # a script: Hans, Latn
            subtags[index] = tag.title()
        elif len(tag) == 2:  # a region: CN, GB
            subtags[index] = tag.upper()
    return "-".join([language, *subtags])


def language_versions(request):
    """The page in each site language: ``[{code, hreflang, label, path, url, current, default}]``.

    ``path`` (for the header's switch) and the absolute ``url`` (for ``hreflang`` alternates)
    keep the query string: a filtered list, a search or a page number is the same page in the
    other language. ``default`` marks the version in ``LANGUAGE_CODE`` (Chinese), which is
    also the ``x-default`` alternate. Empty when the request's Host is not allowed.
    """
    try:
        origin = request.build_absolute_uri("/").removesuffix("/")
    except DisallowedHost:  # the 400 page for a forged Host: no links to that host
        return []
    script_name = request.path[: len(request.path) - len(request.path_info)]
    # From the parsed parameters rather than the raw QUERY_STRING, which WSGI hands over as
    # Latin-1 text when a client sends unencoded UTF-8.
    query = request.GET.urlencode()
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = escape_uri_path(script_name + path_in_language(request.path_info, code))
        if query:
            path = f"{path}?{query}"
        versions.append(
            {
                "code": code,
                "hreflang": hreflang(code),
                "label": SWITCH_LABELS.get(code, code),
                "path": path,
                "url": origin + path,
                "current": code == current,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return versions


def site_urls():
    """The chrome's links (``SITE_URL_NAMES``) in the active language.

    Worked out once per language, script prefix and URL configuration: a ``{% url %}`` for
    each was a fifth of the time a cold news list spent in its template.
    """
    return _site_urls(get_language(), get_script_prefix(), get_urlconf() or "")


@functools.lru_cache(maxsize=64)
def _site_urls(language, script_prefix, urlconf):
    return {key: reverse(name, urlconf=urlconf or None) for key, name in SITE_URL_NAMES.items()}


def site(request):
    """The site identity, the page's language versions (the ``hreflang`` alternates and the
    header's language switch) and the chrome's links (``site_urls``).

    The identity is ``SiteIdentity.current()``: one read of the Django cache, at most one query
    (the site-wide one, which also reads the page's expiry). It is lazy because context
    processors also run for templates that never show it (the admin, the sitemap XML), which
    should not pay for it; a public page reads it once.
    """
    return {
        "site_identity": SimpleLazyObject(SiteIdentity.current),
        "language_versions": language_versions(request),
        "site_urls": site_urls(),
    }
