"""The editors' admin: columns, pictures, and articles with their workflow, history and preview.

Status moves are never typed into a form: the article's page has one button per allowed move,
each leading to a confirmation page, and the list has the same moves as bulk actions. Both call
``articles.services``.
"""

import difflib
import re
from html import unescape

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import services, wordcheck
from .forms import (
    ArticleAdminForm,
    ArticleChangeListForm,
    ImageAdminForm,
    MoveForm,
    conflict_message,
)
from .models import (
    Article,
    ArticleConflict,
    Attachment,
    Column,
    ForbiddenWord,
    Image,
    Notification,
    PendingRevision,
    StatusChange,
    WrongWord,
    record_article_version,
)
from .pictures import BODY_SRC_WIDTH
from .views import render_article_page


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt_text", "caption", "size", "created_at", "uploaded_by"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption"]
    date_hierarchy = "created_at"
    list_select_related = ["uploaded_by"]
    readonly_fields = ["preview", "size", "url", "uploaded_by", "created_at"]

    @admin.display(description=gettext_lazy("缩略图"))
    def thumbnail(self, image):
        return format_html(
            '<img src="{}" alt="{}" width="80" class="qxs-thumbnail">',
            image.rendition(320),
            image.alt_text,
        )

    @admin.display(description=gettext_lazy("预览"))
    def preview(self, image):
        if not image.pk:
            return "-"
        return format_html(
            '<img src="{}" srcset="{}" sizes="320px" alt="{}" width="320">',
            image.rendition(320),
            image.srcset,
            image.alt_text,
        )

    @admin.display(description=gettext_lazy("尺寸"))
    def size(self, image):
        # An upload the form refused is no picture of the library: no size to show.
        return f"{image.width} × {image.height}" if image.pk else "-"

    @admin.display(description=gettext_lazy("正文中使用的网址"))
    def url(self, image):
        return image.file.url if image.pk else "-"

    def get_deleted_objects(self, objs, request):
        """A picture an article's body still shows is protected, as a foreign key would be: the
        delete page names the articles (with links) and refuses, singly or in bulk."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            users = Article.objects.filter(body__contains=f'data-image="{image.pk}"')
            for article in users.only("pk", "title").order_by("pk"):
                protected.append(
                    format_html(
                        '{}: <a href="{}">{}</a>',
                        _("正文使用这张图片的稿件"),
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                    )
                )
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # Saving the picture writes its renditions (``Image.save()``); saving it again retries.
        if not getattr(obj, "renditions_made", True):
            message = _("缩略图生成失败，请稍后再次保存这张图片。")
            self.message_user(request, message, messages.WARNING)

    # -- the body editor's picture dialog (static/admin/js/body-pictures.js) -----------------

    #: Pictures per page of the dialog's library list.
    library_per_page = 24

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("library/", wrap(self.library_view), name="articles_image_library"),
            path("upload/", wrap(self.upload_view), name="articles_image_upload"),
            *super().get_urls(),
        ]

    @staticmethod
    def picture_json(image):
        return {
            "id": image.pk,
            "alt": image.alt_text,
            "caption": image.caption,
            "src": image.rendition(BODY_SRC_WIDTH),
            "thumbnail": image.rendition(320),
            "width": image.width,
            "height": image.height,
        }

    def library_view(self, request):
        """The library as JSON, newest first, searched by alt text and caption (``?q=``)."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": _("您没有查看图片库的权限。")}, status=403)
        images = self.get_queryset(request).only(
            "pk", "file", "alt_text", "caption", "width", "height"
        )
        # A NUL byte cannot be sent to PostgreSQL; it is no search term anyway.
        query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
        if query:
            images = images.filter(Q(alt_text__icontains=query) | Q(caption__icontains=query))
        page = Paginator(images, self.library_per_page).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [self.picture_json(image) for image in page],
                "count": page.paginator.count,
                "page": page.number,
                "has_next": page.has_next(),
            }
        )

    def upload_view(self, request):
        """Store one picture from the editor's dialog (file, alt text) with its renditions."""
        if request.method != "POST":
            return JsonResponse({"error": _("上传图片要用 POST 请求。")}, status=405)
        if not self.has_add_permission(request):
            return JsonResponse({"error": _("您没有上传图片的权限。")}, status=403)
        form = ImageAdminForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {
                name: [str(message) for message in messages_]
                for name, messages_ in form.errors.items()
            }
            summary = " ".join(
                _("%(field)s：%(errors)s")
                % {"field": form.fields[name].label, "errors": " ".join(messages_)}
                if name in form.fields
                else " ".join(messages_)
                for name, messages_ in errors.items()
            )
            return JsonResponse({"error": summary, "errors": errors}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()  # with its renditions (a failure is logged)
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse({"picture": self.picture_json(image)}, status=201)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file", "order", "size"]
    readonly_fields = ["size"]


class StatusChangeInline(admin.TabularInline):
    """The article's workflow record: read-only, written only by ``articles.services``."""

    model = StatusChange
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "user",
        "from_status",
        "to_status",
        "published_at",
        "comment",
        "word_check",
    ]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class ScheduledFilter(admin.SimpleListFilter):
    title = gettext_lazy("定时发布")
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("yes", _("等待发布")), ("no", _("已经上线"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if self.value() == "no":
            return queryset.published(now)
        return queryset


class PinnedFilter(admin.SimpleListFilter):
    """The current 头条 and column pins (to find the one to take down when the admin refuses
    another)."""

    title = gettext_lazy("头条与置顶")
    parameter_name = "pinned"

    def lookups(self, request, model_admin):
        return [("headline", _("当前头条")), ("column", _("栏目置顶"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "headline":
            return queryset.filter(status=Article.Status.PUBLISHED, headline_until__gt=now)
        if self.value() == "column":
            return queryset.filter(status=Article.Status.PUBLISHED, pinned_until__gt=now)
        return queryset


class MineFilter(admin.SimpleListFilter):
    """The signed-in user's own articles (the desk's 我的草稿 links here)."""

    title = gettext_lazy("创建人")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("我创建的"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status_label",
        "column",
        "published_at",
        "author",
        "featured",
        "loaded_version",
    ]
    list_editable = ["column", "featured"]
    list_filter = [
        "status",
        ScheduledFilter,
        PinnedFilter,
        MineFilter,
        "column",
        "featured",
        "is_stub",
        "published_at",
    ]
    list_select_related = ["column"]
    search_fields = ["title", "summary", "source", "author", "responsible_editor"]
    date_hierarchy = "published_at"
    list_per_page = 50
    autocomplete_fields = ["cover_image", "related"]
    readonly_fields = [
        "status_label",
        "word_check_hits",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [AttachmentInline, StatusChangeInline]
    fieldsets = [
        (None, {"fields": ["loaded_version", "title", "summary", "body", "word_check_hits"]}),
        (gettext_lazy("栏目与标签"), {"fields": ["column", "tags", "new_tags", "featured"]}),
        (gettext_lazy("署名"), {"fields": ["source", "author", "responsible_editor"]}),
        (
            gettext_lazy("发布"),
            {
                "fields": ["status_label", "published_at", "published_date_only", "unpublish_at"],
                "description": gettext_lazy(
                    "状态只能用页面上方的按钮改变（提交审核、发布、撤回……），每次改变都有记录。"
                ),
            },
        ),
        (
            gettext_lazy("头条与置顶"),
            {
                "fields": ["headline_until", "pinned_until"],
                "description": gettext_lazy(
                    "由审核人员设置。到截止时间自动撤下，无需再操作。首页同一时间只有一篇头条，"
                    "每个栏目最多置顶三篇。"
                ),
            },
        ),
        (
            gettext_lazy("图片与关联"),
            {"fields": ["cover_image", "meeting", "agencies", "pairs", "related"]},
        ),
        (
            gettext_lazy("导入信息"),
            {"fields": ["is_stub", "source_url"], "classes": ["collapse"]},
        ),
        (
            gettext_lazy("记录"),
            {
                "fields": ["version", "created_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    actions = [
        "submit_selected",
        "return_selected",
        "publish_selected",
        "schedule_selected",
        "unpublish_selected",
        "archive_selected",
        "unarchive_selected",
    ]
    history_list_per_page = 50

    class Media:
        css = {"all": ["admin/css/articles.css"]}
        js = ["admin/js/article-form-a11y.js"]

    # -- list ------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
            return _("定时发布（%(when)s）") % {"when": when}
        if article.is_expired:
            when = timezone.localtime(article.unpublish_at).strftime("%Y-%m-%d %H:%M")
            return _("已定时下线（%(when)s）") % {"when": when}
        return article.get_status_display()

    @admin.display(description=gettext_lazy("版本"))
    def loaded_version(self, article):
        return article.version

    @admin.display(description=gettext_lazy("错敏字检查"))
    def word_check_hits(self, article):
        """The saved text's hits, each highlighted in its context with the suggestion."""
        if not article.pk:
            return _("保存后检查。")
        hits = wordcheck.check_article(article)
        if not hits:
            return _("未发现错敏字。")
        return format_html(
            '<ul class="qxs-word-hits">{}</ul>',
            format_html_join(
                "",
                "<li>{}（{}）：{} {}</li>",
                (
                    (
                        hit.field_label,
                        hit.kind_label,
                        hit.html,
                        _("→ 建议改为“%(s)s”") % {"s": hit.suggestion}
                        if hit.suggestion
                        else _("→ 请删除或改写"),
                    )
                    for hit in hits
                ),
            ),
        )

    def get_changelist_form(self, request, **kwargs):
        column_choices = [("", "---------"), *((c.pk, str(c)) for c in Column.objects.all())]
        return type(
            "ArticleChangeListForm",
            (ArticleChangeListForm,),
            {"user": request.user, "column_choices": column_choices},
        )

    def get_autocomplete_fields(self, request):
        """Meetings, agencies and pairs get autocompletion once their admin can search them."""
        from partnerships.models import Agency, HelpingPair, Meeting

        fields = list(super().get_autocomplete_fields(request))
        for name, model in [("meeting", Meeting), ("agencies", Agency), ("pairs", HelpingPair)]:
            model_admin = self.admin_site._registry.get(model)
            if model_admin is not None and model_admin.search_fields:
                fields.append(name)
        return fields

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ArticleConflict:
            # Someone saved between validation and saving (the locked UPDATE refused it). The
            # transaction was rolled back; validating again now shows the conflict on the row.
            return super().changelist_view(request, extra_context)

    # -- change form -----------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        """头条 and column pins are a chief editor's (审核) decision."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += services.PIN_FIELDS
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ArticleConflict:
            # As in changelist_view: the form now fails validation with the conflict message
            # and shows the user's input again.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.status = Article.Status.DRAFT
        obj._history_user = request.user
        # One history entry per save, written in save_related once tags, agencies and pairs
        # are saved too.
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_article_version(form.instance, created=not change)
        hits = wordcheck.check_article(form.instance)
        if hits:
            self.message_user(
                request,
                _("已保存，但稿件有 %(count)d 处错敏字（见“错敏字检查”）：%(hits)s")
                % {"count": len(hits), "hits": wordcheck.describe_hits(hits)},
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_moves"] = [
                {
                    "move": move,
                    "url": reverse("admin:articles_article_move", args=[obj.pk, move.name]),
                }
                for move in services.available_moves(request.user, obj)
            ]
            context["preview_url"] = reverse("admin:articles_article_preview", args=[obj.pk])
            context["pending_revisions"] = list(
                obj.pending_revisions.filter(state=PendingRevision.State.PENDING).only(
                    "pk", "created_at", "article_id"
                )
            )
            context["compare_url"] = reverse("admin:articles_article_compare", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- extra pages -----------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/move/<slug:move_name>/",
                wrap(self.move_view),
                name="articles_article_move",
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        return article

    def preview_view(self, request, object_id):
        """The article exactly as its public page will show it, whatever its status."""
        article = self.get_article_or_404(request, object_id)
        return render_article_page(request, article, preview=True)

    def move_view(self, request, object_id, move_name):
        """Confirmation page of one status move of one article."""
        article = self.get_article_or_404(request, object_id)
        move = services.MOVES.get(move_name)
        if move is None:
            raise Http404
        if not services.can_move(request.user, article, move):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        hits = wordcheck.check_article(article) if move.name in services.CHECKED_MOVES else []
        form = MoveForm(request.POST or None, move=move, hits=hits)
        if request.method == "POST" and form.is_valid():
            loaded_version = _int_or_none(request.POST.get("loaded_version"))
            try:
                services.move_article(
                    article,
                    move.name,
                    request.user,
                    comment=form.cleaned_data["comment"],
                    publish_at=form.cleaned_data.get("publish_at"),
                    expected_version=loaded_version,
                    word_check_reason=form.cleaned_data.get("word_check_reason", ""),
                )
            except ArticleConflict:
                article.refresh_from_db()
                self.message_user(
                    request, conflict_message(article, loaded_version), messages.ERROR
                )
                return HttpResponseRedirect(change_url)
            except services.MoveNotAllowed as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.message_user(
                request,
                _("稿件《%(title)s》已%(move)s。") % {"title": article.title, "move": move.label},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        return self.render_move_page(request, move, [article], form)

    def render_move_page(self, request, move, articles, form, *, bulk=False):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("确认%(move)s") % {"move": move.label},
            "move": move,
            "articles": articles,
            "form": form,
            "media": self.media + form.media,
            "bulk": bulk,
            "action_name": f"{move.name}_selected",
            "hits": form.hits,
        }
        return TemplateResponse(request, "admin/articles/article/move_confirmation.html", context)

    def compare_view(self, request, object_id):
        """Two chosen versions side by side, field by field, the body as a readable diff."""
        article = self.get_article_or_404(request, object_id)
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        records = list(
            article.history.select_related("history_user").order_by("-history_date", "-history_id")
        )
        if not records:
            raise Http404
        by_id = {record.history_id: record for record in records}
        newer = by_id.get(_int_or_none(request.GET.get("b")), records[0])
        older = by_id.get(
            _int_or_none(request.GET.get("a")), records[1] if len(records) > 1 else records[0]
        )
        if older.history_date > newer.history_date:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("比较《%(title)s》的两个版本") % {"title": article.title},
            "records": records,
            "older": older,
            "newer": newer,
            "rows": compare_records(older, newer),
            "can_restore": self.has_change_permission(request, article),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, history_id):
        """Confirm and restore the content of one version; the restore is a new version."""
        article = self.get_article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        record = get_object_or_404(article.history.select_related("history_user"), pk=history_id)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.method == "POST":
            loaded_version = _int_or_none(request.POST.get("loaded_version"))
            try:
                services.restore_version(
                    article, record, request.user, expected_version=loaded_version
                )
            except ArticleConflict:
                article.refresh_from_db()
                self.message_user(
                    request, conflict_message(article, loaded_version), messages.ERROR
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_compare", args=[article.pk])
                )
            self.message_user(
                request,
                _("已恢复为 %(date)s 的版本，现在是第 %(version)s 版。")
                % {
                    "date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
                    "version": article.version,
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        current = article.history.order_by("-history_date", "-history_id").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("恢复《%(title)s》的旧版本") % {"title": article.title},
            "record": record,
            "rows": compare_records(current, record) if current else [],
            "current": current,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/articles/article/restore_confirmation.html", context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's revert form would save the old row over the new one without
        # the conflict check; our restore page does the same job through services.
        return HttpResponseRedirect(
            reverse("admin:articles_article_compare", args=[unquote(object_id)])
            + f"?a={int(version_id)}"
        )

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "compare_url": reverse("admin:articles_article_compare", args=[unquote(object_id)]),
        }
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .select_related("history_user")
            .prefetch_related("historicalarticle_agencies_set", "historicalarticle_pairs_set")
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Name the changed fields of each version (the compare page shows the values).

        Compared here from the prefetched rows: simple-history's ``diff_against`` would query
        the agencies and pairs of every version again.
        """
        previous = None
        for current in historical_records:
            if previous is not None:
                previous.changed_labels = [
                    str(Article._meta.get_field(name).verbose_name)
                    for name in TRACKED_FIELDS
                    if _tracked_value(previous, name) != _tracked_value(current, name)
                ]
            previous = current

    # -- bulk actions ----------------------------------------------------------------------

    def bulk_move(self, request, queryset, move_name):
        """Confirmation page for a status move of the selected articles, then the move.

        Each article is moved only if it is still at the version shown on the confirmation
        page; others are skipped and listed, never overwritten.
        """
        move = services.MOVES[move_name]
        if not services.may_move(request.user, move):
            raise PermissionDenied
        articles = list(queryset.select_related("column").order_by("-published_at", "-pk"))
        if "confirm" not in request.POST:
            return self.render_move_page(request, move, articles, MoveForm(move=move), bulk=True)
        form = MoveForm(request.POST, move=move)
        if not form.is_valid():
            return self.render_move_page(request, move, articles, form, bulk=True)
        moved, skipped = [], []
        for article in articles:
            loaded_version = _int_or_none(request.POST.get(f"version_{article.pk}"))
            if loaded_version != article.version:
                skipped.append((article, _("确认之后又被人修改过")))
                continue
            if not services.can_move(request.user, article, move):
                skipped.append((article, article.get_status_display()))
                continue
            try:
                with transaction.atomic():
                    services.move_article(
                        article,
                        move.name,
                        request.user,
                        comment=form.cleaned_data["comment"],
                        publish_at=form.cleaned_data.get("publish_at"),
                        expected_version=loaded_version,
                    )
            except ArticleConflict:
                skipped.append((article, _("确认之后又被人修改过")))
                continue
            except services.WordCheckFailed as exc:
                skipped.append(
                    (
                        article,
                        _("有 %(count)d 处错敏字，请打开稿件逐篇处理") % {"count": len(exc.hits)},
                    )
                )
                continue
            moved.append(article)
        if moved:
            self.message_user(
                request,
                _("已%(move)s %(count)d 篇稿件。") % {"move": move.label, "count": len(moved)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("以下稿件没有%(move)s：") % {"move": move.label},
                    format_html_join(
                        "",
                        '<li><a href="{}">{}</a>（{}）</li>',
                        (
                            (
                                reverse("admin:articles_article_change", args=[a.pk]),
                                a.title,
                                reason,
                            )
                            for a, reason in skipped
                        ),
                    ),
                ),
                messages.WARNING,
            )
        return None

    @admin.action(description=gettext_lazy("提交审核所选稿件"), permissions=["change"])
    def submit_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "submit")

    @admin.action(description=gettext_lazy("退回修改所选稿件"), permissions=["publish"])
    def return_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "return")

    @admin.action(description=gettext_lazy("发布所选稿件"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "publish")

    @admin.action(description=gettext_lazy("定时发布所选稿件"), permissions=["publish"])
    def schedule_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "schedule")

    @admin.action(description=gettext_lazy("撤回所选稿件"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "unpublish")

    @admin.action(description=gettext_lazy("归档所选稿件"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "archive")

    @admin.action(description=gettext_lazy("把所选归档稿件恢复为草稿"), permissions=["publish"])
    def unarchive_selected(self, request, queryset):
        return self.bulk_move(request, queryset, "unarchive")


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole workflow record, newest first; read-only."""

    list_display = [
        "created_at",
        "article",
        "user",
        "from_status",
        "to_status",
        "comment",
        "word_check",
    ]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WrongWord)
class WrongWordAdmin(admin.ModelAdmin):
    """The 错别字 list of the 错敏字 check, kept by 审核."""

    list_display = ["wrong", "correct", "active", "note"]
    list_editable = ["correct", "active"]
    list_filter = ["active"]
    search_fields = ["wrong", "correct", "note"]


@admin.register(ForbiddenWord)
class ForbiddenWordAdmin(admin.ModelAdmin):
    """Words that must not appear in a published article, kept by 审核."""

    list_display = ["word", "suggestion", "active", "note"]
    list_editable = ["suggestion", "active"]
    list_filter = ["active"]
    search_fields = ["word", "suggestion", "note"]


@admin.register(PendingRevision)
class PendingRevisionAdmin(admin.ModelAdmin):
    """New texts that imports left for articles that are not drafts: compare, accept, reject."""

    list_display = ["title", "article_link", "state", "submitted_by", "created_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["article", "submitted_by", "decided_by"]
    search_fields = ["title", "article__title"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("稿件"), ordering="article__title")
    def article_link(self, revision):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[revision.article_id]),
            revision.article.title,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: the live text beside the revision; accept or reject with a note."""
        revision = self.get_object(request, unquote(object_id))
        if revision is None or not self.has_view_permission(request, revision):
            raise Http404
        may_decide = services.may_decide_revision(request.user) and self.has_change_permission(
            request, revision
        )
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            note = request.POST.get("decision_note", "").strip()
            try:
                if "accept" in request.POST:
                    services.accept_revision(revision, request.user, note=note)
                    done = _("已采用修订，稿件《%(title)s》的文本已更新。")
                elif "reject" in request.POST:
                    services.reject_revision(revision, request.user, note=note)
                    done = _("已拒绝修订，稿件《%(title)s》保持原样。")
                else:
                    return HttpResponseRedirect(request.path)
            except ArticleConflict:
                self.message_user(
                    request, _("稿件刚被别人保存过，请重新比较后再决定。"), messages.ERROR
                )
                return HttpResponseRedirect(request.path)
            except services.MoveNotAllowed as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, done % {"title": revision.article.title}, messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[revision.article_id])
            )
        article = revision.article
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": revision,
            "article": article,
            "title": _("审核修订：《%(title)s》") % {"title": article.title},
            "rows": compare_records(article, revision, fields=REVISION_COMPARED_FIELDS),
            "hits": wordcheck.check_article(revision),
            "may_decide": may_decide and revision.state == PendingRevision.State.PENDING,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/pendingrevision/review.html", context)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Everyone's notifications, for superusers; people see their own on the desk."""

    list_display = ["created_at", "recipient", "kind", "subject"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# -- comparing versions ----------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|table)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_paragraphs(html):
    """The body as a list of plain-text paragraphs, the unit in which editors read a diff."""
    text = _BLOCK_END.sub("\n", html or "")
    text = unescape(_TAG.sub("", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


def inline_diff(old, new):
    """Character-level diff of one paragraph (Chinese has no spaces to split words at)."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", old[i1:i2]))
        if tag in {"delete", "replace"}:
            parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if tag in {"insert", "replace"}:
            parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(parts))


def body_diff(old_html, new_html):
    """Paragraph rows ``(kind, html)``: equal, removed, added, or changed with inline marks."""
    old, new = html_to_paragraphs(old_html), html_to_paragraphs(new_html)
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(("equal", format_html("{}", line)) for line in old[i1:i2])
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False)) if tag == "replace" else []
        rows.extend(("changed", inline_diff(a, b)) for a, b in pairs)
        rows.extend(("removed", format_html("{}", line)) for line in old[i1 + len(pairs) : i2])
        rows.extend(("added", format_html("{}", line)) for line in new[j1 + len(pairs) : j2])
    return rows


def _tracked_value(record, name):
    # The reverse accessors of django-simple-history's m2m history rows, which can be prefetched.
    if name == "agencies":
        return sorted(row.agency_id for row in record.historicalarticle_agencies_set.all())
    if name == "pairs":
        return sorted(row.helpingpair_id for row in record.historicalarticle_pairs_set.all())
    return getattr(record, Article._meta.get_field(name).attname)


def _display(record, field):
    if field.name in {"agencies", "pairs"}:
        related = field.related_model
        ids = getattr(record, field.name).values_list(
            "agency_id" if field.name == "agencies" else "helpingpair_id", flat=True
        )
        return "、".join(str(obj) for obj in related.objects.filter(pk__in=list(ids))) or "-"
    if field.choices:
        return dict(field.flatchoices).get(getattr(record, field.attname), "-")
    if field.is_relation:
        value = getattr(record, field.attname)
        if value is None:
            return "-"
        obj = field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else _("（已删除，编号 %(id)s）") % {"id": value}
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "-"
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def compare_records(older, newer, fields=None):
    """Rows for the compare page: every tracked field (or ``fields``), flagged when it differs."""
    rows = []
    names = fields or TRACKED_FIELDS
    fields = [field for field in Article._meta.get_fields() if field.name in names]
    for field in sorted(fields, key=lambda f: names.index(f.name)):
        if field.name == "body":
            changed = older.body != newer.body
            rows.append(
                {
                    "label": field.verbose_name,
                    "changed": changed,
                    "body_rows": body_diff(older.body, newer.body),
                }
            )
            continue
        old_value, new_value = _display(older, field), _display(newer, field)
        rows.append(
            {
                "label": field.verbose_name,
                "changed": old_value != new_value,
                "old": old_value,
                "new": new_value,
            }
        )
    return rows


TRACKED_FIELDS = [
    "title",
    "summary",
    "body",
    "column",
    "status",
    "published_at",
    "published_date_only",
    "unpublish_at",
    "headline_until",
    "pinned_until",
    "source",
    "author",
    "responsible_editor",
    "featured",
    "cover_image",
    "meeting",
    "agencies",
    "pairs",
    "is_stub",
    "source_url",
]


#: What the review page of a pending revision compares (the text an import brings).
REVISION_COMPARED_FIELDS = [
    "title",
    "summary",
    "body",
    "source",
    "author",
    "responsible_editor",
    "source_url",
]


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
