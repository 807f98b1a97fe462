"""Permission-matrix rows of the 严重失信主体名单.

The scene: a case on enterprise X (construction, village A of town A, grid A) decided by the county 安委办 (the
应急管理局's unit). Supervisors, the leader and the enterprise read the list (the grid worker and the expert get
403); the case is seen by whoever sees X — the county office, town A, the housing department (X's industry), the
leader — and by X itself once it has been told (a candidate never notified is 404 for X). Only departments and the
安委办 hold the deciding right; of those, only members of the deciding unit take a step (住建局 is refused by the
guard: a redirect, nothing written). X files its 陈述申辩 and its removal application and decides nothing; the
department may record a party's paper filing. Only the county office keeps the county's settings.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.matrix import Route, api, page


def _f():
    from anlan.credit.tests import factories_dishonesty

    return factories_dishonesty


def _services():
    from anlan.credit.services import dishonesty

    return dishonesty


def candidate(c):
    return {"pk": _f().candidate(c).pk}


def notified_now(c):
    """Told today: the 陈述申辩 period is open."""
    case = _f().candidate(c)
    return {"pk": _services().notify_party(actor=c["county_office"], case_pk=case.pk).pk}


def period_over(c):
    """Told in March 2026: the period has run out, the decision may be taken."""
    return {"pk": _f().notified(c).pk}


def _listed_long_ago(c):
    """Listed more than 12 months ago: early removal may be applied for."""
    from anlan.credit import rules
    from anlan.credit.models import DishonestyCase

    case = _f().listed(c)
    listed_on = date.today() - timedelta(days=400)
    DishonestyCase.objects.filter(pk=case.pk).update(
        listed_on=listed_on, expires_on=rules.listing_expires_on(listed_on)
    )
    return case


def listed(c):
    return {"pk": _f().listed(c).pk}


def listed_eligible(c):
    return {"pk": _listed_long_ago(c).pk}


def removal_applied(c):
    case = _listed_long_ago(c)
    _services().apply_removal(
        actor=c["enterprise_x"], case_pk=case.pk, name="apply_removal", data={"application": "已缴清罚款。"}
    )
    return {"pk": case.pk}


def removed(c):
    case_pk = removal_applied(c)["pk"]
    _services().approve_removal(actor=c["county_office"], case_pk=case_pk, data=_f().ALL_CONDITIONS)
    return {"pk": case_pk}


def notice_of(c):
    return {**period_over(c), "kind": "notice"}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def county(c):
    return {"code": c.county.code}


def candidate_post(c):
    from anlan.core import units

    return {
        "subject_kind": "unit",
        "enterprise": c.enterprise_x.pk,
        "situation": "9",
        "basis": "经查，该单位违法行为性质恶劣、情节严重。",
        "penalty_reference": "来应急罚〔2026〕12号",
        "deciding_unit": units.committee_office_for(c.county).pk,
    }


def settings_post(c):
    return {"local_relatively_major_rule": "on", "statement_working_days": "7"}


def reason(c):
    return {"reason": "经审查，事实清楚。"}


def statement(c):
    return {"statement": "已整改到位，请求不予列入。"}


def application(c):
    return {"application": "已缴清罚款，完成整改。"}


def conditions(c):
    return {"penalty_fulfilled": "on", "harm_removed": "on", "no_new_listing_event": "on", "note": "同意。"}


def _post(name, expected, kwargs, data=None, **kw):
    return Route(name, expected, kwargs=kwargs, method="post", data=data, writes=True, **kw)


READERS = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
READERS.update(leader=200, enterprise_x=200)
EXPORTERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
DECIDERS = page(403, county_office=200, dept_housing=200, dept_transport=200)
OFFICE = page(403, county_office=200)
# A county's settings: out of scope (404) but for the county's supervisors; of those, only the office may.
COUNTY = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403)
COUNTY_POST = dict(COUNTY, county_office=302)
# A candidate (never told): X does not see it yet.
CANDIDATE_X = page(404, county_office=200, town_a=200, dept_housing=200, leader=200)
# A told case: X sees it too.
CASE_X = page(404, county_office=200, town_a=200, dept_housing=200, leader=200, enterprise_x=200)
PANEL_X = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
# A deciding step on a case X has not been told of: the deciding unit's member writes; 住建局 holds the right in
# scope but is refused by the guard (谁处罚、谁决定); town A and the leader lack the right.
DECIDE_CANDIDATE = page(404, county_office=302, town_a=403, dept_housing=302, leader=403)
# The same on a case X has been told of: X lacks the right (403).
DECIDE_TOLD = dict(DECIDE_CANDIDATE, enterprise_x=403)
# The party's own filing: only X.
PARTY = page(404, county_office=403, town_a=403, dept_housing=403, leader=403, enterprise_x=302)
GUARDED = frozenset({"dept_housing"})

ROUTES = [
    Route("credit:dishonesty-list", READERS),
    Route("credit:dishonesty-export", EXPORTERS),
    Route("credit:dishonesty-candidates", DECIDERS),
    Route("credit:dishonesty-create", DECIDERS),
    # 住建局 may propose, but only with its own unit deciding: the form refuses the 安委办's (200, nothing written).
    _post(
        "credit:dishonesty-create",
        page(403, county_office=302, dept_housing=200, dept_transport=200),
        lambda c: {},
        candidate_post,
    ),
    Route("credit:dishonesty-settings", OFFICE),
    Route("credit:dishonesty-settings-edit", COUNTY, kwargs=county),
    _post("credit:dishonesty-settings-edit", COUNTY_POST, county, settings_post),
    Route("credit:dishonesty-detail", CANDIDATE_X, kwargs=candidate, label="candidate"),
    Route("credit:dishonesty-detail", CASE_X, kwargs=listed, label="listed"),
    Route("credit:dishonesty-document", CASE_X, kwargs=notice_of),
    Route("credit:dishonesty-enterprise-panel", PANEL_X, kwargs=enterprise_x),
    _post("credit:dishonesty-notify", DECIDE_CANDIDATE, candidate, refused=GUARDED),
    _post("credit:dishonesty-dismiss", DECIDE_CANDIDATE, candidate, reason, refused=GUARDED),
    Route("credit:dishonesty-file-statement", dict(PARTY, enterprise_x=200), kwargs=notified_now),
    _post("credit:dishonesty-file-statement", PARTY, notified_now, statement),
    _post("credit:dishonesty-record-statement", DECIDE_TOLD, notified_now, statement, refused=GUARDED),
    _post("credit:dishonesty-decide-list", DECIDE_TOLD, period_over, reason, refused=GUARDED),
    _post("credit:dishonesty-decide-not-list", DECIDE_TOLD, period_over, reason, refused=GUARDED),
    # Before 12 months listed, X is refused by the guard: a redirect, nothing written.
    _post("credit:dishonesty-apply-removal", PARTY, listed, application, refused=frozenset({"enterprise_x"})),
    _post("credit:dishonesty-apply-removal", PARTY, listed_eligible, application, label="eligible"),
    _post(
        "credit:dishonesty-record-removal-application",
        DECIDE_TOLD,
        listed_eligible,
        application,
        refused=GUARDED,
    ),
    _post("credit:dishonesty-approve-removal", DECIDE_TOLD, removal_applied, conditions, refused=GUARDED),
    _post("credit:dishonesty-reject-removal", DECIDE_TOLD, removal_applied, reason, refused=GUARDED),
    _post("credit:dishonesty-revoke-removal", DECIDE_TOLD, removed, reason, refused=GUARDED),
    # In scope and a reading role: the others get an empty list.
    Route("api:credit-dishonesty-case-list", api(200)),
    Route(
        "api:credit-dishonesty-case-detail",
        api(404, county_office=200, town_a=200, dept_housing=200, leader=200, enterprise_x=200),
        kwargs=listed,
    ),
]


def _audited():
    from anlan.credit.models import DishonestyCase, DishonestySettings, DishonestySubject

    return [DishonestyCase, DishonestySettings, DishonestySubject]


AUDITED = _audited()
