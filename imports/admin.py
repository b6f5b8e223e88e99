"""Admin: the import records, and the page where an editor uploads pages and confirms the import.

The upload is extracted and shown first (title, date, source, paragraphs, related items, linked
agencies, questions for the editor); nothing is written until the editor confirms. The extracted
pages wait in the editor's session under a random token, never in a temporary file; confirming or
cancelling removes them.

The upload acts as the uploading user, with that user's permissions: new pages become drafts, or
are submitted for review (提交审核), or published by someone who may publish (直接发布); new text
for an article that is not a draft becomes a pending revision for 审核 (``imports.services``).
"""

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Column

from .extract import ExtractedPage, ExtractionError, extract
from .forms import UploadForm
from .models import ImportRecord
from .services import Action, Importer
from .sources import SourceError, SourceFile, read_zip

IMPORT_PERMISSION = "articles.add_article"
PUBLISH_PERMISSION = "articles.publish_article"
SESSION_PREFIX = "imports:pending:"
# What the session may hold for one upload (extracted text, not the raw files).
MAX_PENDING_CHARS = 4_000_000


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("source", "article_link", "encoding", "created_at", "updated_at")
    list_select_related = ("article",)
    search_fields = ("source", "article__title")
    date_hierarchy = "updated_at"
    readonly_fields = ("source", "fingerprint", "article", "encoding", "created_at", "updated_at")
    change_list_template = "imports/admin/importrecord_change_list.html"

    # Whoever may write articles may import them; the records themselves are read-only.
    def has_module_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(IMPORT_PERMISSION) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # A deleted record would make the next import of its page a duplicate article; records go
    # with their article instead (on_delete=CASCADE).
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("稿件"), ordering="article__title")
    def article_link(self, record):
        try:
            url = reverse("admin:articles_article_change", args=[record.article_id])
        except NoReverseMatch:
            return record.article.title
        return format_html('<a href="{}">{}</a>', url, record.article.title)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="imports_importrecord_upload"),
            path("confirm/", wrap(self.confirm_view), name="imports_importrecord_confirm"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self._can_import(request)}
        return super().changelist_view(request, extra_context)

    def _can_import(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def upload_view(self, request):
        """Upload one page or a zip; show what would be imported and ask to confirm."""
        if not self._can_import(request):
            raise PermissionDenied
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        form = UploadForm(request.POST or None, request.FILES or None, can_publish=can_publish)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                files = _uploaded_files(upload)
            except SourceError as exc:
                form.add_error("file", str(exc))
            else:
                if not files:
                    form.add_error("file", _("压缩包里没有网页（.html、.htm、.txt）。"))
                else:
                    return self._preview(request, form, files)
        return TemplateResponse(
            request,
            "imports/admin/upload.html",
            self._context(request, _("导入网页"), form=form, media=self.media + form.media),
        )

    def _preview(self, request, form, files):
        column = form.cleaned_data.get("column")
        publish = bool(form.cleaned_data.get("publish"))
        submit = bool(form.cleaned_data.get("submit"))
        importer = Importer(
            column=column or _unsaved_default_column(),
            publish=publish,
            submit=submit,
            user=request.user,
        )
        entries, pending, size = [], [], 0
        for source in files:
            try:
                page = extract(source.read(), source.name)
            except (ExtractionError, SourceError) as exc:
                entries.append({"name": source.name, "error": str(exc)})
                continue
            entries.append({"name": source.name, "plan": importer.plan(page, source.name)})
            pending.append({"name": source.name, "page": page.to_dict()})
            size += len(page.text)
        if size > MAX_PENDING_CHARS:
            form.add_error("file", _("网页的文字太多，请分成几个压缩包上传。"))
            return TemplateResponse(
                request,
                "imports/admin/upload.html",
                self._context(request, _("导入网页"), form=form, media=self.media + form.media),
            )
        token = secrets.token_urlsafe(16)
        # One pending upload per editor: a newer upload replaces any that was never confirmed.
        stale = [key for key in request.session.keys() if key.startswith(SESSION_PREFIX)]  # noqa: SIM118
        for key in stale:
            del request.session[key]
        if pending:
            request.session[SESSION_PREFIX + token] = {
                "column": column.pk if column else None,
                "publish": publish,
                "submit": submit,
                "pages": pending,
            }
        return TemplateResponse(
            request,
            "imports/admin/preview.html",
            self._context(
                request,
                _("导入预览"),
                entries=entries,
                token=token,
                importable=bool(pending),
                column=column,
                publish=publish,
                submit=submit,
            ),
        )

    def confirm_view(self, request):
        """Import what the preview showed, or drop it; either way the pending upload is gone."""
        if not self._can_import(request):
            raise PermissionDenied
        changelist = reverse("admin:imports_importrecord_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:imports_importrecord_upload"))
        pending = request.session.pop(SESSION_PREFIX + request.POST.get("token", ""), None)
        if "cancel" in request.POST:
            self.message_user(request, _("已取消导入，没有写入任何内容。"), messages.INFO)
            return HttpResponseRedirect(changelist)
        if pending is None:
            self.message_user(
                request, _("这次上传已经处理过或已过期，请重新上传。"), messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:imports_importrecord_upload"))
        column = Column.objects.filter(pk=pending["column"]).first() if pending["column"] else None
        publish = pending["publish"] and request.user.has_perm(PUBLISH_PERMISSION)
        # The upload acts as the uploading user, with that user's permissions.
        importer = Importer(
            column=column, publish=publish, submit=pending.get("submit", False), user=request.user
        )
        counts = {Action.CREATE: 0, Action.UPDATE: 0, Action.UNCHANGED: 0, Action.REVISE: 0}
        failures, notes = [], []
        for entry in pending["pages"]:
            try:
                page = ExtractedPage.from_dict(entry["page"])
                plan = importer.plan(page, entry["name"])
                importer.apply(plan)
            except Exception as exc:  # one page failing must not stop the others
                failures.append(f"{entry['name']}：{exc}")
                continue
            counts[Action.UPDATE if plan.action == Action.FILL_STUB else plan.action] += 1
            notes += [f"{entry['name']}：{note}" for note in plan.notes]
        self.message_user(
            request,
            _(
                "导入完成：新建 %(created)s，更新 %(updated)s，待审修订 %(revised)s，"
                "无变化 %(unchanged)s，失败 %(failed)s。"
            )
            % {
                "created": counts[Action.CREATE],
                "updated": counts[Action.UPDATE],
                "revised": counts[Action.REVISE],
                "unchanged": counts[Action.UNCHANGED],
                "failed": len(failures),
            },
            messages.ERROR if failures else messages.SUCCESS,
        )
        if counts[Action.REVISE]:
            self.message_user(
                request,
                _("不是草稿的稿件没有被改动：新文本作为待审修订，等待审核人员比较后采用或拒绝。"),
                messages.INFO,
            )
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(changelist)


def _uploaded_files(upload):
    data = upload.read()
    if upload.name.lower().endswith(".zip"):
        return read_zip(data)
    return [SourceFile(upload.name, data=data)]


def _unsaved_default_column():
    """The default column for a preview, without creating it (a preview writes nothing)."""
    return Column.objects.filter(slug="work").first() or Column(slug="work", name="工作动态")
