"""What the points part contributes: geohazard and flood-control points kept by the offices whose area holds
them (the 安委办/应急管理局, the towns, departments such as 自然资源、水利 within their scope), who also record the
monitors' observations (the 群测群防员 have no account); their ledger, matrix rows, the read-only API and the demo's points."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "warnings.manage_points": SUPERVISORS,
            "warnings.observe_points": SUPERVISORS,
        }
    )
    c.nav(
        contract.NavEntry(
            "warnings-points",
            _("隐患点与防汛重点部位"),
            "warnings:point-list",
            order=30,
            right=("warnings.manage_points", "warnings.observe_points", "warnings.export"),
            group="warnings",
            active="name:point-",
        )
    )
    c.nav(
        contract.NavEntry(
            "warnings-patrols",
            _("巡查任务"),
            "warnings:patrol-list",
            order=31,
            right=("warnings.observe_points",),
            group="warnings",
            active="name:patrol-",
        )
    )
    c.on("warnings.issued", "anlan.warnings.services.points.on_warning_issued")
    c.on("warnings.lifted", "anlan.warnings.services.points.on_warning_lifted")
    c.todo(
        contract.TodoProvider(
            "warnings.patrols",
            _("待完成的巡查任务"),
            queryset="anlan.warnings.selectors.points.my_open_patrols",
            url="anlan.warnings.views.points.patrols_url",
            order=6,
        )
    )
    c.ledger(
        "warning_points",
        "anlan.warnings.views.points.ledger",
        "warnings.export",
        _("隐患点与防汛重点部位台账"),
    )
    c.matrix("anlan.warnings.tests.matrix_points")
    c.api("warnings/points", "anlan.warnings.api.points.PointViewSet", "warnings-point")
    c.demo("warnings_points", "anlan.warnings.demo.points.step", after=["emergency_duty"])
