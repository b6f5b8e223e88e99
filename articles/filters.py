"""The news list's filters: column, tag, agency, province, date range and keyword."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from partnerships.models import Agency, Division

from .models import Article, Column, TaggedArticle

ArticleAgency = Article.agencies.through

# Longer digit strings cannot be a primary key (and would overflow PostgreSQL's bigint).
MAX_ID_DIGITS = 18


class AgencyField(forms.CharField):
    """An agency by number (links from agency pages use ``?agency=17``) or by part of its name.

    A text box rather than a list of every agency: there can be thousands of them.
    """

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if value.isdigit():
            agency = None
            if len(value) <= MAX_ID_DIGITS:
                agency = Agency.objects.filter(pk=int(value)).first()
            if agency is None:
                raise ValidationError(_("没有编号为 %(id)s 的机构。"), params={"id": value})
            return agency
        return value


class AgencyFilter(django_filters.Filter):
    field_class = AgencyField


def start_of_day(day):
    """The first instant of ``day`` in the site's time zone (Asia/Shanghai), or ``None`` when
    that instant cannot be written in UTC (the first and last days a date can hold)."""
    start = datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    try:
        start.astimezone(datetime.UTC)
    except OverflowError:
        return None
    return start


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ArticleFilterForm(forms.Form):
    """Checks that the date range is in order."""

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于起始日期。"))
        return cleaned_data


class ArticleFilter(django_filters.FilterSet):
    """Filters over ``Article.objects.published()`` for the news list.

    Multi-valued relations are filtered through ``pk__in`` subqueries, so an article never appears
    twice and the ordering of the list stays the plain publication order.
    """

    q = django_filters.CharFilter(
        label=_("关键词"), method="filter_keyword", max_length=100, strip=True
    )
    # Choices rather than model choices: the view has the columns and provinces already
    # (``choices``), so checking a value costs no query.
    column = django_filters.ChoiceFilter(
        label=_("栏目"), empty_label=_("全部栏目"), method="filter_column"
    )
    tag = django_filters.CharFilter(label=_("标签"), method="filter_tag", max_length=100)
    agency = AgencyFilter(
        label=_("机构"),
        method="filter_agency",
        max_length=100,
        help_text=_("机构名称或简称的一部分。"),
    )
    province = django_filters.ChoiceFilter(
        label=_("省份"), empty_label=_("全部省份"), method="filter_province"
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"), method="filter_date_from", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("结束日期"), method="filter_date_to", widget=DateInput
    )

    class Meta:
        model = Article
        fields = []
        form = ArticleFilterForm

    def __init__(self, *args, columns=None, provinces=None, tags=None, **kwargs):
        """``columns`` (``Column`` rows) and ``provinces`` (``(code, name)`` pairs) are the
        choices of the two selects, read from the database when not given. ``tags`` maps a
        ``tag`` value to the ids of the tags it names (by slug or by name), as the view found
        them with its other rows; a value not in it is looked up when the list is filtered."""
        super().__init__(*args, **kwargs)
        self.tag_ids = dict(tags or {})
        if columns is None:
            columns = list(Column.objects.all())
        if provinces is None:
            provinces = Division.objects.filter(level=Division.Level.PROVINCE).order_by("code")
            provinces = list(provinces.values_list("code", "name"))
        self.column_ids = {column.slug: column.pk for column in columns}
        self.filters["column"].extra["choices"] = [(column.slug, column.name) for column in columns]
        self.filters["province"].extra["choices"] = provinces

    def filter_keyword(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    # Dates are Beijing days. ``published_at`` is compared with the instants the days begin, so
    # the range is read from ``article_status_pub_idx``; ``published_at__date`` would convert
    # every row's time zone first.

    def filter_date_from(self, queryset, name, value):
        start = start_of_day(value)
        return queryset if start is None else queryset.filter(published_at__gte=start)

    def filter_date_to(self, queryset, name, value):
        if value == datetime.date.max:
            return queryset
        end = start_of_day(value + datetime.timedelta(days=1))
        return queryset if end is None else queryset.filter(published_at__lt=end)

    def filter_tag(self, queryset, name, value):
        """Articles with the tag whose slug or name is ``value``, filtered by the tag's id: the
        rows are then found by probing ``tagged_article_unique`` (article, tag) alone, without
        joining ``taggit_tag`` for each article walked."""
        tag_ids = self.tag_ids.get(value)
        if tag_ids is None:
            tag_ids = self.tag_ids[value] = list(
                Tag.objects.filter(Q(slug=value) | Q(name=value)).values_list("pk", flat=True)
            )
        if not tag_ids:
            return queryset.none()
        tagged = TaggedArticle.objects.filter(tag_id__in=tag_ids)
        return queryset.filter(pk__in=tagged.values("content_object_id"))

    def filter_agency(self, queryset, name, value):
        if isinstance(value, Agency):
            links = ArticleAgency.objects.filter(agency=value)
        else:
            links = ArticleAgency.objects.filter(
                Q(agency__name__icontains=value) | Q(agency__short_name__icontains=value)
            )
        return queryset.filter(pk__in=links.values("article_id"))

    def filter_column(self, queryset, name, value):
        # By id, so the column's list and count read article_column_pub_idx alone.
        return queryset.filter(column_id=self.column_ids[value])

    def filter_province(self, queryset, name, value):
        """Articles about an agency in the province, or about a meeting held there."""
        prefix = value[:2]
        links = ArticleAgency.objects.filter(agency__division__code__startswith=prefix)
        return queryset.filter(
            Q(pk__in=links.values("article_id")) | Q(meeting__venue__code__startswith=prefix)
        )
