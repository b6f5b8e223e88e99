"""Admin forms for articles: the change form, the list_editable rows and the workflow pages.

Each form that saves an article carries the version it was loaded at (a hidden field). If the
article was saved by someone else in the meantime the form is invalid, shows who saved it and
links to the newer version, and keeps everything the user typed.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from taggit.utils import parse_tags

from . import services
from .images import validate_image_upload
from .models import Article, Image
from .pictures import body_picture_errors
from .services import can_edit
from .widgets import ProseEditorWidget


class VersionInput(forms.HiddenInput):
    """The loaded version as a hidden input, shown as text beside it (the list's 版本 column)."""

    def __init__(self, *args, visible=False, **kwargs):
        self.visible = visible
        super().__init__(*args, **kwargs)

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        if not self.visible:
            return hidden
        return format_html("{}{}", value or "", hidden)


class VersionField(forms.IntegerField):
    """The version a form was loaded at. Never counts as a change by itself."""

    def __init__(self, *, visible=False, **kwargs):
        kwargs.setdefault("widget", VersionInput(visible=visible))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("版本"))
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        return False


def conflict_message(article, loaded_version):
    """The Chinese explanation of a refused save, naming who saved last, with links."""
    latest = article.history.select_related("history_user").first()
    who = (latest.history_user.get_username() if latest and latest.history_user else "") or _(
        "其他人"
    )
    when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M") if latest else ""
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    compare_url = reverse("admin:articles_article_compare", args=[article.pk])
    return format_html(
        _(
            "没有保存：您打开这篇稿件（第 {loaded} 版）之后，"
            "{who} 于 {when} 保存了第 {current} 版。您填写的内容仍在下面，没有丢失。请在新窗口"
            '<a href="{change_url}" target="_blank" rel="noopener">打开最新版本</a>'
            '（或<a href="{compare_url}" target="_blank" rel="noopener">查看两版的差别</a>），'
            "把您的修改合并进去后再保存。"
        ),
        loaded=loaded_version,
        who=who,
        when=when,
        current=article.version,
        change_url=change_url,
        compare_url=compare_url,
    )


def check_version(article, loaded_version):
    """Raise a form error unless ``article`` (as just read from the database) is still at
    ``loaded_version``; then keep that version on the instance for the locked save."""
    if loaded_version is None:
        raise ValidationError(_("表单缺少版本号，请重新打开稿件后再保存。"), code="no_version")
    if loaded_version != article.version:
        raise ValidationError(conflict_message(article, loaded_version), code="conflict")


def name_split_datetime(field, date_label, time_label):
    """Give the admin's separate date and time inputs accessible names of their own, and
    show the time to the second: the Chinese locale's ``%H:%M`` would make every save of the
    form move a time set to the second (a scheduled publication, a 头条's end) to its minute."""
    widgets = getattr(getattr(field, "widget", None), "widgets", None)
    if widgets and len(widgets) == 2:
        widgets[0].attrs["aria-label"] = date_label
        widgets[1].attrs["aria-label"] = time_label
        widgets[1].format = "%H:%M:%S"


