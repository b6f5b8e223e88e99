"""The reader's language comes from the URL, and from nothing else.

Chinese pages are at ``/…`` and English ones under ``/en/…`` (``i18n_patterns`` with
``prefix_default_language=False`` in ``qxs/urls.py``). :func:`language_from_path` is the one rule:
the middleware activates its answer, and anything else that must know a request's language before
or without the middleware (the page cache, for one) calls it too. Accept-Language and cookies are
never read, so a URL is the same page for every reader and a shared cache may keep it without
``Vary``.

Both versions of a page have the same path after the prefix (the URL patterns are not
translated), so the other version of any page is its path with the prefix swapped
(:func:`path_in_language`); that holds for error pages too.
"""

from django.conf import settings


def prefixed_languages():
    """The languages whose pages live under a ``/<code>/`` prefix: all but the default."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_from_path(path):
    """The language of the page at ``path`` (a ``path_info``, without the script prefix).

    ``/en/…`` (and ``/en`` itself, which CommonMiddleware sends on to ``/en/``) is English;
    every other path is Chinese, an unknown prefix such as ``/fr/…`` or ``/EN/…`` included (it
    is then a Chinese 404).
    """
    for code in prefixed_languages():
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code
    return settings.LANGUAGE_CODE


def path_in_language(path, language):
    """``path``'s page in ``language``: ``/news/`` → ``/en/news/`` and back."""
    current = language_from_path(path)
    if current != settings.LANGUAGE_CODE:
        path = path[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return path
