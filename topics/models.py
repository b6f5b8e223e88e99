"""专题 (topics): a page gathering the news of one subject, in ordered sections.

Each section lists articles an editor chose, in their order, and may also collect the newest
public articles with a tag. Only public articles show (``ArticleQuerySet.published()``), so a
topic never leaks a draft or an article that left the site.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Image


class TopicQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def current(self):
        """The topics the home page shows."""
        return self.public().filter(on_home=True)


class Topic(models.Model):
    """A 专题 such as 东北老工业基地质量兴市."""

    title = models.CharField(_("标题"), max_length=100, help_text=_("专题名称，100 字以内。"))
    slug = models.SlugField(
        _("网址名"),
        max_length=100,
        unique=True,
        help_text=_("专题网址的一部分，只用小写字母、数字和连字符，例如 northeast-quality。"),
    )
    banner = models.ForeignKey(
        Image,
        verbose_name=_("横幅图片"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("专题页顶部的横幅；图片的替代文字在图片库中填写，必填。"),
    )
    introduction = models.TextField(
        _("导语"), help_text=_("专题页顶部的介绍，也用作页面摘要（纯文本，空行分段）。")
    )
    meeting = models.ForeignKey(
        "partnerships.Meeting",
        verbose_name=_("相关会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("选了会议，专题页会列出这次会议结成的帮扶对子。"),
    )
    is_public = models.BooleanField(
        _("公开"), default=False, help_text=_("勾选后专题页出现在网站上。")
    )
    on_home = models.BooleanField(
        _("首页展示"), default=False, help_text=_("当前专题：公开的专题勾选后显示在首页。")
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面（首页和专题列表）。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")
        ordering = ["order", "-created_at", "pk"]
        indexes = [models.Index(fields=["is_public", "order"], name="topic_public_order_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})


class TopicSection(models.Model):
    """One section of a topic: articles chosen by hand, then (optionally) by tag."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("栏目名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("按标签自动收录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("选了标签，带这个标签的最新稿件会排在手选稿件之后自动列出。"),
    )
    tag_limit = models.PositiveSmallIntegerField(
        _("自动收录篇数"), default=10, help_text=_("按标签自动列出的最多篇数（1–50）。")
    )
    articles = models.ManyToManyField(
        Article,
        verbose_name=_("手选稿件"),
        through="TopicEntry",
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("专题栏目")
        verbose_name_plural = _("专题栏目")
        ordering = ["topic", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tag_limit__gte=1, tag_limit__lte=50),
                name="topic_section_tag_limit_range",
            ),
        ]

    def __str__(self):
        return f"{self.topic} · {self.title}"


class TopicEntry(models.Model):
    """An article chosen for a section, at a position."""

    section = models.ForeignKey(
        TopicSection, verbose_name=_("专题栏目"), on_delete=models.CASCADE, related_name="entries"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("位置"), default=0)

    class Meta:
        verbose_name = _("专题稿件")
        verbose_name_plural = _("专题稿件")
        ordering = ["section", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "article"], name="topic_entry_unique_article"
            ),
        ]

    def __str__(self):
        return str(self.article)
