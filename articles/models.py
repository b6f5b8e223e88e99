"""Columns (栏目), articles, their images and attachments."""

import datetime
import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.files.storage import default_storage
from django.db import connection, models, router, transaction
from django.db.models import Count, F, Func, Lookup, Q, Subquery
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from qxs.newslinks import article_url_and_day, news_url_prefix
from qxs.prepared import PreparedQuery, select

from .images import (
    RENDITION_WIDTHS,
    make_renditions,
    rendition_name,
    validate_attachment_upload,
    validate_image_upload,
)
from .pictures import expand_library_pictures
from .sanitize import sanitize_html

logger = logging.getLogger(__name__)


class ListRow(NamedTuple):
    """What a list of articles shows of one (``includes/article_items.html``), as plain values."""

    pk: int
    url: str
    title: str
    day: str
    summary: str
    is_stub: bool
    column_name: str
    column_url: str


def list_rows(articles, *, column=False, summary=False):
    """``articles`` as ``ListRow``s: their links and days worked out here, with one look-up of
    the language, URL prefix and time zone for all of them, rather than by ``get_absolute_url()``
    and ``published_day`` in the template for each row (each reading them again).

    ``column`` and ``summary`` say whether the list shows them: only then are they read (a list
    of rows loaded without them would query each row for them). ``ListRow``s among ``articles``
    (a view that built them from its query's rows) are kept as they are.
    """
    prefix = news_url_prefix()
    zone = timezone.get_current_timezone()
    rows = []
    for article in articles:
        if type(article) is ListRow:  # worked out by the view already
            rows.append(article)
            continue
        published_at = article.published_at
        created_at = article.created_at if published_at is None else None
        url, day = article_url_and_day(article.pk, published_at, created_at, prefix, zone)
        if column:
            article_column = article.column
            column_name = article_column.name
            column_url = f"{prefix}column/{article_column.slug}/"
        else:
            column_name = column_url = ""
        rows.append(
            ListRow(
                article.pk,
                url,
                article.title,
                day,
                (article.summary or "") if summary else "",
                article.is_stub,
                column_name,
                column_url,
            )
        )
    return rows


class ArticleConflict(Exception):
    """Someone else saved the article since this copy was loaded: saving would overwrite them."""

    def __init__(self, article, expected_version):
        self.article = article
        self.expected_version = expected_version
        super().__init__(f"Article {article.pk} is no longer at version {expected_version}.")


class Column(models.Model):
    """A column (栏目) of the site, such as 工作动态 or 会议报道."""

    name = models.CharField(
        _("名称"), max_length=50, unique=True, help_text=_("栏目名称，例如“工作动态”。")
    )
    slug = models.SlugField(
        _("网址标识"),
        max_length=50,
        unique=True,
        help_text=_("用于网址，只用小写字母、数字和连字符。"),
    )
    description = models.TextField(_("说明"), blank=True, help_text=_("显示在栏目页顶部。"))
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
        # The URL of "articles:column" (tests compare the two).
        return f"{news_url_prefix()}column/{self.slug}/"


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
        # The related news reads the articles that came just before or after one, per tag.
        indexes = [
            models.Index(fields=["tag", "content_object"], name="tagged_article_tag_idx"),
        ]


def published_count(column_id=None, now=None):
    """``Article.objects.published(now).count()``, of one column or all, without counting them:
    the stored counts of 已发布 rows (``PublishedCount``) less those whose publication is still
    to come and those whose 定时下线 has passed (two short index ranges). One query, compiled
    once per process.
    """
    now = now or timezone.now()
    if column_id is None:
        (row,) = _PUBLISHED_COUNT.rows(now=now)
    else:
        (row,) = _COLUMN_PUBLISHED_COUNT.rows(now=now, column=column_id)
    stored, to_come, gone = (value or 0 for value in row)
    return stored - to_come - gone


def _published_count_query(now, column=None):
    stored = PublishedCount.objects.all()
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    if column is not None:
        stored = stored.filter(column_id=column)
        published = published.filter(column_id=column)
    return select(
        {
            "stored": _total(stored, "count"),
            "to_come": _total(published.filter(published_at__gt=now), "pk", "COUNT"),
            "gone": _total(published.filter(unpublish_at__lte=now), "pk", "COUNT"),
        }
    )


