"""Filters shared by the pages and the API, so a list and its export and its API answer the same query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import trees
from .models import Department, Enterprise, Grid, Industry, Region
from .paging import value_label
from .scope import ScopedQuerySet

# Bounds of every date and number a filter accepts: past them a query would overflow (a date in year 1 shifted
# to UTC, year 9999 plus a day, an id past 64 bits), so they are refused like any malformed value (400).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
LARGEST_NUMBER = 2**63 - 1


class AnyYesNoSelect(forms.NullBooleanSelect):
    """The 是/否 choice of a list filter, whose empty choice reads 全部 (Django's own says 未知 / "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("全部")), ("true", _("是")), ("false", _("否")))


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter of the pages and the API (?x=true / ?x=false); its form shows 全部 / 是 / 否."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


class IndustryGrouping(models.TextChoices):
    """How a statistics page groups by industry (its 分组 choice): the 行业领域 tree, the default, or the
    GB/T 4754-2017 门类 the industries carry (`Industry.section`)."""

    INDUSTRY = "industry", _("行业领域")
    SECTION = "section", _("国民经济行业门类")


def industry_grouping_field(**kwargs) -> forms.ChoiceField:
    """The 分组 choice of a statistics filter form (行业领域 unless asked)."""
    return forms.ChoiceField(label=_("分组"), choices=IndustryGrouping.choices, required=False, **kwargs)


class IndustryGroupingForm(forms.Form):
    """The 分组 choice alone, for a statistics page whose other filters are a filterset or none."""

    group = industry_grouping_field()

    @property
    def grouping(self) -> str:
        """The grouping asked for; 行业领域 when none or an unknown one is."""
        if self.is_bound and self.is_valid() and self.cleaned_data["group"]:
            return self.cleaned_data["group"]
        return IndustryGrouping.INDUSTRY


def in_scope(model):
    """A filter queryset of the rows of `model` the request's user may see (none without a request)."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.for_user(request.user)

    return queryset


class ScopedModelFilter(django_filters.ModelChoiceFilter):
    """`?<name>=<id>` of a record the caller may see. An id out of the caller's scope is refused exactly like an
    id that does not exist (the same 400 and message), so a filter cannot tell which ids exist."""

    def __init__(self, *args, model=None, **kwargs):
        if model is not None:
            kwargs["queryset"] = in_scope(model)
        kwargs.setdefault("widget", forms.NumberInput)  # never a <select> of every record in scope
        super().__init__(*args, **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """The base of every FilterSet: an id filter on a scoped model (declared in `Meta.fields` or as
    `ScopedModelFilter`) accepts only ids in the caller's scope, and dates and numbers are bounded."""

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        filter_ = super().filter_for_field(field, field_name, lookup_expr)
        model = getattr(field, "related_model", None)
        if isinstance(filter_, django_filters.ModelChoiceFilter) and _is_scoped(model):
            filter_.queryset = in_scope(model)
            filter_.extra["widget"] = forms.NumberInput
        return filter_

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data = _without_empty_choices(self.data, self.filters)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.filters.BaseCSVFilter):
                continue  # a list of values: its items are not bounded here
            if isinstance(filter_, django_filters.DateFilter):
                _bound(filter_, EARLIEST_DATE, LATEST_DATE)
            elif isinstance(filter_, django_filters.NumberFilter):
                if filter_.lookup_expr == "year":
                    _bound(filter_, EARLIEST_DATE.year, LATEST_DATE.year)
                else:
                    _bound(filter_, -LARGEST_NUMBER, LARGEST_NUMBER)


def _without_empty_choices(data, filters):
    """A form's select of a multiple-choice filter sends `status=` for 全部: that empty value means no choice,
    not a choice that does not exist (which would make the whole filter invalid and the list unfiltered)."""
    names = [name for name, f in filters.items() if isinstance(f, django_filters.MultipleChoiceFilter)]
    if not hasattr(data, "getlist") or not any("" in data.getlist(name) for name in names):
        return data
    data = data.copy()
    for name in names:
        data.setlist(name, [value for value in data.getlist(name) if value != ""])
    return data


def _is_scoped(model) -> bool:
    return model is not None and isinstance(model._default_manager.all(), ScopedQuerySet)


def _bound(filter_, lowest, highest) -> None:
    filter_.extra["validators"] = [
        *filter_.extra.get("validators", []),
        MinValueValidator(lowest),
        MaxValueValidator(highest),
    ]


