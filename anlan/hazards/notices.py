"""Who hears about a hazard, through anlan.notifications (one message per recipient and dedupe key).

Recipients are only people who can open the hazard: the enterprise's users, the supervising department,
the town and the county's 安委办 — all inside the hazard's scope by construction.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anlan.core import recipients, units
from anlan.core.audit import record_text
from anlan.core.models import Unit
from anlan.notifications.services import notify

from .models import Hazard, Lead

# Notification kinds (the inbox shows them by kind).
ASSIGNED = "hazard_assigned"
MAJOR_REGISTERED = "hazard_major"
DUE_SOON = "hazard_due_soon"
OVERDUE = "hazard_overdue"
REJECTED = "hazard_rejected"
AWAITING_VERIFICATION = "hazard_awaiting_verification"
SUPERVISION_ISSUED = "hazard_supervision"
EXTENSION = "hazard_extension"
LEAD = "hazard_lead"
LEAD_OUTCOME = "hazard_lead_outcome"


def rectifiers(hazard: Hazard):
    """The enterprise's users; for a hazard at a place, the members of its responsible department or park
    committee (a 督查 problem handed to 住建局), else the town."""
    if hazard.enterprise_id:
        return recipients.enterprise_users(hazard.enterprise_id)
    unit = hazard.responsible_unit if hazard.responsible_unit_id else None
    if unit is not None and unit.kind != Unit.Kind.TOWN:
        users = units.members(unit)  # DISTINCT: re-read by id so it combines with the other recipients
        return users.model.objects.filter(pk__in=users.values("pk"))
    return recipients.town_office(hazard.region_id)


def overseers(hazard: Hazard, *, committee: bool = False):
    """The supervising department and the town; with `committee`, the county's 安委办 too."""
    department = (
        recipients.department_staff(hazard.supervising_department_id)
        if hazard.supervising_department_id
        else recipients.nobody()
    )
    users = department | recipients.town_office(hazard.region_id)
    if committee:
        users = users | recipients.committee_office(hazard.region_id)
    return users


def _send(users, kind: str, hazard: Hazard, title, body: str, key: str) -> int:
    return notify(
        users,
        kind=kind,
        title=record_text(title) % {"number": hazard.number},
        body=body,
        url=reverse("hazards:hazard-detail", args=[hazard.pk]),
        dedupe_key=f"hazard:{hazard.pk}:{key}",
    )


def hazard_registered(hazard: Hazard, actor) -> None:
    """A major hazard goes at once to the supervising department and the 安委办 (安全生产法 第四十一条);
    every hazard registered by someone else goes to whoever rectifies it."""
    if hazard.is_major:
        _send(
            overseers(hazard, committee=True).exclude(pk=actor.pk),
            MAJOR_REGISTERED,
            hazard,
            _("重大事故隐患 %(number)s 已登记"),
            f"{hazard.subject}：{hazard.description[:200]}",
            "major",
        )
    _send(
        rectifiers(hazard).exclude(pk=actor.pk),
        ASSIGNED,
        hazard,
        _("隐患 %(number)s 待整改"),
        f"{hazard.subject}：{hazard.description[:200]}",
        "assigned",
    )


def awaiting_verification(hazard: Hazard, submission_id: int) -> None:
    _send(
        overseers(hazard),
        AWAITING_VERIFICATION,
        hazard,
        _("隐患 %(number)s 已整改，待验收"),
        hazard.subject,
        f"submitted:{submission_id}",
    )


def rejected(hazard: Hazard, verification_id: int, opinion: str) -> None:
    _send(
        rectifiers(hazard),
        REJECTED,
        hazard,
        _("隐患 %(number)s 验收不通过"),
        opinion,
        f"rejected:{verification_id}",
    )


def supervision_issued(hazard: Hazard, supervision) -> None:
    users = rectifiers(hazard) | overseers(hazard)
    _send(
        users,
        SUPERVISION_ISSUED,
        hazard,
        _("隐患 %(number)s 已挂牌督办"),
        f"{supervision.letter_number}：{supervision.requirements[:200]}",
        f"supervision:{supervision.pk}",
    )


def extension_requested(hazard: Hazard, extension) -> None:
    _send(
        overseers(hazard),
        EXTENSION,
        hazard,
        _("隐患 %(number)s 申请延期"),
        extension.reason[:200],
        f"extension:{extension.pk}",
    )


def due_soon(hazard: Hazard) -> int:
    return _send(
        rectifiers(hazard),
        DUE_SOON,
        hazard,
        _("隐患 %(number)s 即将到期"),
        f"{hazard.subject} · {hazard.due_on:%Y-%m-%d}",
        f"due-soon:{hazard.due_on:%Y%m%d}",
    )


