"""What the warnings part contributes to the kernel (called from apps.py).

Rights: supervisors (安委办, departments such as 气象、水利、自然资源, towns) draft warnings and import CAP alerts;
only the 安委办/应急管理局 issues, adjusts and lifts them — 突发事件应对法 第六十四条: the county-level government
issues, here its 应急管理部门 acting for the county — and the services also require acting for the issuing unit.
Recipients confirm and report measures as themselves (no role right needed)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "warnings.draft": SUPERVISORS,
            # 突发事件应对法 第六十四条: 县级以上地方人民政府 issue warnings.
            "warnings.issue": {Role.COMMITTEE_OFFICE},
            "warnings.view_board": SUPERVISORS | {Role.LEADER},
            # 突发事件应对法 第六十五条: each 人员密集场所 names its warning receiver.
            "warnings.manage_receivers": SUPERVISORS | {Role.ENTERPRISE},
            "warnings.export": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "warnings-list",
            _("预警发布"),
            "warnings:warning-list",
            order=10,
            group="warnings",
            active="name:warning-",
        ),
        contract.NavEntry(
            "warnings-received",
            _("我收到的预警"),
            "warnings:received",
            order=11,
            group="warnings",
            active="name:received",
        ),
        contract.NavEntry(
            "warnings-receivers",
            _("人员密集场所预警接收人"),
            "warnings:receiver-list",
            order=40,
            right=("warnings.manage_receivers", "warnings.export"),
            group="warnings",
            active="name:receiver-",
        ),
    )
    c.panel(contract.Panel("warnings-receiver", "warnings:enterprise-receiver", order=60))
    c.job("warnings.dispatch", "anlan.warnings.services.dispatch.dispatch_job", _("发送预警"))
    c.job("warnings.build_recipients", "anlan.warnings.services.warnings.build_job", _("生成预警接收名单"))
    c.on("core.receipt_escalated", "anlan.warnings.services.warnings.on_receipt_escalated")
    c.todo(
        contract.TodoProvider(
            "warnings.to_confirm",
            _("待确认的预警"),
            queryset="anlan.warnings.selectors.warnings.my_open_rows",
            url="anlan.warnings.views.warnings.received_url",
            items="anlan.warnings.selectors.warnings.todo_items",
            order=5,
        )
    )
    c.sweep("warnings", "anlan.warnings.services.dispatch.sweep", every=timedelta(minutes=5))
    c.ledger("warnings", "anlan.warnings.views.warnings.ledger", "warnings.export", _("预警发布台账"))
    c.ledger(
        "warning_receivers",
        "anlan.warnings.views.receivers.ledger",
        "warnings.export",
        _("人员密集场所预警接收人台账"),
    )
    c.demo("warnings", "anlan.warnings.demo.warnings.step", after=["emergency_duty", "warnings_points"])
    c.matrix("anlan.warnings.tests.matrix_warnings")
    c.matrix("anlan.warnings.tests.matrix_receivers")
    c.api("warnings", "anlan.warnings.api.warnings.WarningViewSet", "warnings-warning")
    c.event("warnings.issued", "A warning was issued or re-issued at a new level: payload `warning`.")
    c.event("warnings.lifted", "A warning was lifted: payload `warning`.")
