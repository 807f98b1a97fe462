"""The accident list's filters, shared by the page, its XLSX export and the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import trees
from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, YesNoFilter, scoped_regions
from anlan.core.models import Industry

from .models import Accident, AccidentKind, AccidentType, Grade, Investigation


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class AccidentFilter(ScopedFilterSet):
    # The pair of filters a ledger's title row shows as one period (core.filters.filters_in_words).
    period = ("date_from", "date_to", _("发生日期"))
    q = django_filters.CharFilter(label=_("名称或地点"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )
    grade = django_filters.ChoiceFilter(label=_("事故等级"), choices=Grade.choices)
    kind = django_filters.ChoiceFilter(label=_("事故类别"), choices=AccidentKind.choices)
    type_code = django_filters.ChoiceFilter(label=_("事故类型"), choices=AccidentType.choices)
    late = YesNoFilter(label=_("迟报"), field_name="is_late")
    reply_overdue = YesNoFilter(label=_("批复超期"), field_name="investigation__reply_overdue")
    investigation = django_filters.ChoiceFilter(
        label=_("调查状态"),
        choices=[("none", _("未成立调查组")), *Investigation.Status.choices],
        method="filter_investigation",
    )
    pending = django_filters.ChoiceFilter(
        label=_("待办"),
        choices=[
            ("receive", _("待逐级接报")),
            ("follow_up", _("续报/补报时限内")),
            ("reply", _("调查报告待批复")),
        ],
        method="filter_pending",
    )
    date_from = django_filters.DateFilter(label=_("发生日期起"), method="filter_from")
    date_to = django_filters.DateFilter(label=_("发生日期止"), method="filter_to")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("occurred_at", "occurred"),
            ("deaths", "deaths"),
            ("direct_loss_yuan", "loss"),
            ("grade", "grade"),
        ),
    )

    class Meta:
        model = Accident
        fields = [
            "q",
            "region",
            "industry",
            "grade",
            "kind",
            "type_code",
            "late",
            "reply_overdue",
            "date_from",
            "date_to",
        ]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(title__icontains=value) | Q(place__icontains=value))

    def filter_industry(self, qs, name, value):
        return qs.filter(industry_id__in=sorted(trees.industry_descendants(value.pk))) if value else qs

    def filter_investigation(self, qs, name, value):
        if value == "none":
            return qs.filter(investigation__isnull=True)
        return qs.filter(investigation__status=value) if value else qs

    def filter_pending(self, qs, name, value):
        """The rows of the module's to-dos (`selectors.reports_to_receive`, `selectors.follow_ups_due`)."""
        from . import selectors

        if value == "receive":
            return qs.filter(pk__in=selectors.unreceived_accident_ids())
        if value == "follow_up":
            return selectors.in_supplement_window(qs, timezone.localdate())
        if value == "reply":
            return qs.filter(pk__in=selectors.awaiting_reply_ids())
        return qs

    def filter_from(self, qs, name, value):
        return qs.filter(occurred_at__gte=_local_midnight(value)) if value else qs

    def filter_to(self, qs, name, value):
        return qs.filter(occurred_at__lt=_local_midnight(value + timedelta(days=1))) if value else qs