def overdue(hazard: Hazard) -> int:
    """To whoever rectifies, and escalated to the overseeing department, the town and the 安委办."""
    users = rectifiers(hazard) | overseers(hazard, committee=True)
    return _send(
        users,
        OVERDUE,
        hazard,
        _("隐患 %(number)s 已逾期未整改"),
        f"{hazard.subject} · {hazard.due_on:%Y-%m-%d}",
        f"overdue:{hazard.due_on:%Y%m%d}",
    )


def lead_reported(lead) -> None:
    notify(
        recipients.town_office(lead.region_id),
        kind=LEAD,
        title=record_text(_("新的隐患线索待核实")),
        body=f"{lead.subject}：{lead.description[:200]}",
        url=reverse("hazards:lead-detail", args=[lead.pk]),
        dedupe_key=f"lead:{lead.pk}:reported",
    )


SUPERVISION_DUE_SOON = "hazard_supervision_due_soon"
SUPERVISION_OVERDUE = "hazard_supervision_overdue"


def _anyone_of(*groups) -> list:
    """The users of several recipient groups, as one list of ids: a distinct queryset (a unit's members) and a
    plain one cannot be combined with `|`."""
    return [pk for group in groups for pk in group.values_list("pk", flat=True)]


def _supervision_parties(supervision) -> list:
    """The responsible unit's members and the issuing department's staff."""
    from anlan.core import units

    return _anyone_of(
        units.members(supervision.responsible_unit), recipients.department_staff(supervision.issuer_id)
    )


def supervision_due_soon(supervision) -> int:
    hazard = supervision.hazard
    return _send(
        _supervision_parties(supervision),
        SUPERVISION_DUE_SOON,
        hazard,
        _("隐患 %(number)s 的挂牌督办即将到期"),
        f"{supervision.letter_number} · {supervision.due_on:%Y-%m-%d}",
        f"supervision-due-soon:{supervision.pk}:{supervision.due_on:%Y%m%d}",
    )


def supervision_overdue(supervision) -> int:
    """Escalated to the 安委办 of the issuer's region (and the parties of the 督办)."""
    hazard = supervision.hazard
    issuer_region = supervision.issuer.region
    office = recipients.committee_office(issuer_region.code, level=min(issuer_region.level, 3))
    return _send(
        _anyone_of(office) + _supervision_parties(supervision),
        SUPERVISION_OVERDUE,
        hazard,
        _("隐患 %(number)s 挂牌督办期限已过仍未销号"),
        f"{supervision.letter_number} · {supervision.due_on:%Y-%m-%d}",
        f"supervision-overdue:{supervision.pk}:{supervision.due_on:%Y%m%d}",
    )


def lead_outcome(lead: Lead, *, actor, reason: str = "") -> int:
    """Tell the signed-in reporter of a lead what became of it: confirmed as hazard N, dismissed (with the
    reason), or — once that hazard is 销号 — closed. Nobody is told of their own decision."""
    if lead.reported_by_id is None or lead.reported_by_id == actor.pk:
        return 0
    if lead.status == Lead.Status.DISMISSED:
        title, key = _("您上报的线索已排除"), "dismissed"
    elif lead.hazard_id and lead.hazard.status == Hazard.Status.CLOSED:
        title, key = _("您上报的线索所立隐患 %(number)s 已整改销号"), "closed"
    else:
        title, key = _("您上报的线索已确认为隐患 %(number)s"), "confirmed"
    number = lead.hazard.number if lead.hazard_id else ""
    return notify(
        [lead.reported_by_id],
        kind=LEAD_OUTCOME,
        title=record_text(title) % {"number": number},
        body=reason,
        url=reverse("hazards:lead-detail", args=[lead.pk]),
        dedupe_key=f"lead:{lead.pk}:{key}",
    )


FILING_MISSING = "hazard_filing_missing"


def filing_missing(filing, department_id: int | None) -> int:
    """An enterprise's 隐患排查治理统计分析表 is past its due date unconfirmed: its supervising department hears
    of it (16号令 第十四条), once per enterprise and period."""
    if department_id is None:
        return 0
    return notify(
        recipients.department_staff(department_id),
        kind=FILING_MISSING,
        title=record_text(
            _("%(enterprise)s 未按期上报%(period)s隐患排查治理统计分析表"),
            enterprise=filing.enterprise.name,
            period=filing.period_label,
        ),
        body=record_text(_("报送期限：%(due)s"), due=filing.due_on.isoformat()),
        url=f"{reverse('hazards:filing-missing')}?period={filing.period}",
        dedupe_key=f"statistics-filing:{filing.enterprise_id}:{filing.period}:missing",
    )
