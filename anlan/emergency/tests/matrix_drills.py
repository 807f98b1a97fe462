"""Permission-matrix rows of drills (see tests/matrix.py).

The drill is enterprise X's (construction, village A): the county 安委办, town A, the 住建局 (which supervises
it), the grid worker and the leader see it; town B, the 交通局 and the expert do not (404). Only enterprise X
records, evaluates and reports it; only the 住建局 (the report's receiver) acknowledges it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.matrix import Route, api, page

OUT = {"town_b": 404, "dept_transport": 404, "expert": 404}


def _plan(c):
    from anlan.emergency.tests.factories_plans import enterprise_plan

    return enterprise_plan(c, state="published", day=date(2026, 3, 2))


def _drill(c, *, stage="held"):
    from anlan.emergency.services import drills

    plan = _plan(c)
    drill = drills.record_drill(actor=c["enterprise_x"], plan_pk=plan.pk, data=drill_data(c, plan=plan))
    if stage in ("evaluated", "reported"):
        drills.evaluate_drill(
            actor=c["enterprise_x"],
            drill_pk=drill.pk,
            data={"evaluated_on": timezone.localdate(), "conclusion": "basic", "evaluation": "基本达到预期"},
        )
    if stage == "reported":
        drills.report_drill(actor=c["enterprise_x"], drill_pk=drill.pk)
    return drill


def drill_data(c, plan=None):
    plan = plan or _plan(c)
    return {
        "plan": plan.pk,
        "title": "塔吊倒塌综合应急演练",
        "kind": "combined",
        "held_on": timezone.localdate() - timedelta(days=1),
        "place": "东关社区项目部",
        "scenario": "塔吊倒塌，人员被困",
        "participants": 30,
        "participating_units": "项目部各班组",
    }


def drill(c):
    return {"pk": _drill(c).pk}


def evaluated(c):
    return {"pk": _drill(c, stage="evaluated").pk}


def reported(c):
    return {"pk": _drill(c, stage="reported").pk}


def problem(c):
    from anlan.emergency.services import drills

    made = drills.add_problem(actor=c["enterprise_x"], drill_pk=_drill(c).pk, description="应急广播覆盖不全")
    return {"pk": made.pk}


SEE = page(200, **OUT)
ORGANISER = page(403, enterprise_x=302, **OUT)


def _audited():
    from anlan.emergency.models import Drill, DrillProblem
    from anlan.hazards.models import Hazard

    return [Drill, DrillProblem, Hazard]


ROUTES = [
    Route("emergency:drill-list", page(200)),
    Route("emergency:drill-compliance", page(200)),
    Route("emergency:drill-create", page(200, grid_worker=403, leader=403, expert=403)),
    Route(
        "emergency:drill-create",
        page(200, enterprise_x=302, grid_worker=403, leader=403, expert=403),
        method="post",
        data=lambda c: {**drill_data(c), "held_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
        writes=True,
    ),
    Route("emergency:drill-detail", SEE, kwargs=drill),
    Route(
        "emergency:drill-evaluate",
        ORGANISER,
        kwargs=drill,
        method="post",
        data=lambda c: {
            "evaluated_on": timezone.localdate().isoformat(),
            "conclusion": "good",
            "evaluation": "良好",
        },
        writes=True,
    ),
    Route(
        "emergency:drill-problem",
        ORGANISER,
        kwargs=drill,
        method="post",
        data=lambda c: {"description": "疏散路线标识不清"},
        writes=True,
    ),
    Route(
        "emergency:drill-problem-hazard",
        ORGANISER,
        kwargs=problem,
        method="post",
        data=lambda c: {"due_on": (timezone.localdate() + timedelta(days=30)).isoformat()},
        writes=True,
    ),
    Route("emergency:drill-report", ORGANISER, kwargs=evaluated, method="post", writes=True),
    Route(
        "emergency:drill-acknowledge",
        page(403, dept_housing=302, **OUT),
        kwargs=reported,
        method="post",
        writes=True,
    ),
    # The read-only API: lists are scoped (200 for everyone signed in), a record out of scope is 404.
    Route("api:emergency-drill-list", api(200)),
    Route("api:emergency-drill-detail", {**SEE, "anonymous": 401}, kwargs=drill),
]

AUDITED = _audited()
