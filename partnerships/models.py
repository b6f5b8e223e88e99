"""The bureau's record of who pairs with whom, what they agreed, and whether they kept it."""

import functools
from dataclasses import dataclass
from urllib.parse import quote

from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear, Greatest, Least
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# Provinces of the northeast (东北): 辽宁 21, 吉林 22, 黑龙江 23 (GB/T 2260 first two digits).
NORTHEAST_PROVINCE_PREFIXES = ("21", "22", "23")

# Stands for the argument in a URL reversed once (any of int, slug and str accepts it).
_ARGUMENT = "98765"
# What reverse() leaves unquoted in an argument.
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def detail_url(name, value):
    """``reverse(name, args=[value])`` for a detail page whose one argument ends its URL.

    The URL around the argument is worked out once per language and URL configuration: the
    partnership pages link every pair, agency and place they list, which ``reverse()`` would
    cost fifty times a page. The argument is quoted as ``reverse()`` quotes it.
    """
    before, after = _url_around_argument(name, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{quote(str(value), safe=_SAFE)}{after}"


def detail_urls(name):
    """``detail_url(name, value)`` as a function of ``value``, for a page that links many rows:
    the language, script prefix and URL configuration are read once, not for every link."""
    before, after = _url_around_argument(name, get_language(), get_script_prefix(), get_urlconf())
    return lambda value: f"{before}{quote(str(value), safe=_SAFE)}{after}"


def place_name(name, current_name):
    """``Division.display_name`` of a division's ``name`` and ``current_name``."""
    if current_name and current_name != name:
        return _("%(name)s（今%(current)s）") % {"name": name, "current": current_name}
    return name


class PairSide:
    """One side of a pair as the pair tables show it: the agency's link and name, and its place's
    link and name (``place_url`` empty when the agency has no place)."""

    __slots__ = ("name", "place", "place_url", "url")

    def __init__(self, url, name, place_url="", place=""):
        self.url, self.name, self.place_url, self.place = url, name, place_url, place


def link_pairs(pairs):
    """Set ``url`` on each pair, on its two agencies and on their divisions (loaded with them, as
    ``with_places()`` does), and what the pair tables print as plain values: ``label`` (its
    ``number_label``), ``helper_side`` and ``helped_side`` (:class:`PairSide`). Returns the
    pairs."""
    pair_url = detail_urls("partnerships:pair-detail")
    agency_url = detail_urls("partnerships:agency-detail")
    region_url = detail_urls("partnerships:region-detail")
    label = gettext("第 %(number)s 对")
    places = {}
    for pair in pairs:
        pair.url = pair_url(pair.pk)
        pair.label = label % {"number": pair.order}
        sides = []
        for agency, written_as in (
            (pair.helper, pair.helper_written_as),
            (pair.helped, pair.helped_written_as),
        ):
            agency.url = agency_url(agency.pk)
            side = PairSide(agency.url, written_as or agency.name)
            division = agency.division
            if division is not None:
                division.url = region_url(division.code)
                place = places.get(division.pk)
                if place is None:
                    place = places[division.pk] = division.display_name
                side.place_url, side.place = division.url, place
            sides.append(side)
        pair.helper_side, pair.helped_side = sides
    return pairs


@functools.lru_cache(maxsize=64)
def _url_around_argument(name, language, script_prefix, urlconf):
    before, _argument, after = reverse(name, args=[_ARGUMENT], urlconf=urlconf).rpartition(
        _ARGUMENT
    )
    return before, after


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
        help_text=_(
            "正式名称；报道原文用的是旧称时按原文书写，例如“凤城县”（简称如“延边自治州”不算旧称）。"
        ),
    )
    current_name = models.CharField(
        _("现名"),
        max_length=50,
        blank=True,
        help_text=_("如今的名称与上面的名称不同时填写，例如凤城县今为凤城市。"),
    )
    note = models.TextField(
        _("沿革说明"),
        blank=True,
        help_text=_("区划变更等需要向读者说明的情况，例如撤县设市、合并、析出。"),
    )
    level = models.CharField(
        _("级别"), max_length=12, choices=Level.choices, help_text=_("省级、地级或县级。")
    )
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
        return detail_url("partnerships:region-detail", self.code)

    @property
    def display_name(self):
        """The name with today's name in brackets when it changed: 凤城县（今凤城市）."""
        return place_name(self.name, self.current_name)

    @property
    def province_code(self):
        return f"{self.code[:2]}0000"

    @property
    def is_northeast(self):
        """Whether the division lies in a northeast province (follows from the province code)."""
        return self.code[:2] in NORTHEAST_PROVINCE_PREFIXES


