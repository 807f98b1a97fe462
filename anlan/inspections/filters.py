"""The filters of the inspection and suspension lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import capacity
from anlan.core.filters import ScopedFilterSet

from . import selectors
from .models import ClosureProposal, EnforcementAction, Inspection, RandomDraw, Suspension


class InspectionFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=Inspection.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Inspection.Status.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="planned_on", lookup_expr="year")
    mine = django_filters.BooleanFilter(label=_("本部门的检查"), method="filter_mine")
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
