"""Demo county: drills of the published plans — an enterprise's drill evaluated, reported and acknowledged with
a problem made a hazard, the town's drill reported and waiting for the county, and plans left undrilled (every
third one, and those published more than 150 days ago) so the compliance page shows every status. Built through the services, as the users would."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from anlan.core.errors import DomainError
from anlan.core.units import is_member

from ..models import Drill, Plan
from ..services import drills as services

SCENARIOS = {
    "comprehensive": (
        "综合应急演练",
        "combined",
        "模拟施工现场塔吊倒塌造成人员被困，启动综合应急预案，开展搜救、医疗救护和警戒疏散。",
    ),
    "special": ("专项应急演练", "live", "模拟仓库火灾，组织初期火灾扑救、人员疏散和消防救援力量引导。"),
    "on_site": (
        "现场处置演练",
        "tabletop",
        "模拟有限空间作业人员中毒晕倒，推演监护人报警、通风检测和施救步骤。",
    ),
}


def step(demo) -> None:
    today = demo.today
    users = demo.users
    made = 0
    plans = list(
        Plan.objects.filter(status=Plan.Status.PUBLISHED).exclude(kind="card").select_related("owner")
    )
    for index, plan in enumerate(plans):
        if index % 3 == 2 or (plan.published_on and plan.published_on < today - timedelta(days=150)):
            continue  # left undrilled: due soon or overdue on the compliance page
        actor = next((u for u in users.values() if is_member(u, plan.owner)), None)
        if actor is None or plan.published_on is None:
            continue
        title, kind, scenario = SCENARIOS.get(plan.kind, SCENARIOS["comprehensive"])
        held_on = max(plan.published_on, today - timedelta(days=20 + 15 * index))
        try:
            drill = services.record_drill(
                actor=actor,
                plan_pk=plan.pk,
                data={
                    "title": f"{plan.owner.name}{title}",
                    "kind": kind,
                    "scenario": scenario,
                    "place": plan.owner.name,
                    "held_on": held_on,
                    "participants": 20 + 7 * index,
                    "participating_units": _("本单位各部门、属地乡镇"),
                },
            )
            made += 1
            services.evaluate_drill(
                actor=actor,
                drill_pk=drill.pk,
                data={
                    "evaluated_on": held_on,
                    "conclusion": Drill.Conclusion.BASIC,
                    "evaluation": _("响应及时，分工明确；通讯联络不畅，部分人员对疏散路线不熟悉。"),
                },
            )
            problem = services.add_problem(
                actor=actor, drill_pk=drill.pk, description=_("应急广播覆盖不全，部分区域听不到疏散指令")
            )
            if index == 0:
                services.problem_to_hazard(
                    actor=actor, problem_pk=problem.pk, due_on=today + timedelta(days=30)
                )
            services.report_drill(actor=actor, drill_pk=drill.pk)
            drill.refresh_from_db()
            if index == 0:
                receiver = next(
                    (
                        u
                        for u in users.values()
                        if is_member(u, drill.reported_to) and not is_member(u, drill.owner)
                    ),
                    None,
                )
                if receiver is not None:
                    services.acknowledge_drill(actor=receiver, drill_pk=drill.pk)
        except DomainError:
            continue
    demo.counts[_("应急演练")] = made
