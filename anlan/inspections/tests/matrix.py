"""Permission-matrix rows of the inspections module (see tests/matrix.py and tests/test_permission_matrix.py).

The records are the housing department's, about enterprise X (construction, village A, grid A): town B is out of
scope (404); plans, draws and the inspector pool belong to the department, so only the county office, the
department and the leader see them. Planning, drawing and enforcing are the 安委办's and departments'; towns
inspect; the enterprise applies for 复产; the leader only reads (and signs the last 复产 step).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.matrix import Route, api, page


def _today():
    return timezone.localdate()


def _team(c):
    from anlan.inspections.tests.factories import inspector

    return [
        inspector(c.dept_housing, name="张执法", user=c["dept_housing"]),
        inspector(c.dept_housing, name="李执法"),
    ]


def _planned(c, **kw):
    from anlan.inspections.tests.factories import planned

    return planned(c.dept_housing, c.enterprise_x, _team(c), created_by=c["dept_housing"], **kw)


def _recorded(c):
    from anlan.inspections import services
    from anlan.inspections.tests.factories import answers, record_data

    return services.record_inspection(
        actor=c["dept_housing"],
        inspection_pk=_planned(c).pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5",)),
    )


def planned_inspection(c):
    return {"pk": _planned(c).pk}


def recorded_inspection(c):
    return {"pk": _recorded(c).pk}


def signed_inspection(c):
    from django.core.files.base import ContentFile

    item = _planned(c)
    item.signature_scan.save("signature.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": item.pk}


def answer_photo(c):
    from django.core.files.base import ContentFile

    from anlan.hazards.tests.factories import png_bytes
    from anlan.inspections.models import Answer, AnswerPhoto

    answer = Answer.objects.create(
        inspection=_planned(c), item_key="gen-1", item_text="x", basis="y", result="compliant"
    )
    photo = AnswerPhoto(answer=answer, name="site.png")
    photo.file.save("site.png", ContentFile(png_bytes()), save=False)
    photo.save()
    return {"pk": photo.pk}


def record_document(c):
    return {"pk": _recorded(c).record_document_id}


def _action(c, kind="rectification"):
    from anlan.inspections import services

    inspection = _recorded(c)
    finding = inspection.answers.get(result="non_compliant")
    data = {"kind": kind, "legal_basis": "《安全生产法》第六十五条", "description": "限期整改"}
    if kind == "rectification":
        data["due_on"] = _today() + timedelta(days=10)
    return services.take_enforcement(
        actor=c["dept_housing"], inspection_pk=inspection.pk, data=data, finding_ids=[finding.pk]
    )


def action(c):
    return {"pk": _action(c).pk}


def suspension(c):
    return {"pk": _action(c, "suspension").suspension.pk}


def application(c):
    from anlan.inspections import services

    item = _action(c, "suspension").suspension
    return {
        "pk": services.apply_resumption(actor=c["enterprise_x"], suspension_pk=item.pk, evidence="已整改").pk
    }


def supervision_choice(c):
    """The link form's data: a listed 挂牌督办 of enterprise X."""
    from anlan.inspections.tests.factories import supervision

    return {"supervision": supervision(c.enterprise_x, c.dept_housing, c["dept_housing"]).pk}


