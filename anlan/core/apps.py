from django.utils.translation import gettext_lazy as _

from . import contract


class CoreConfig(contract.ModuleConfig):
    """The kernel and the registry (regions, industries, departments, enterprises) as a module."""

    name = "anlan.core"
    label = "core"
    verbose_name = _("基础数据")

    def contribute(self, c: contract.Contributions) -> None:
        from .models import Role
        from .permissions import SUPERVISORS

        c.rights(
            {
                # Enterprises (生产经营单位)
                "core.add_enterprise": SUPERVISORS,
                "core.change_enterprise": SUPERVISORS | {Role.ENTERPRISE},
                "core.change_enterprise_status": SUPERVISORS,
                # Licences (证照) are registry facts kept by the issuing or supervising body; the holder proposes.
                "core.manage_licence": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "core.propose_licence": {Role.ENTERPRISE},
                "core.import_enterprise": SUPERVISORS,
                "core.export_enterprise": SUPERVISORS | {Role.LEADER},
                # The home page's registry summary of the jurisdiction (a supervisor's or leader's view).
                "core.view_summary": SUPERVISORS | {Role.LEADER},
                # Contact details in full (phones unmasked) for those who act on them.
                "core.view_contact": SUPERVISORS | {Role.ENTERPRISE, Role.GRID_WORKER},
                # Registry management pages of the 安委办.
                "core.manage_region": {Role.COMMITTEE_OFFICE},
                "core.manage_grid": {Role.COMMITTEE_OFFICE},
                "core.manage_department": {Role.COMMITTEE_OFFICE},
            }
        )
        c.urls("", "anlan.core.urls")
        c.nav(
            contract.NavEntry("home", _("首页"), "core:home", order=0, active="name:home"),
            contract.NavEntry(
                "enterprises", _("生产经营单位"), "core:enterprise-list", order=10, active="name:enterprise"
            ),
            contract.NavEntry(
                "regions",
                _("区划与网格"),
                "core:region-list",
                order=900,
                right="core.manage_region",
                group="registry",
            ),
            contract.NavEntry(
                "grids", _("网格"), "core:grid-list", order=901, right="core.manage_grid", group="registry"
            ),
            contract.NavEntry(
                "departments",
                _("部门（三管三必须）"),
                "core:department-list",
                order=902,
                right="core.manage_department",
                group="registry",
            ),
        )
        c.api("regions", "anlan.core.api.RegionViewSet", "region")
        c.api("industries", "anlan.core.api.IndustryViewSet", "industry")
        c.api("departments", "anlan.core.api.DepartmentViewSet", "department")
        c.api("enterprises", "anlan.core.api.EnterpriseViewSet", "enterprise")
        c.api("licence-changes", "anlan.core.api.LicenceChangeViewSet", "licence-change")
        c.api_urls("anlan.core.api.urlpatterns")
        c.demo("regions", "anlan.core.demo.regions_step")
        c.demo("departments", "anlan.core.demo.departments_step", after=["regions"])
        c.demo("enterprises", "anlan.core.demo.enterprises_step", after=["departments"])
        c.demo("users", "anlan.core.demo.users_step", after=["enterprises"])
        c.demo("units", "anlan.core.units.demo_step", after=["enterprises"])
        c.matrix("anlan.core.tests.matrix")
        self.contribute_registries(c)

    def contribute_registries(self, c: contract.Contributions) -> None:
        """The kernel registries of issue #10: units, people, working-day calendar, receipts, record tags."""
        from datetime import timedelta

        from .models import Role

        c.rights(
            {
                # Park committees (园区管委会) and outside bodies (公安、电力 …) are kept by the 安委办.
                "core.manage_unit": {Role.COMMITTEE_OFFICE},
                # Receipts: who may confirm or cancel is decided by the transitions' guards (the recipient,
                # the sender); escalation is the sweep's alone.
                "core.confirm_receipt": frozenset(Role.values),
                "core.cancel_receipt": frozenset(Role.values),
                "core.escalate_receipt": frozenset(),
                # A contact without an account confirms through the link only (receipts.confirm_by_token).
                "core.confirm_receipt_by_link": frozenset(),
            }
        )
        c.event("core.receipt_sent", "A receipt-confirmed task was sent: payload `task`.")
        c.event("core.receipt_confirmed", "A receipt-confirmed task was confirmed: payload `task`.")
        c.event(
            "core.receipt_escalated",
            "An unconfirmed task escalated one level: payload `task`, `level` (1, 2 …). Handlers decide who is told.",
        )
        c.sweep("receipts", "anlan.core.receipts.sweep", every=timedelta(minutes=5))
        c.sweep("rate_windows", "anlan.core.ratelimit.sweep", every=timedelta(hours=1))
        # Background jobs (core/jobs.py): the kernel's own kinds, the housekeeping schedule, the backup.
        c.job("core.sweep", "anlan.core.jobs.sweep_job", _("定期检查"))
        c.job("core.export", "anlan.core.exporting.run_export", _("台账导出"))
        c.job("core.import", "anlan.core.importing.run_import", _("Excel 导入"), "core/_import_outcome.html")
        c.job("core.cleanup", "anlan.core.jobs.cleanup_job", _("清理过期文件与任务记录"))
        c.job("core.backup", "anlan.core.jobs.backup_job", _("数据备份"))
        c.event(
            "core.job_finished",
            "A background job finished (succeeded or failed): payload `job`. Handlers tell its owner.",
        )
        c.schedule("cleanup", "core.cleanup", every=timedelta(hours=1))
        c.schedule("backup", "core.backup", every=timedelta(days=1), offset=timedelta(hours=2))
        c.ledger(
            "enterprises",
            "anlan.core.exports.enterprise_ledger",
            "core.export_enterprise",
            _("生产经营单位台账"),
        )
        c.importer(
            "enterprises",
            "anlan.core.imports.import_enterprises",
            "core.import_enterprise",
            _("生产经营单位"),
        )
        c.importer("regions", "anlan.core.imports.import_regions", "core.manage_region", _("区划"))
        c.header("core/_todo_header.html", order=5)
        c.shortcut(
            contract.Shortcut(
                "register_enterprise",
                _("登记生产经营单位"),
                "core:enterprise-create",
                "core.add_enterprise",
                "building-add",
                40,
            )
        )
        c.home(
            contract.HomeSection(
                "enterprise", "core/_home_enterprise.html", "anlan.core.selectors.home_enterprises", order=10
            ),
            contract.HomeSection(
                "registry",
                "core/_home_registry.html",
                "anlan.core.selectors.home_registry",
                "core.view_summary",
                90,
            ),
        )
        c.recipient_group("core.unit_members", "anlan.core.units.unit_members_group")
