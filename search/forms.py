from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from articles.models import Column


class PlainQueryChoices(ModelChoiceIterator):
    """The choices from one ordinary query. Django's iterator reads them through a server-side
    cursor on PostgreSQL (declare, fetch, close: three round trips for a handful of columns)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class PlainQueryChoiceField(forms.ModelChoiceField):
    iterator = PlainQueryChoices


class SearchFilterForm(forms.Form):
    """Filters and sort order beside the query (the query itself is parsed by ``parse_query``,
    which accepts anything a reader can type)."""

    SORT_CHOICES = [("relevance", _("按相关度")), ("date", _("按发布时间"))]

    column = PlainQueryChoiceField(
        label=_("栏目"),
        queryset=Column.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("全部栏目"),
    )
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return cleaned

    def filters(self):
        """The valid filters only: a mistyped date is reported but does not stop the search."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
