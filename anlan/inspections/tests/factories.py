"""Factories of inspection tests: inspectors, planned inspections and the answers that record them."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from anlan.inspections.data.checklists import answer_sheet, items_of
from anlan.inspections.models import Inspection, Inspector

_serial = itertools.count(1)


def inspector(
    department, *, name: str = "", expires_in_days: int = 365, user=None, active: bool = True
) -> Inspector:
    n = next(_serial)
    return Inspector.objects.create(
        department=department,
        user=user,
        name=name or f"执法员{n}",
        certificate_number=f"34112200{n:04d}",
        certificate_expires_on=timezone.localdate() + timedelta(days=expires_in_days),
        is_active=active,
    )


def planned(
    department, enterprise, team, *, kind=Inspection.Kind.ROUTINE, created_by, checklist="construction"
):
    """A planned inspection written straight to the table (no service, no history)."""
    inspection = Inspection.objects.create(
        kind=kind,
        department=department,
        enterprise=enterprise,
        region=enterprise.region,
        industry=enterprise.industry,
        grid=enterprise.grid,
        checklist=checklist,
        planned_on=timezone.localdate(),
        created_by=created_by,
    )
    inspection.team.set(team)
    return inspection


def answers(checklist: str, *, failing: tuple[str, ...] = (), note: str = "现场发现问题") -> dict[str, dict]:
    """Every item of the checklist answered 符合, except `failing` items answered 不符合 with a note."""
    return answer_sheet(checklist, failing=failing, note=note)


def record_data(kind: str = Inspection.Kind.ROUTINE) -> dict:
    now = timezone.now()
    return {
        "arrived_at": now - timedelta(hours=2),
        "finished_at": now - timedelta(hours=1),
        "people_met": "李四（安全员）",
        "escort": "" if kind == Inspection.Kind.UNANNOUNCED else "王五",
        "summary": "现场检查",
    }


def record_post(
    checklist: str = "construction", finding: str = "con-5", note: str = "三层临边无防护"
) -> dict:
    """The record page's form data: every item 符合 except `finding`, with its note."""
    now = timezone.localtime()
    data = {
        "arrived_at": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "finished_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "people_met": "李四",
    }
    for item in items_of(checklist):
        data[f"result_{item.key}"] = "non_compliant" if item.key == finding else "compliant"
        data[f"grade_{item.key}"] = item.grade
    data[f"note_{finding}"] = note
    return data


def supervision(enterprise, issuer, issued_by, *, status: str = "listed"):
    """A 挂牌督办 of a new hazard of the enterprise, written straight to the tables (no service, no history)."""
    from anlan.core import units
    from anlan.hazards.models import Supervision
    from anlan.hazards.tests.factories import HazardFactory

    hazard = HazardFactory(enterprise=enterprise, supervising_department=issuer)
    return Supervision.objects.create(
        hazard=hazard,
        level=Supervision.Level.COUNTY,
        status=status,
        issuer=issuer,
        letter_number=f"来建督〔2026〕{next(_serial)}号",
        due_on=hazard.due_on,
        responsible_unit=units.unit_for(enterprise),
        requirements="限期整改到位",
        issued_by=issued_by,
    )