class Honour(models.Model):
    """A title an agency was awarded, such as 全国质量兴市先进市县."""

    name = models.CharField(
        _("称号"), max_length=100, unique=True, help_text=_("例如“全国质量兴市先进市县”。")
    )

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
    written_as = models.CharField(
        _("原文写法"),
        max_length=100,
        blank=True,
        help_text=_("首次出现时报道原文的写法，例如“江苏省常熟市技监局”，照录不改。"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("政府、技监局、国家机关或其司局。"),
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("机构所在的行政区划；国家机关不填。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("例如质检总局质量司的上级机构是国家质检总局。"),
    )
    honours = models.ManyToManyField(
        Honour,
        verbose_name=_("荣誉称号"),
        blank=True,
        related_name="agencies",
        help_text=_("机构（或其所在市县）获得的称号。"),
    )
    description = models.TextField(_("简介"), blank=True, help_text=_("显示在机构页面上。"))

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["division__code", "name"]
        indexes = [models.Index(fields=["kind"], name="agency_kind_idx")]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return detail_url("partnerships:agency-detail", self.pk)

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def names(self):
        """Every way the agency is written: full name, short name, original wording, aliases."""
        names = [self.name, self.short_name, self.written_as, *self.alias_list]
        return list(dict.fromkeys(name for name in names if name))


class ActivityKind(models.TextChoices):
    """What a pair can do under its agreement (also the kind a clause's yearly target counts)."""

    VISIT = "visit", _("考察访问")
    BULLETIN = "bulletin", _("信息通报")
    PROJECT = "project", _("合作项目")
    ANTI_COUNTERFEIT = "anti_counterfeit", _("联合打假")
    EXCHANGE = "exchange", _("交流学习")


@dataclass(frozen=True)
class YearTarget:
    """One pair's record against one yearly target in one year ("2005: 1 项, 目标 1–2, 达标")."""

    year: int
    clause: "AgreementClause"
    count: int
    #: The year the pair was formed, when it was formed after 1 January: a part of a year is
    #: not held to a yearly target.
    partial: bool = False

    @property
    def kind_label(self):
        return ActivityKind(self.clause.target_kind).label

    @property
    def status(self):
        """ "partial" (结对当年, not judged), "below", "met" or "above" (more than the target's
        maximum, which still meets it)."""
        if self.partial:
            return "partial"
        if self.clause.target_min is not None and self.count < self.clause.target_min:
            return "below"
        if self.clause.target_max is not None and self.count > self.clause.target_max:
            return "above"
        return "met"

    @property
    def met(self):
        """Whether the target was met; ``None`` for a partial first year, which is not judged."""
        return None if self.partial else self.status != "below"

    @property
    def target_label(self):
        low, high = self.clause.target_min, self.clause.target_max
        if low is not None and high is not None:
            return f"{low}–{high}" if low != high else str(low)
        return f"≥{low}" if low is not None else f"≤{high}"


def attach_target_years(pairs, until=None):
    """Set ``pair.target_years`` (a list of YearTarget) on each of ``pairs``, in two queries.

    The years run from the year the pair was formed to the last year with any recorded activity
    of that pair (or ``until``). Only completed activities of the clause's kind count.
    """
    pairs = list(pairs)
    if not pairs:
        return pairs
    ids = [pair.pk for pair in pairs]
    clauses = {}
    target_clauses = (
        AgreementClause.objects.filter(agreement__pair__in=ids)
        .filter(Q(target_min__isnull=False) | Q(target_max__isnull=False))
        .select_related("agreement")
        .order_by("agreement__pair", "agreement", "order", "pk")
    )
    for clause in target_clauses:
        clauses.setdefault(clause.agreement.pair_id, []).append(clause)
    rows = (
        CooperationActivity.objects.filter(pair__in=ids)
        .annotate(year=ExtractYear("date"))
        .values("pair_id", "kind", "status", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _attach_target_years(pairs, clauses, rows, until)


def attach_loaded_target_years(pair, agreements, until=None):
    """``attach_target_years([pair])`` from what its page has loaded already, with no query:
    its ``agreements`` with their ``clause_list``, and ``pair.loaded_activities``."""
    clauses = [
        clause
        for agreement in agreements
        for clause in agreement.clause_list
        if clause.target_min is not None or clause.target_max is not None
    ]
    counts = {}
    for activity in pair.loaded_activities:
        key = (activity.kind, activity.status, activity.date.year)
        counts[key] = counts.get(key, 0) + 1
    rows = [
        {"pair_id": pair.pk, "kind": kind, "status": status, "year": year, "n": n}
        for (kind, status, year), n in counts.items()
    ]
    return _attach_target_years([pair], {pair.pk: clauses} if clauses else {}, rows, until)


def _attach_target_years(pairs, clauses, rows, until):
    counts, last_year = {}, {}
    for row in rows:
        pair_id, year = row["pair_id"], row["year"]
        last_year[pair_id] = max(last_year.get(pair_id, year), year)
        if row["status"] == CooperationActivity.Status.DONE:
            key = (pair_id, row["kind"], year)
            counts[key] = counts.get(key, 0) + row["n"]
    for pair in pairs:
        pair.target_years = []
        formed = pair.formed_date
        if formed is None or pair.pk not in clauses:
            continue
        first = formed.year
        partial_first_year = (formed.month, formed.day) != (1, 1)
        last = until if until is not None else max(last_year.get(pair.pk, first), first)
        for year in range(first, last + 1):
            for clause in clauses[pair.pk]:
                count = counts.get((pair.pk, clause.target_kind, year), 0)
                partial = partial_first_year and year == first
                pair.target_years.append(YearTarget(year, clause, count, partial))
    return pairs


class HelpingPairQuerySet(models.QuerySet):
    def with_agencies(self):
        """Both agencies with their divisions up to the province, and the meeting, in one query."""
        return self.select_related(
            "meeting",
            "helper__division__parent__parent",
            "helped__division__parent__parent",
        )

    def with_places(self):
        """Both agencies with their own divisions, in one query: what the pair tables and the
        diagram show (four joins fewer than ``with_agencies()``)."""
        return self.select_related("helper__division", "helped__division")

    def involving(self, agency_ids):
        """Pairs in which any of the agencies is helper or helped."""
        return self.filter(Q(helper__in=agency_ids) | Q(helped__in=agency_ids))

    def with_target_years(self, until=None):
        """Evaluate the pairs and attach ``target_years`` to each (see attach_target_years)."""
        return attach_target_years(self.select_related("meeting"), until)


class CooperationActivityQuerySet(models.QuerySet):
    def done(self):
        return self.filter(status=CooperationActivity.Status.DONE)


class Meeting(models.Model):
    """A meeting such as the 2004 Qiqihar symposium, with its participants."""

    title = models.CharField(_("会议名称"), max_length=200, help_text=_("按报道原文书写。"))
    slug = models.SlugField(
        _("网址标识"),
        max_length=100,
        unique=True,
        help_text=_(
            "用于网址，只用小写字母、数字和连字符，例如 2004-northeast-quality-symposium。"
        ),
    )
    start_date = models.DateField(_("开始日期"), help_text=_("会议第一天。"))
    end_date = models.DateField(_("结束日期"), help_text=_("会议最后一天，不早于开始日期。"))
    venue = models.ForeignKey(
        Division,
        verbose_name=_("会议地点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
        help_text=_("举办会议的市县。"),
    )
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_organised",
        help_text=_("组织召开会议的机构。"),
    )
    regions = models.ManyToManyField(
        Division,
        verbose_name=_("出席省份"),
        blank=True,
        related_name="meetings_attended",
        help_text=_("派员出席会议的省份。"),
    )
    summary = models.TextField(_("会议概要"), blank=True, help_text=_("会议的主题和成果。"))

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
        return detail_url("partnerships:meeting-detail", self.slug)


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
        help_text=_("参会的机构。"),
    )
    written_as = models.CharField(
        _("原文写法"),
        max_length=100,
        blank=True,
        help_text=_("报道在此处对该机构的写法，例如“黑龙江省齐齐哈尔市富裕县政府”。"),
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, help_text=_("该机构在会上的角色。")
    )
    person = models.CharField(
        _("人员"), max_length=50, blank=True, help_text=_("代表机构发言的人，例如“于献忠”。")
    )
    person_title = models.CharField(
        _("职务"), max_length=100, blank=True, help_text=_("例如“质检总局质量司司长”。")
    )
    remarks = models.TextField(_("发言/介绍"), blank=True, help_text=_("发言或介绍的内容摘要。"))
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("在报道中的先后次序。")
    )

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

    @property
    def display_name(self):
        return self.written_as or self.agency.name


class HelpingPair(models.Model):
    """A 帮扶对子: a helper agency (usually coastal) and the agency it helps."""

    helper = models.ForeignKey(
        Agency,
        verbose_name=_("帮扶方"),
        on_delete=models.PROTECT,
        related_name="pairs_as_helper",
        help_text=_("提供帮扶的一方，通常是沿海发达地区的机构。"),
    )
    helped = models.ForeignKey(
        Agency,
        verbose_name=_("受帮扶方"),
        on_delete=models.PROTECT,
        related_name="pairs_as_helped",
        help_text=_("接受帮扶的一方，不能与帮扶方相同。"),
    )
    helper_written_as = models.CharField(
        _("帮扶方原文写法"),
        max_length=100,
        blank=True,
        help_text=_("报道列出该对子时对帮扶方的写法，例如“浙江省温岭市政府”。"),
    )
    helped_written_as = models.CharField(
        _("受帮扶方原文写法"),
        max_length=100,
        blank=True,
        help_text=_("报道列出该对子时对受帮扶方的写法，例如“齐齐哈尔市富裕县政府”。"),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("结对会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
        help_text=_("促成该对子的会议。"),
    )
    formed_on = models.DateField(
        _("结对日期"),
        null=True,
        blank=True,
        help_text=_("报道未写明具体日期时留空，页面显示会议日期。"),
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("在报道中的先后次序。")
    )

    objects = HelpingPairQuerySet.as_manager()

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
        return detail_url("partnerships:pair-detail", self.pk)

    @property
    def number_label(self):
        """``第 3 对``: the pair by its number, for the tables' links (``gettext`` once a row
        costs a tenth of a ``{% blocktranslate %}``)."""
        return gettext("第 %(number)s 对") % {"number": self.order}

    @property
    def helper_name(self):
        """The helper as the news report wrote it, else its full name."""
        return self.helper_written_as or self.helper.name

    @property
    def helped_name(self):
        return self.helped_written_as or self.helped.name

    @property
    def formed_date(self):
        """The day the pair was formed: ``formed_on``, or the first day of its meeting."""
        return self.formed_on or (self.meeting.start_date if self.meeting_id else None)

    @property
    def formed_year(self):
        when = self.formed_date
        return when.year if when else None


class CooperationAgreement(models.Model):
    """An agreement a pair signed, such as the 质量兴市合作交流协议."""

    pair = models.ForeignKey(
        HelpingPair,
        verbose_name=_("帮扶对子"),
        on_delete=models.CASCADE,
        related_name="agreements",
        help_text=_("签署协议的帮扶对子。"),
    )
    title = models.CharField(
        _("协议名称"), max_length=200, help_text=_("例如“质量兴市合作交流协议”。")
    )
    signed_on = models.DateField(
        _("签署日期"),
        null=True,
        blank=True,
        help_text=_("报道未写明具体日期时留空（例如“会议期间”签署）。"),
    )

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
        help_text=_("条款所属的协议。"),
    )
    order = models.PositiveSmallIntegerField(
        _("序号"), default=0, help_text=_("条款在协议中的次序，同一协议内不重复。")
    )
    text = models.TextField(_("条款内容"), help_text=_("按报道原文书写。"))
    target_kind = models.CharField(
        _("考核的活动类型"),
        max_length=20,
        blank=True,
        choices=ActivityKind.choices,
        help_text=_("有年度目标时，计入目标的合作活动类型（只计已完成的活动）。"),
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
            models.CheckConstraint(
                condition=Q(target_min__isnull=True, target_max__isnull=True) | ~Q(target_kind=""),
                name="clause_target_has_kind",
            ),
            models.UniqueConstraint(fields=["agreement", "order"], name="clause_unique_order"),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def has_target(self):
        return self.target_min is not None or self.target_max is not None


class CooperationActivity(models.Model):
    """Something a pair did under its agreement: a visit, a bulletin, a joint project..."""

    Kind = ActivityKind

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    pair = models.ForeignKey(
        HelpingPair,
        verbose_name=_("帮扶对子"),
        on_delete=models.CASCADE,
        related_name="activities",
        help_text=_("开展活动的帮扶对子。"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("合作项目计入协议“每年一两个合作项目”的目标。"),
    )
    title = models.CharField(_("标题"), max_length=200, help_text=_("一句话说明做了什么。"))
    description = models.TextField(_("说明"), blank=True, help_text=_("经过、成果、出处。"))
    date = models.DateField(
        _("日期"), help_text=_("活动日期；只知道大致日期时勾选下面的“日期为推定”。")
    )
    date_is_approximate = models.BooleanField(
        _("日期为推定"),
        default=False,
        help_text=_("报道未写明具体日期，此日期是根据上下文推定的。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=Status.choices,
        default=Status.DONE,
        help_text=_("只有已完成的活动计入年度目标。"),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("相关稿件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("报道该活动的稿件（只在稿件发布后显示链接）。"),
    )

    objects = CooperationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作活动")
        verbose_name_plural = _("合作活动")
        ordering = ["pair", "date", "pk"]
        indexes = [models.Index(fields=["pair", "date"], name="activity_pair_date_idx")]

    def __str__(self):
        return self.title
