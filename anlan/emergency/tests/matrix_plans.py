"""Permission-matrix rows of the plans part (see tests/matrix.py and tests/test_permission_matrix.py).

The plan of the rows is enterprise X's (construction, village A): town B, the transport department and the
expert are outside its scope (404); the county office, town A, the housing department, the grid worker and the
leader see it but only enterprise X, its owner, manages it (403 for the others). Its filing goes to the
housing department, which alone checks it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tests.matrix import Route, api, page

DAY = date(2026, 11, 2)  # the scene's steps (review, signature, publication): a year with a loaded calendar


def _plan(c, state):
    from anlan.emergency.tests.factories_plans import enterprise_plan

    return enterprise_plan(c, state=state, day=DAY)


def draft(c):
    return {"pk": _plan(c, "draft").pk}


def reviewed(c):
    return {"pk": _plan(c, "reviewed").pk}


def signed(c):
    return {"pk": _plan(c, "signed").pk}


def published(c):
    return {"pk": _plan(c, "published").pk}


def _filing(c, accepted=False):
    from anlan.emergency.services import plans as services
    from anlan.emergency.tests.factories_plans import calendar_through_next_year, housing_unit

    calendar_through_next_year()
    plan = _plan(c, "published")
    filing = services.submit_filing(
        actor=c["enterprise_x"],
        plan_pk=plan.pk,
        receiver_pk=housing_unit(c).pk,
        submitted_on=timezone.localdate(),
    )
    if accepted:
        services.accept_filing(actor=c["dept_housing"], filing_pk=filing.pk)
    return filing


def filing(c):
    return {"pk": _filing(c).pk}


def accepted_filing(c):
    return {"pk": _filing(c, accepted=True).pk}


def version_with_file(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anlan.core.units import unit_for
    from anlan.emergency.services import plans as services
    from anlan.emergency.tests.factories_plans import PDF, plan_data

    plan = services.register_plan(
        actor=c["enterprise_x"],
        owner_pk=unit_for(c.enterprise_x).pk,
        data=plan_data(),
        file=SimpleUploadedFile("预案.pdf", PDF, content_type="application/pdf"),
    )
    return {"pk": plan.pk, "version_pk": plan.versions.get().pk}


def new_plan(c):
    from anlan.core.units import unit_for
    from anlan.emergency.tests.factories_plans import plan_data

    return {**plan_data(), "owner": unit_for(c.enterprise_x).pk}


def _housing(c):
    from anlan.emergency.tests.factories_plans import housing_unit

    return housing_unit(c).pk


def _today():
    from anlan.emergency.tests.factories_plans import calendar_through_next_year

    calendar_through_next_year()  # a deadline counted from today may reach next year
    return timezone.localdate().isoformat()


ALL = page(200)
READ = page(200, town_b=404, dept_transport=404, expert=404)
MANAGERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, enterprise_x=200
)
EXPORTERS = page(200, grid_worker=403, expert=403)
# Enterprise X's own unit only; the others may hold the right but do not act for the owner.
OWNER_PAGE = page(403, enterprise_x=200, town_b=404, dept_transport=404, expert=404)
OWNER_DONE = page(403, enterprise_x=302, town_b=404, dept_transport=404, expert=404)
RECEIVER_PAGE = page(403, dept_housing=200, town_b=404, dept_transport=404, expert=404)
RECEIVER_DONE = page(403, dept_housing=302, town_b=404, dept_transport=404, expert=404)
# A plan is registered only for the user's own unit: the others' form re-renders on the owner field (200).
CREATE = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, enterprise_x=302
)


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
    Route("emergency:plan-list", ALL),
    Route("emergency:plan-export", EXPORTERS),
    Route("emergency:plan-create", MANAGERS),
    _post("emergency:plan-create", CREATE, new_plan, label="(enterprise X's own unit)"),
    Route("emergency:plan-detail", READ, kwargs=draft),
    Route("emergency:plan-update", OWNER_PAGE, kwargs=draft),
    _post("emergency:plan-update", OWNER_DONE, lambda c: {"kind": "special", "title": "专项预案"}, draft),
    _post(
        "emergency:plan-review",
        OWNER_DONE,
        lambda c: {"held_on": _today(), "reviewers": "张专家", "no_conflict": "on", "conclusion": "passed"},
        draft,
    ),
    _post("emergency:plan-sign", OWNER_DONE, lambda c: {"signed_on": _today()}, reviewed),
    _post("emergency:plan-publish", OWNER_DONE, lambda c: {"published_on": DAY.isoformat()}, signed),
    _post(
        "emergency:plan-revise",
        OWNER_DONE,
        lambda c: {"trigger": "hazards_changed", "note": "新增深基坑"},
        published,
    ),
    _post("emergency:plan-end", OWNER_DONE, lambda c: {"how": "abolish", "reason": "项目竣工"}, draft),
    _post(
        "emergency:plan-evaluate",
        OWNER_DONE,
        lambda c: {"evaluated_on": _today(), "conclusion": "适用"},
        published,
    ),
    _post(
        "emergency:plan-file",
        OWNER_DONE,
        lambda c: {"receiver": _housing(c), "submitted_on": _today()},
        published,
    ),
    Route("emergency:plan-version-file", READ, kwargs=version_with_file),
    Route("emergency:plan-filing-check", RECEIVER_PAGE, kwargs=filing),
    _post("emergency:plan-filing-accept", RECEIVER_DONE, lambda c: {"registration_number": ""}, filing),
    _post(
        "emergency:plan-filing-return",
        RECEIVER_DONE,
        lambda c: {"missing_items": ["risk_assessment"], "missing_note": "缺评审意见"},
        filing,
    ),
    Route("emergency:plan-filing-docx", READ, kwargs=accepted_filing),
    # The read-only API: lists are scoped (200 for everyone signed in), a record out of scope is 404.
    Route("api:emergency-plan-list", api(200)),
    Route("api:emergency-plan-detail", {**READ, "anonymous": 401}, kwargs=draft),
]


def _audited():
    from anlan.emergency.models import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion

    return [Plan, PlanVersion, PlanReview, PlanFiling, PlanEvaluation]


AUDITED = _audited()
