"""The filters of the inspection and suspension lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import capacity
from anlan.core.filters import ScopedFilterSet, YesNoFilter

from . import selectors
from .models import ClosureProposal, EnforcementAction, Inspection, RandomDraw, Suspension, WatchPlan


class InspectionFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=Inspection.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Inspection.Status.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="planned_on", lookup_expr="year")
    mine = YesNoFilter(label=_("本部门的检查"), method="filter_mine")
    enforcement = django_filters.ChoiceFilter(
        label=_("执法措施"), choices=EnforcementAction.Status.choices, method="filter_enforcement"
    )

    class Meta:
        model = Inspection
        fields = ["kind", "status", "enterprise", "department", "year"]

    def filter_mine(self, queryset, name, value):
        """Inspections of the departments the user belongs to (the 待办 "待检查" link)."""
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        departments = [m.department_id for m in capacity.capacities(user) if m.department_id]
        return queryset.filter(department_id__in=departments)

    def filter_enforcement(self, queryset, name, value):
        return queryset.filter(actions__status=value).distinct()


class SuspensionFilter(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=Suspension.Status.choices)

    class Meta:
        model = Suspension
        fields = ["status", "enterprise"]


class ClosureFilter(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=ClosureProposal.Status.choices)

    class Meta:
        model = ClosureProposal
        fields = ["status", "enterprise"]


class DrawFilter(ScopedFilterSet):
    OVERDUE, LATE = "overdue", "late"

    status = django_filters.ChoiceFilter(label=_("状态"), choices=RandomDraw.Status.choices)
    publication = django_filters.ChoiceFilter(
        label=_("结果公开"),
        choices=[(OVERDUE, _("逾期未公开")), (LATE, _("逾期公开"))],
        method="filter_publication",
    )

    class Meta:
        model = RandomDraw
        fields = ["status", "department"]

    def filter_publication(self, queryset, name, value):
        """逾期未公开: confirmed and past the due day now; 逾期公开: published after it."""
        if value == self.OVERDUE:
            return queryset.filter(selectors.publication_overdue(timezone.localdate()))
        if value == self.LATE:
            return queryset.filter(published_late=True)
        return queryset


class WatchPlanFilter(ScopedFilterSet):
    """The 盯守 list: kind, active or ended, and the plans due or overdue."""

    kind = django_filters.ChoiceFilter(label=_("类别"), choices=WatchPlan.Kind.choices)
    is_active = django_filters.ChoiceFilter(
        label=_("执行状态"), choices=[("yes", _("执行中")), ("no", _("已结束"))], method="filter_active"
    )
    overdue = django_filters.ChoiceFilter(
        label=_("巡查期限"), choices=[("yes", _("已逾期")), ("no", _("未逾期"))], method="filter_overdue"
    )
    due = YesNoFilter(label=_("今日到期及逾期"), method="filter_due")

    class Meta:
        model = WatchPlan
        fields = ["kind", "enterprise"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes") if value else queryset

    def filter_overdue(self, queryset, name, value):
        """逾期: an active plan whose next visit was due before today (rules.watch_overdue)."""
        if not value:
            return queryset
        overdue = Q(is_active=True, next_due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    def filter_due(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(is_active=True, next_due_on__lte=timezone.localdate())
