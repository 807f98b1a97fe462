"""Permission-matrix rows of the forces part (see tests/matrix.py and tests/test_permission_matrix.py).

Teams and shelters are town A's: town B, the enterprise, the grid worker and the expert are outsiders (404);
departments and the leader read (403 on writes). Experts and consultations are the county's: towns do not
see them; the cast's expert sees only the consultation they are assigned to and alone writes its opinion.
A town's 四有 is edited by that town alone; the county office reads it.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _factories():
    from anlan.emergency.tests import factories_forces

    return factories_forces


def team(c):
    return {"pk": _factories().make_team(c).pk}


def shelter(c):
    return {"pk": _factories().make_shelter(c).pk}


def expert(c):
    return {"pk": _factories().make_expert(c).pk}


def consultation_with_expert(c):
    """A consultation with the cast's expert assigned; a second, available expert waits to be called."""
    f = _factories()
    assignment = f.assigned(c)
    c.free_expert_pk = f.make_expert(c, name="孙专家").pk
    return {"pk": assignment.consultation_id}


def answered_consultation(c):
    from anlan.emergency.services import forces as services

    assignment = _factories().assigned(c)
    services.give_opinion(actor=c["expert"], assignment_pk=assignment.pk, opinion="建议撤离")
    return {"pk": assignment.consultation_id}


def assignment(c):
    return {"pk": _factories().assigned(c).pk}


def town_a(c):
    return {"code": c.town_a.code}


