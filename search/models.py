"""The search index, the editors' synonym table and the query log."""

import re

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import normalize

SYNONYM_SEPARATORS = re.compile(r"[\n,，、;；]+")


class ArticleSearchDocument(models.Model):
    """One article's normalised text and search vector, kept current on every save.

    The index holds every article whatever its status; the publication rule is applied when
    searching, by joining ``Article.objects.published()``, so a scheduled article appears on time
    without reindexing.
    """

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField(
        _("规范化标题"), blank=True, help_text=_("转为简体、半角和小写后的标题，自动生成。")
    )
    summary = models.TextField(
        _("规范化摘要和标签"), blank=True, help_text=_("规范化后的摘要和标签，自动生成。")
    )
    body = models.TextField(
        _("规范化正文"), blank=True, help_text=_("去掉排版标记并规范化后的正文，自动生成。")
    )
    vector = SearchVectorField(
        _("检索向量"),
        null=True,
        editable=False,
        help_text=_("PostgreSQL 上的全文检索向量（二元切分），自动生成。"),
    )
    updated_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引")
        verbose_name_plural = _("搜索索引")

    def __str__(self):
        return self.title


class SearchSynonym(models.Model):
    """A group of words that mean the same to a reader, such as 技监局 and 质量技术监督局.

    A query containing any of them also finds the others. Agencies' full names, short names and
    aliases are used the same way without being entered here.
    """

    terms = models.TextField(
        _("同义词"),
        help_text=_(
            "意思相同的几种写法，每行一个（也可用逗号或顿号分隔），例如“技监局”和“质量技术监督局”。"
        ),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["pk"]

    def __str__(self):
        return " = ".join(self.term_list)

    @property
    def term_list(self):
        return [term.strip() for term in SYNONYM_SEPARATORS.split(self.terms) if term.strip()]


class SearchQueryLog(models.Model):
    """One search as a reader typed it, with how many published articles it found.

    Raw rows are kept for ``QXS_SEARCH_LOG_DAYS`` days (and at most ``QXS_SEARCH_LOG_MAX_ROWS``
    rows), then folded into ``SearchDailyCount`` (search/logfold.py).
    """

    term = models.CharField(_("搜索词"), max_length=200, help_text=_("读者输入的搜索词。"))
    normalized = models.CharField(
        _("规范化搜索词"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("转为简体、半角和小写后的搜索词，按它汇总每日次数；自动生成。"),
    )
    result_count = models.PositiveIntegerField(
        _("结果数"), help_text=_("找到的已发布稿件数；为 0 时可考虑添加同义词。")
    )
    took_ms = models.PositiveIntegerField(_("耗时（毫秒）"), help_text=_("查询数据库所用的时间。"))
    created_at = models.DateTimeField(_("搜索时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["term"], name="search_log_term_idx")]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.normalized = normalize(self.term)
        super().save(*args, **kwargs)


class SearchDailyCount(models.Model):
    """How often a normalised query was searched on one day (Beijing time): the folded query log.

    Under a flood of distinct queries only the day's most searched ``QXS_SEARCH_LOG_DAILY_TERMS``
    keep a row of their own per fold; the rest are added up under an empty term.
    """

    day = models.DateField(_("日期"), help_text=_("搜索的日期（北京时间）。"))
    term = models.CharField(
        _("搜索词"),
        max_length=200,
        blank=True,
        help_text=_("规范化后的搜索词；为空的一行是当天其余零散搜索的合计。"),
    )
    searches = models.PositiveIntegerField(_("次数"), help_text=_("当天搜索的次数。"))
    zero_result_searches = models.PositiveIntegerField(
        _("无结果次数"), help_text=_("其中没有找到已发布稿件的次数。")
    )

    class Meta:
        verbose_name = _("每日搜索次数")
        verbose_name_plural = _("每日搜索次数")
        ordering = ["-day", "-searches", "term"]
        constraints = [
            models.UniqueConstraint(fields=["day", "term"], name="search_daily_day_term_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.term or '…'} ×{self.searches}"


def promotion_key(text):
    """How a query is matched to promotions: normalized (full-width, case), spaces dropped."""
    return "".join(normalize(text).split())


class SearchPromotion(models.Model):
    """推荐结果: articles or pages staff put above the results of a query and its synonyms."""

    query = models.CharField(
        _("搜索词"),
        max_length=100,
        help_text=_("读者输入这个词（或下面的同义写法）时显示推荐结果。"),
    )
    synonyms = models.TextField(
        _("同义写法"),
        blank=True,
        help_text=_("也显示推荐结果的其他写法，每行一个（也可用逗号或顿号分隔）。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    # "|key|key|...|" of the query and its synonyms, matched with one LIKE (filled on save).
    keys = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("推荐结果")
        verbose_name_plural = _("推荐结果")
        ordering = ["query", "pk"]

    def __str__(self):
        return self.query

    def save(self, *args, **kwargs):
        terms = [self.query, *SYNONYM_SEPARATORS.split(self.synonyms)]
        keys = [key for key in dict.fromkeys(promotion_key(term) for term in terms) if key]
        self.keys = "|" + "|".join(keys) + "|" if keys else ""
        super().save(*args, **kwargs)


class PromotedItem(models.Model):
    """One promoted result: a published article, or any page given by its address and title."""

    promotion = models.ForeignKey(
        SearchPromotion, on_delete=models.CASCADE, related_name="items", verbose_name=_("推荐结果")
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("推荐一篇稿件（未发布或已下线的稿件不显示）；或者填写下面的网址和标题。"),
    )
    url = models.CharField(
        _("网址"),
        max_length=300,
        blank=True,
        help_text=_("本站页面的地址，以 / 开头（例如从浏览器地址栏复制专题页的地址，去掉域名）。"),
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("位置"), default=0)

    class Meta:
        verbose_name = _("推荐项")
        verbose_name_plural = _("推荐项")
        ordering = ["promotion", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(article__isnull=False) & models.Q(url=""))
                | (models.Q(article__isnull=True) & ~models.Q(url="") & ~models.Q(title="")),
                name="promoted_item_article_or_page",
                violation_error_message=_("请选择一篇稿件，或者同时填写网址和标题（二者选一）。"),
            ),
        ]

    def __str__(self):
        return self.title or str(self.article)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.url and not self.url.startswith("/"):
            raise ValidationError({"url": _("请填写本站页面的地址，以 / 开头。")})
