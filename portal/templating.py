"""The Jinja2 environment of the public pages (``<app>/jinja2/``; the admin stays on Django's
template language).

Why Jinja2 there: a cold news list spent about 13 of its 22 ms of CPU in the Django template
language, which resolves every ``{{ variable }}`` and ``{% translate %}`` node at run time;
Jinja2 compiles each template to Python once per process (issue 14, docs/performance.md).

What the templates get, besides Jinja2's own:

- ``_``/``gettext``, ``ngettext``, ``pgettext``, ``npgettext``: Django's translations, new-style
  (``_("第%(number)s页", number=n)``, the same message ids as ``{% blocktranslate %}``);
  ``portal``'s ``makemessages`` reads these templates too;
- ``url(name, *args, **kwargs)`` (``reverse``), ``static(path)``, ``absolute_url(path)``,
  ``querystring(**changes)`` (the request's query string with ``changes``, as Django's
  ``{% querystring %}``), ``elided_pages(page_obj)``, ``get_current_language()``;
- filters in Django's spelling where Jinja2 has none: ``date`` (in the current time zone, as
  ``|date`` is), ``truncatechars``, ``linebreaks``, ``linebreaksbr``, ``filesizeformat``
  (Django's, in the reader's language), ``file_type``, ``urlencode`` (Django's ``quote``).

Undefined names render empty and chain (``ChainableUndefined``), as a missing variable does in
the Django template language.
"""

import os
import unicodedata

import jinja2
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.timezone import template_localtime
from markupsafe import Markup


def date(value, format_string=None):
    """``|date``: an aware datetime in the current time zone, formatted as Django's filter does."""
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    return defaultfilters.date(template_localtime(value), format_string)


def file_type(file_name):
    """The upper-case extension of a file name ("PDF", "DOCX"), or an empty string."""
    extension = os.path.splitext(str(file_name or ""))[1].lstrip(".")
    return extension.upper()


def truncatechars(value, length):
    """Django's ``|truncatechars``, without its ``Truncator`` (and its translated "…") for a
    plain string (not a safe one) short enough to come back unchanged (NFC-normalised)."""
    if type(value) is str and type(length) is int and 0 < len(value) <= length:
        return unicodedata.normalize("NFC", value)
    return defaultfilters.truncatechars(value, length)


def article_rows(articles, column=False, summary=False):
    """``articles.models.list_rows``: a list's rows as plain values (``includes/article_items``)."""
    from articles.models import list_rows

    return list_rows(articles, column=column, summary=summary)


def url(name, *args, **kwargs):
    """``reverse(name, args, kwargs)``, as ``{% url %}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


@jinja2.pass_context
def absolute_url(context, path):
    """``path`` as an absolute URL for canonical links, Open Graph and feeds."""
    request = context.get("request")
    if request is None or not path:
        return path or ""
    return request.build_absolute_uri(path)


@jinja2.pass_context
def querystring(context, **changes):
    """The request's query string with ``changes`` (``None`` removes a key), starting with ``?``,
    as Django's ``{% querystring %}``."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    if hasattr(params, "urlencode"):
        return "?" + params.urlencode()
    return "?" + urlencode(params, doseq=True)


def elided_pages(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link, with ``Paginator.ELLIPSIS`` where pages are skipped."""
    return page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    )


def _new_style(text, variables, eval_context):
    """What Jinja's new-style gettext makes of a translation: markup when the template
    autoescapes, and always a format string (``%(name)s`` from ``variables``, ``%%`` a percent
    sign); a text without ``%`` is returned as it is, which is what formatting would give."""
    if eval_context.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@jinja2.pass_eval_context
def gettext(eval_context, message, /, **variables):
    """``_()``/``gettext()`` and ``{% trans %}``: Jinja's new-style gettext over Django's, in one
    call. Jinja's own (``install_gettext_translations``) passes each message through three
    ``Context.call``s (the ``_`` alias, the new-style wrapper, Django's function): 17 µs a message
    against 4 µs for Django's ``gettext`` itself, and a page has 40–90 of them. The arguments
    are positional-only, so a template's variables may have any name (``message=``)."""
    return _new_style(translation.gettext(message), variables, eval_context)


@jinja2.pass_eval_context
def ngettext(eval_context, singular, plural, number, /, **variables):
    variables.setdefault("num", number)
    return _new_style(translation.ngettext(singular, plural, number), variables, eval_context)


@jinja2.pass_eval_context
def pgettext(eval_context, context, message, /, **variables):
    return _new_style(translation.pgettext(context, message), variables, eval_context)


@jinja2.pass_eval_context
def npgettext(eval_context, context, singular, plural, number, /, **variables):
    variables.setdefault("num", number)
    text = translation.npgettext(context, singular, plural, number)
    return _new_style(text, variables, eval_context)


def environment(**options):
    """The environment Django's ``Jinja2`` backend builds (``TEMPLATES`` in settings)."""
    # Not setdefault(): Django's backend always passes its own (Undefined, or DebugUndefined
    # with DEBUG), under which ``missing.name`` raises and ``{{ missing }}`` prints itself.
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    # New-style gettext ({% trans %} compiles to calls with keyword variables), with the
    # functions above in place of the ones this installs.
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        url=url,
        static=static,
        absolute_url=absolute_url,
        querystring=querystring,
        elided_pages=elided_pages,
        get_current_language=translation.get_language,
        article_rows=article_rows,
    )
    env.filters.update(
        date=date,
        truncatechars=truncatechars,
        linebreaks=defaultfilters.linebreaks_filter,
        linebreaksbr=defaultfilters.linebreaksbr,
        filesizeformat=defaultfilters.filesizeformat,
        file_type=file_type,
        urlencode=defaultfilters.urlencode,
        striptags=defaultfilters.striptags,
    )
    return env
