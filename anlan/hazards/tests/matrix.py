"""Permission-matrix rows of the hazards module (see tests/matrix.py and tests/test_permission_matrix.py).

The hazard of the rows is enterprise X's (construction, village A, grid A): out of town B's scope (404); the
housing department sees it by industry; the grid worker by grid; the leader reads only. Rows whose refusal is a
domain rule (the submitter verifying, a form field outside the scope) expect the form again (200) or a 400.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.matrix import Route, api, page


def _today():
    return timezone.localdate()


def _hazard(c, **fields):
    from anlan.hazards.tests.factories import HazardFactory

    return HazardFactory(enterprise=c.enterprise_x, supervising_department=c.dept_housing, **fields)


def hazard(c, **fields):
    return {"pk": _hazard(c, **fields).pk}


def registered_by_town(c):
    """Registered by town A: its registering unit may void it, as may the supervising bodies."""
    from anlan.core import units

    return hazard(c, registering_unit=units.unit_for(c.town_a))


def rectifying(c):
    return hazard(c, status="rectifying")


def awaiting(c):
    return hazard(c, status="awaiting_verification", submitted_by=c["enterprise_x"])


def awaiting_from_someone_else(c):
    """Awaiting verification, submitted by nobody of the cast: every verifier of the cast may take it."""
    return hazard(c, status="awaiting_verification")


def closed(c):
    return hazard(c, status="closed", closed_on=_today())


def with_office(c):
    """A hazard, and the county's 安委办 as a department so the county office can issue letters."""
    from anlan.core.tests.factories import DepartmentFactory

    DepartmentFactory(
        name="来安县安全生产委员会办公室", short_name="县安委办", region=c.county, kind="comprehensive"
    )
    return hazard(c)


def extension(c):
    from anlan.hazards.models import Extension

    h = _hazard(c)
    item = Extension.objects.create(
        hazard=h,
        old_due_on=h.due_on,
        new_due_on=h.due_on + timedelta(days=10),
        reason="设备未到",
        requested_by=c["enterprise_x"],
    )
    return {"pk": item.pk}


def supervision(c, status="registered"):
    """Listed by the housing department (it alone signs the 摘牌)."""
    from anlan.core import units
    from anlan.hazards import services

    h = _hazard(c, grade="major", major_criterion="it-3-2")
    item = services.issue_supervision(
        actor=c["dept_housing"],
        hazard_pk=h.pk,
        level="county",
        due_on=_today() + timedelta(days=30),
        responsible_unit=units.unit_for(c.enterprise_x),
        requirements="停工整改",
    )
    if status != "registered":
        type(h).objects.filter(pk=h.pk).update(status=status, closed_on=_today())
    return {"pk": item.pk}


def closed_supervision(c):
    return supervision(c, status="closed")


def a_photo(c):
    from django.core.files.base import ContentFile

    from anlan.hazards.models import Photo
    from anlan.hazards.tests.factories import png_bytes

    item = Photo(hazard=_hazard(c), name="found.png")
    item.file.save("found.png", ContentFile(png_bytes()), save=False)
    item.save()
    return {"pk": item.pk}


def lead(c):
    from anlan.hazards.tests.factories import LeadFactory

    item = LeadFactory(
        enterprise=c.enterprise_x,
        region=c.village_a,
        grid=c.grid_a,
        industry=c.enterprise_x.industry,
        reported_by=c["grid_worker"],
    )
    return {"pk": item.pk}


def expert_choice(c):
    from anlan.core.models import Role
    from anlan.core.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="matrix_expert")
    MembershipFactory(user=user, role=Role.EXPERT)
    return {"expert": user.pk}


def a_picture():
    from anlan.hazards.tests.factories import photo

    return photo()


def registration(c):
    return {
        "enterprise": c.enterprise_x.pk,
        "source": "department_inspection",
        "category": "unsafe_condition",
        "grade": "ordinary",
        "description": "配电箱未接地",
        "found_on": _today().isoformat(),
        "due_on": (_today() + timedelta(days=10)).isoformat(),
    }


def plan(c):
    return {
        "responsible_person": "张三",
        "measures": "重新接地",
        "due_on": (_today() + timedelta(days=5)).isoformat(),
    }


