"""The bureau's record of who pairs with whom, what they agreed, and whether they kept it."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Provinces of the northeast (东北): 辽宁 21, 吉林 22, 黑龙江 23 (GB/T 2260 first two digits).
NORTHEAST_PROVINCE_PREFIXES = ("21", "22", "23")


class Division(models.Model):
    """An administrative division (行政区划) with its GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        help_text=_("GB/T 2260 六位行政区划代码，例如 230200（齐齐哈尔市）。"),
    )
    name = models.CharField(
        _("名称"),
        max_length=50,
        help_text=_("按报道原文书写的名称，例如“凤城县”。"),
    )
    current_name = models.CharField(
        _("现名"),
        max_length=50,
        blank=True,
        help_text=_("如今的名称与原文不同时填写，例如凤城县今为凤城市。"),
    )
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("省级区划不填。"),
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("政府驻地纬度（度，北纬为正）。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("政府驻地经度（度，东经为正）。"),
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), name="division_code_six_digits"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="division_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="division_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:region-detail", kwargs={"code": self.code})

    @property
    def province_code(self):
        return f"{self.code[:2]}0000"

    @property
    def is_northeast(self):
        """Whether the division lies in a northeast province (follows from the province code)."""
        return self.code[:2] in NORTHEAST_PROVINCE_PREFIXES


class Honour(models.Model):
    """A title an agency was awarded, such as 全国质量兴市先进市县."""

    name = models.CharField(_("称号"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A government, bureau or department that takes part in meetings and pairs."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        BUREAU = "bureau", _("质量技术监督局")
        ADMINISTRATION = "administration", _("国家行政机关")
        DEPARTMENT = "department", _("司局/部门")

    name = models.CharField(
        _("全称"),
        max_length=100,
        unique=True,
        help_text=_("机构全称，例如“常熟市质量技术监督局”。"),
    )
    short_name = models.CharField(
        _("简称"),
        max_length=50,
        blank=True,
        help_text=_("新闻中常用的简称，例如“常熟市技监局”。"),
    )
    aliases = models.TextField(
        _("别名"),
        blank=True,
        help_text=_("用于在稿件中识别该机构的其他写法，每行一个。"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    division = models.ForeignKey(
        Division,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    honours = models.ManyToManyField(
        Honour, verbose_name=_("荣誉称号"), blank=True, related_name="agencies"
    )
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["division__code", "name"]
        indexes = [models.Index(fields=["kind"], name="agency_kind_idx")]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("partnerships:agency-detail", kwargs={"pk": self.pk})

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Meeting(models.Model):
    """A meeting such as the 2004 Qiqihar symposium, with its participants."""

    title = models.CharField(_("会议名称"), max_length=200)
    slug = models.SlugField(_("网址标识"), max_length=100, unique=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    venue = models.ForeignKey(
        Division,
        verbose_name=_("会议地点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
    )
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_organised",
    )
    regions = models.ManyToManyField(
        Division,
        verbose_name=_("出席省份"),
        blank=True,
        related_name="meetings_attended",
        help_text=_("派员出席会议的省份。"),
    )
    summary = models.TextField(_("会议概要"), blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:meeting-detail", kwargs={"slug": self.slug})


class MeetingParticipant(models.Model):
    """An agency at a meeting, in a role, optionally with the person who spoke for it."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("主办")
        EXPERIENCE = "experience", _("经验介绍")
        LOCAL_SITUATION = "local_situation", _("情况介绍")
        ATTENDEE = "attendee", _("出席")
        CLOSING = "closing", _("会议总结")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    person = models.CharField(_("人员"), max_length=50, blank=True)
    person_title = models.CharField(_("职务"), max_length=100, blank=True)
    remarks = models.TextField(_("发言/介绍"), blank=True, help_text=_("发言或介绍的内容摘要。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("参会机构")
        verbose_name_plural = _("参会机构")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency", "role"], name="participant_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.agency} ({self.get_role_display()})"


class HelpingPair(models.Model):
    """A 帮扶对子: a helper agency (usually coastal) and the agency it helps."""

    helper = models.ForeignKey(
        Agency, verbose_name=_("帮扶方"), on_delete=models.PROTECT, related_name="pairs_as_helper"
    )
    helped = models.ForeignKey(
        Agency, verbose_name=_("受帮扶方"), on_delete=models.PROTECT, related_name="pairs_as_helped"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("结对会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
    )
    formed_on = models.DateField(_("结对日期"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("在报道中的先后次序。")
    )

    class Meta:
        verbose_name = _("帮扶对子")
        verbose_name_plural = _("帮扶对子")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(helper=F("helped")), name="pair_not_with_itself"),
            # One pair per two agencies, whichever side each is on.
            models.UniqueConstraint(
                Least("helper", "helped"), Greatest("helper", "helped"), name="pair_unique"
            ),
        ]

    def __str__(self):
        return f"{self.helper} — {self.helped}"

    def get_absolute_url(self):
        return reverse("partnerships:pair-detail", kwargs={"pk": self.pk})


class CooperationAgreement(models.Model):
    """An agreement a pair signed, such as the 质量兴市合作交流协议."""

    pair = models.ForeignKey(
        HelpingPair, verbose_name=_("帮扶对子"), on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("协议名称"), max_length=200)
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ["pair", "signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "title"], name="agreement_unique_title"),
        ]

    def __str__(self):
        return self.title


class AgreementClause(models.Model):
    """One term of an agreement; some carry a yearly target (e.g. 1 to 2 projects a year)."""

    agreement = models.ForeignKey(
        CooperationAgreement,
        verbose_name=_("协议"),
        on_delete=models.CASCADE,
        related_name="clauses",
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.TextField(_("条款内容"))
    target_kind = models.CharField(
        _("考核的活动类型"),
        max_length=20,
        blank=True,
        help_text=_("有年度目标时，计入目标的合作活动类型。"),
    )
    target_min = models.PositiveSmallIntegerField(
        _("每年至少"), null=True, blank=True, help_text=_("年度目标下限（项）。")
    )
    target_max = models.PositiveSmallIntegerField(
        _("每年至多"), null=True, blank=True, help_text=_("年度目标上限（项）。")
    )

    class Meta:
        verbose_name = _("协议条款")
        verbose_name_plural = _("协议条款")
        ordering = ["agreement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_min__isnull=True)
                | Q(target_max__isnull=True)
                | Q(target_min__lte=F("target_max")),
                name="clause_target_min_not_above_max",
            ),
            models.UniqueConstraint(fields=["agreement", "order"], name="clause_unique_order"),
        ]

    def __str__(self):
        return self.text[:40]


class CooperationActivity(models.Model):
    """Something a pair did under its agreement: a visit, a bulletin, a joint project..."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("考察访问")
        BULLETIN = "bulletin", _("信息通报")
        PROJECT = "project", _("合作项目")
        ANTI_COUNTERFEIT = "anti_counterfeit", _("联合打假")
        EXCHANGE = "exchange", _("交流学习")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    pair = models.ForeignKey(
        HelpingPair, verbose_name=_("帮扶对子"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    date = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DONE)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("相关稿件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )

    class Meta:
        verbose_name = _("合作活动")
        verbose_name_plural = _("合作活动")
        ordering = ["pair", "date", "pk"]
        indexes = [models.Index(fields=["pair", "date"], name="activity_pair_date_idx")]

    def __str__(self):
        return self.title
