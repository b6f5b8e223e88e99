"""``makemessages`` that also reads the Jinja2 templates (``<app>/jinja2/``).

Django's command reads every ``.html`` file as a Django template: it would miss the
``pgettext()``, ``ngettext()`` and ``npgettext()`` calls of the public pages and drop their
messages from the catalogue. Here a file under a ``jinja2/`` folder is parsed by the project's
Jinja2 environment (``portal.templating``), and its messages are handed to ``xgettext`` as a
Python work file: one ``gettext("…")``, ``pgettext("ctx", "…")``, ``ngettext("a", "b", n)`` or
``npgettext("ctx", "a", "b", n)`` call per message, on the template's own line, so the ``#:``
references of the catalogue name the template and its line (Django's post-processing turns
``home.html.py`` back into ``home.html``).

    python manage.py makemessages -l en --no-obsolete

Everything else (``.py`` files, the admin's Django templates under ``templates/``) goes through
Django's command unchanged.
"""

from collections import defaultdict
from functools import cache, cached_property
from pathlib import Path

import jinja2
from django.core.management.base import CommandError
from django.core.management.commands import makemessages

from portal.templating import environment

# The positional string arguments each translation function takes, then the number (plurals).
CALLS = {
    "_": ("gettext", 1, False),
    "gettext": ("gettext", 1, False),
    "pgettext": ("pgettext", 2, False),
    "ngettext": ("ngettext", 2, True),
    "npgettext": ("npgettext", 3, True),
}


@cache
def jinja2_environment():
    return environment()


def is_jinja2_template(path):
    """A file in an app's ``jinja2/`` folder (or below it)."""
    return "jinja2" in Path(path).parent.parts


def messages(source, name="<template>"):
    """``(line, python_call)`` for each message of a Jinja2 template's ``source``.

    A call whose message is not a string literal (``_(variable)``) has nothing to extract and
    is left out, as ``xgettext`` leaves out ``gettext(variable)``.
    """
    try:
        found = list(jinja2_environment().extract_translations(source))
    except jinja2.TemplateSyntaxError as exc:
        raise CommandError(f"{name}:{exc.lineno}: not a Jinja2 template: {exc.message}") from exc
    calls = []
    for line, function, message in found:
        python_name, count, plural = CALLS[function]
        strings = message if isinstance(message, tuple) else (message,)
        strings = strings[:count]
        if len(strings) < count or any(not isinstance(text, str) for text in strings):
            continue
        arguments = [repr(text) for text in strings] + (["n"] if plural else [])
        calls.append((line, f"{python_name}({', '.join(arguments)})"))
    return calls


def work_file(source, name="<template>"):
    """The Python file ``xgettext`` reads for a Jinja2 template: each message on its line."""
    by_line = defaultdict(list)
    for line, call in messages(source, name):
        by_line[line].append(call)
    last = max(by_line, default=0)
    return "".join("; ".join(by_line.get(line, ())) + "\n" for line in range(1, last + 1))


class BuildFile(makemessages.BuildFile):
    """Django's build file, with a Python work file of the messages for a Jinja2 template."""

    @cached_property
    def is_jinja2(self):
        return self.domain == "django" and is_jinja2_template(self.translatable.path)

    @cached_property
    def is_templatized(self):
        return self.is_jinja2 or super().is_templatized

    def preprocess(self):
        if not self.is_jinja2:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(work_file(source, self.path[2:]), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
