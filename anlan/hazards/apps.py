from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class HazardsConfig(contract.ModuleConfig):
    name = "anlan.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def contribute(self, c: contract.Contributions) -> None:
        # Its records may carry the kernel's record tags (e.g. a campaign's, applied by rule or by hand).
        c.taggable_model("hazards.hazard")
        from anlan.core.models import Role
        from anlan.core.permissions import SUPERVISORS

        c.rights(
            {
                # 隐患排查治理: the enterprise rectifies; the department (by industry) and the town oversee.
                "hazards.register_hazard": SUPERVISORS | {Role.ENTERPRISE},
                "hazards.report_lead": SUPERVISORS | {Role.GRID_WORKER},
                "hazards.confirm_lead": SUPERVISORS,
                "hazards.plan": SUPERVISORS | {Role.ENTERPRISE},
                "hazards.submit_rectification": SUPERVISORS | {Role.ENTERPRISE},
                # 当场整改: an official records a fix they witnessed (never the enterprise itself).
                "hazards.witness_fix": SUPERVISORS,
                # Enterprises verify only their ordinary hazards; a major hazard needs the department or an expert.
                "hazards.verify": SUPERVISORS | {Role.ENTERPRISE, Role.EXPERT},
                "hazards.void": SUPERVISORS,
                "hazards.request_extension": SUPERVISORS | {Role.ENTERPRISE},
                "hazards.approve_extension": SUPERVISORS,
                "hazards.assign_expert": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "hazards.supervise": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "hazards.recheck": SUPERVISORS,
                "hazards.export_hazard": SUPERVISORS | {Role.LEADER, Role.ENTERPRISE},
                "hazards.import_hazard": SUPERVISORS,
                # 隐患排查治理统计分析表 (16号令 第十四条): the enterprise prepares it, its 主要负责人 signs it
                # (a guard on top of the right); the province's 安委办 sets the deadlines.
                "hazards.prepare_filing": {Role.ENTERPRISE},
                "hazards.confirm_filing": {Role.ENTERPRISE},
                "hazards.set_filing_rule": {Role.COMMITTEE_OFFICE},
            }
        )
        c.urls("hazards/", "anlan.hazards.urls")
        c.nav(
            contract.NavEntry("hazards", _("隐患排查治理"), "hazards:hazard-list", order=20, active="hazards")
        )
        c.panel(contract.Panel("hazards", "hazards:enterprise-hazards", order=10))
        selectors = "anlan.hazards.selectors."
        # 待办: each a scoped queryset of rows the user may act on now (the right, the scope and the guards).
        c.todo(
            contract.TodoProvider(
                "hazards_to_verify",
                _("待验收的隐患"),
                selectors + "hazards_to_verify",
                selectors + "hazards_to_verify_url",
                items=selectors + "hazard_todo_items",
                order=20,
            ),
            contract.TodoProvider(
                "hazards_to_rectify",
                _("待整改的隐患"),
                selectors + "hazards_to_rectify",
                selectors + "hazards_to_rectify_url",
                items=selectors + "hazard_todo_items",
                order=21,
            ),
            contract.TodoProvider(
                "hazard_leads_to_confirm",
                _("待核实的隐患线索"),
                selectors + "leads_to_confirm",
                selectors + "leads_to_confirm_url",
                items=selectors + "lead_todo_items",
                order=22,
            ),
            contract.TodoProvider(
                "hazard_extensions_to_decide",
                _("待审批的整改延期"),
                selectors + "extensions_to_decide",
                selectors + "extensions_to_decide_url",
                items=selectors + "extension_todo_items",
                order=23,
            ),
            contract.TodoProvider(
                "statistics_filings_due",
                _("待上报的隐患统计分析表"),
                selectors + "filings_due",
                selectors + "filings_due_url",
                items=selectors + "filing_todo_items",
                order=24,
            ),
        )
        c.shortcut(
            contract.Shortcut(
                "report_lead",
                _("上报隐患线索"),
                "hazards:lead-create",
                "hazards.report_lead",
                "megaphone",
                10,
            ),
            contract.Shortcut(
                "register_hazard",
                _("登记隐患"),
                "hazards:hazard-create",
                "hazards.register_hazard",
                "exclamation-triangle",
                20,
            ),
        )
        c.home(
            contract.HomeSection(
                "my_leads", "hazards/_home_leads.html", selectors + "home_my_leads", order=20
            ),
            contract.HomeSection(
                "assigned",
                "hazards/_home_assigned.html",
                selectors + "home_assigned",
                "hazards.verify",
                order=21,
            ),
        )
        c.indicator(
            contract.Indicator(
                "open_hazards",
                _("未销号隐患"),
                selectors + "open_hazards",
                selectors + "open_hazards_url",
                order=20,
            ),
            contract.Indicator(
                "overdue_hazards",
                _("逾期未整改隐患"),
                selectors + "overdue_hazards",
                selectors + "overdue_hazards_url",
                order=21,
            ),
            contract.Indicator(
                "open_major_hazards",
                _("未销号重大隐患"),
                selectors + "open_major_hazards",
                selectors + "open_major_hazards_url",
                order=22,
            ),
        )
        c.api("hazards", "anlan.hazards.api.HazardViewSet", "hazard")
        c.api("hazard-leads", "anlan.hazards.api.LeadViewSet", "hazard-lead")
        c.api("hazard-extensions", "anlan.hazards.api.ExtensionViewSet", "hazard-extension")
        c.api("hazard-supervisions", "anlan.hazards.api.SupervisionViewSet", "hazard-supervision")
        c.provide("accidents.pyramid.hazard_count", "anlan.hazards.pyramid.hazard_count")
        c.sweep("hazards", "anlan.hazards.sweeps.run", every=timedelta(hours=1))
        c.importer("hazards", "anlan.hazards.imports.import_hazards", "hazards.import_hazard", _("隐患台账"))
        c.ledger(
            "hazards", "anlan.hazards.exports.hazard_ledger", "hazards.export_hazard", _("隐患排查治理台账")
        )
        c.demo("hazards", "anlan.hazards.demo.build", after=["users"])
        c.matrix("anlan.hazards.tests.matrix")
