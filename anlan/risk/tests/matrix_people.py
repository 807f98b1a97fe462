"""Permission-matrix rows of the people part.

The scene: enterprise X (construction, in town A's village, supervised by the housing department) keeps its staff,
their certificates and its training. Who may open X may read them: the county 安委办, town A, the housing
department, X itself, the grid worker of X's grid and the county leader; town B, the transport department and the
expert get 404. Only X keeps them (supervisors in scope and the others who see X get 403 on the forms). The lists
and their ledgers are for holders of `risk.view_people` (403 for the grid worker and the expert); the 证书到期/逾期
list and the accident trace for supervisors and leaders (`risk.supervise_people`; X gets 403 on its own accident).
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.risk.tests import factories_people

    return factories_people


def a_staff(c):
    return {"pk": _f().staff(c).pk}


def a_certificate(c):
    return {"pk": _f().certificate(c).pk}


def a_certificate_in_review(c):
    from datetime import timedelta

    from django.utils import timezone

    from anlan.core.rules import add_years

    issued = add_years(timezone.localdate(), -3) + timedelta(days=20)
    return {"pk": _f().certificate(c, issued_on=issued).pk}


def a_training(c):
    return {"pk": _f().training(c).pk}


def an_accident(c):
    from anlan.accidents.tests.factories import report

    return {"pk": report(c).pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def staff_post(c):
    return {"name": "王焊工", "id_number": _f().id_number(), "post": "焊工", "is_special_operator": "on"}


def staff_edit_post(c):
    return {"post": "高级电工", "is_special_operator": "on"}


def certificate_post(c):
    from django.utils import timezone

    return {
        "kind": "special_operation",
        "category": "welding",
        "number": "T341122198506019999",
        "issuing_authority": "滁州市应急管理局",
        "issued_on": timezone.localdate().isoformat(),
        "compliant": "on",
    }


def assessment_post(c):
    from django.utils import timezone

    return {
        "kind": "safety_manager",
        "assessed_on": timezone.localdate().isoformat(),
        "assessor": "来安县应急管理局",
        "score": "90",
    }


def review_post(c):
    from django.utils import timezone

    return {"reviewed_on": timezone.localdate().isoformat()}


def training_post(c):
    from django.utils import timezone

    from anlan.risk.models import StaffMember

    holder = StaffMember.objects.filter(enterprise=c.enterprise_x).first() or _f().staff(c)
    return {
        "held_on": timezone.localdate().isoformat(),
        "subject": "有限空间作业安全培训",
        "kind": "annual",
        "hours": "4",
        "trainer": "安全科",
        "attendees": [holder.pk],
    }


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200, grid_worker=403, expert=403)
SUPERVISE = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
READ = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
RECORD = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=200, grid_worker=403, leader=403
)
RECORD_POST = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=302, grid_worker=403, leader=403
)
ACCIDENT = page(
    404, county_office=200, town_a=200, dept_housing=200, leader=200, enterprise_x=403, grid_worker=403
)
API_READ = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("risk:people-staff-list", LIST),
    Route("risk:people-staff-export", LIST),
    Route("risk:people-staff-detail", READ, kwargs=a_staff),
    Route("risk:people-staff-update", RECORD, kwargs=a_staff),
    _post("risk:people-staff-update", RECORD_POST, staff_edit_post, kwargs=a_staff),
    Route("risk:people-certificate-create", RECORD, kwargs=a_staff),
    _post("risk:people-certificate-create", RECORD_POST, certificate_post, kwargs=a_staff),
    Route("risk:people-assessment-create", RECORD, kwargs=a_staff),
    _post("risk:people-assessment-create", RECORD_POST, assessment_post, kwargs=a_staff),
    Route("risk:people-certificate-list", LIST),
    Route("risk:people-certificate-export", LIST),
    Route("risk:people-certificate-detail", READ, kwargs=a_certificate),
    _post("risk:people-certificate-review", RECORD_POST, review_post, kwargs=a_certificate_in_review),
    Route("risk:people-attention", SUPERVISE),
    Route("risk:people-attention-export", SUPERVISE),
    Route("risk:people-training-list", LIST),
    Route("risk:people-training-export", LIST),
    Route("risk:people-training-detail", READ, kwargs=a_training),
    Route("risk:people-enterprise-panel", READ, kwargs=enterprise_x),
    Route("risk:people-staff-create", RECORD, kwargs=enterprise_x),
    _post("risk:people-staff-create", RECORD_POST, staff_post, kwargs=enterprise_x),
    Route("risk:people-training-create", RECORD, kwargs=enterprise_x),
    _post("risk:people-training-create", RECORD_POST, training_post, kwargs=enterprise_x),
    Route("risk:people-accident-trace", ACCIDENT, kwargs=an_accident),
    Route("api:risk-people-staff-list", api(200)),
    Route("api:risk-people-staff-detail", API_READ, kwargs=a_staff),
    Route("api:risk-people-certificate-list", api(200)),
    Route("api:risk-people-certificate-detail", API_READ, kwargs=a_certificate),
]


def _audited():
    from anlan.risk.models import Assessment, Certificate, StaffMember, TrainingRecord

    return [StaffMember, Certificate, Assessment, TrainingRecord]


AUDITED = _audited()
