"""Permission-matrix rows of 督查问题, 两书一函 and 问责记录.

The scene: a 督查 of the county 安委办; a problem (or letter, or 约谈) addressed to 住建局 (dept_housing). The
安委办 and the leader see it through the county; 住建局 sees it as its own unit; 交通运输局 (the second
department) and the towns never see it (404) — a department's territorial scope is narrowed to its own unit.
A problem is a hazard record: its plan and 验收销号 are the hazard's routes (rows below for the problem's
hazard, in an industry 住建局 does not supervise): only the assignee plans and replies (the 安委办 holds the right
in scope, but the guard refuses: 302, nothing written); only the 安委办 verifies and closes out (住建局 is
refused by rule), sends letters back and issues (住建局 gets 403); the leader only reads.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.governance.tests import factories_problems

    return factories_problems


def a_visit(c):
    return {"pk": _f().visit(c).pk}


def assigned(c):
    return {"pk": _f().problem(c).pk}


def assigned_hazard(c):
    """The hazard record of a problem assigned to 住建局 in an industry it does not supervise (校园)."""
    return {"pk": _f().problem(c).hazard_id}


def reported_hazard(c):
    """The same, rectified by 住建局 and awaiting the 安委办's 验收销号."""
    return {"pk": _f().reported(c).hazard_id}


def sent(c):
    return {"pk": _f().letter(c).pk}


def replied(c):
    f = _f()
    letter = f.letter(c)
    f.services.reply_letter(
        actor=c["dept_housing"],
        letter_pk=letter.pk,
        data={"reply": "已整改。", "reply_file": f.pdf("reply.pdf")},
    )
    return {"pk": letter.pk}


def record(c):
    f = _f()
    return {"pk": f.accountability(c, file=f.pdf("summons.pdf")).pk}


def visit_post(c):
    f = _f()
    return {
        "source": "visit",
        "title": "节前安全生产督查",
        "held_on": "2026-01-05",
        "issuer": f.office(c).pk,
        "inspected_units": [f.unit(c.dept_housing).pk],
    }


def problem_post(c):
    f = _f()
    return {
        "description": "安全生产责任清单未及时修订。",
        "assignee": f.unit(c.dept_housing).pk,
        "industry": f.industry().pk,
        "due_on": "2036-01-31",
    }


def hazard_plan_post(c):
    from datetime import timedelta

    from django.utils import timezone

    due = timezone.localdate() + timedelta(days=10)
    return {"responsible_person": "张海峰", "measures": "修订清单", "due_on": due.isoformat()}


def verify_post(c):
    return {"passed": "1", "opinion": "经核查整改到位。", "method": "documents"}


def letter_post(c):
    f = _f()
    f.committee_department(c)
    return {
        "kind": "warning_letter",
        "issuer": f.office(c).pk,
        "recipient": f.unit(c.dept_housing).pk,
        "title": "警示提醒书",
        "content": "汛期将至，请落实防范措施。",
        "reply_due_on": "2036-01-31",
    }


def accountability_post(c):
    f = _f()
    return {
        "kind": "circular",
        "decided_by": f.office(c).pk,
        "subject_unit": f.unit(c.dept_housing).pk,
        "decided_on": "2026-01-05",
        "reason": "问题逾期未整改。",
    }


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
OFFICE = page(403, county_office=200)
OFFICE_POST = page(403, county_office=302)
READ = page(404, county_office=200, dept_housing=200, leader=200)
VISIT = page(404, county_office=200, leader=200)
ISSUER = page(404, county_office=200, leader=403)
ISSUER_POST = page(404, county_office=302, leader=403)
# The assignee's steps: 住建局 gets the form; the 安委办 holds the right in scope but the guard redirects it back.
ASSIGNEE = page(404, county_office=302, dept_housing=200, leader=403)
ASSIGNEE_POST = page(404, county_office=302, dept_housing=302, leader=403)
CLOSE = page(404, county_office=200, dept_housing=403, leader=403)
CLOSE_POST = page(404, county_office=302, dept_housing=403, leader=403)
# 深层次原因 / 制度措施: the assignee only; the 安委办 holds the right but is not the unit (403).
MEASURES_POST = page(404, county_office=403, dept_housing=302, leader=403)
# The problem's hazard record: seen by whoever sees the problem (住建局 through its own unit although 校园 is
# not its industry); 交通运输局 and the towns never (404).
HAZARD_READ = page(404, county_office=200, dept_housing=200, leader=200)
# The plan on the hazard: 住建局 only; the 安委办 is refused by rule (no 代管) and sent back.
HAZARD_PLAN_POST = page(404, county_office=302, dept_housing=302, leader=403)
# 验收销号: the 安委办 (the finding unit) closes it out; 住建局 is refused by rule (the rectifying unit never
# closes its own) and sent back, nothing written.
HAZARD_VERIFY_POST = page(404, county_office=302, dept_housing=302, leader=403)
CONFIRM_POST = page(404, county_office=403, dept_housing=302, leader=403)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
API_READ = api(404, county_office=200, dept_housing=200, leader=200)
REFUSED = frozenset({"county_office"})

