"""The article body editor: django-prose-editor, loaded without any inline script.

django-prose-editor's own widget puts an import map in a ``<script type="importmap">`` element,
which a Content Security Policy without ``'unsafe-inline'`` blocks. This widget loads the same
editor bundle, shipped inside the package and served from ``static/``, through one small module of
ours (``static/admin/js/prose-editor-init.js``) that imports it by URL, so ``script-src 'self'``
is enough. The editor offers exactly what ``articles.sanitize`` keeps, and a picture button of ours
(``static/admin/js/body-pictures.js``) that uploads to or picks from the image library.
"""

import json

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
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


def picture_dialog_labels():
    """The texts of the picture button and its dialog (static/admin/js/body-pictures.js)."""
    return {
        "button": _("插入图片"),
        "title": _("插入图片"),
        "edit_title": _("修改图片"),
        "library": _("从图片库选择"),
        "search_label": _("搜索图片库"),
        "search": _("搜索"),
        "more": _("更多图片"),
        "upload": _("或上传新图片"),
        "file": _("图片文件"),
        "file_help": _("JPEG、PNG、WebP 或 GIF，不超过 %(size)s。上传后存入图片库。")
        % {"size": filesizeformat(settings.QXS_IMAGE_MAX_BYTES)},
        "alt": _("替代文本（必填）"),
        "alt_help": _("为看不到图片的读者描述图片内容，例如“座谈会会场全景”。"),
        "insert": _("插入"),
        "update": _("更新"),
        "cancel": _("取消"),
        "loading": _("正在加载图片库……"),
        "count": _("图片库中有 %s 张图片。"),
        "none": _("图片库中没有找到图片。"),
        "chosen": _("已选择：%s"),
        "pasted": _("已粘贴一张图片：填写替代文本后点“插入”，图片会存入图片库。"),
        "uploading": _("正在上传……"),
        "nothing": _("请从图片库选择一张图片，或上传一张新图片。"),
        "alt_missing": _("请填写替代文本。"),
        "failed_library": _("图片库加载失败，请稍后再试。"),
        "refused": _("上传没有成功（可能登录已过期）：请刷新页面后再试。"),
    }


class ProseEditorWidget(forms.Textarea):
    """A textarea the prose editor takes over; without JavaScript it stays a plain textarea."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 20, "class": "vLargeTextField", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-qxs-prose-editor"] = json.dumps(
            {
                "extensions": expand_extensions(EXTENSIONS),
                "pictures": {
                    "module": static("admin/js/body-pictures.js"),
                    "library": reverse("admin:articles_image_library"),
                    "upload": reverse("admin:articles_image_upload"),
                    "labels": picture_dialog_labels(),
                },
            },
            separators=(",", ":"),
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