# Not prepared on PostgreSQL: planned without ``now``, ``published_at > now`` looks like a third
# of the table, and the generic plan counts it in 8 ms instead of 0.2 ms.
_PUBLISHED_COUNT = PreparedQuery(_published_count_query, ids=(), prepare=False)
_COLUMN_PUBLISHED_COUNT = PreparedQuery(_published_count_query, ids=("column",), prepare=False)


def _total(queryset, field, function="SUM"):
    """``SUM`` (or ``COUNT``) of ``field`` over ``queryset``, as a scalar subquery."""
    rows = queryset.order_by().annotate(total=Func(F(field), function=function))
    return Subquery(rows.values("total"), output_field=models.IntegerField())


def published_tag_count(tag_id, column_id=None, now=None):
    """``Article.objects.published(now).filter(tags=tag_id).count()``, of one column or all,
    from the stored counts (``PublishedTagCount``) less the tagged articles whose publication
    is still to come or whose 定时下线 has passed (the same two short index ranges as
    ``published_count()``, each probing the tagged rows by (article, tag)). One query.
    """
    now = now or timezone.now()
    if column_id is None:
        (row,) = _PUBLISHED_TAG_COUNT.rows(now=now, tag=tag_id)
    else:
        (row,) = _COLUMN_PUBLISHED_TAG_COUNT.rows(now=now, tag=tag_id, column=column_id)
    stored, to_come, gone = (value or 0 for value in row)
    return stored - to_come - gone


class EqualsAny(Lookup):
    """``lhs = ANY(rhs)`` (PostgreSQL), ``rhs`` an array: a filter by a list of values that the
    planner reads as an index condition, never as a join to hash. Used as an expression in
    ``filter()``, not registered on a field."""

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _published_tag_count_query(now, tag, column=None):
    stored = PublishedTagCount.objects.filter(tag_id=tag)
    tagged = TaggedArticle.objects.filter(
        tag_id=tag, content_object__status=Article.Status.PUBLISHED
    )
    if column is not None:
        stored = stored.filter(column_id=column)
        tagged = tagged.filter(content_object__column_id=column)
    if column is not None and connection.vendor == "postgresql":
        # One column's publications still to come (a short range of its index: 136 of 11,000
        # on qxs_bench), then their tagged rows by (tag, article): as a join, PostgreSQL hashed
        # all the tag's tagged rows instead (5,180; 1.9 against 0.8 ms). Over every column
        # (996 to come there) hashing them is the cheaper of the two, and stays.
        scheduled = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=now, column_id=column
        ).order_by()
        to_come = TaggedArticle.objects.filter(
            EqualsAny(F("content_object_id"), ArraySubquery(scheduled.values("pk"))), tag_id=tag
        )
    else:
        to_come = tagged.filter(content_object__published_at__gt=now)
    gone = tagged.filter(content_object__unpublish_at__lte=now)
    # The article's id rather than the tagged row's: both indexes of the tagged rows hold it,
    # (tag, article) and (article, tag), so neither range reads the tagged table itself.
    return select(
        {
            "stored": _total(stored, "count"),
            "to_come": _total(to_come, "content_object_id", "COUNT"),
            "gone": _total(gone, "content_object_id", "COUNT"),
        }
    )


# Not prepared on PostgreSQL, for the reason given at ``_PUBLISHED_COUNT``.
_PUBLISHED_TAG_COUNT = PreparedQuery(_published_tag_count_query, ids=("tag",), prepare=False)
_COLUMN_PUBLISHED_TAG_COUNT = PreparedQuery(
    _published_tag_count_query, ids=("tag", "column"), prepare=False
)


class ListedMonths:
    """How many articles each calendar month (UTC) lists now, newest month first: the stored
    month counts (``PublishedMonthCount``) less the articles not listed at that time (a
    publication still to come, a 定时下线 passed). Lets a deep page start at a month boundary
    instead of skipping tens of thousands of index entries (``seek``). Picklable (cached)."""

    def __init__(self, months):
        # ``[(first day of the month, articles listed in it)]``, newest first.
        self.months = tuple(months)
        self.count = sum(listed for _month, listed in self.months)

    def seek(self, offset):
        """``(condition, offset within it)``: the newest-first list from ``offset`` on is the list
        filtered by ``condition`` (``published_at`` before a month boundary B) from the returned
        offset on. B is the oldest month start with at most ``offset`` listed articles at or
        after it; ``None`` when ``offset`` falls in the newest month."""
        newer = 0
        found = None
        for month, listed in self.months:
            newer += listed  # listed articles with published_at >= the start of ``month``
            if newer > offset:
                break
            found = month, newer
        if found is None:
            return None
        month, newer = found
        start = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
        return Q(published_at__lt=start), offset - newer

    def __repr__(self):
        return f"ListedMonths({len(self.months)} months, {self.count} articles)"


