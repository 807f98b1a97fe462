from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class AccidentsConfig(contract.ModuleConfig):
    name = "anlan.accidents"
    label = "accidents"
    verbose_name = _("生产安全事故")

    def contribute(self, c: contract.Contributions) -> None:
        from anlan.core.models import Role
        from anlan.core.permissions import SUPERVISORS

        c.rights(
            {
                # Anyone on the chain files 初报/续报; the duty office receives and investigates.
                "accidents.report_accident": SUPERVISORS | {Role.ENTERPRISE},
                "accidents.receive_report": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "accidents.record_finding": {Role.COMMITTEE_OFFICE},
                "accidents.manage_investigation": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
                "accidents.export_accident": SUPERVISORS | {Role.LEADER},
                "accidents.edit_economy": {Role.COMMITTEE_OFFICE},
            }
        )
        c.urls("accidents/", "anlan.accidents.urls")
        c.nav(
            contract.NavEntry(
                "accidents", _("生产安全事故"), "accidents:accident-list", order=40, active="accidents"
            )
        )
        c.api("accidents", "anlan.accidents.api.AccidentViewSet", "accident")
        c.api_urls("anlan.accidents.api.urlpatterns")
        c.event("accidents.reported", "An accident's 初报 was filed: payload `accident`.")
        c.event(
            "accidents.near_miss_reported",
            "A 较大涉险事故 was reported (it may start a response): payload `incident`.",
        )
        c.todo(
            contract.TodoProvider(
                "accidents.reports_to_receive",
                _("待逐级接报的事故"),
                queryset="anlan.accidents.selectors.reports_to_receive",
                url="anlan.accidents.views.reports_to_receive_url",
                items="anlan.accidents.selectors.report_todo_items",
                order=30,
            ),
            contract.TodoProvider(
                "accidents.follow_ups_due",
                _("续报/补报时限内的事故"),
                queryset="anlan.accidents.selectors.follow_ups_due",
                url="anlan.accidents.views.follow_ups_due_url",
                items="anlan.accidents.selectors.follow_up_todo_items",
                order=31,
            ),
            contract.TodoProvider(
                "accidents.replies_due",
                _("待批复的事故调查报告"),
                queryset="anlan.accidents.selectors.replies_due",
                url="anlan.accidents.views.replies_due_url",
                items="anlan.accidents.selectors.reply_todo_items",
                order=32,
            ),
        )
        c.shortcut(
            contract.Shortcut(
                "report_accident",
                _("事故快报"),
                "accidents:accident-create",
                "accidents.report_accident",
                "lightning",
                50,
            )
        )
        c.indicator(
            contract.Indicator(
                "accidents.this_year",
                _("今年事故起数"),
                queryset="anlan.accidents.selectors.accidents_this_year",
                url="anlan.accidents.views.this_year_url",
                unit=_("起"),
                order=30,
            ),
            contract.Indicator(
                "accidents.deaths_this_year",
                _("今年事故死亡人数"),
                queryset="anlan.accidents.selectors.accidents_this_year",
                url="anlan.accidents.views.this_year_url",
                aggregate="anlan.accidents.selectors.counted_deaths_total",
                unit=_("人"),
                order=31,
            ),
        )
        c.sweep("accidents", "anlan.accidents.sweeps.run", every=timedelta(minutes=15))
        c.ledger(
            "accidents",
            "anlan.accidents.exports.accident_ledger",
            "accidents.export_accident",
            _("生产安全事故台账"),
        )
        c.demo("accidents", "anlan.accidents.demo.accidents_step", after=["users"])
        c.matrix("anlan.accidents.tests.matrix")
