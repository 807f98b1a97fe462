"""What the duty part of the emergency module contributes to the kernel (called from apps.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # 生产安全事故应急条例 第十四条: government offices and high-risk units keep a duty; each keeps its own.
            "emergency.manage_duty": SUPERVISORS | {Role.ENTERPRISE},
            "emergency.keep_duty_log": SUPERVISORS | {Role.ENTERPRISE},
            "emergency.export_duty_log": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-duty",
            _("值班在岗"),
            "emergency:duty-now",
            order=10,
            group="emergency",
            active="name:duty-now",
        ),
        contract.NavEntry(
            "emergency-duty-rosters",
            _("值班表"),
            "emergency:duty-roster-list",
            order=11,
            group="emergency",
            active="name:duty-roster",
        ),
        contract.NavEntry(
            "emergency-duty-log",
            _("值班日志"),
            "emergency:duty-log-list",
            order=12,
            group="emergency",
            active="name:duty-log",
        ),
    )
    c.recipient_group("duty_officers", "anlan.emergency.selectors.duty.duty_officers_group")
    c.recipient_group("duty_officer_on_shift", "anlan.emergency.selectors.duty.duty_shift_group")
    c.recipient_group("duty_leader_on_shift", "anlan.emergency.selectors.duty.duty_leaders_group")
    c.on("accidents.reported", "anlan.emergency.services.duty.on_accident_reported")
    c.on("accidents.near_miss_reported", "anlan.emergency.services.duty.on_near_miss_reported")
    c.todo(
        contract.TodoProvider(
            "emergency.duty_log_unconfirmed",
            _("待确认的接报"),
            queryset="anlan.emergency.selectors.duty.unconfirmed_entries",
            url="anlan.emergency.views.duty.unconfirmed_url",
            items="anlan.emergency.selectors.duty.unconfirmed_todo_items",
            order=20,
        )
    )
    c.ledger(
        "emergency_duty_log",
        "anlan.emergency.views.duty.log_ledger",
        "emergency.export_duty_log",
        _("值班日志台账"),
    )
    c.header("emergency/duty/_header.html", order=40)
    c.sweep("emergency_duty", "anlan.emergency.services.duty.sweep", every=timedelta(hours=1))
    c.demo("emergency_duty", "anlan.emergency.demo.duty.step", after=["accidents"])
    c.api("emergency/duty-rosters", "anlan.emergency.api.duty.DutyRosterViewSet", "emergency-duty-roster")
    c.api("emergency/duty-now", "anlan.emergency.api.duty.DutyNowViewSet", "emergency-duty-now")
    c.api("emergency/duty-log", "anlan.emergency.api.duty.DutyLogViewSet", "emergency-duty-log")
    c.matrix("anlan.emergency.tests.matrix_duty")