def listed_months(now=None):
    """``ListedMonths`` at ``now``, in one statement: the stored month counts and, grouped by
    month, the 已发布 articles not listed at ``now`` (two short index ranges, as for
    ``published_count()``). Also the exact ``Article.objects.published(now).count()``."""
    now = now or timezone.now()
    months = {}
    for month, count in _LISTED_MONTHS.rows(now=now):
        if month is not None:  # a 已发布 article without a publication time is never listed
            months[month] = months.get(month, 0) + count
    return ListedMonths(sorted(months.items(), reverse=True))


def _listed_months_query(now):
    stored = PublishedMonthCount.objects.order_by().values_list("month", "count")
    published = Article.objects.filter(status=Article.Status.PUBLISHED).order_by()
    month = Cast(TruncMonth("published_at", tzinfo=datetime.UTC), models.DateField())

    def less(articles):
        # Minus the articles per month. Two ranges rather than one OR: the publications to come
        # are read from the (status, published_at) index alone, no row fetched; no article is
        # in both (the table's check: 下线时间 after 发布时间).
        return (
            articles.annotate(month=month)
            .values("month")
            .annotate(hidden=Count("pk") * -1)
            .values_list("month", "hidden")
        )

    to_come = less(published.filter(published_at__gt=now))
    gone = less(published.filter(unpublish_at__lte=now))
    return stored.union(to_come, gone, all=True)


# Not prepared on PostgreSQL, as ``_PUBLISHED_COUNT`` (its generic plan reads the future range
# as a third of the table).
_LISTED_MONTHS = PreparedQuery(_listed_months_query, ids=(), prepare=False)


# The times at which a published article changes what the public pages show.
SCHEDULED_FIELDS = ("published_at", "unpublish_at", "headline_until", "pinned_until")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one publication rule: published, the publication time has come, and the time to
        leave the site (定时下线) has not.

        A future ``published_at`` is a scheduled publication and a past ``unpublish_at`` a
        scheduled unpublication, both applied here at query time, so no cron job is needed.
        """
        now = now or timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def pinned(self, now=None):
        """Articles pinned to the top of their column now: public, ``pinned_until`` to come."""
        now = now or timezone.now()
        return self.published(now).filter(pinned_until__gt=now).order_by("-published_at", "-pk")

    def scheduled_times(self, now):
        """When what the public pages show next changes by time alone, as expressions
        (``{field: Subquery}``) for another statement's select list: the earliest scheduled
        publication, unpublication (定时下线), 头条 expiry and pin expiry still to come, each
        ``NULL`` when there is none.

        Caches keep nothing past the earliest (``qxs.cache.register_schedule``), so none of them
        needs a purge or a cron job. Each is the first entry past ``now`` of its own index.
        """
        published = self.filter(status=Article.Status.PUBLISHED)
        return {
            field: Subquery(
                published.filter(**{f"{field}__gt": now}).order_by(field).values(field)[:1]
            )
            for field in SCHEDULED_FIELDS
        }

    def next_change(self, now=None):
        """The earliest of ``scheduled_times()``, or ``None`` (one query)."""
        query = select(self.scheduled_times(now or timezone.now()))
        (times,) = query.get_compiler(self.db).results_iter()
        return min(filter(None, times), default=None)


class ArticleHistoricalRecords(HistoricalRecords):
    """Versions of articles, also when their agencies or pairs change from the other side.

    django-simple-history (3.13) records a many-to-many change as a version of the signal's
    ``instance``: for ``agency.articles.add(article)`` that is the agency, which has no
    history, and the add failed with an AttributeError. From that side, each article whose
    links changed gets the version instead.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        field = Article._meta.get_field(attr)
        links = field.remote_field.through._base_manager.filter(
            **{field.m2m_reverse_name(): instance.pk}
        )
        if action == "pre_clear":
            # Which articles a clear unlinks is known only before it.
            cleared = set(links.values_list(field.m2m_column_name(), flat=True))
            instance.__dict__.setdefault("_qxs_history_cleared", {})[attr] = cleared
            return
        if action == "post_clear":
            pk_set = instance.__dict__.get("_qxs_history_cleared", {}).pop(attr, set())
        elif action not in ("post_add", "post_remove"):
            return
        for article in Article.objects.filter(pk__in=pk_set or ()).order_by("pk"):
            self.create_historical_record(article, "~")


