"""Admin for divisions, agencies, meetings, pairs, agreements and activities (Chinese labels)."""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    NORTHEAST_PROVINCE_PREFIXES,
    Agency,
    AgreementClause,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
    Honour,
    Meeting,
    MeetingParticipant,
)


def _northeast_q(field):
    condition = Q()
    for prefix in NORTHEAST_PROVINCE_PREFIXES:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


class ProvinceFilter(admin.SimpleListFilter):
    """Filter by province, matching the first two digits of the division code."""

    title = _("省份")
    parameter_name = "province"
    division_field = "division__code"

    def lookups(self, request, model_admin):
        provinces = Division.objects.filter(level=Division.Level.PROVINCE).order_by("code")
        return [(p.code[:2], p.name) for p in provinces]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 2:
            return queryset.filter(**{f"{self.division_field}__startswith": value})
        return queryset


class NortheastFilter(admin.SimpleListFilter):
    title = _("地区")
    parameter_name = "northeast"
    division_field = "division__code"

    def lookups(self, request, model_admin):
        return [("yes", _("东北地区")), ("no", _("其他地区"))]

    def queryset(self, request, queryset):
        condition = _northeast_q(self.division_field)
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


class DivisionProvinceFilter(ProvinceFilter):
    division_field = "code"


class DivisionNortheastFilter(NortheastFilter):
    division_field = "code"


class HelpedProvinceFilter(ProvinceFilter):
    title = _("受帮扶方省份")
    parameter_name = "helped_province"
    division_field = "helped__division__code"


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "current_name", "level", "parent", "latitude", "longitude"]
    list_filter = ["level", DivisionProvinceFilter, DivisionNortheastFilter]
    search_fields = ["code", "name", "current_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    ordering = ["code"]


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "written_as", "kind", "division", "parent"]
    list_filter = ["kind", ProvinceFilter, NortheastFilter, "honours"]
    search_fields = ["name", "short_name", "written_as", "aliases", "division__name"]
    autocomplete_fields = ["division", "parent"]
    filter_horizontal = ["honours"]
    list_select_related = ["division", "parent"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "written_as", "aliases", "kind"]}),
        (_("所属"), {"fields": ["division", "parent", "honours"]}),
        (_("简介"), {"fields": ["description"]}),
    ]


class MeetingParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    autocomplete_fields = ["agency"]
    fields = ["order", "agency", "written_as", "role", "person", "person_title", "remarks"]


class MeetingPairInline(admin.TabularInline):
    model = HelpingPair
    extra = 0
    autocomplete_fields = ["helper", "helped"]
    fields = ["order", "helper", "helper_written_as", "helped", "helped_written_as"]
    show_change_link = True
    verbose_name_plural = _("会上结成的帮扶对子")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date", "venue", "organiser"]
    list_filter = ["start_date"]
    search_fields = ["title", "slug", "summary"]
    autocomplete_fields = ["venue", "organiser", "regions"]
    date_hierarchy = "start_date"
    list_select_related = ["venue", "organiser"]
    inlines = [MeetingParticipantInline, MeetingPairInline]


class AgreementInline(admin.StackedInline):
    """Agreements of a pair; their clauses are edited on the agreement's own page (one level of
    inlines is all the admin nests), and listed here read-only."""

    model = CooperationAgreement
    extra = 0
    fields = ["title", "signed_on", "clause_list"]
    readonly_fields = ["clause_list"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("clauses")

    @admin.display(description=_("条款"))
    def clause_list(self, agreement):
        if agreement.pk is None:
            return _("保存后在协议页面添加条款。")
        clauses = agreement.clauses.all()
        listed = format_html_join(
            "",
            "<li>{}{}</li>",
            ((clause.text, _target_text(clause)) for clause in clauses),
        )
        link = reverse("admin:partnerships_cooperationagreement_change", args=[agreement.pk])
        return format_html(
            '<ol class="qxs-clause-list">{}</ol><a href="{}">{}</a>',
            listed,
            link,
            _("编辑条款"),
        )


def _target_text(clause):
    if not clause.has_target:
        return ""
    return format_html(
        "（{}：{}–{} {}）",
        clause.get_target_kind_display() or _("年度目标"),
        clause.target_min if clause.target_min is not None else "",
        clause.target_max if clause.target_max is not None else "",
        _("项/年"),
    )


class ActivityInline(admin.TabularInline):
    model = CooperationActivity
    extra = 0
    fields = ["date", "date_is_approximate", "kind", "title", "status", "article"]
    # raw_id rather than autocomplete: it does not depend on how the articles admin is set up.
    raw_id_fields = ["article"]
    ordering = ["date", "pk"]


@admin.register(HelpingPair)
class HelpingPairAdmin(admin.ModelAdmin):
    list_display = ["order", "helper", "helped", "meeting"]
    list_display_links = ["helper"]
    list_filter = ["meeting", HelpedProvinceFilter]
    search_fields = [
        "helper__name",
        "helper__short_name",
        "helper__written_as",
        "helped__name",
        "helped__short_name",
        "helped__written_as",
    ]
    autocomplete_fields = ["helper", "helped", "meeting"]
    list_select_related = ["helper", "helped", "meeting"]
    fieldsets = [
        (None, {"fields": ["order", "meeting", "formed_on"]}),
        (_("帮扶双方"), {"fields": ["helper", "helper_written_as", "helped", "helped_written_as"]}),
    ]
    inlines = [AgreementInline, ActivityInline]
    actions = ["sign_standard_agreement"]

    @admin.action(
        description=_("签署标准协议（质量兴市合作交流协议及其四项条款）"),
        permissions=["change"],
    )
    def sign_standard_agreement(self, request, queryset):
        created = sum(services.sign_standard_agreement(pair)[1] for pair in queryset)
        self.message_user(
            request,
            _("已为 %(created)d 个对子添加协议；%(skipped)d 个对子已有该协议，未改动。")
            % {"created": created, "skipped": queryset.count() - created},
            messages.SUCCESS,
        )


class AgreementClauseInline(admin.TabularInline):
    model = AgreementClause
    extra = 0
    fields = ["order", "text", "target_kind", "target_min", "target_max"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "pair", "signed_on"]
    search_fields = ["title", "pair__helper__name", "pair__helped__name"]
    autocomplete_fields = ["pair"]
    list_select_related = ["pair__helper", "pair__helped"]
    inlines = [AgreementClauseInline]


@admin.register(CooperationActivity)
class CooperationActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "status", "pair"]
    list_filter = ["kind", "status", "date"]
    search_fields = ["title", "description", "pair__helper__name", "pair__helped__name"]
    autocomplete_fields = ["pair"]
    raw_id_fields = ["article"]
    date_hierarchy = "date"
    list_select_related = ["pair__helper", "pair__helped"]
