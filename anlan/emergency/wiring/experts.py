"""What the forces part (teams, shelters, experts, consultations, the towns' 四有) of the emergency module
contributes to the kernel (called from apps.py)."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role

    c.rights(
        {
            # Towns keep the teams and shelters of their area, the county office (应急管理局) the county's.
            "emergency.manage_rescue_forces": {Role.COMMITTEE_OFFICE, Role.TOWN},
            # The expert library and its consultations are the county office's.
            "emergency.manage_experts": {Role.COMMITTEE_OFFICE},
            "emergency.manage_consultations": {Role.COMMITTEE_OFFICE},
            # An expert writes the opinion of an assignment of their own (scope: expert__user).
            "emergency.give_expert_opinion": {Role.EXPERT},
            # A town records its own 四有; the county office reads every town's.
            "emergency.edit_town_capacity": {Role.TOWN},
            "emergency.export_rescue_forces": {
                Role.COMMITTEE_OFFICE,
                Role.DEPARTMENT,
                Role.TOWN,
                Role.LEADER,
            },
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-forces",
            _("救援队伍与避难场所"),
            "emergency:forces-team-list",
            order=560,
            active="name:forces-team",
            group="emergency",
        ),
        contract.NavEntry(
            "emergency-experts",
            _("专家库与会诊"),
            "emergency:forces-expert-list",
            order=561,
            active="name:forces-expert",
            group="emergency",
        ),
        contract.NavEntry(
            "emergency-capacity",
            _("乡镇应急能力“四有”"),
            "emergency:forces-capacity-list",
            order=562,
            active="name:forces-capacity",
            group="emergency",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "emergency.opinions_due",
            _("待出具意见的会诊"),
            queryset="anlan.emergency.selectors.forces.opinions_due",
            url="anlan.emergency.views.forces.opinions_due_url",
            items="anlan.emergency.selectors.forces.opinion_todo_items",
            order=60,
            right="emergency.give_expert_opinion",
        )
    )
    for prefix, viewset, basename in (
        ("emergency/teams", "anlan.emergency.api.forces.RescueTeamViewSet", "emergency-team"),
        ("emergency/shelters", "anlan.emergency.api.forces.ShelterViewSet", "emergency-shelter"),
        ("emergency/experts", "anlan.emergency.api.forces.ExpertViewSet", "emergency-expert"),
    ):
        c.api(prefix, viewset, basename)
    c.ledger(
        "emergency_teams",
        "anlan.emergency.views.forces.team_ledger",
        "emergency.export_rescue_forces",
        _("救援队伍台账"),
    )
    c.ledger(
        "emergency_shelters",
        "anlan.emergency.views.forces.shelter_ledger",
        "emergency.export_rescue_forces",
        _("避难场所台账"),
    )
    c.ledger(
        "emergency_experts",
        "anlan.emergency.views.forces.expert_ledger",
        "emergency.export_rescue_forces",
        _("应急专家库"),
    )
    c.demo("emergency_forces", "anlan.emergency.demo.forces.step", after=["users"])
    c.matrix("anlan.emergency.tests.matrix_forces")
