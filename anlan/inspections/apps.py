from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class InspectionsConfig(contract.ModuleConfig):
    name = "anlan.inspections"
    label = "inspections"
    verbose_name = _("监督检查与执法")

    def contribute(self, c: contract.Contributions) -> None:
        # Its records may carry the kernel's record tags (e.g. a campaign's, applied by rule or by hand).
        c.taggable_model("inspections.inspection")
        from anlan.core.models import Role
        from anlan.core.permissions import SUPERVISORS

        c.rights(
            {
                # Departments and the 安委办 plan, draw and enforce; towns inspect; the enterprise applies for
                # 复产; the leader signs the last step of the 复产验收 chain.
                "inspections.manage_plan": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.manage_inspector": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.draw": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.inspect": SUPERVISORS,
                "inspections.enforce": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.apply_resumption": {Role.ENTERPRISE},
                "inspections.approve_resumption": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.LEADER},
                "inspections.score": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                # A town's or a leader's own check (四不两直, 督查): recorded, never enforced.
                "inspections.own_check": {Role.TOWN, Role.LEADER},
                # 提请关闭 (安全生产法 第一百一十三条): supervisors read the proposals (never the enterprise); the
                # department or the 安委办 drafts or dismisses one; the county office records the government's
                # decision.
                "inspections.view_closure": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN, Role.LEADER},
                "inspections.propose_closure": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.decide_closure": {Role.COMMITTEE_OFFICE},
                # 盯守 and 回头看 (issue #14 C8, C10): the watchers record visits (grid workers among them); the
                # department and the 安委办 set the plans and send the 联合惩戒措施 (C9). Never the enterprise.
                "inspections.watch": SUPERVISORS | {Role.GRID_WORKER},
                "inspections.manage_watch": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "inspections.joint_measure": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
            }
        )
        # core refuses a status change back to operating while a 停产整顿 order is in force (复产验收 only).
        c.provide("core.suspension_in_force", "anlan.inspections.selectors.suspension_in_force")
        c.urls("inspections/", "anlan.inspections.urls")
        c.nav(
            contract.NavEntry(
                "inspections", _("监督检查"), "inspections:inspection-list", order=30, active="inspections"
            )
        )
        c.panel(contract.Panel("inspections", "inspections:enterprise-inspections", order=20))
        selectors = "anlan.inspections.selectors."
        # 待办: scoped querysets of the rows the user may act on now (the right, the scope and the guards).
        c.todo(
            contract.TodoProvider(
                "inspections_scheduled",
                _("待检查的监督检查"),
                selectors + "inspections_scheduled",
                selectors + "inspections_scheduled_url",
                items=selectors + "inspection_todo_items",
                order=30,
            ),
            contract.TodoProvider(
                "resumption_steps_to_sign",
                _("待审批的复产验收（含待现场审查）"),
                selectors + "resumption_steps_to_sign",
                selectors + "resumption_steps_to_sign_url",
                items=selectors + "resumption_todo_items",
                order=31,
            ),
            contract.TodoProvider(
                "documents_received",
                _("收到的执法文书（执行中）"),
                selectors + "documents_received",
                selectors + "documents_received_url",
                items=selectors + "document_todo_items",
                order=32,
            ),
            contract.TodoProvider(
                "closures_to_draft",
                _("已达提请关闭条件的单位"),
                selectors + "closures_to_draft",
                selectors + "closures_to_draft_url",
                items=selectors + "closure_todo_items",
                order=33,
            ),
            contract.TodoProvider(
                "watch_due",
                _("待盯守"),
                selectors + "watch_due",
                selectors + "watch_due_url",
                items=selectors + "watch_todo_items",
                right="inspections.watch",
                order=34,
            ),
            contract.TodoProvider(
                "joint_measures_to_confirm",
                _("待确认的联合惩戒措施"),
                selectors + "measures_to_confirm",
                selectors + "measures_to_confirm_url",
                items=selectors + "measure_todo_items",
                order=35,
            ),
        )
        c.shortcut(
            contract.Shortcut(
                "own_check",
                _("开展检查（四不两直）"),
                "inspections:own-check-create",
                "inspections.own_check",
                "clipboard-check",
                30,
            )
        )
        c.indicator(
            contract.Indicator(
                "inspections_this_year",
                _("本年度已检查"),
                selectors + "inspections_this_year",
                selectors + "inspections_this_year_url",
                order=30,
            ),
            contract.Indicator(
                "suspended_enterprises",
                _("停产整顿中的单位"),
                selectors + "suspended_enterprises",
                selectors + "suspended_enterprises_url",
                order=31,
            ),
        )
        api = "anlan.inspections.api"
        c.api("inspection-plans", f"{api}.PlanViewSet", "inspection-plan")
        c.api("inspection-draws", f"{api}.DrawViewSet", "inspection-draw")
        c.api("inspections", f"{api}.InspectionViewSet", "inspection")
        c.api("enforcement-actions", f"{api}.EnforcementViewSet", "enforcement-action")
        c.api("suspensions", f"{api}.SuspensionViewSet", "suspension")
        c.api("resumptions", f"{api}.ResumptionViewSet", "resumption")
        # Deadlines: the on-site review of a 复产 application after a 挂牌督办 halt, the 双随机 publication;
        # the 提请关闭 after repeated penalties; 盯守/回头看 (the missing plans made, each missed visit flagged once).
        c.sweep("inspections", "anlan.inspections.sweeps.run", every=timedelta(hours=1))
        c.on("core.receipt_escalated", "anlan.inspections.services.watch.measure_escalated")
        c.demo("inspections", "anlan.inspections.demo.build", after=["hazards"])
        c.matrix("anlan.inspections.tests.matrix")