def application_with_proof(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anlan.inspections import services

    item = _action(c, "suspension").suspension
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    application = services.apply_resumption(
        actor=c["enterprise_x"], suspension_pk=item.pk, evidence="已整改", attachment=proof
    )
    return {"pk": application.pk}


def _closure(c, propose: bool = False):
    """Enterprise X flagged for 提请关闭: a major hazard and three fines within 180 days (and drafted)."""
    from anlan.hazards.models import Hazard
    from anlan.hazards.tests.factories import HazardFactory
    from anlan.inspections import services
    from anlan.inspections.models import EnforcementAction

    inspection = _recorded(c)
    HazardFactory(enterprise=c.enterprise_x, grade=Hazard.Grade.MAJOR, found_on=_today() - timedelta(days=90))
    for days in (60, 30, 0):
        EnforcementAction.objects.create(
            inspection=inspection,
            kind="fine",
            legal_basis="《安全生产法》第一百零二条",
            description="罚款",
            issued_by=c["dept_housing"],
            issued_on=_today() - timedelta(days=days),
        )
    proposal = services.evaluate_closure(c.enterprise_x.pk)
    if propose:
        proposal = services.move_closure(
            actor=c["dept_housing"],
            proposal_pk=proposal.pk,
            transition="propose",
            data={"facts": "重大事故隐患未整改", "legal_basis": "《安全生产法》第一百一十三条"},
        )
    return proposal


def closure(c):
    return {"pk": _closure(c).pk}


def proposed_closure(c):
    return {"pk": _closure(c, propose=True).pk}


def closure_document(c):
    return {"pk": _closure(c, propose=True).document_id}


def score_proposal(c):
    from anlan.inspections.models import ScoreProposal, ScoringRule

    inspection = _recorded(c)
    rule = ScoringRule.objects.create(code="resumed-without-approval", violation="擅自复产", points=12)
    item = ScoreProposal.objects.create(enterprise=c.enterprise_x, inspection=inspection, rule=rule)
    return {"pk": item.pk}


def own_check_form(c):
    return {
        "kind": "unannounced",
        "enterprise": c.enterprise_x.pk,
        "planned_on": _today().isoformat(),
        "checkers": "王某、李某",
    }


def plan(c):
    from anlan.inspections.models import InspectionPlan

    item = InspectionPlan.objects.create(
        department=c.dept_housing,
        year=_today().year,
        title="年度计划",
        monthly_counts=[2] * 12,
        created_by=c["dept_housing"],
    )
    return {"pk": item.pk}


def inspector(c):
    return {"pk": _team(c)[0].pk}


def _sites(c):
    from anlan.core.tests.factories import EnterpriseFactory, industry

    for n in range(4):
        EnterpriseFactory(name=f"来安县矩阵建筑{n}", region=c.village_a, industry=industry("construction"))


def draw(c, confirm=False):
    from anlan.inspections import services

    _team(c)
    _sites(c)
    item = services.create_draw(
        actor=c["dept_housing"],
        data={
            "department": c.dept_housing.pk,
            "title": "双随机",
            "period_start": _today(),
            "period_end": _today() + timedelta(days=20),
            "region": c.county.pk,
            "sample_size": 2,
            "seed": 42,
        },
    )
    if confirm:
        services.confirm_draw(actor=c["dept_housing"], draw_pk=item.pk)
    return {"pk": item.pk}


def confirmed_draw(c):
    return draw(c, confirm=True)


def person(c):
    from anlan.inspections.models import ScoredPerson

    return {
        "pk": ScoredPerson.objects.create(enterprise=c.enterprise_x, name="赵矿长", position="主要负责人").pk
    }


# ---------------------------------------------------------------- form data


def inspection_form(c):
    team = _team(c)
    return {
        "department": c.dept_housing.pk,
        "kind": "routine",
        "enterprise": c.enterprise_x.pk,
        "planned_on": _today().isoformat(),
        "team": [t.pk for t in team],
    }


def record_form(c):
    from anlan.inspections.tests.factories import record_post

    return record_post()


def enforcement_form(c):
    return {
        "kind": "rectification",
        "legal_basis": "《安全生产法》第六十五条",
        "description": "限期整改",
        "due_on": (_today() + timedelta(days=10)).isoformat(),
        "findings": [],  # filled below by the view's own queryset: the one finding
    }


def _enforcement_data(c):
    from anlan.inspections.models import Answer

    data = enforcement_form(c)
    data["findings"] = list(Answer.objects.filter(result="non_compliant").values_list("pk", flat=True))
    return data


def letter_form(c):
    return {"kind": "warning_letter", "addressee": "来安县建工集团有限公司", "content": "请加强临边防护。"}


def plan_form(c):
    data = {"department": c.dept_housing.pk, "year": _today().year, "title": "年度检查计划"}
    data.update({f"m{n}": 3 for n in range(1, 13)})
    return data


def inspector_form(c):
    return {
        "department": c.dept_housing.pk,
        "name": "王执法",
        "certificate_number": "3411229999",
        "certificate_expires_on": (_today() + timedelta(days=400)).isoformat(),
        "is_active": "on",
    }


def draw_form(c):
    _team(c)
    _sites(c)
    return {
        "department": c.dept_housing.pk,
        "title": "双随机",
        "period_start": _today().isoformat(),
        "period_end": (_today() + timedelta(days=20)).isoformat(),
        "region": c.county.pk,
        "method": "uniform",
        "sample_size": 2,
        "team_size": 2,
        "seed": 7,
    }


def score_form(c):
    from anlan.inspections.models import ScoringRule

    rule = ScoringRule.objects.create(code="m", violation="未制定应急预案", points=3)
    return {"rule": rule.pk, "scored_on": _today().isoformat()}


ALL = page(200)
X_READ = page(200, town_b=404, dept_transport=404, expert=404)
DEPT_READ = page(404, county_office=200, dept_housing=200, leader=200)
MANAGE = page(403, county_office=200, dept_housing=200, dept_transport=200)
MANAGE_DONE = page(403, county_office=302, dept_housing=302, dept_transport=200)
# Planning (plans, inspector pool, draws) is the department's own: the county office reads it (403 on writes; it
# keeps only its comprehensive department's, which the cast lacks), the transport bureau gets 404 on housing's
# and makes its own (posting housing's id is refused on the field: 200 / 400, nothing written).
PLAN_NEW = page(403, dept_housing=200, dept_transport=200)
PLAN_NEW_DONE = page(403, dept_housing=302, dept_transport=200)
MANAGE_OWN = page(404, county_office=403, dept_housing=200, leader=403)
MANAGE_OWN_DONE = page(404, county_office=403, dept_housing=302, leader=403)
# A department's inspection is recorded or cancelled by its own staff only (rules.check_recorder): the county
# office and the town see it and are refused.
INSPECT_X = page(403, dept_housing=200, town_b=404, dept_transport=404, expert=404)
INSPECT_X_DONE = page(403, dept_housing=302, town_b=404, dept_transport=404, expert=404)
ENFORCE_X = page(403, county_office=200, dept_housing=200, town_b=404, dept_transport=404, expert=404)
ENFORCE_X_DONE = page(403, county_office=302, dept_housing=302, town_b=404, dept_transport=404, expert=404)
# Enforcement measures and documents: only a certified inspector (dept_housing is one; the county office holds
# the right but no 执法证, so the page is refused to it).
CERTIFIED_X = {**ENFORCE_X, "county_office": 403}
CERTIFIED_X_DONE = {**ENFORCE_X_DONE, "county_office": 403}

CLOSURE_READ_ANY = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
CLOSURE_READ = page(404, county_office=200, town_a=200, dept_housing=200, leader=200)
CLOSURE_DRAFT = page(404, county_office=200, dept_housing=200, town_a=403, leader=403)
CLOSURE_DRAFT_DONE = page(404, county_office=302, dept_housing=302, town_a=403, leader=403)
CLOSURE_DECIDE_DONE = page(404, county_office=302, dept_housing=403, town_a=403, leader=403)


# ---------------------------------------------------------------- 盯守, 回头看 and 联合惩戒措施 (issue #14)


def _suspension(c):
    return _action(c, "suspension").suspension


def watch_plan(c):
    """The 盯守 plan made with enterprise X's suspension (watchers: grid A's worker and town A)."""
    return {"pk": _suspension(c).watch_plan.pk}


def watch_plan_form(c):
    return {"every_days": "5", "watchers": [c["grid_worker"].pk]}


def watch_visit_form(c):
    return {"visited_on": _today().isoformat(), "visited_at": "21:30", "observation": "大门紧闭，无人作业"}


def watch_visit_photo(c):
    from django.core.files.base import ContentFile

    from anlan.hazards.tests.factories import png_bytes
    from anlan.inspections.models import WatchVisit, WatchVisitPhoto

    visit = WatchVisit.objects.create(
        plan=_suspension(c).watch_plan, visited_on=_today(), observation="无异常", watcher=c["grid_worker"]
    )
    photo = WatchVisitPhoto(visit=visit, name="site.png")
    photo.file.save("site.png", ContentFile(png_bytes()), save=False)
    photo.save()
    return {"pk": photo.pk}


def _transport_unit(c):
    from anlan.core import units

    return units.unit_for(c.dept_transport)


def joint_measure_form(c):
    return {"kind": "licence", "recipient": _transport_unit(c).pk, "note": ""}


def _measure(c, suspension=None):
    from anlan.inspections import services

    return services.send_joint_measure(
        actor=c["dept_housing"],
        suspension_pk=(suspension or _suspension(c)).pk,
        kind="licence",
        recipient_pk=_transport_unit(c).pk,
    )


def joint_measure(c):
    """暂扣安全生产许可证 sent to the transport bureau's unit (its members confirm it)."""
    return {"pk": _measure(c).pk}


def resumed_measure(c):
    from anlan.inspections import services

    suspension = _suspension(c)
    measure = _measure(c, suspension)
    application = services.apply_resumption(
        actor=c["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    for signer in ("dept_housing", "leader"):
        services.decide_resumption(actor=c[signer], application_pk=application.pk, approve=True)
    return {"pk": measure.pk}


ROUTES: list[Route] = [
    Route("inspections:inspection-list", ALL),
    Route("inspections:statistics", ALL),
    Route(
        "inspections:inspection-create",
        page(403, county_office=200, dept_housing=200, dept_transport=200),
    ),
    Route(
        "inspections:inspection-create",
        page(403, county_office=302, dept_housing=302, dept_transport=200),
        method="post",
        data=inspection_form,
        writes=True,
        label="(towns record their own checks, they plan none)",
    ),
    Route("inspections:inspection-detail", X_READ, kwargs=planned_inspection),
    Route("inspections:inspection-record", INSPECT_X, kwargs=planned_inspection),
    Route(
        "inspections:inspection-record",
        INSPECT_X_DONE,
        kwargs=planned_inspection,
        method="post",
        data=record_form,
        writes=True,
    ),
    Route(
        "inspections:inspection-cancel",
        {**INSPECT_X_DONE, "county_office": 302, "town_a": 302},
        kwargs=planned_inspection,
        method="post",
        data=lambda c: {"reason": "企业已停业"},
        writes=True,
        refused=frozenset({"county_office", "town_a"}),
    ),
    Route("inspections:inspection-signature", X_READ, kwargs=signed_inspection),
    Route("inspections:answer-photo", X_READ, kwargs=answer_photo),
    Route("inspections:document", X_READ, kwargs=record_document),
    Route("inspections:enforcement-create", CERTIFIED_X, kwargs=recorded_inspection),
    Route(
        "inspections:enforcement-create",
        CERTIFIED_X_DONE,
        kwargs=recorded_inspection,
        method="post",
        data=_enforcement_data,
        writes=True,
    ),
    Route("inspections:letter-create", CERTIFIED_X, kwargs=recorded_inspection),
    Route(
        "inspections:letter-create",
        CERTIFIED_X_DONE,
        kwargs=recorded_inspection,
        method="post",
        data=letter_form,
        writes=True,
    ),
    Route("inspections:enforcement-complete", ENFORCE_X_DONE, kwargs=action, method="post", writes=True),
    Route(
        "inspections:enforcement-revoke",
        ENFORCE_X_DONE,
        kwargs=action,
        method="post",
        data=lambda c: {"reason": "事实不清"},
        writes=True,
    ),
    Route("inspections:plan-list", ALL),
    Route("inspections:plan-create", PLAN_NEW),
    Route("inspections:plan-create", PLAN_NEW_DONE, method="post", data=plan_form, writes=True),
    Route("inspections:plan-detail", DEPT_READ, kwargs=plan),
    Route("inspections:plan-edit", MANAGE_OWN, kwargs=plan),
    Route("inspections:plan-edit", MANAGE_OWN_DONE, kwargs=plan, method="post", data=plan_form, writes=True),
    Route("inspections:inspector-list", ALL),
    Route("inspections:inspector-create", PLAN_NEW),
    Route("inspections:inspector-create", PLAN_NEW_DONE, method="post", data=inspector_form, writes=True),
    Route("inspections:inspector-edit", MANAGE_OWN, kwargs=inspector),
    Route(
        "inspections:inspector-edit",
        MANAGE_OWN_DONE,
        kwargs=inspector,
        method="post",
        data=lambda c: inspector_form(c) | {"certificate_number": "3411228888"},
        writes=True,
    ),
    Route("inspections:conflict-create", MANAGE_OWN, kwargs=inspector),
    Route(
        "inspections:conflict-create",
        MANAGE_OWN_DONE,
        kwargs=inspector,
        method="post",
        data=lambda c: {
            "enterprise": c.enterprise_x.pk,
            "reason": "亲属任职",
            "declared_on": _today().isoformat(),
        },
        writes=True,
    ),
    Route("inspections:draw-list", ALL),
    Route("inspections:draw-create", PLAN_NEW),
    Route("inspections:draw-create", PLAN_NEW_DONE, method="post", data=draw_form, writes=True),
    Route("inspections:draw-detail", DEPT_READ, kwargs=draw),
    Route("inspections:draw-confirm", MANAGE_OWN_DONE, kwargs=draw, method="post", writes=True),
    Route("inspections:draw-publish", MANAGE_OWN_DONE, kwargs=confirmed_draw, method="post", writes=True),
    # The planning leak of issue 12, closed: the transport bureau renames and deactivates housing's inspector.
    Route(
        "inspections:inspector-edit",
        MANAGE_OWN_DONE,
        kwargs=inspector,
        method="post",
        data=lambda c: inspector_form(c) | {"name": "改名", "is_active": ""},
        writes=True,
        label="(rename and deactivate)",
    ),
    Route("inspections:suspension-list", ALL),
    # 盯守 and 回头看: the supervisors of enterprise X; never the enterprise (404: the surprise is the point).
    Route("inspections:watch-list", page(200, enterprise_x=403, leader=403, expert=403)),
    Route("inspections:watch-detail", {**X_READ, "enterprise_x": 404}, kwargs=watch_plan),
    Route(
        "inspections:watch-edit",
        page(
            403,
            county_office=200,
            dept_housing=200,
            town_b=404,
            dept_transport=404,
            enterprise_x=404,
            expert=404,
        ),
        kwargs=watch_plan,
    ),
    Route(
        "inspections:watch-edit",
        page(
            403,
            county_office=302,
            dept_housing=302,
            town_b=404,
            dept_transport=404,
            enterprise_x=404,
            expert=404,
        ),
        kwargs=watch_plan,
        method="post",
        data=watch_plan_form,
        writes=True,
    ),
    Route(
        "inspections:watch-visit-create",
        page(200, leader=403, town_b=404, dept_transport=404, enterprise_x=404, expert=404),
        kwargs=watch_plan,
    ),
    Route(
        "inspections:watch-visit-create",
        page(302, leader=403, town_b=404, dept_transport=404, enterprise_x=404, expert=404),
        kwargs=watch_plan,
        method="post",
        data=watch_visit_form,
        writes=True,
    ),
    Route("inspections:watch-visit-photo", {**X_READ, "enterprise_x": 404}, kwargs=watch_visit_photo),
    # 联合惩戒措施: sent by the department or the 安委办; the recipient body (here the transport bureau's unit)
    # sees and confirms it; the enterprise never sees it.
    Route(
        "inspections:joint-measure-create",
        page(403, county_office=200, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=lambda c: {"pk": _suspension(c).pk},
    ),
    Route(
        "inspections:joint-measure-create",
        page(403, county_office=302, dept_housing=302, town_b=404, dept_transport=404, expert=404),
        kwargs=lambda c: {"pk": _suspension(c).pk},
        method="post",
        data=joint_measure_form,
        writes=True,
    ),
    Route(
        "inspections:joint-measure-detail",
        page(200, town_b=404, enterprise_x=404, expert=404),
        kwargs=joint_measure,
    ),
    Route(
        "inspections:joint-measure-confirm",
        page(403, dept_transport=302, town_b=404, enterprise_x=404, expert=404),
        kwargs=joint_measure,
        method="post",
        writes=True,
    ),
    Route(
        "inspections:joint-measure-lift",
        page(403, county_office=302, dept_housing=302, town_b=404, enterprise_x=404, expert=404),
        kwargs=resumed_measure,
        method="post",
        writes=True,
    ),
    Route("inspections:suspension-detail", X_READ, kwargs=suspension),
    Route(
        "inspections:resumption-apply",
        page(403, enterprise_x=200, town_b=404, dept_transport=404, expert=404),
        kwargs=suspension,
    ),
    Route(
        "inspections:resumption-apply",
        page(403, enterprise_x=302, town_b=404, dept_transport=404, expert=404),
        kwargs=suspension,
        method="post",
        data=lambda c: {"evidence": "已完成整改"},
        writes=True,
    ),
    # Naming the 挂牌督办 a 停产整顿 follows: whoever enforces on the enterprise.
    Route("inspections:suspension-link-supervision", ENFORCE_X, kwargs=suspension),
    Route(
        "inspections:suspension-link-supervision",
        ENFORCE_X_DONE,
        kwargs=suspension,
        method="post",
        data=supervision_choice,
        writes=True,
    ),
    # Only the department signs the first step; the others are sent back with a message (see test_views).
    Route(
        "inspections:resumption-decide",
        page(
            403, county_office=302, dept_housing=302, leader=302, town_b=404, dept_transport=404, expert=404
        ),
        kwargs=application,
        method="post",
        data=lambda c: {"approve": "1", "opinion": "现场验收合格"},
    ),
    Route("inspections:resumption-proof", X_READ, kwargs=application_with_proof),
    # 提请关闭: supervisors read (never the enterprise: 403 on the list, 404 on a proposal); the department or
    # the 安委办 drafts or dismisses; only the county office records the government's decision.
    Route("inspections:closure-list", CLOSURE_READ_ANY),
    Route("inspections:closure-detail", CLOSURE_READ, kwargs=closure),
    Route("inspections:document", CLOSURE_READ, kwargs=closure_document, label="(提请关闭建议)"),
    Route("inspections:closure-propose", CLOSURE_DRAFT, kwargs=closure),
    Route(
        "inspections:closure-propose",
        CLOSURE_DRAFT_DONE,
        kwargs=closure,
        method="post",
        data=lambda c: {"facts": "重大事故隐患未整改", "legal_basis": "《安全生产法》第一百一十三条"},
        writes=True,
    ),
    Route(
        "inspections:closure-dismiss",
        CLOSURE_DRAFT_DONE,
        kwargs=closure,
        method="post",
        data=lambda c: {"reason": "处罚已撤销"},
        writes=True,
    ),
    Route(
        "inspections:closure-close",
        CLOSURE_DECIDE_DONE,
        kwargs=proposed_closure,
        method="post",
        data=lambda c: {"decision_number": "来政〔2026〕12号", "decided_on": _today().isoformat()},
        writes=True,
    ),
    Route(
        "inspections:closure-keep-open",
        CLOSURE_DECIDE_DONE,
        kwargs=proposed_closure,
        method="post",
        data=lambda c: {"reason": "已整改到位"},
        writes=True,
    ),
    Route(
        "inspections:score-proposal-decide",
        page(403, county_office=302, dept_housing=302, town_b=404, dept_transport=404, expert=404),
        kwargs=score_proposal,
        method="post",
        data=lambda c: {"confirm": "1", "name": "赵经理", "position": "主要负责人"},
        writes=True,
    ),
    # A town's or a leader's own check (四不两直, 督查); town B cannot pick enterprise X (the form says so).
    Route("inspections:own-check-create", page(403, town_a=200, town_b=200, leader=200)),
    Route(
        "inspections:own-check-create",
        page(403, town_a=302, town_b=200, leader=302),
        method="post",
        data=own_check_form,
        writes=True,
    ),
    Route("inspections:enterprise-inspections", X_READ, kwargs=lambda c: {"pk": c.enterprise_x.pk}),
    Route("inspections:person-list", ALL),
    Route("inspections:person-create", MANAGE),
    Route(
        "inspections:person-create",
        MANAGE_DONE,
        method="post",
        data=lambda c: {"enterprise": c.enterprise_x.pk, "name": "钱经理", "position": "主要负责人"},
        writes=True,
    ),
    Route("inspections:person-detail", X_READ, kwargs=person),
    Route("inspections:score-create", ENFORCE_X, kwargs=person),
    Route(
        "inspections:score-create", ENFORCE_X_DONE, kwargs=person, method="post", data=score_form, writes=True
    ),
]


def api_plan(c):
    return {
        "department": c.dept_housing.pk,
        "year": _today().year,
        "title": "年度计划",
        "monthly_counts": [1] * 12,
    }


def api_draw(c):
    data = draw_form(c)
    data.pop("method")
    return data


def api_inspection(c):
    data = inspection_form(c)
    data["team_ids"] = data.pop("team")
    return data


def api_record(c):
    from anlan.inspections.data.checklists import items_of

    now = timezone.now()
    return {
        "arrived_at": (now - timedelta(hours=2)).isoformat(),
        "finished_at": (now - timedelta(hours=1)).isoformat(),
        "answers": [
            {
                "item_key": i.key,
                "result": "non_compliant" if i.key == "con-5" else "compliant",
                "note": "临边无防护",
            }
            for i in items_of("construction")
        ],
    }


def api_enforcement(c):
    from anlan.inspections.models import Answer

    inspection = _recorded(c)
    return {
        "inspection": inspection.pk,
        "kind": "fine",
        "amount": "20000.00",
        "legal_basis": "《安全生产法》第一百零二条",
        "description": "罚款",
        "findings": list(
            Answer.objects.filter(inspection=inspection, result="non_compliant").values_list("pk", flat=True)
        ),
    }


API_READ = api(200)
API_X_READ = api(200, town_b=404, dept_transport=404, expert=404)
API_DEPT_READ = api(404, county_office=200, dept_housing=200, leader=200)
API_MANAGE_DONE = api(403, county_office=201, dept_housing=201, dept_transport=400)
API_OWN_DONE = api(404, county_office=403, dept_housing=200, leader=403)
API_PLAN_NEW_DONE = api(403, dept_housing=201, dept_transport=400)
API_INSPECT_X = api(
    403, county_office=400, town_a=400, dept_housing=200, town_b=404, dept_transport=404, expert=404
)
API_ENFORCE_X = api(403, county_office=200, dept_housing=200, town_b=404, dept_transport=404, expert=404)

ROUTES += [
    Route("api:inspection-plan-list", API_READ),
    Route(
        "api:inspection-plan-list",
        API_PLAN_NEW_DONE,
        method="post",
        json=True,
        data=api_plan,
        writes=True,
        label="(create)",
    ),
    Route("api:inspection-plan-detail", API_DEPT_READ, kwargs=plan),
    Route("api:inspection-draw-list", API_READ),
    Route(
        "api:inspection-draw-list",
        API_PLAN_NEW_DONE,
        method="post",
        json=True,
        data=api_draw,
        writes=True,
        label="(draw)",
    ),
    Route("api:inspection-draw-detail", API_DEPT_READ, kwargs=draw),
    Route("api:inspection-draw-verify", API_DEPT_READ, kwargs=draw),
    Route("api:inspection-draw-confirm", API_OWN_DONE, kwargs=draw, method="post", json=True, writes=True),
    Route(
        "api:inspection-draw-publish",
        API_OWN_DONE,
        kwargs=confirmed_draw,
        method="post",
        json=True,
        writes=True,
    ),
    Route("api:inspection-list", API_READ),
    Route(
        "api:inspection-list",
        api(403, county_office=201, town_a=400, town_b=400, dept_housing=201, dept_transport=400),
        method="post",
        json=True,
        data=api_inspection,
        writes=True,
        label="(plan)",
    ),
    Route("api:inspection-detail", API_X_READ, kwargs=planned_inspection),
    Route(
        "api:inspection-record",
        API_INSPECT_X,
        kwargs=planned_inspection,
        method="post",
        json=True,
        data=api_record,
        writes=True,
    ),
    Route(
        "api:inspection-cancel",
        API_INSPECT_X,
        kwargs=planned_inspection,
        method="post",
        json=True,
        data=lambda c: {"reason": "企业已停业"},
        writes=True,
    ),
    Route("api:enforcement-action-list", API_READ),
    Route(
        "api:enforcement-action-list",
        {**API_MANAGE_DONE, "county_office": 400},
        method="post",
        json=True,
        data=api_enforcement,
        writes=True,
        label="(decide: only a certified inspector; the county office gets a 400 naming the rule)",
    ),
    Route("api:enforcement-action-detail", API_X_READ, kwargs=action),
    Route(
        "api:enforcement-action-complete", API_ENFORCE_X, kwargs=action, method="post", json=True, writes=True
    ),
    Route(
        "api:enforcement-action-revoke",
        API_ENFORCE_X,
        kwargs=action,
        method="post",
        json=True,
        data=lambda c: {"reason": "事实不清"},
        writes=True,
    ),
    Route("api:suspension-list", API_READ),
    Route("api:suspension-detail", API_X_READ, kwargs=suspension),
    Route(
        "api:suspension-apply",
        api(403, enterprise_x=201, town_b=404, dept_transport=404, expert=404),
        kwargs=suspension,
        method="post",
        json=True,
        data=lambda c: {"evidence": "已整改"},
        writes=True,
    ),
    Route("api:resumption-list", API_READ),
    Route("api:resumption-detail", API_X_READ, kwargs=application),
    # The first step is the ordering department's: the 安委办 and the leader get a 400 naming the step.
    Route(
        "api:resumption-decide",
        api(403, county_office=400, dept_housing=200, leader=400, town_b=404, dept_transport=404, expert=404),
        kwargs=application,
        method="post",
        json=True,
        data=lambda c: {"approve": True, "opinion": "现场验收合格"},
        writes=True,
    ),
]


def _audited():
    from anlan.core.models import ReceiptTask
    from anlan.inspections import models

    return [
        models.InspectionPlan,
        models.PlanTarget,
        models.Inspector,
        models.Conflict,
        models.RandomDraw,
        models.Inspection,
        models.Answer,
        models.EnforcementAction,
        models.Letter,
        models.Suspension,
        models.Resumption,
        models.ResumptionStep,
        models.ScoredPerson,
        models.ScoreEntry,
        models.ScoreProposal,
        models.ClosureProposal,
        models.WatchPlan,
        models.WatchVisit,
        models.JointMeasure,
        ReceiptTask,
    ]


AUDITED = _audited()
