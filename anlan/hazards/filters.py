"""One FilterSet for the hazard list, its ledger export, its API and its statistics: the same query everywhere."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import trees
from anlan.core.filters import (
    RegionSubtreeFilter,
    ScopedFilterSet,
    ScopedModelFilter,
    YesNoFilter,
    scoped_regions,
)
from anlan.core.models import Enterprise, Industry, Unit

from . import rules, selectors
from .models import Hazard, Lead, StatisticsFiling, Supervision

# `?to=`: the rows behind a to-do of the home page (the same selectors count them).
TODO_CHOICES = (
    ("verify", _("待我验收")),
    ("rectify", _("待我整改")),
    ("decide_extension", _("延期待我审批")),
)


# A department, town or park committee answering for a place hazard (services.PLACE_UNIT_KINDS).
GOVERNMENT_UNIT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)


class HazardFilter(ScopedFilterSet):
    # The pair of filters a ledger's title row shows as one period (core.filters.filters_in_words).
    period = ("found_from", "found_to", _("发现日期"))
    q = django_filters.CharFilter(label=_("编号、单位或描述"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )
    enterprise = ScopedModelFilter(label=_("生产经营单位"), model=Enterprise)
    # No join behind it, so no DISTINCT (which would make the count a subquery and the page a sort).
    status = django_filters.MultipleChoiceFilter(
        label=_("状态"), choices=Hazard.Status.choices, distinct=False
    )
    grade = django_filters.ChoiceFilter(label=_("隐患等级"), choices=Hazard.Grade.choices)
    source = django_filters.ChoiceFilter(label=_("隐患来源"), choices=Hazard.Source.choices)
    category = django_filters.ChoiceFilter(label=_("隐患类别"), choices=Hazard.Category.choices)
    overdue = YesNoFilter(label=_("逾期"), method="filter_overdue")
    supervised = YesNoFilter(label=_("挂牌督办中"), method="filter_supervised")
    # 督查问题 and other place hazards a government unit answers for (issue #17: the same ledger as hazards).
    government = YesNoFilter(label=_("责任单位为政府部门"), method="filter_government")
    to = django_filters.ChoiceFilter(label=_("待办"), choices=TODO_CHOICES, method="filter_to")
    found_from = django_filters.DateFilter(label=_("发现日期起"), field_name="found_on", lookup_expr="gte")
    found_to = django_filters.DateFilter(label=_("发现日期止"), field_name="found_on", lookup_expr="lte")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("found_on", "found"), ("due_on", "due"), ("number", "number")),
        field_labels={"found_on": _("发现日期"), "due_on": _("整改期限"), "number": _("编号")},
    )

    class Meta:
        model = Hazard
        fields = ["q", "region", "industry", "enterprise", "status", "grade", "source", "category"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(number__istartswith=value)
            | Q(enterprise__name__icontains=value)
            | Q(place__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_industry(self, qs, name, value):
        return qs.filter(industry_id__in=trees.industry_descendants(value.pk)) if value else qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = selectors.overdue_q(timezone.localdate())
        return qs.filter(overdue) if value else qs.exclude(overdue)

    def filter_government(self, qs, name, value):
        if value is None:
            return qs
        government = Q(enterprise__isnull=True, responsible_unit__kind__in=GOVERNMENT_UNIT_KINDS)
        return qs.filter(government) if value else qs.exclude(government)

    def filter_supervised(self, qs, name, value):
        if value is None:
            return qs
        listed = Supervision.objects.filter(status=Supervision.Status.LISTED).values("hazard_id")
        return qs.filter(pk__in=listed) if value else qs.exclude(pk__in=listed)

    def filter_to(self, qs, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return qs
        if value == "verify":
            return qs.filter(pk__in=selectors.hazards_to_verify(user).values("pk"))
        if value == "rectify":
            return qs.filter(pk__in=selectors.hazards_to_rectify(user).values("pk"))
        return qs.filter(pk__in=selectors.extensions_to_decide(user).values("hazard_id"))


class LeadFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Lead.Status.choices)
    source = django_filters.ChoiceFilter(label=_("线索来源"), choices=Lead.Source.choices)
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    mine = YesNoFilter(label=_("只看我上报的"), method="reported_by_me")

    class Meta:
        model = Lead
        fields = ["status", "source", "region", "mine"]

    def reported_by_me(self, queryset, name, value):
        return queryset.filter(reported_by=self.request.user) if value else queryset


class SupervisionFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Supervision.Status.choices)
    level = django_filters.ChoiceFilter(label=_("督办层级"), choices=Supervision.Level.choices)

    class Meta:
        model = Supervision
        fields = ["status", "level"]


def filing_period_choices() -> list[tuple[str, str]]:
    """The periods a supervisor looks at: the last eight quarters and the last two years, latest first."""
    today = timezone.localdate()
    quarters = rules.ended_filing_periods(today, quarters=8)[:-1]
    years = [str(today.year - 1), str(today.year - 2)]
    return [(period, rules.filing_period_label(period)) for period in [*quarters, *years]]


class MissingFilingFilter(ScopedFilterSet):
    """The enterprises flagged for a missing 统计分析表: by period, region, industry and name."""

    q = django_filters.CharFilter(label=_("单位名称"), method="filter_q")
    period = django_filters.ChoiceFilter(label=_("统计期"), choices=filing_period_choices)
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )

    class Meta:
        model = StatisticsFiling
        fields = ["q", "period", "region", "industry"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        return qs.filter(enterprise__name__icontains=value) if value else qs

    def filter_industry(self, qs, name, value):
        return qs.filter(industry_id__in=trees.industry_descendants(value.pk)) if value else qs