ROUTES = [
    Route("governance:visit-list", LIST),
    Route("governance:visit-create", OFFICE),
    _post("governance:visit-create", OFFICE_POST, visit_post),
    Route("governance:visit-detail", VISIT, kwargs=a_visit),
    Route("governance:problem-create", ISSUER, kwargs=a_visit),
    _post("governance:problem-create", ISSUER_POST, problem_post, kwargs=a_visit),
    Route("governance:problem-import", ISSUER, kwargs=a_visit),
    Route("governance:problem-import-template", OFFICE),
    Route("governance:problem-list", LIST),
    Route("governance:problem-export", EXPORT),
    Route("governance:problem-statistics", LIST),
    Route("governance:measure-list", LIST),
    Route("governance:problem-detail", READ, kwargs=assigned),
    _post(
        "governance:problem-measures",
        MEASURES_POST,
        lambda c: {"root_cause": "信息未共享。", "systemic_measure": "建立每月信息共享机制。"},
        kwargs=assigned,
    ),
    Route("hazards:hazard-detail", HAZARD_READ, kwargs=assigned_hazard, label="(a 督查 problem's hazard)"),
    _post(
        "hazards:hazard-plan",
        HAZARD_PLAN_POST,
        hazard_plan_post,
        kwargs=assigned_hazard,
        refused=REFUSED,
        label="(a 督查 problem's hazard: the assignee plans)",
    ),
    _post(
        "hazards:hazard-verify",
        HAZARD_VERIFY_POST,
        verify_post,
        kwargs=reported_hazard,
        refused=frozenset({"dept_housing"}),
        label="(a 督查 problem's hazard: the issuer closes out, never the assignee)",
    ),
    Route("governance:letter-list", LIST),
    Route("governance:letter-create", OFFICE),
    _post("governance:letter-create", OFFICE_POST, letter_post),
    Route("governance:letter-detail", READ, kwargs=sent),
    Route("governance:letter-document", READ, kwargs=sent),
    Route("governance:letter-reply-file", READ, kwargs=replied),
    _post("governance:letter-confirm", CONFIRM_POST, lambda c: {}, kwargs=sent),
    Route("governance:letter-reply", ASSIGNEE, kwargs=sent),
    _post(
        "governance:letter-reply",
        ASSIGNEE_POST,
        lambda c: {"reply": "已落实。"},
        kwargs=sent,
        refused=REFUSED,
    ),
    _post("governance:letter-close", CLOSE_POST, lambda c: {}, kwargs=replied),
    Route("governance:letter-send-back", CLOSE, kwargs=replied),
    _post("governance:letter-send-back", CLOSE_POST, lambda c: {"reason": "回复不完整"}, kwargs=replied),
    Route("governance:accountability-list", LIST),
    Route("governance:accountability-create", OFFICE),
    _post("governance:accountability-create", OFFICE_POST, accountability_post),
    Route("governance:accountability-detail", READ, kwargs=record),
    Route("governance:accountability-file", READ, kwargs=record),
    Route("governance:accountability-export", EXPORT),
    Route("api:governance-problem-list", api(200)),
    Route("api:governance-problem-detail", API_READ, kwargs=assigned),
    Route("api:governance-letter-list", api(200)),
    Route("api:governance-letter-detail", API_READ, kwargs=sent),
    Route("api:governance-accountability-list", api(200)),
    Route("api:governance-accountability-detail", API_READ, kwargs=record),
]


def _audited():
    from anlan.core.models import ReceiptTask
    from anlan.governance.models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
    from anlan.hazards.models import Hazard, RectificationPlan

    return [
        SupervisionVisit,
        Problem,
        GovernmentLetter,
        AccountabilityRecord,
        ReceiptTask,
        Hazard,
        RectificationPlan,
    ]


AUDITED = _audited()
