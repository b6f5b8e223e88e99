"""The article body editor: django-prose-editor, loaded without any inline script.

django-prose-editor's own widget puts an import map in a ``<script type="importmap">`` element,
which a Content Security Policy without ``'unsafe-inline'`` blocks. This widget loads the same
editor bundle, shipped inside the package and served from ``static/``, through one small module of
ours (``static/admin/js/prose-editor-init.js``) that imports it by URL, so ``script-src 'self'``
is enough. The editor offers exactly what ``articles.sanitize`` keeps.
"""

import json

from django import forms
from django.templatetags.static import static
from django_prose_editor.config import expand_extensions

#: The editor's buttons; each produces only tags that articles/sanitize.py allows.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,
}


class ProseEditorWidget(forms.Textarea):
    """A textarea the prose editor takes over; without JavaScript it stays a plain textarea."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 20, "class": "vLargeTextField", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-qxs-prose-editor"] = json.dumps(
            {"extensions": expand_extensions(EXTENSIONS)}, separators=(",", ":")
        )
        context["widget"]["attrs"]["data-editor-module"] = static("django_prose_editor/editor.js")
        return context

    def use_required_attribute(self, initial):
        # The textarea is hidden behind the editor; a browser cannot focus it to report "required".
        return False

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                ]
            },
            js=[forms.Script("admin/js/prose-editor-init.js", type="module")],
        )