def scoped_regions(request):
    """The regions a list may be filtered by: the user's scope, from the county down (a filter's queryset)."""
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user).filter(level__gte=Region.Level.COUNTY)


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """`?region=<code>`: records in that region's whole subtree (a code range, indexed)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(trees.subtree_q(self.field_name, value))


class EnterpriseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )
    status = django_filters.ChoiceFilter(label=_("经营状态"), choices=Enterprise.Status.choices)
    scale = django_filters.ChoiceFilter(label=_("规模"), choices=Enterprise.Scale.choices)
    scale_to_verify = YesNoFilter(label=_("规模待核定"), field_name="scale_to_verify")
    major_hazard = YesNoFilter(label=_("重大危险源"), field_name="has_major_hazard_source")
    crowded = YesNoFilter(label=_("人员密集场所"), field_name="is_crowded_place")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("region", "region"),
            ("employees", "employees"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("名称"),
            "uscc": _("信用代码"),
            "region": _("区划"),
            "employees": _("从业人员"),
        },
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "industry", "status", "scale", "scale_to_verify", "major_hazard", "crowded"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(uscc__startswith=value.upper()))

    def filter_industry(self, qs, name, value):
        if not value:
            return qs
        ids = trees.industry_descendants(value.pk)
        through = Enterprise.other_industries.through.objects.filter(industry_id__in=ids)
        return qs.filter(Q(industry_id__in=ids) | Q(pk__in=through.values("enterprise_id")))


class RegionFilter(ScopedFilterSet):
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent_id")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Region.Level.choices)
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]


class DepartmentFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Department.Kind.choices)

    class Meta:
        model = Department
        fields = ["q", "kind"]


class GridFilter(ScopedFilterSet):
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Grid
        fields = ["region", "q"]


# ---------------------------------------------------------------- a list's filters in words (ledger title row)


@dataclass(frozen=True)
class FilterWords:
    """What a filtered list shows, in words: the region filtered on (its name), the period (a FilterSet's
    `period = (from, to, label)`) and every other filter as "label：value"."""

    region: str = ""
    period: str = ""
    others: list[str] = field(default_factory=list)


def filters_in_words(filterset) -> FilterWords:
    """The filterset's active filters described by their labels and the chosen values' labels, in the order
    the filterset declares them. Empty values, the sort key and parameters the filterset does not know are
    left out; an invalid filterset filters nothing (`paging.filtered`), so it is described as no filter."""
    if not (filterset.is_bound and filterset.is_valid()):
        return FilterWords()
    filters = filterset.filters.items()
    return form_in_words(
        filterset.form,
        period=getattr(filterset, "period", None),
        region=next((name for name, f in filters if isinstance(f, RegionSubtreeFilter)), None),
        skip={name for name, f in filters if isinstance(f, django_filters.OrderingFilter)},
    )


def form_in_words(form, *, period=None, region: str | None = "region", skip=frozenset()) -> FilterWords:
    """A valid query form's answers in words (what `filters_in_words` says of a filterset's form): the
    `region` field's choice by name, the `period = (from, to, label)` pair as one phrase, every other field
    with a value as "label：value", in the form's order; fields in `skip` and empty ones left out."""
    data = form.cleaned_data
    start_name, end_name, period_label = period or (None, None, "")
    region_name, others = "", []
    for name, form_field in form.fields.items():
        value = data.get(name)
        if name in skip or name in (start_name, end_name):
            continue
        if value is None or value == "" or value == [] or value == ():
            continue
        if name == region:
            region_name = str(value)
            continue
        others.append(f"{form_field.label}：{value_label(form_field, value)}")
    period_words = period_in_words(period_label, data.get(start_name), data.get(end_name))
    return FilterWords(region=region_name, period=period_words, others=others)


def period_in_words(label, start: date | None, end: date | None) -> str:
    """ "发现日期 2026-01-01 至 2026-03-31", or with one end open "… 起" / "… 至 2026-03-31"; "" for none."""
    if start and end:
        return gettext("%(label)s %(start)s 至 %(end)s") % {"label": label, "start": start, "end": end}
    if start:
        return gettext("%(label)s %(start)s 起") % {"label": label, "start": start}
    if end:
        return gettext("%(label)s 至 %(end)s") % {"label": label, "end": end}
    return ""
