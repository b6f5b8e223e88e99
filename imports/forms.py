"""The admin's upload form: one page or a zip of pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Column

from .sources import PAGE_SUFFIXES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("网页文件"),
        help_text=_(
            "一个网页（.html、.htm、.txt，UTF-8 或 GBK/GB18030 编码），或一个装有多个网页的 "
            ".zip 压缩包（最多 200 个网页，最大 20 MB）。"
        ),
    )
    column = forms.ModelChoiceField(
        label=_("栏目"),
        queryset=Column.objects.all(),
        required=False,
        help_text=_("导入的稿件放在这个栏目；不选则放入“工作动态”。"),
    )
    publish = forms.BooleanField(
        label=_("直接发布"),
        required=False,
        help_text=_("不勾选时导入为草稿。有发布日期的网页才能直接发布。"),
    )

    submit = forms.BooleanField(
        label=_("提交审核"),
        required=False,
        help_text=_(
            "勾选后，新建的稿件直接提交给审核（会通知审核人员）；不勾选则导入为草稿。"
            "更新不是草稿的稿件时，新文本总是作为待审修订交审核决定。"
        ),
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].initial = Column.objects.filter(slug="work").first()
        if not can_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((*PAGE_SUFFIXES, ".zip")):
            raise forms.ValidationError(_("只能上传 .html、.htm、.txt 网页或 .zip 压缩包。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件太大：最大 20 MB。"))
        return upload