ARTICLE_HISTORY = ArticleHistoricalRecords(
    m2m_fields=["agencies", "pairs"],
    verbose_name=_("稿件历史版本"),
    verbose_name_plural=_("稿件历史版本"),
    user_related_name="+",
)


class Article(models.Model):
    """A news article."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")

    title = models.CharField(_("标题"), max_length=200, help_text=_("稿件标题，200 字以内。"))
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
    author = models.CharField(
        _("作者"), max_length=100, blank=True, help_text=_("署名作者，多人用空格分隔。")
    )
    responsible_editor = models.CharField(
        _("责任编辑"), max_length=50, blank=True, help_text=_("显示在文末的责任编辑姓名。")
    )
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
    published_date_only = models.BooleanField(
        _("发布时间仅有日期"),
        default=False,
        help_text=_("来源只给出了日期、没有具体时刻（导入时自动设置）；网站和订阅只显示日期。"),
    )
    unpublish_at = models.DateTimeField(
        _("下线时间"),
        null=True,
        blank=True,
        help_text=_("定时下线：到这个时间稿件自动从网站上消失（状态不变）。留空则一直显示。"),
    )
    featured = models.BooleanField(_("推荐"), default=False, help_text=_("在首页重点展示。"))
    headline_until = models.DateTimeField(
        _("头条截止时间"),
        null=True,
        blank=True,
        help_text=_(
            "在首页作为头条（带封面图）展示到这个时间，到时自动撤下。同一时间只能有一篇头条。"
            "留空则不是头条。"
        ),
    )
    pinned_until = models.DateTimeField(
        _("栏目置顶截止时间"),
        null=True,
        blank=True,
        help_text=_(
            "在所属栏目页的顶部置顶到这个时间，到时自动取消。每个栏目同时最多置顶三篇。"
            "留空则不置顶。"
        ),
    )
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
    # Every save (admin, services, management commands) keeps a version with who and when. The
    # admin saves the row and its relations first and records one version afterwards
    # (ArticleAdmin.save_related), so a version holds the agencies and pairs it was saved with.
    history = ARTICLE_HISTORY

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", _("可以审核稿件：发布、定时发布、撤回、退回和归档")),
        ]
        indexes = [
            # unpublish_at rides along (PostgreSQL INCLUDE), so the publication rule's 定时下线
            # test is read from the index: the news list's count stays an index-only scan
            # (58 ms -> 22 ms at 100,000 articles, cold).
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="article_status_pub_idx",
                include=["unpublish_at"],
            ),
            # The same for a column's list and count (the column page, ?column=): with
            # unpublish_at in the index they never read the table's rows.
            models.Index(
                fields=["column", "status", "-published_at", "-id"],
                name="article_column_pub_idx",
                include=["unpublish_at"],
            ),
            models.Index(fields=["source_url"], name="article_source_url_idx"),
            models.Index(fields=["status", "unpublish_at"], name="article_status_unpub_idx"),
            models.Index(fields=["headline_until"], name="article_headline_idx"),
            # A meeting's newest news (its page), read in order from the index.
            models.Index(
                fields=["meeting", "status", "-published_at", "-id"],
                name="article_meeting_pub_idx",
                include=["unpublish_at"],
                condition=Q(meeting__isnull=False),
            ),
            # The home page's 头条 and featured articles (about one in a hundred) are picked from
            # this index alone: it holds every column the query tests.
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="article_lead_idx",
                include=["unpublish_at", "headline_until", "featured", "is_stub"],
                condition=Q(headline_until__isnull=False) | Q(featured=True, is_stub=False),
            ),
            models.Index(fields=["pinned_until"], name="article_pinned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=F("published_at")),
                name="article_unpublish_after_publish",
                violation_error_message=_("下线时间必须晚于发布时间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store the sanitized body (library pictures written out with their renditions), and
        refuse to overwrite a newer version (optimistic lock).

        ``self.version`` is the version this copy was loaded at. The compare-and-increment is one
        ``UPDATE ... WHERE version = loaded`` inside the save's transaction, so of two concurrent
        saves of the same version exactly one wins; the other raises :class:`ArticleConflict`.
        """
        self.body = expand_library_pictures(sanitize_html(self.body))
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        loaded_version = self.version
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Article)):
            claimed = Article.objects.filter(pk=self.pk, version=loaded_version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise ArticleConflict(self, loaded_version)
            self.version = loaded_version + 1
            try:
                return super().save(*args, **kwargs)
            except BaseException:
                self.version = loaded_version
                raise

    def get_absolute_url(self):
        # The URL of "articles:detail" (tests compare the two), built without reverse().
        when = self.local_time
        return f"{news_url_prefix()}{when.year:04d}/{when.month:02d}/{self.pk}/"

    @property
    def local_time(self):
        """The publication time (or creation time) in the site's time zone."""
        return timezone.localtime(self.published_at or self.created_at or timezone.now())

    @property
    def published_iso(self):
        """``published_at`` for ``<time datetime>``: ISO 8601 in the site's time zone, or the
        date alone when the source gave no time of day."""
        if not self.published_at:
            return ""
        if self.published_date_only:
            return self.published_day
        return timezone.localtime(self.published_at).isoformat()

    @property
    def published_day(self):
        """``published_at`` as the lists show it: ``2004-09-22``."""
        return f"{timezone.localtime(self.published_at):%Y-%m-%d}" if self.published_at else ""

    @property
    def published_text(self):
        """``published_at`` as the article's page shows it: ``2004-09-22 10:30``, or the date
        alone when the source gave no time of day (never a made-up ``00:00``)."""
        if not self.published_at or self.published_date_only:
            return self.published_day
        return f"{timezone.localtime(self.published_at):%Y-%m-%d %H:%M}"

    @property
    def is_expired(self):
        """Published, but its time to leave the site (定时下线) has passed."""
        return (
            self.status == self.Status.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        """Published, but the publication time is still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


def record_article_version(article, *, created=False):
    """Write the history entry of a save made with ``article.skip_history_when_saving`` set.

    Used when the row is saved before its many-to-many relations (the admin, restoring a
    version), so that the entry holds the relations as they were saved.
    """
    if hasattr(article, "skip_history_when_saving"):
        del article.skip_history_when_saving
    ARTICLE_HISTORY.create_historical_record(article, "+" if created else "~")


class RelatedNews(models.Model):
    """One entry of an article's related-news box, stored in the order the box shows it.

    Computed by ``articles.related`` when the article, its tags, agencies or manual choices, or
    an article it could list change; never per request. Pages still read the entries through
    ``published()``, so an entry whose article was unpublished, or whose time has not come, is
    never shown.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="related_news"
    )
    related = models.ForeignKey(
        Article,
        verbose_name=_("相关稿件"),
        on_delete=models.CASCADE,
        related_name="listed_as_related",
    )
    position = models.PositiveSmallIntegerField(_("位置"))

    class Meta:
        verbose_name = _("相关新闻（自动）")
        verbose_name_plural = _("相关新闻（自动）")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="related_news_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "related"], name="related_news_unique"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id}"


class PublishedCount(models.Model):
    """How many articles of a column have the status 已发布, kept by the database itself.

    Triggers on the article table (migration 0012) add and subtract as rows are inserted,
    deleted or change status or column, whatever writes them (``save()``, ``QuerySet.update()``,
    ``bulk_create()``, SQL), in the same transaction. The news list's count reads these few
    rows instead of counting 100,000 index entries; what time alone changes (a publication still
    to come, a 定时下线 that has passed) is subtracted at query time: ``published_count()``.
    """

    column = models.OneToOneField(
        Column,
        verbose_name=_("栏目"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        help_text=_("计数所属的栏目。"),
    )
    count = models.IntegerField(
        _("已发布稿件数"), default=0, help_text=_("由数据库触发器维护，请勿手工修改。")
    )

    class Meta:
        verbose_name = _("已发布稿件计数")
        verbose_name_plural = _("已发布稿件计数")

    def __str__(self):
        return f"{self.column_id}: {self.count}"


class PublishedMonthCount(models.Model):
    """How many articles with the status 已发布 each calendar month (UTC) of ``published_at``
    holds, kept by the database itself as ``PublishedCount`` is (triggers of migration 0015 on
    insert, delete and changes of status or publication time).

    Deep pages of the news list start at a month boundary found from these counts
    (``ListedMonths``) instead of reading every index entry before the page.
    """

    month = models.DateField(
        _("月份"), primary_key=True, help_text=_("发布时间所在月份（UTC）的第一天。")
    )
    count = models.IntegerField(
        _("已发布稿件数"), default=0, help_text=_("由数据库触发器维护，请勿手工修改。")
    )

    class Meta:
        verbose_name = _("每月已发布稿件计数")
        verbose_name_plural = _("每月已发布稿件计数")

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.count}"


class PublishedTagCount(models.Model):
    """How many articles of a column with a tag have the status 已发布, kept by the database
    itself as ``PublishedCount`` is.

    Triggers of migration 0016 on the article table (insert, delete, a change of status or
    column) and on the tagged rows (insert, delete, a change of tag or article) add and
    subtract in the same transaction as the write. Each side counts only the rows the other
    holds at that moment, so an article deleted after its tagged rows (as Django does) or
    before them (SQL in one transaction) is subtracted once. The news list filtered by a tag
    reads these rows instead of counting thousands of tagged articles: ``published_tag_count()``.
    """

    column = models.ForeignKey(
        Column,
        verbose_name=_("栏目"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("计数所属的栏目。"),
    )
    tag = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("标签"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index leads with the tag
        help_text=_("计数所属的标签。"),
    )
    count = models.IntegerField(
        _("已发布稿件数"), default=0, help_text=_("由数据库触发器维护，请勿手工修改。")
    )

    class Meta:
        verbose_name = _("每个标签的已发布稿件计数")
        verbose_name_plural = _("每个标签的已发布稿件计数")
        # Tag first: a tag's count over every column reads the same index.
        constraints = [
            models.UniqueConstraint(fields=["tag", "column"], name="published_tag_count_unique"),
        ]

    def __str__(self):
        return f"{self.column_id}/{self.tag_id}: {self.count}"


class StatusChange(models.Model):
    """One move of an article through the workflow: who, when, from which status to which."""

    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="status_changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("操作时间"), default=timezone.now, db_index=True)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Article.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Article.Status.choices)
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("操作之后稿件的发布时间。")
    )
    comment = models.TextField(_("说明"), blank=True, help_text=_("例如退回修改的原因。"))
    word_check = models.TextField(
        _("错敏字检查"),
        blank=True,
        help_text=_("提交或发布时未改正的错敏字，以及操作人给出的理由。"),
    )

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "-created_at"], name="statuschange_article_idx"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Image(models.Model):
    """An uploaded picture with the alt text every reader needs."""

    file = models.ImageField(
        _("图片文件"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=_("JPEG、PNG、WebP 或 GIF。网站按需要生成 320、640、1280 像素宽的缩略图。"),
    )
    alt_text = models.CharField(
        _("替代文本"),
        max_length=200,
        help_text=_("为看不到图片的读者描述图片内容（必填）。"),
    )
    caption = models.CharField(
        _("图片说明"), max_length=300, blank=True, help_text=_("显示在图片下方的文字。")
    )
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.renditions_made = self.make_renditions()

    def make_renditions(self):
        """Write the narrower copies ``srcset`` names, if missing; False if one could not be.

        Called on every save: pages only derive the copies' URLs and never look at the storage,
        so a copy that could not be written is logged here, once, not on each request.
        """
        if not self.file:
            return True
        try:
            make_renditions(self)
        except OSError as error:
            logger.warning("Image %s: no renditions of %s: %s", self.pk, self.file.name, error)
            return False
        return True

    def rendition(self, width):
        """URL of the copy at most ``width`` pixels wide (written on save), or of the picture
        itself when it is no wider than ``width``."""
        if not self.file:
            return ""
        if not self.width or width >= self.width:
            return self.file.url
        return default_storage.url(rendition_name(self, width))

    @property
    def srcset(self):
        """A ``srcset`` value over the standard widths, for ``<img srcset sizes>``."""
        if not self.file:
            return ""
        candidates = [
            f"{default_storage.url(rendition_name(self, w))} {w}w"
            for w in RENDITION_WIDTHS
            if w < self.width
        ]
        candidates.append(f"{self.file.url} {self.width}w")
        return ", ".join(candidates)


class Attachment(models.Model):
    """A file attached to an article (PDF, Office documents)."""

    article = models.ForeignKey(
        Article, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("标题"), max_length=200, help_text=_("读者看到的附件名称。"))
    file = models.FileField(
        _("文件"),
        upload_to="attachments/%Y/%m/",
        validators=[validate_attachment_upload],
        help_text=_("PDF、Word、Excel、PowerPoint、WPS 或 OpenDocument 文件，最大 50 MB。"),
    )
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的附件排在前面。")
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["article", "order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)


# -- The newsroom: pending revisions, notifications, the 错敏字 lists ---------------------------


class PendingRevision(models.Model):
    """A new text of an article that is not a draft, waiting for a chief editor's decision.

    An import never overwrites the live text of an article in review, published or archived: it
    leaves its text here. A member of 审核 compares it with the live text and accepts it (the
    text becomes a new version of the article) or rejects it (the article stays as it is).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采用")
        REJECTED = "rejected", _("已拒绝")

    article = models.ForeignKey(
        Article,
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="pending_revisions",
    )
    state = models.CharField(
        _("处理状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("摘要"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    responsible_editor = models.CharField(_("责任编辑"), max_length=50, blank=True)
    source_url = models.CharField(_("导入来源"), max_length=500, blank=True)
    meeting = models.ForeignKey(
        "partnerships.Meeting",
        verbose_name=_("相关会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agencies = models.ManyToManyField(
        "partnerships.Agency", verbose_name=_("涉及机构"), blank=True, related_name="+"
    )
    pairs = models.ManyToManyField(
        "partnerships.HelpingPair", verbose_name=_("涉及帮扶对子"), blank=True, related_name="+"
    )
    related = models.ManyToManyField(
        Article, verbose_name=_("相关新闻"), blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(
        _("处理说明"), blank=True, help_text=_("采用或拒绝的理由，会通知提交人。")
    )

    class Meta:
        verbose_name = _("待审修订")
        verbose_name_plural = _("待审修订")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="pendingrevision_state_idx"),
        ]

    def __str__(self):
        return _("《%(title)s》的修订") % {"title": self.title}


class Notification(models.Model):
    """What a person was told about an article (also sent by mail); the desk lists the last 20."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交审核")
        RETURNED = "returned", _("退回修改")
        PUBLISHED = "published", _("已发布")
        REVISION = "revision", _("待审修订")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="qxs_notifications",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("标题"), max_length=255)
    message = models.TextField(_("内容"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
        ]

    def __str__(self):
        return self.subject


class WrongWord(models.Model):
    """A common wrong word (错别字) and its correction, for the check before publishing."""

    wrong = models.CharField(_("错误写法"), max_length=50, unique=True, help_text=_("例如“既使”。"))
    correct = models.CharField(
        _("正确写法"), max_length=50, help_text=_("例如“即使”，检查结果中作为修改建议显示。")
    )
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("出处或用法说明，只在后台显示。")
    )
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的词不再检查。"))

    class Meta:
        verbose_name = _("错别字")
        verbose_name_plural = _("错别字")
        ordering = ["wrong"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(wrong=F("correct")), name="wrongword_differs_from_correction"
            ),
        ]

    def __str__(self):
        return f"{self.wrong} → {self.correct}"


class ForbiddenWord(models.Model):
    """A word that must not appear in a published article (敏感词)."""

    word = models.CharField(_("词语"), max_length=50, unique=True)
    suggestion = models.CharField(
        _("建议"), max_length=100, blank=True, help_text=_("可以替换的写法，没有可留空。")
    )
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("为什么不能用，只在后台显示。")
    )
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的词不再检查。"))

    class Meta:
        verbose_name = _("禁用词")
        verbose_name_plural = _("禁用词")
        ordering = ["word"]

    def __str__(self):
        return self.word