def evidence(c):
    return {"description": "已整改", "photos": a_picture()}


def lead_report(c):
    return {
        "source": "grid_patrol",
        "place": "东关菜市场消防通道",
        "region": c.village_a.code,
        "description": "堆物堵塞",
        "reported_on": _today().isoformat(),
    }


def confirmation(c):
    return {
        "category": "environment",
        "grade": "ordinary",
        "due_on": (_today() + timedelta(days=7)).isoformat(),
    }


def _enterprise_unit(c):
    from anlan.core import units

    return units.unit_for(c.enterprise_x).pk


def supervision_request(c):
    return {
        "level": "county",
        "due_on": (_today() + timedelta(days=30)).isoformat(),
        "responsible_unit": _enterprise_unit(c),
        "requirements": "停工整改",
    }


def _ended_period() -> str:
    from anlan.hazards import rules

    return rules.ended_filing_periods(_today())[0]


def filing(c):
    """A draft 统计分析表 of enterprise X for the last quarter (the cast has no principal account: nobody signs)."""
    from anlan.hazards.models import StatisticsFiling

    item = StatisticsFiling.objects.create(
        enterprise=c.enterprise_x,
        region=c.enterprise_x.region,
        industry=c.enterprise_x.industry,
        period=_ended_period(),
        due_on=_today(),
        status=StatisticsFiling.Status.DRAFT,
        figures={"found": 0},
    )
    return {"pk": item.pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


ALL = page(200)
X_READ = page(200, town_b=404, dept_transport=404, expert=404)
# Rectifying rights (plan, submit, extensions): supervisors and the enterprise; not the grid worker or leader.
RECTIFY = page(200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
RECTIFY_DONE = page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
# No 代管: plan, submit and 立即整改 are the enterprise's; a supervisor is sent back with the rule (302).
OWN_RECTIFY = page(
    302, enterprise_x=200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403
)
OWN_RECTIFY_API = api(
    400, enterprise_x=200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403
)
WITNESS = page(
    403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404
)
WITNESS_DONE = page(
    403, county_office=302, town_a=302, dept_housing=302, town_b=404, dept_transport=404, expert=404
)
OVERSEE = page(
    403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404
)
OVERSEE_DONE = page(
    403, county_office=302, town_a=302, dept_housing=302, town_b=404, dept_transport=404, expert=404
)
SUPERVISE = page(403, county_office=200, dept_housing=200, town_b=404, dept_transport=404, expert=404)
SUPERVISE_DONE = page(403, county_office=302, dept_housing=302, town_b=404, dept_transport=404, expert=404)
REGISTER = page(200, grid_worker=403, leader=403, expert=403)
SUPERVISORS_ONLY = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
API_X_READ = api(200, town_b=404, dept_transport=404, expert=404)

ROUTES: list[Route] = [
    Route("hazards:hazard-list", ALL),
    Route("hazards:hazard-create", REGISTER),
    Route(
        "hazards:hazard-create",
        page(302, town_b=200, dept_transport=200, grid_worker=403, leader=403, expert=403),
        method="post",
        data=registration,
        writes=True,
        label="(town B cannot pick enterprise X)",
    ),
    Route("hazards:hazard-export", page(200, grid_worker=403, expert=403)),
    Route("hazards:hazard-import", SUPERVISORS_ONLY),
    Route("hazards:hazard-import-template", SUPERVISORS_ONLY),
    Route("hazards:hazard-statistics", ALL),
    Route("hazards:hazard-detail", X_READ, kwargs=hazard),
    # The expert sees the one hazard assigned to them (the cast's), and no other.
    Route(
        "hazards:hazard-detail",
        {**X_READ, "expert": 200},
        kwargs=lambda c: {"pk": c.expert_hazard().pk},
        label="(assigned to the expert)",
    ),
    # Supervisors are refused by rule (no 代管) and sent back; the API rows below check the writes.
    Route("hazards:hazard-plan", OWN_RECTIFY, kwargs=hazard),
    Route(
        "hazards:hazard-plan", RECTIFY_DONE, kwargs=hazard, method="post", data=plan, label="(代管 refused)"
    ),
    Route("hazards:hazard-submit", OWN_RECTIFY, kwargs=rectifying),
    Route(
        "hazards:hazard-submit",
        RECTIFY_DONE,
        kwargs=rectifying,
        method="post",
        data=evidence,
        label="(代管 refused)",
    ),
    Route("hazards:hazard-fix-on-the-spot", OWN_RECTIFY, kwargs=hazard),
    Route(
        "hazards:hazard-fix-on-the-spot",
        RECTIFY_DONE,
        kwargs=hazard,
        method="post",
        data=evidence,
        label="(代管 refused)",
    ),
    Route("hazards:hazard-witness-fix", WITNESS, kwargs=hazard),
    Route(
        "hazards:hazard-witness-fix", WITNESS_DONE, kwargs=hazard, method="post", data=evidence, writes=True
    ),
    Route(
        "hazards:hazard-verify",
        page(
            302,
            county_office=200,
            dept_housing=200,
            town_b=404,
            dept_transport=404,
            expert=404,
            grid_worker=403,
            leader=403,
        ),
        kwargs=awaiting,
        label="(the enterprise submitted it; a department's finding is not the town's to verify: back)",
    ),
    Route(
        "hazards:hazard-verify",
        page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        kwargs=awaiting,
        method="post",
        data=lambda c: {"passed": "1", "opinion": "合格", "method": "on_site"},
        label="(the enterprise user submitted it: refused by rule with a message, nothing written; test_views)",
    ),
    Route(
        "hazards:hazard-verify",
        page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        kwargs=awaiting_from_someone_else,
        method="post",
        data=lambda c: {"passed": "1", "opinion": "合格", "method": "on_site"},
        label="(submitted by someone else; the town and the enterprise are refused by rule: test_shortcuts)",
    ),
    Route(
        "hazards:hazard-reject",
        page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        kwargs=awaiting_from_someone_else,
        method="post",
        data=lambda c: {"reason": "连墙件间距仍超标", "method": "on_site"},
        label="(the town and the enterprise are refused by rule)",
    ),
    Route(
        "hazards:hazard-void",
        OVERSEE_DONE,
        kwargs=registered_by_town,
        method="post",
        data=lambda c: {"reason": "重复"},
        writes=True,
    ),
    Route(
        "hazards:hazard-assign-expert",
        SUPERVISE_DONE,
        kwargs=hazard,
        method="post",
        data=expert_choice,
        writes=True,
    ),
    Route("hazards:extension-create", OWN_RECTIFY, kwargs=hazard),
    Route(
        "hazards:extension-create",
        {**OWN_RECTIFY, "enterprise_x": 302},
        refused=frozenset({"county_office", "town_a", "dept_housing"}),
        kwargs=hazard,
        method="post",
        data=lambda c: {"new_due_on": (_today() + timedelta(days=60)).isoformat(), "reason": "设备到货延迟"},
        writes=True,
    ),
    Route(
        "hazards:extension-decide",
        OVERSEE_DONE,
        kwargs=extension,
        method="post",
        data=lambda c: {"approve": "1", "note": "同意"},
        writes=True,
    ),
    Route("hazards:supervision-create", SUPERVISE, kwargs=with_office),
    Route(
        "hazards:supervision-create",
        SUPERVISE_DONE,
        kwargs=with_office,
        method="post",
        data=supervision_request,
        writes=True,
    ),
    Route("hazards:supervision-list", ALL),
    # Refusals by rule (the county office did not issue it) also redirect back with a message; audited in tests.
    Route(
        "hazards:supervision-lift",
        SUPERVISE_DONE,
        kwargs=closed_supervision,
        method="post",
        data=lambda c: {"opinion": "同意摘牌"},
        label="(issued by the housing department)",
    ),
    Route("hazards:supervision-letter", X_READ, kwargs=supervision),
    Route("hazards:recheck-create", OVERSEE, kwargs=closed),
    Route(
        "hazards:recheck-create",
        OVERSEE_DONE,
        kwargs=closed,
        method="post",
        data=lambda c: {"checked_on": _today().isoformat(), "held": "1", "notes": "整改效果保持"},
        writes=True,
    ),
    Route("hazards:photo", X_READ, kwargs=a_photo),
    Route("hazards:lead-list", ALL),
    Route("hazards:lead-create", page(200, enterprise_x=403, leader=403, expert=403)),
    Route(
        "hazards:lead-create",
        page(302, town_b=200, dept_housing=200, dept_transport=200, enterprise_x=403, leader=403, expert=403),
        method="post",
        data=lead_report,
        writes=True,
        label="(a place in village A: outside town B; no industry for the department)",
    ),
    # The reported enterprise never sees a lead, even one about itself.
    Route(
        "hazards:lead-detail",
        page(200, town_b=404, enterprise_x=404, dept_transport=404, expert=404),
        kwargs=lead,
    ),
    # A lead is out of the enterprise's scope altogether (404 before any right: no existence leak).
    Route("hazards:lead-confirm", {**OVERSEE, "enterprise_x": 404}, kwargs=lead),
    Route(
        "hazards:lead-confirm",
        {**OVERSEE_DONE, "enterprise_x": 404},
        kwargs=lead,
        method="post",
        data=confirmation,
        writes=True,
    ),
    Route(
        "hazards:lead-dismiss",
        {**OVERSEE_DONE, "enterprise_x": 404},
        kwargs=lead,
        method="post",
        data=lambda c: {"reason": "非隐患"},
        writes=True,
    ),
    Route("hazards:enterprise-hazards", X_READ, kwargs=lambda c: {"pk": c.enterprise_x.pk}),
    # API
    Route("api:hazard-list", api(200)),
    Route(
        "api:hazard-list",
        api(201, town_b=400, dept_transport=400, grid_worker=403, leader=403, expert=403),
        method="post",
        json=True,
        data=registration,
        writes=True,
        label="(create)",
    ),
    Route("api:hazard-detail", API_X_READ, kwargs=hazard),
    Route(
        "api:hazard-detail",
        {**API_X_READ, "expert": 200},
        kwargs=lambda c: {"pk": c.expert_hazard().pk},
        label="(assigned to the expert)",
    ),
    Route(
        "api:hazard-plan",
        OWN_RECTIFY_API,
        kwargs=hazard,
        method="post",
        json=True,
        data=plan,
        writes=True,
    ),
    Route(
        "api:hazard-submit",
        OWN_RECTIFY_API,
        kwargs=rectifying,
        method="post",
        data=evidence,
        writes=True,
        success=frozenset({200}),
        label="(multipart with a photo)",
    ),
    Route(
        "api:hazard-fix-on-the-spot",
        OWN_RECTIFY_API,
        kwargs=hazard,
        method="post",
        data=evidence,
        writes=True,
        success=frozenset({200}),
        label="(multipart with a photo)",
    ),
    Route(
        "api:hazard-witness-fix",
        api(403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=hazard,
        method="post",
        data=evidence,
        writes=True,
        success=frozenset({200}),
        label="(multipart with a photo)",
    ),
    Route(
        "api:hazard-verify",
        api(
            200,
            enterprise_x=400,
            town_a=400,
            town_b=404,
            dept_transport=404,
            expert=404,
            grid_worker=403,
            leader=403,
        ),
        kwargs=awaiting,
        method="post",
        json=True,
        data=lambda c: {"passed": True, "opinion": "合格", "method": "on_site"},
        writes=True,
    ),
    Route(
        "api:hazard-void",
        api(403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=registered_by_town,
        method="post",
        json=True,
        data=lambda c: {"reason": "重复登记"},
        writes=True,
    ),
    Route(
        "api:hazard-extend",
        {**OWN_RECTIFY_API, "enterprise_x": 201},  # the rectifier asks for time (no 代管)
        kwargs=hazard,
        method="post",
        json=True,
        data=lambda c: {"new_due_on": (_today() + timedelta(days=60)).isoformat(), "reason": "设备到货延迟"},
        writes=True,
    ),
    Route(
        "api:hazard-supervise",
        api(403, county_office=201, dept_housing=201, town_b=404, dept_transport=404, expert=404),
        kwargs=with_office,
        method="post",
        json=True,
        data=supervision_request,
        writes=True,
    ),
    Route("api:hazard-lead-list", api(200)),
    Route(
        "api:hazard-lead-list",
        api(201, town_b=400, dept_housing=400, dept_transport=400, enterprise_x=403, leader=403, expert=403),
        method="post",
        json=True,
        data=lead_report,
        writes=True,
        label="(create)",
    ),
    Route(
        "api:hazard-lead-detail",
        api(200, town_b=404, enterprise_x=404, dept_transport=404, expert=404),
        kwargs=lead,
    ),
    Route(
        "api:hazard-lead-confirm",
        api(
            403,
            enterprise_x=404,
            county_office=201,
            town_a=201,
            dept_housing=201,
            town_b=404,
            dept_transport=404,
            expert=404,
        ),
        kwargs=lead,
        method="post",
        json=True,
        data=confirmation,
        writes=True,
    ),
    Route(
        "api:hazard-lead-dismiss",
        api(
            403,
            enterprise_x=404,
            county_office=200,
            town_a=200,
            dept_housing=200,
            town_b=404,
            dept_transport=404,
            expert=404,
        ),
        kwargs=lead,
        method="post",
        json=True,
        data=lambda c: {"reason": "非隐患"},
        writes=True,
    ),
    Route("api:hazard-extension-list", api(200)),
    Route("api:hazard-extension-detail", API_X_READ, kwargs=extension),
    Route(
        "api:hazard-extension-decide",
        api(403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=extension,
        method="post",
        json=True,
        data=lambda c: {"approve": True, "note": "同意"},
        writes=True,
    ),
    # 隐患排查治理统计分析表 (16号令 第十四条): the enterprise prepares, only its 主要负责人 signs.
    Route("hazards:filing-report", ALL),
    Route("hazards:filing-missing", ALL),
    Route("hazards:filing-missing-export", page(200, grid_worker=403, expert=403)),
    Route("hazards:filing-rules", ALL),
    Route(
        "hazards:filing-rules",
        page(403, county_office=200),
        method="post",
        data=lambda c: {"province": "340000000000", "quarter_day": 10, "annual_month": 2, "annual_day": 15},
        writes=True,
        label="(a county office does not set its province's deadlines)",
    ),
    Route("hazards:filing-list", X_READ, kwargs=enterprise_x),
    Route(
        "hazards:filing-generate",
        page(403, enterprise_x=302, town_b=404, dept_transport=404, expert=404),
        kwargs=enterprise_x,
        method="post",
        data=lambda c: {"period": _ended_period()},
        writes=True,
    ),
    Route("hazards:filing-detail", X_READ, kwargs=filing),
    Route(
        "hazards:filing-analysis",
        page(403, enterprise_x=302, town_b=404, dept_transport=404, expert=404),
        kwargs=filing,
        method="post",
        data=lambda c: {"analysis": "本季度隐患均已整改"},
        writes=True,
    ),
    Route(
        "hazards:filing-confirm",
        page(302, town_b=404, dept_transport=404, expert=404),
        kwargs=filing,
        method="post",
        writes=True,
        refused=frozenset(
            {"county_office", "town_a", "dept_housing", "enterprise_x", "grid_worker", "leader"}
        ),
        label="(only the principal's own account signs: nobody of the cast)",
    ),
    Route("hazards:filing-export", X_READ, kwargs=filing),
    Route("api:hazard-supervision-list", api(200)),
    Route("api:hazard-supervision-detail", API_X_READ, kwargs=supervision),
    Route(
        "api:hazard-supervision-lift",
        api(403, county_office=400, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=closed_supervision,
        method="post",
        json=True,
        data=lambda c: {"reason": "验收合格，同意摘牌"},
        writes=True,
        label="(issued by the housing department: only it signs off)",
    ),
]


def _audited():
    from anlan.documents.models import IssuedDocument
    from anlan.hazards.models import (
        Extension,
        FilingRuleSetting,
        Hazard,
        Lead,
        Photo,
        Recheck,
        Rectification,
        RectificationPlan,
        StatisticsFiling,
        Supervision,
        Verification,
    )

    return [
        Hazard,
        Lead,
        Photo,
        RectificationPlan,
        Rectification,
        Verification,
        Extension,
        Supervision,
        Recheck,
        StatisticsFiling,
        FilingRuleSetting,
        IssuedDocument,
    ]


AUDITED = _audited()
