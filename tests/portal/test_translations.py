"""The Jinja2 templates' messages: each one translated in the English catalogue, and the
project's ``makemessages`` (portal/management/commands/makemessages.py) collecting them, which
Django's own command cannot (it reads every ``.html`` file as a Django template)."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from portal.management.commands.makemessages import work_file
from portal.templating import environment

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = sorted(BASE_DIR.glob("*/jinja2/**/*.html"))

# The positional strings of each translation function: (context?, singular, plural?).
SHAPES = {
    "_": (False, False),
    "gettext": (False, False),
    "pgettext": (True, False),
    "ngettext": (False, True),
    "npgettext": (True, True),
}


def template_messages(path):
    """``{(context, msgid, msgid_plural): [line, ...]}`` of a Jinja2 template, as read by
    Jinja2's own extractor."""
    found = {}
    env = environment()
    template = env.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for line, function, message in env.extract_translations(template):
        has_context, plural = SHAPES[function]
        strings = list(message) if isinstance(message, tuple) else [message]
        context = strings.pop(0) if has_context else None
        singular = strings.pop(0)
        plural_form = strings.pop(0) if plural else None
        if singular is None:  # _(variable): nothing to translate here
            continue
        found.setdefault((context, singular, plural_form), []).append(line)
    return found


def unquote(text):
    """A .po string's content, without its C escapes."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda match: escapes.get(match[1], match[0]), text)


def read_catalogue(path):
    """``{(context, msgid): entry}``, each entry a dict with ``msgid_plural``, ``msgstr`` (the
    list of translations, one per plural form), ``fuzzy`` and ``references``
    (``["portal/jinja2/base.html:52", ...]``). Obsolete entries (``#~``) are left out."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, last, flags, references = {}, None, [], []
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#:"):
                references += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and last:
                fields[last] += unquote(line[1:-1])
            elif line:
                keyword, _, value = line.partition(" ")
                last = keyword
                fields[keyword] = unquote(value[1:-1])
        if "msgid" not in fields or not fields["msgid"]:  # the header, or an obsolete entry
            continue
        msgstr = [value for key, value in fields.items() if key.startswith("msgstr")]
        entries[fields.get("msgctxt"), fields["msgid"]] = {
            "msgid_plural": fields.get("msgid_plural"),
            "msgstr": msgstr,
            "fuzzy": "fuzzy" in flags,
            "references": references,
        }
    return entries


def test_the_templates_are_found():
    names = {path.relative_to(BASE_DIR).as_posix() for path in TEMPLATES}
    assert {"portal/jinja2/base.html", "portal/jinja2/home.html", "portal/jinja2/404.html"} <= names


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=[path.relative_to(BASE_DIR).as_posix() for path in TEMPLATES]
)
def test_every_message_of_the_jinja2_templates_is_translated_to_english(template):
    """Each message a Jinja2 template uses has a translation in django.po: not empty, not fuzzy,
    with the same plural; otherwise the English page shows it in Chinese."""
    catalogue = read_catalogue(CATALOGUE)
    problems = []
    for (context, msgid, plural), lines in template_messages(template).items():
        entry = catalogue.get((context, msgid))
        where = f"line {lines[0]}: {msgid!r}" + (f" (context {context!r})" if context else "")
        if entry is None:
            problems.append(f"{where}: not in django.po")
        elif entry["fuzzy"] or not all(entry["msgstr"]):
            problems.append(f"{where}: untranslated or fuzzy")
        elif entry["msgid_plural"] != plural:
            problems.append(
                f"{where}: plural {plural!r} but {entry['msgid_plural']!r} in django.po"
            )
    assert problems == []