class ArticleAdminForm(forms.ModelForm):
    """The change form: rich-text body, tag autocomplete, and the version it was loaded at."""

    loaded_version = VersionField()
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        label=gettext_lazy("标签"),
        help_text=gettext_lazy("输入几个字即可从已有标签中选择。"),
    )
    new_tags = forms.CharField(
        required=False,
        label=gettext_lazy("新标签"),
        help_text=gettext_lazy("列表中没有的标签写在这里，用逗号分隔。"),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "column",
            "tags",
            "featured",
            "source",
            "author",
            "responsible_editor",
            "published_at",
            "published_date_only",
            "unpublish_at",
            "headline_until",
            "pinned_until",
            "cover_image",
            "meeting",
            "agencies",
            "pairs",
            "related",
            "is_stub",
            "source_url",
        ]
        widgets = {"body": ProseEditorWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tags = self.fields["tags"]
        tags.widget = AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site)
        tags.widget.choices = tags.choices
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        name_split_datetime(self.fields.get("published_at"), _("发布日期"), _("发布时间"))
        name_split_datetime(self.fields.get("unpublish_at"), _("下线日期"), _("下线时间"))
        name_split_datetime(self.fields.get("headline_until"), _("头条截止日期"), _("头条截止时间"))
        name_split_datetime(self.fields.get("pinned_until"), _("置顶截止日期"), _("置顶截止时间"))

    def clean_body(self):
        """Refuse pictures without alt text and pictures from other sites, naming each one."""
        body = self.cleaned_data.get("body", "")
        errors = body_picture_errors(body)
        if errors:
            raise ValidationError(errors, code="body_pictures")
        return body

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            check_version(self.instance, cleaned_data.get("loaded_version"))
        published_at = cleaned_data.get("published_at", self.instance.published_at)
        unpublish_at = cleaned_data.get("unpublish_at")
        if unpublish_at and published_at and unpublish_at <= published_at:
            self.add_error("unpublish_at", _("下线时间必须晚于发布时间。"))
        self._check_pins(cleaned_data)
        if "tags" in cleaned_data:
            cleaned_data["tags"] = [
                *cleaned_data["tags"],
                *parse_tags(cleaned_data.get("new_tags", "")),
            ]
        return cleaned_data

    def _check_pins(self, cleaned_data):
        """At most one 头条 and three pins per column (``services.pin_errors``), checked only
        when a chief editor changed a pin (the fields are read-only for others)."""
        changed = [name for name in services.PIN_FIELDS if name in self.changed_data]
        if not changed:
            return
        errors = services.pin_errors(
            self.instance,
            column=cleaned_data.get("column") or getattr(self.instance, "column", None),
            headline_until=cleaned_data.get("headline_until"),
            pinned_until=cleaned_data.get("pinned_until"),
            cover_image=cleaned_data.get("cover_image", self.instance.cover_image),
        )
        for name in changed:
            if name in errors:
                self.add_error(name, errors[name])


class ArticleChangeListForm(forms.ModelForm):
    """One row of the article list's editable columns; ``user`` is set per request."""

    user = None
    #: The column choices, read once per list instead of once per row.
    column_choices = None
    loaded_version = VersionField(visible=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain select in each row; the add/change/delete icons beside it only add clutter.
        for field in self.fields.values():
            if isinstance(field.widget, RelatedFieldWidgetWrapper):
                field.widget = field.widget.widget
        if "column" in self.fields and self.column_choices is not None:
            self.fields["column"].choices = self.column_choices
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        # Rows left as they were are not saved, so a newer version of them is no conflict.
        if self.instance.pk and self.has_changed():
            if not can_edit(self.user, self.instance):
                raise ValidationError(
                    _("您没有权限修改“%(status)s”状态的稿件。")
                    % {"status": self.instance.get_status_display()},
                    code="permission",
                )
            check_version(self.instance, cleaned_data.get("loaded_version"))
        return cleaned_data


class MoveForm(forms.Form):
    """The confirmation page of a status move, for one article or a selection."""

    comment = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("会记录在稿件的状态变更中，例如退回修改的原因。"),
    )
    publish_at = forms.SplitDateTimeField(
        label=gettext_lazy("定时发布时间"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=gettext_lazy("到这个时间稿件自动出现在网站上。"),
    )

    word_check_reason = forms.CharField(
        label=gettext_lazy("忽略错敏字的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy(
            "稿件有上面列出的错敏字。最好先改正；确实无误（例如引用原文）才填写理由，"
            "理由会记录在状态变更中。"
        ),
    )

    def __init__(self, *args, move, hits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        self.hits = list(hits)
        if not self.hits:
            del self.fields["word_check_reason"]
        if move.name == "schedule":
            self.fields["publish_at"].required = True
            name_split_datetime(self.fields["publish_at"], _("发布日期"), _("发布时间"))
        else:
            del self.fields["publish_at"]

    def clean_word_check_reason(self):
        reason = self.cleaned_data.get("word_check_reason", "").strip()
        if self.hits and not reason:
            raise ValidationError(
                _("稿件有 %(count)d 处错敏字：请先改正，或写明为什么仍要%(move)s。")
                % {"count": len(self.hits), "move": self.move.label},
                code="word_check",
            )
        return reason

    def clean_publish_at(self):
        publish_at = self.cleaned_data.get("publish_at")
        if publish_at is not None and publish_at <= timezone.now():
            raise ValidationError(_("定时发布的时间必须晚于现在。"), code="past")
        return publish_at


class CheckedImageField(forms.ImageField):
    """Checks type, bytes and pixels (``articles.images``) before Django's own decoding check,
    so a bomb or a renamed file gets our specific message, and nothing big is decoded."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data)
        return super().to_python(data)


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption"]
        field_classes = {"file": CheckedImageField}
