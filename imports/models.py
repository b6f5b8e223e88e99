"""What the importer remembers about each page it imported, so a second import changes nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """One imported page: where it came from, a fingerprint of its text, and its article.

    The fingerprint is taken over the normalised text (see ``imports.extract``), not the bytes, so
    the same page re-encoded or re-wrapped is recognised as unchanged.
    """

    source = models.CharField(
        _("来源文件或网址"),
        max_length=500,
        unique=True,
        help_text=_("导入时的文件名（文件夹内为相对路径）或网页声明的原网址。"),
    )
    fingerprint = models.CharField(
        _("文本指纹"),
        max_length=64,
        db_index=True,
        help_text=_("规范化正文的 SHA-256；文字不变，重新编码或换行都不改变它。"),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="import_records",
        help_text=_("由该网页生成的稿件。"),
    )
    encoding = models.CharField(
        _("编码"), max_length=20, blank=True, help_text=_("识别出的文件编码，例如 UTF-8、GBK。")
    )
    created_at = models.DateTimeField(_("首次导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网页导入记录")
        verbose_name_plural = _("网页导入记录")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.source
