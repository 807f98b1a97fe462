"""Permission-matrix rows of 标准化, 安责险, 安全生产费用 and 责任制.

The scene: enterprise X (construction, in town A's village, supervised by the housing department) records its grade,
policy, spending and responsibility system. Who may open X may see them: the county 安委办, town A, the housing
department, X itself, the grid worker of X's grid (read only) and the county leader; town B, the transport
department and the expert get 404. Recording is for X alone (everyone else who sees X gets 403: a supervisor does
not keep an enterprise's records for it, and confirms the grade X records). Confirming and withdrawing a grade is for the 安委办 and the housing department only (town A and X get
403). The lists are open to the holders of `risk.view_standard` (403 for the grid worker and the expert); the
ledgers and the 应投未投 list to supervisors and leaders.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.risk.tests import factories_standard

    return factories_standard


def a_grade(c):
    return {"pk": _f().grade(c).pk}


def a_flagged_grade(c):
    return {"pk": _f().flagged_grade(c).pk}


def a_policy(c):
    return {"pk": _f().policy(c).pk}


def a_spending(c):
    return {"pk": _f().spending(c).pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def grade_post(c):
    from django.utils import timezone

    return {
        "grade": "2",
        "issuing_authority": "安徽省应急管理厅",
        "certificate_no": "AQBJGII2026100",
        "issued_on": timezone.localdate().isoformat(),
    }


def policy_post(c):
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "insurer": "中国平安财产保险股份有限公司",
        "policy_no": "PA2026000777",
        "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat(),
        "insured_people": 30,
        "per_person_amount": "400000",
        "total_amount": "12000000",
        "premium": "9000",
    }


def service_post(c):
    from django.utils import timezone

    return {
        "served_on": timezone.localdate().isoformat(),
        "provider": "某技术服务公司",
        "content": "隐患排查服务。",
    }


def spending_post(c):
    from django.utils import timezone

    return {"year": timezone.localdate().year, "extracted": "100000", "used_facilities": "20000"}


def responsibility_post(c):
    from django.utils import timezone

    return {"title": "全员安全生产责任制", "adopted_on": timezone.localdate().isoformat()}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200, grid_worker=403, expert=403)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
# The enterprise's records: those who may open enterprise X.
READ = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
# Only X keeps its own records: those who see X but are not X get 403 (a supervisor never enters them for it).
RECORD = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=200, grid_worker=403, leader=403
)
RECORD_POST = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=302, grid_worker=403, leader=403
)
DECIDE = page(
    404, county_office=200, town_a=403, dept_housing=200, enterprise_x=403, grid_worker=403, leader=403
)
DECIDE_POST = page(
    404, county_office=302, town_a=403, dept_housing=302, enterprise_x=403, grid_worker=403, leader=403
)
API_READ = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("risk:standard-grade-list", LIST),
    Route("risk:standard-grade-export", EXPORT),
    Route("risk:standard-grade-detail", READ, kwargs=a_grade),
    _post("risk:standard-grade-confirm", DECIDE_POST, lambda c: {}, kwargs=a_grade),
    Route("risk:standard-grade-withdraw", DECIDE, kwargs=a_flagged_grade),
    _post(
        "risk:standard-grade-withdraw",
        DECIDE_POST,
        lambda c: {"reason": "发生死亡事故，撤销一级等级。"},
        kwargs=a_flagged_grade,
    ),
    Route("risk:standard-grade-dismiss", DECIDE, kwargs=a_flagged_grade),
    _post(
        "risk:standard-grade-dismiss",
        DECIDE_POST,
        lambda c: {"reason": "事故非本单位责任。"},
        kwargs=a_flagged_grade,
    ),
    Route("risk:standard-policy-list", LIST),
    Route("risk:standard-policy-export", EXPORT),
    Route("risk:standard-policy-detail", READ, kwargs=a_policy),
    Route("risk:standard-service-create", RECORD, kwargs=a_policy),
    _post("risk:standard-service-create", RECORD_POST, service_post, kwargs=a_policy),
    Route("risk:standard-uninsured", EXPORT),
    Route("risk:standard-uninsured-export", EXPORT),
    Route("risk:standard-spending-list", LIST),
    Route("risk:standard-enterprise-panel", READ, kwargs=enterprise_x),
    Route("risk:standard-grade-create", RECORD, kwargs=enterprise_x),
    _post("risk:standard-grade-create", RECORD_POST, grade_post, kwargs=enterprise_x),
    Route("risk:standard-policy-create", RECORD, kwargs=enterprise_x),
    _post("risk:standard-policy-create", RECORD_POST, policy_post, kwargs=enterprise_x),
    Route("risk:standard-spending-create", RECORD, kwargs=enterprise_x),
    _post("risk:standard-spending-create", RECORD_POST, spending_post, kwargs=enterprise_x),
    Route("risk:standard-responsibility-create", RECORD, kwargs=enterprise_x),
    _post("risk:standard-responsibility-create", RECORD_POST, responsibility_post, kwargs=enterprise_x),
    Route("api:risk-standard-grade-list", api(200)),
    Route("api:risk-standard-grade-detail", API_READ, kwargs=a_grade),
    Route("api:risk-standard-policy-list", api(200)),
    Route("api:risk-standard-policy-detail", API_READ, kwargs=a_policy),
    Route("api:risk-standard-spending-list", api(200)),
    Route("api:risk-standard-spending-detail", API_READ, kwargs=a_spending),
]


def _audited():
    from anlan.risk.models import (
        LiabilityPolicy,
        PolicyService,
        ResponsibilitySystem,
        SafetySpending,
        SpendingUse,
        StandardisationGrade,
    )

    return [
        StandardisationGrade,
        LiabilityPolicy,
        PolicyService,
        SafetySpending,
        SpendingUse,
        ResponsibilitySystem,
    ]


AUDITED = _audited()