def evidence(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anlan.emergency.services import forces as services

    pdf = SimpleUploadedFile(
        "场所.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    services.update_town_capacity(
        actor=c["town_a"], town_code=c.town_a.code, data={"has_site": True, "site_evidence": pdf}
    )
    return {"code": c.town_a.code, "item": "site"}


def team_post(c):
    return {
        "name": "新安镇防汛抢险队",
        "kind": "town",
        "region": c.town_a.code,
        "leader": "李队长",
        "leader_phone": "13900001111",
        "members": 30,
        "specialties": "防汛",
        "equipment": "冲锋舟",
    }


def shelter_post(c):
    return {
        "name": "新安镇文化广场",
        "kind": "outdoor",
        "region": c.town_a.code,
        "address": "新安镇文化路",
        "capacity": 2000,
        "area_m2": "8000",
        "manager": "王站长",
        "manager_phone": "13900002222",
    }


def expert_post(c):
    return {
        "name": "周工",
        "phone": "13900004444",
        "employer": "来安县消防救援大队",
        "title": "工程师",
        "specialties": ["fire"],
        "region": c.county.code,
        "is_available": "on",
    }


def consultation_post(c):
    return {"title": "化工园区泄漏研判", "region": c.county.code, "question": "是否扩大疏散范围？"}


def capacity_post(c):
    return {"has_site": "on", "site_note": "应急指挥中心", "has_staff": "on"}


ALL = page(200)
OUTSIDE_TOWN_A = {"town_b": 404, "enterprise_x": 404, "grid_worker": 404, "expert": 404}
OUTSIDE_COUNTY_RECORDS = {
    "town_a": 404,
    "town_b": 404,
    "enterprise_x": 404,
    "grid_worker": 404,
}
EXPORTERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
FORCE_KEEPERS = page(403, county_office=200, town_a=200, town_b=200)
OFFICE_ONLY = page(403, county_office=200)
OFFICE_WRITES = page(403, county_office=302)
READ_TOWN_A = page(200, **OUTSIDE_TOWN_A)
EDIT_TOWN_A = page(403, county_office=200, town_a=200, **OUTSIDE_TOWN_A)
WRITE_TOWN_A = page(403, county_office=302, town_a=302, **OUTSIDE_TOWN_A)
READ_COUNTY = page(200, expert=404, **OUTSIDE_COUNTY_RECORDS)
EDIT_COUNTY = page(403, county_office=200, expert=404, **OUTSIDE_COUNTY_RECORDS)
WRITE_COUNTY = page(403, county_office=302, expert=404, **OUTSIDE_COUNTY_RECORDS)
# The assigned expert sees the consultation (and may not manage it).
READ_CONSULTATION = page(200, **OUTSIDE_COUNTY_RECORDS)
MANAGE_CONSULTATION = page(403, county_office=302, **OUTSIDE_COUNTY_RECORDS)
OPINION = page(403, expert=302, **OUTSIDE_COUNTY_RECORDS)
CAPACITY_EDIT = page(403, town_a=200, town_b=404, enterprise_x=404, grid_worker=404, expert=404)
CAPACITY_WRITE = page(403, town_a=302, town_b=404, enterprise_x=404, grid_worker=404, expert=404)
# A town B form naming town A's region is refused on the field: 200 and nothing written.
CREATE_IN_TOWN_A = page(403, county_office=302, town_a=302, town_b=200)


def _post(name, expected, data=None, kwargs=None, **kw):
    return Route(
        name,
        expected,
        kwargs=kwargs or (lambda c: {}),
        method="post",
        data=data or (lambda c: {}),
        writes=True,
        **kw,
    )


ROUTES = [
    Route("emergency:forces-team-list", ALL),
    Route("emergency:forces-team-export", EXPORTERS),
    Route("emergency:forces-team-create", FORCE_KEEPERS),
    _post("emergency:forces-team-create", CREATE_IN_TOWN_A, team_post, label="(town A's)"),
    Route("emergency:forces-team-detail", READ_TOWN_A, kwargs=team),
    Route("emergency:forces-team-edit", EDIT_TOWN_A, kwargs=team),
    _post("emergency:forces-team-edit", WRITE_TOWN_A, team_post, team),
    _post("emergency:forces-team-status", WRITE_TOWN_A, lambda c: {"status": "deployed"}, team),
    Route("emergency:forces-shelter-list", ALL),
    Route("emergency:forces-shelter-export", EXPORTERS),
    Route("emergency:forces-shelter-create", FORCE_KEEPERS),
    _post("emergency:forces-shelter-create", CREATE_IN_TOWN_A, shelter_post, label="(town A's)"),
    Route("emergency:forces-shelter-detail", READ_TOWN_A, kwargs=shelter),
    Route("emergency:forces-shelter-edit", EDIT_TOWN_A, kwargs=shelter),
    _post("emergency:forces-shelter-edit", WRITE_TOWN_A, shelter_post, shelter),
    _post("emergency:forces-shelter-status", WRITE_TOWN_A, lambda c: {"status": "open"}, shelter),
    Route("emergency:forces-expert-list", ALL),
    Route("emergency:forces-expert-export", EXPORTERS),
    Route("emergency:forces-expert-create", OFFICE_ONLY),
    _post("emergency:forces-expert-create", OFFICE_WRITES, expert_post),
    Route("emergency:forces-expert-detail", READ_COUNTY, kwargs=expert),
    Route("emergency:forces-expert-edit", EDIT_COUNTY, kwargs=expert),
    _post("emergency:forces-expert-edit", WRITE_COUNTY, expert_post, expert),
    Route("emergency:forces-consultation-list", ALL),
    Route("emergency:forces-consultation-create", OFFICE_ONLY),
    _post("emergency:forces-consultation-create", OFFICE_WRITES, consultation_post),
    Route("emergency:forces-consultation-detail", READ_CONSULTATION, kwargs=consultation_with_expert),
    _post(
        "emergency:forces-consultation-assign",
        MANAGE_CONSULTATION,
        lambda c: {"experts": [c.free_expert_pk]},
        consultation_with_expert,
    ),
    _post(
        "emergency:forces-consultation-close",
        MANAGE_CONSULTATION,
        lambda c: {"conclusion": "扩大疏散"},
        answered_consultation,
    ),
    _post("emergency:forces-consultation-opinion", OPINION, lambda c: {"opinion": "同意"}, assignment),
    Route("emergency:forces-capacity-list", ALL),
    Route("emergency:forces-capacity-edit", CAPACITY_EDIT, kwargs=town_a),
    _post("emergency:forces-capacity-edit", CAPACITY_WRITE, capacity_post, town_a),
    Route(
        "emergency:forces-capacity-evidence",
        page(200, town_b=404, enterprise_x=404, grid_worker=404, expert=404),
        kwargs=evidence,
    ),
    Route("api:emergency-team-list", api(200)),
    Route("api:emergency-team-detail", api(200, **OUTSIDE_TOWN_A), kwargs=team),
    Route("api:emergency-shelter-list", api(200)),
    Route("api:emergency-shelter-detail", api(200, **OUTSIDE_TOWN_A), kwargs=shelter),
    Route("api:emergency-expert-list", api(200)),
    Route("api:emergency-expert-detail", api(200, expert=404, **OUTSIDE_COUNTY_RECORDS), kwargs=expert),
]


def _audited():
    from anlan.emergency.models import (
        ConsultationAssignment,
        Expert,
        ExpertConsultation,
        RescueTeam,
        Shelter,
        TownCapacity,
    )

    return [RescueTeam, Shelter, Expert, ExpertConsultation, ConsultationAssignment, TownCapacity]


AUDITED = _audited()
