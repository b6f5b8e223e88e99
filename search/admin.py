from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .logfold import report
from .models import (
    PromotedItem,
    SearchDailyCount,
    SearchPromotion,
    SearchQueryLog,
    SearchSynonym,
)

REPORT_DAYS = 30
REPORT_ROWS = 20


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


class PromotedItemInline(admin.TabularInline):
    model = PromotedItem
    fields = ["position", "article", "url", "title"]
    autocomplete_fields = ["article"]
    extra = 2


@admin.register(SearchPromotion)
class SearchPromotionAdmin(admin.ModelAdmin):
    list_display = ["query", "synonyms", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["query", "synonyms"]
    fields = ["query", "synonyms", "active"]
    inlines = [PromotedItemInline]


class ResultFilter(admin.SimpleListFilter):
    title = _("结果")
    parameter_name = "results"

    def lookups(self, request, model_admin):
        return [("none", _("没有结果")), ("some", _("有结果"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(result_count=0)
        if self.value() == "some":
            return queryset.filter(result_count__gt=0)
        return queryset


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    """The recent query log, read-only, topped by the most frequent and the fruitless queries
    (read from the daily counts plus the rows not folded yet, search/logfold.py)."""

    change_list_template = "search/admin/searchquerylog_change_list.html"
    list_display = ["term", "result_count", "took_ms", "created_at"]
    list_filter = [ResultFilter, "created_at"]
    search_fields = ["term"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        frequent, fruitless = report(REPORT_DAYS, REPORT_ROWS)
        extra_context = {
            **(extra_context or {}),
            "report_days": REPORT_DAYS,
            "frequent_terms": frequent,
            "zero_result_terms": fruitless,
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(SearchDailyCount)
class SearchDailyCountAdmin(admin.ModelAdmin):
    """The folded log: searches per day and normalised query, read-only."""

    list_display = ["day", "term", "searches", "zero_result_searches"]
    search_fields = ["term"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