def test_the_work_file_puts_each_message_on_its_template_line():
    source = (
        '{% extends "base.html" %}\n'
        '{% block title %}{{ _("网站地图") }} - {{ super() }}{% endblock %}\n'
        "\n"
        '<p>{{ pgettext("navigation", "首页") }}{{ _(name) }}{{ _("第%(number)s页", number=n) }}'
        "</p>\n"
        '{{ ngettext("共 %(counter)s 条", "共 %(counter)s 条", n, counter=n) }}\n'
        '{{ npgettext("unit", "%(n)s 个", "%(n)s 个", n, n=n) }} {{ _(\'it\\\'s\') }}\n'
    )
    assert work_file(source).splitlines() == [
        "",
        "gettext('网站地图')",
        "",
        "pgettext('navigation', '首页'); gettext('第%(number)s页')",
        "ngettext('共 %(counter)s 条', '共 %(counter)s 条', n)",
        "npgettext('unit', '%(n)s 个', '%(n)s 个', n); gettext(\"it's\")",
    ]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_collects_the_jinja2_messages_with_their_lines(tmp_path, monkeypatch):
    """Run over a project holding ``portal`` (a link: the work files come and go next to the
    templates, as in a real run) and a copy of ``locale``: the catalogue keeps the messages only
    Jinja2 calls name (``pgettext``, ``ngettext``) with their English, each referenced by its
    template and line, and no work file is left behind."""
    (tmp_path / "portal").symlink_to(BASE_DIR / "portal", target_is_directory=True)
    shutil.copytree(BASE_DIR / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], no_obsolete=True, symlinks=True, verbosity=0)
    produced = read_catalogue(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")

    navigation = produced["navigation", "首页"]
    assert navigation["msgstr"] == ["Home"] and not navigation["fuzzy"]
    assert any(ref.startswith("portal/jinja2/base.html:") for ref in navigation["references"])
    retry = produced[None, "请 %(seconds)s 秒后再试。"]
    assert retry["msgid_plural"] == "请 %(seconds)s 秒后再试。"
    assert retry["msgstr"] == [
        "Please try again in %(seconds)s second.",
        "Please try again in %(seconds)s seconds.",
    ]

    templates = sorted((BASE_DIR / "portal" / "jinja2").glob("**/*.html"))
    missing = []
    for template in templates:
        name = template.relative_to(BASE_DIR).as_posix()
        for (context, msgid, plural), lines in template_messages(template).items():
            entry = produced.get((context, msgid))
            references = {f"{name}:{line}" for line in lines}
            if entry is None or not references <= set(entry["references"]):
                missing.append((name, lines, context, msgid))
            elif entry["msgid_plural"] != plural:
                missing.append((name, lines, context, msgid, plural))
    assert missing == []
    assert not list((BASE_DIR / "portal").glob("**/*.html.py"))


def render(source, **context):
    """``source`` rendered by the public pages' environment (autoescaping, as Django's backend
    builds it) in English."""
    from django.utils import translation

    with translation.override("en"):
        return environment(autoescape=True).from_string(source).render(**context)


def test_templates_translate_with_django_s_catalogue():
    assert render('{{ _("新闻") }}') == "News"
    assert render("{% trans %}新闻{% endtrans %}") == "News"


def test_a_translation_s_variables_are_escaped_and_may_have_any_name():
    """New-style gettext: the message is a format string whose variables are escaped; they may
    be called as the function's own arguments (``message``, ``number``, ``context``)."""
    assert render('{{ _("%(message)s!", message="<b>") }}') == "&lt;b&gt;!"
    assert render('{{ _("%(number)s%%", number=5) }}') == "5%"
    assert render('{{ _("50%%") }}') == "50%"


def test_plural_and_context_forms():
    assert render('{{ ngettext("%(num)s apple", "%(num)s apples", 2) }}') == "2 apples"
    assert render('{{ ngettext("%(num)s apple", "%(num)s apples", 1) }}') == "1 apple"
    assert (
        render("{% trans count=3 %}{{ count }} day{% pluralize %}{{ count }} days{% endtrans %}")
        == "3 days"
    )
    assert render('{{ pgettext("month name", "May") }}') == "May"
    text = render('{{ npgettext("x", "%(num)s cat", "%(num)s cats", n, context="c") }}', n=4)
    assert text == "4 cats"


def test_without_autoescape_a_translation_is_plain_text():
    from django.utils import translation

    with translation.override("en"):
        env = environment(autoescape=False)
        assert env.from_string('{{ _("%(a)s", a="<b>") }}').render() == "<b>"
