from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from .models import Topic, TopicEntry, TopicSection


class TopicSectionInline(admin.TabularInline):
    model = TopicSection
    fields = ["title", "order", "tag", "tag_limit", "articles_link"]
    readonly_fields = ["articles_link"]
    autocomplete_fields = ["tag"]
    extra = 1

    @admin.display(description=gettext_lazy("手选稿件"))
    def articles_link(self, section):
        if section.pk is None:
            return gettext_lazy("保存后可选择稿件")
        url = reverse("admin:topics_topicsection_change", args=[section.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("选择稿件"))


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_public", "on_home", "order", "updated_at"]
    list_editable = ["is_public", "on_home", "order"]
    list_filter = ["is_public", "on_home"]
    search_fields = ["title", "introduction"]
    autocomplete_fields = ["banner", "meeting"]
    fields = [
        "title",
        "slug",
        "banner",
        "introduction",
        "meeting",
        "is_public",
        "on_home",
        "order",
    ]
    inlines = [TopicSectionInline]
    view_on_site = True


class TopicEntryInline(admin.TabularInline):
    model = TopicEntry
    fields = ["article", "position"]
    autocomplete_fields = ["article"]
    extra = 3


@admin.register(TopicSection)
class TopicSectionAdmin(admin.ModelAdmin):
    """A section's articles chosen by hand, in order (reached from its topic)."""

    list_display = ["title", "topic", "order", "tag"]
    list_select_related = ["topic", "tag"]
    search_fields = ["title", "topic__title"]
    fields = ["topic", "title", "order", "tag", "tag_limit"]
    autocomplete_fields = ["topic", "tag"]
    inlines = [TopicEntryInline]
