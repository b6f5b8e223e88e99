from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Column
from qxs.cache import cached_for_generation


def column_choices():
    """``(pk, slug, name)`` of every column, in their order: the options of the column select
    and what a chosen slug is checked against. Kept per content generation (a column is
    content), so a search reads no column once the cache is warm."""
    return cached_for_generation(
        "search:column-choices", lambda: list(Column.objects.values_list("pk", "slug", "name"))
    )


class SearchFilterForm(forms.Form):
    """Filters and sort order beside the query (the query itself is parsed by ``parse_query``,
    which accepts anything a reader can type).

    ``columns`` are ``column_choices()``: a column is chosen by its slug among them, with no
    query, and cleaned to a ``Column`` holding its pk, slug and name.
    """

    SORT_CHOICES = [("relevance", _("按相关度")), ("date", _("按发布时间"))]

    column = forms.ChoiceField(
        label=_("栏目"),
        required=False,
        # A model choice field's wording, which does not repeat what the reader sent.
        error_messages={
            "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False)

    def __init__(self, data, columns):
        super().__init__(data)
        self.columns = {slug: Column(pk=pk, slug=slug, name=name) for pk, slug, name in columns}
        field = self.fields["column"]
        field.choices = [(slug, column.name) for slug, column in self.columns.items()]
        # The select's first option (articles.views.filter_fields), as a model choice field has.
        field.empty_label = _("全部栏目")

    def clean_column(self):
        return self.columns.get(self.cleaned_data["column"])

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

    def options(self):
        """The choices of the two selects as ``(value, label)`` pairs, for ``filter_fields()``."""
        return {"column": self.fields["column"].choices, "sort": self.SORT_CHOICES}
