"""What the use cases of every sub-domain share: notification kinds, turning a rule's refusal into a domain
error, the department a record is made for, telling the enterprise (never about a hidden visit) and the team,
and the enterprise's 经营状态 as an order or a 复产验收 moves it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import recipients
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Enterprise
from anlan.core.rules import RuleViolation
from anlan.core.services import apply_enterprise_transition
from anlan.core.workflow import find
from anlan.notifications.services import notify

from .. import selectors
from ..models import Inspection

# Notification kinds.
ASSIGNED = "inspection_assigned"
ANNOUNCED = "inspection_announced"
RECORDED = "inspection_recorded"
ENFORCEMENT = "inspection_enforcement"
UNAUTHORISED_PRODUCTION = "inspection_unauthorised_production"
RESUMPTION = "inspection_resumption"
SCORE_THRESHOLD = "inspection_score_threshold"


def check_rule(rule, *args, **kwargs):
    """Apply a pure rule; its RuleViolation becomes a DomainError with the rule's code and field."""
    try:
        return rule(*args, **kwargs)
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field=violation.field) from violation


def today() -> date:
    return timezone.localdate()


def acting_department(actor, action: str, department_pk) -> Department:
    """The department a record is made for: one the actor acts for with `action` (their own, or for the
    安委办 any department in its region subtree: `selectors.departments_for`, after core.capacity)."""
    department = selectors.departments_for(actor, action).filter(pk=department_pk).first()
    if department is None:
        raise DomainError(Code.OUT_OF_SCOPE, _("不能以该部门的名义办理。"), field="department")
    return department


def is_hidden_from_enterprise(inspection: Inspection) -> bool:
    return inspection.kind == Inspection.Kind.UNANNOUNCED and inspection.status == Inspection.Status.PLANNED


def tell_enterprise(inspection: Inspection, *, kind: str, title: str, body: str = "", key: str) -> int:
    """Notify the enterprise's users about an inspection, never while it is an unannounced visit."""
    if not inspection.enterprise_id or is_hidden_from_enterprise(inspection):
        return 0
    return notify(
        recipients.enterprise_users(inspection.enterprise_id),
        kind=kind,
        title=title,
        body=body,
        url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        dedupe_key=f"inspection:{inspection.pk}:{key}",
    )


def tell_team(inspection: Inspection) -> None:
    """Notify the team of their assignment: the accounts of its inspectors (the team is this module's own
    group of people, not a body core.recipients knows)."""
    users = [i.user_id for i in inspection.team.all() if i.user_id]
    notify(
        users,
        kind=ASSIGNED,
        title=_("检查任务：%(subject)s") % {"subject": inspection.subject},
        body=f"{inspection.get_kind_display()} · {inspection.planned_on}",
        url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        dedupe_key=f"inspection:{inspection.pk}:assigned",
    )


def move_enterprise(enterprise: Enterprise, name: str, actor, reason: str) -> None:
    """The enterprise's 经营状态 as an order or a completed 复产验收 decides it: core's `Enterprise.TRANSITIONS`
    transition `name` ("suspend", "resume", "close"), by compare-and-set with one history row. Nothing is
    written when the enterprise already is in that state (a supervisor may have recorded it first)."""
    if enterprise.status == find(Enterprise.TRANSITIONS, name).target:
        return
    apply_enterprise_transition(actor=actor, enterprise=enterprise, name=name, reason=reason)
