"""Scoped reads of warnings: the list, one warning, its recipients, the confirmation board and what a
recipient has to confirm."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from anlan.core import rules as core_rules
from anlan.core import trees
from anlan.core.contract import TodoItem
from anlan.core.models import ReceiptTask, Region
from anlan.core.units import acts_for, committee_office_for

from .. import rules
from ..models import Warning, WarningRecipient

DRAFT = "warnings.draft"
ISSUE = "warnings.issue"
BOARD = "warnings.view_board"
TASK_KIND = "warnings.warning"
Status = ReceiptTask.Status


def visible(user) -> QuerySet[Warning]:
    """The warnings a user may open: those of their scope (drafts only there), and the issued or lifted ones
    they received."""
    received = (
        WarningRecipient.objects.filter(user=user).values("warning_id") if user.is_authenticated else []
    )
    return Warning.objects.filter(
        Q(pk__in=Warning.objects.for_user(user).values("pk"))
        | (Q(pk__in=received) & ~Q(status__in=[rules.DRAFT, rules.WITHDRAWN]))
    ).select_related("region", "issuer")


def access_warning(user, pk, *, for_update: bool = False) -> Warning:
    queryset = visible(user)
    if for_update:
        queryset = Warning.objects.filter(pk__in=queryset.values("pk")).select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (Warning.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("记录不存在或不在您的管辖范围内。")) from exc


def in_scope(user, warning: Warning) -> bool:
    """Whether the warning is in the user's own scope (not only received): who may see its recipients."""
    return Warning.objects.for_user(user).filter(pk=warning.pk).exists()


def issuing_unit(warning: Warning):
    """The unit a warning is issued in the name of: its issuer, else the 安委办 of its area's county."""
    if warning.issuer_id:
        return warning.issuer
    code = warning.region_id
    if core_rules.level_of_code(code) < trees.COUNTY:
        return None
    county = Region.objects.filter(code=trees.county_of(code)).first()
    return committee_office_for(county) if county else None


def may_issue(user, warning: Warning) -> bool:
    """突发事件应对法 第六十四条: the county-level 安委办 (应急管理局) acting for the issuing unit."""
    return acts_for(user, issuing_unit(warning), ISSUE)


def recipients_of(warning: Warning, revision: int | None = None) -> QuerySet[WarningRecipient]:
    revision = warning.revision if revision is None else revision
    return WarningRecipient.objects.filter(warning=warning, revision=revision).select_related("task")


def next_list(warning: Warning) -> QuerySet[WarningRecipient]:
    """The stored list the next issue sends (a draft's list, shown before sending)."""
    return recipients_of(warning, warning.revision + 1)


def my_recipient_rows(user) -> QuerySet[WarningRecipient]:
    """What the user has received: their rows of live revisions, newest first."""
    return (
        WarningRecipient.objects.filter(user=user, task__isnull=False)
        .select_related("warning", "task")
        .order_by("-task__sent_at", "-pk")
    )


def my_open_rows(user) -> QuerySet[WarningRecipient]:
    return my_recipient_rows(user).filter(task__status__in=ReceiptTask.OPEN, warning__status=rules.ISSUED)


def todo_items(rows, limit: int) -> list[TodoItem]:
    from django.urls import reverse

    return [
        TodoItem(
            title=row.warning.title,
            url=reverse("warnings:warning-detail", args=[row.warning_id]),
            note=f"{row.warning.level_label} · {row.warning.get_hazard_display()}",
        )
        for row in rows.select_related("warning")[:limit]
    ]


@dataclass
class BoardRow:
    code: str
    name: str
    confirmed: int = 0
    pending: int = 0
    escalated: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.pending + self.escalated

    @property
    def rate(self) -> int:
        return round(100 * self.confirmed / self.total) if self.total else 0


@dataclass
class Board:
    rows: list[BoardRow] = field(default_factory=list)
    not_sent: int = 0

    @property
    def totals(self) -> BoardRow:
        total = BoardRow("", _("合计"))
        for row in self.rows:
            total.confirmed += row.confirmed
            total.pending += row.pending
            total.escalated += row.escalated
            total.cancelled += row.cancelled
        return total


def board(warning: Warning, revision: int | None = None) -> Board:
    """The confirmation board of a revision: confirmed / pending / escalated per town (the county's own
    offices and departments on the county's row), one SQL aggregate."""
    revision = warning.revision if revision is None else revision
    town_prefix = 9  # 12-digit codes: 省2 市2 县2 乡镇3
    rows = (
        WarningRecipient.objects.filter(warning=warning, revision=revision)
        .annotate(town=Substr("region_id", 1, town_prefix))
        .values("town", "task__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[str, BoardRow] = {}
    result = Board()
    for row in rows:
        status = row["task__status"]
        if status is None:
            result.not_sent += row["n"]
            continue
        code = row["town"].ljust(12, "0")
        entry = found.setdefault(code, BoardRow(code, ""))
        attr = {
            Status.CONFIRMED: "confirmed",
            Status.PENDING: "pending",
            Status.ESCALATED: "escalated",
            Status.CANCELLED: "cancelled",
        }[status]
        setattr(entry, attr, getattr(entry, attr) + row["n"])
    names = dict(Region.objects.filter(code__in=list(found)).values_list("code", "name"))
    county = (
        trees.county_of(warning.region_id)
        if core_rules.level_of_code(warning.region_id) >= trees.COUNTY
        else ""
    )
    for code, entry in found.items():
        entry.name = names.get(code) or names.get(county) or _("县直单位")
        if code.endswith("000000") and code[:6] == county[:6]:
            entry.name = _("县直单位")
    result.rows = sorted(found.values(), key=lambda r: (r.code != county, r.code))
    return result


def unconfirmed(
    warning: Warning, *, town: str = "", revision: int | None = None
) -> QuerySet[WarningRecipient]:
    """The recipients of a revision still open (pending or escalated), optionally in one town."""
    rows = recipients_of(warning, revision).filter(task__status__in=ReceiptTask.OPEN)
    if town:
        low, high = core_rules.subtree_bounds(town, Region.Level.TOWN)
        rows = rows.filter(region_id__gte=low, region_id__lte=high)
    return rows
