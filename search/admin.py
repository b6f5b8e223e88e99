from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SearchQueryLog, SearchSynonym

REPORT_DAYS = 30
REPORT_ROWS = 20


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


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
    """The query log, read-only, topped by the most frequent and the fruitless queries."""

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
        recent = SearchQueryLog.objects.filter(
            created_at__gte=timezone.now() - timedelta(days=REPORT_DAYS)
        )
        by_term = recent.values("term").annotate(searches=Count("pk"), last=Max("created_at"))
        extra_context = {
            **(extra_context or {}),
            "report_days": REPORT_DAYS,
            "frequent_terms": by_term.order_by("-searches", "term")[:REPORT_ROWS],
            "zero_result_terms": by_term.filter(result_count=0).order_by("-searches", "term")[
                :REPORT_ROWS
            ],
        }
        return super().changelist_view(request, extra_context=extra_context)
