"""Columns (栏目), articles, their images and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Column(models.Model):
    """A column (栏目) of the site, such as 工作动态 or 会议报道."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(
        _("网址标识"),
        max_length=50,
        unique=True,
        help_text=_("用于网址，只用小写字母、数字和连字符。"),
    )
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的栏目排在前面。")
    )

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:column", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """Tags on articles through a real foreign key (taggit's custom tagging)."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("稿件标签")
        verbose_name_plural = _("稿件标签")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one publication rule: published, and the publication time has come.

        A future ``published_at`` is a scheduled publication, applied here at query time, so no
        cron job is needed.
        """
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)


class Article(models.Model):
    """A news article."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")

    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(
        _("摘要"), blank=True, help_text=_("列表和搜索结果中显示的一两句话。")
    )
    body = models.TextField(
        _("正文"), blank=True, help_text=_("保存时按白名单清理，脚本和样式不会出现在页面上。")
    )
    column = models.ForeignKey(
        Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(
        verbose_name=_("标签"), through=TaggedArticle, blank=True, help_text=_("用逗号分隔。")
    )
    source = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("稿件来源，例如“国家质检总局”。")
    )
    author = models.CharField(_("作者"), max_length=100, blank=True)
    responsible_editor = models.CharField(_("责任编辑"), max_length=50, blank=True)
    cover_image = models.ForeignKey(
        "Image",
        verbose_name=_("封面图片"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        help_text=_("未来的时间即为定时发布，到时自动出现在网站上。"),
    )
    featured = models.BooleanField(_("推荐"), default=False, help_text=_("在首页重点展示。"))
    meeting = models.ForeignKey(
        "partnerships.Meeting",
        verbose_name=_("相关会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    agencies = models.ManyToManyField(
        "partnerships.Agency",
        verbose_name=_("涉及机构"),
        blank=True,
        related_name="articles",
    )
    pairs = models.ManyToManyField(
        "partnerships.HelpingPair",
        verbose_name=_("涉及帮扶对子"),
        blank=True,
        related_name="articles",
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("相关新闻"),
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text=_("手动指定的相关新闻，排在自动推荐之前。"),
    )
    is_stub = models.BooleanField(
        _("仅有标题"),
        default=False,
        help_text=_("导入时只知道标题和日期的稿件（来自相关新闻列表）。"),
    )
    source_url = models.CharField(
        _("导入来源"),
        max_length=500,
        blank=True,
        help_text=_("导入时的文件名或原网址。"),
    )
    version = models.PositiveIntegerField(
        _("版本"), default=1, editable=False, help_text=_("每次保存加一，用于防止覆盖他人的修改。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
            models.Index(
                fields=["column", "status", "-published_at", "-id"], name="article_column_pub_idx"
            ),
            models.Index(fields=["source_url"], name="article_source_url_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": when.year, "month": f"{when.month:02d}", "pk": self.pk},
        )


class Image(models.Model):
    """An uploaded picture with the alt text every reader needs."""

    file = models.ImageField(
        _("图片文件"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    alt_text = models.CharField(
        _("替代文本"),
        max_length=200,
        help_text=_("为看不到图片的读者描述图片内容（必填）。"),
    )
    caption = models.CharField(_("图片说明"), max_length=300, blank=True)
    width = models.PositiveIntegerField(_("宽度"), editable=False, default=0)
    height = models.PositiveIntegerField(_("高度"), editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.alt_text


class Attachment(models.Model):
    """A file attached to an article (PDF, Office documents)."""

    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["article", "order", "pk"]

    def __str__(self):
        return self.title
