"""Demo data of the inspections module, a demo step declared in its contribution; deterministic from the seed.

A year of plans (one per department with an inspector pool), ≈1,500 inspections over the past year with their
checklist answers (findings linked to the hazards module's department-found hazards of the same enterprise),
enforcement actions with their numbered DOCX, four confirmed 双随机 draws (two of them past their period: one
published after its deadline, 逾期公开, one due for publication in a few days), a 安全生产记分 scheme with a person
over the threshold, three suspended enterprises: the demo enterprise resumed through the full 复产验收 chain
(department → 安委办 → county leader), another still suspended with an 擅自复产 flag, and a third halted after a
挂牌督办 whose 复产 application waits for its on-site review two days past the 10-day deadline; and a
construction site with a 重大事故隐患 fined three times within 180 days, flagged for 提请关闭 (安全生产法
第一百一十三条) by the enforcement service when the third fine is decided.

Bulk rows go in with bulk_create_with_history (one history row each, reason 演示数据); the draws, the two
suspensions and the chain go through the services. The bulk inspections carry no 现场检查记录 DOCX (rendering
1,500 files would make the demo slow); records made in the app get theirs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import recipients, units
from anlan.core.models import Department
from anlan.documents.services import issue_document
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard, Supervision

from . import documents, services
from .data import legal_basis
from .data.checklists import answer_sheet, items_of
from .models import (
    Answer,
    DocumentKind,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Resumption,
    ScoredPerson,
    ScoreEntry,
    ScoringRule,
    SignoffStep,
)
from .rules import cycle_of, resumption_review_due, threshold_reached
from .services import publication

if TYPE_CHECKING:
    from anlan.core.demo import DemoResult

INSPECTION_COUNT = 1500
INSPECTORS_PER_DEPARTMENT = 6
ENFORCED = 60
KINDS = [
    (Inspection.Kind.ROUTINE, 55),
    (Inspection.Kind.SPECIAL, 15),
    (Inspection.Kind.UNANNOUNCED, 10),
    (Inspection.Kind.SUPERVISION, 6),
    (Inspection.Kind.RECHECK, 6),
    (Inspection.Kind.JOINT, 5),
    (Inspection.Kind.EXPERT, 3),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建华", "志强", "海燕", "国庆", "立新", "春梅", "晓东", "文军", "玉兰", "永刚", "德明", "秀英"]
SCHEME = [
    ("no-duty-system", "未建立健全全员安全生产责任制", 3),
    ("no-training", "未按规定开展安全生产教育培训", 3),
    ("no-plan", "未制定生产安全事故应急救援预案或未定期演练", 4),
    ("major-hazard-unfixed", "重大事故隐患未按期整改", 6),
    ("resumed-without-approval", "停产整顿期间擅自组织生产", 12),
]
INSPECTION_SOURCES = (
    Hazard.Source.DEPARTMENT_INSPECTION,
    Hazard.Source.UNANNOUNCED,
    Hazard.Source.SUPERVISION,
)


def _bulk(model, objs: list, batch_size: int = 1000) -> list:
    from anlan.core.demo import bulk

    return bulk(model, objs, batch_size=batch_size)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build(demo: DemoResult) -> None:
    rng = demo.random("inspections")
    departments = [
        d
        for d in demo.departments.values()
        if d.kind != Department.Kind.MEMBER and d.short_name != "县安委办"
    ]
    pools = _inspectors(demo, departments, rng)
    _plans(demo, departments)
    inspections = _inspections(demo, pools, rng)
    actions = _enforcement(demo, inspections, rng)
    draws = _draws(demo)
    _signoff_chain(demo)
    scheme = _bulk(ScoringRule, [ScoringRule(code=c, violation=v, points=p) for c, v, p in SCHEME])
    suspended = _suspensions(demo, pools)
    flagged = _closure(demo, pools)
    _watch(demo)
    _own_checks(demo)
    scored = _scores(demo, inspections, rng, scheme)
    demo.counts[_("执法人员")] = sum(len(p) for p in pools.values())
    demo.counts[_("监督检查")] = Inspection.objects.count()
    demo.counts[_("执法措施")] = actions + suspended + flagged
    demo.counts[_("双随机抽取")] = draws
    demo.counts[_("记分对象")] = scored


def _inspectors(demo: DemoResult, departments: list[Department], rng) -> dict[int, list[Inspector]]:
    """Six officials per department with valid certificates and one whose certificate has expired."""
    rows = []
    serial = 0
    for department in departments:
        for index in range(INSPECTORS_PER_DEPARTMENT + 1):
            serial += 1
            expired = index == INSPECTORS_PER_DEPARTMENT
            rows.append(
                Inspector(
                    department=department,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    certificate_number=f"34112220{serial:04d}",
                    certificate_expires_on=demo.today
                    + timedelta(days=-30 if expired else rng.randint(400, 1500)),
                )
            )
    inspectors = _bulk(Inspector, rows)
    zhujian = demo.users["zhujian"]
    housing = demo.departments["住建局"]
    first = next(i for i in inspectors if i.department_id == housing.pk)
    Inspector.objects.filter(pk=first.pk).update(user=zhujian, name=zhujian.real_name or first.name)
    # The transport officer is a certified inspector too (the 联合执法 teams draw on both pools).
    jiaotong, transport = demo.users.get("jiaotong"), demo.departments.get("交通运输局")
    if jiaotong is not None and transport is not None:
        own = next((i for i in inspectors if i.department_id == transport.pk), None)
        if own is not None:
            Inspector.objects.filter(pk=own.pk).update(user=jiaotong, name=jiaotong.real_name or own.name)
    pools: dict[int, list[Inspector]] = defaultdict(list)
    for inspector in inspectors:
        if inspector.certificate_expires_on >= demo.today:
            pools[inspector.department_id].append(inspector)
    return pools


def _plans(demo: DemoResult, departments: list[Department]) -> None:
    office = demo.users["anweiban"]
    share = INSPECTION_COUNT // len(departments)
    rows = []
    for department in departments:
        per_month = max(share // 12, 1)
        rows.append(
            InspectionPlan(
                department=department,
                year=demo.today.year,
                title=f"{department.short_name or department.name}{demo.today.year}年度监督检查计划",
                monthly_counts=[per_month + (1 if month in (3, 6, 9, 11) else 0) for month in range(1, 13)],
                created_by=office,
            )
        )
    _bulk(InspectionPlan, rows)


def _department_for(enterprise, cache: dict, pools: dict) -> Department | None:
    if enterprise.industry_id not in cache:
        department = recipients.supervising_department(enterprise.region_id, enterprise.industry_id)
        cache[enterprise.industry_id] = department if department and department.pk in pools else None
    return cache[enterprise.industry_id]


def _checklist(enterprise) -> str:
    return services.checklist_code(enterprise)


def _inspections(demo: DemoResult, pools: dict, rng) -> list[Inspection]:
    """A year of inspections: recorded up to a few days ago, planned after; every item of the checklist
    answered; findings linked to a department-found hazard of the same enterprise where there is one."""
    today = demo.today
    start = today - timedelta(days=365)
    fallback = demo.departments["应急管理局"]
    cache: dict = {}
    creator = demo.users["anweiban"]
    rows, teams = [], []
    for _index in range(INSPECTION_COUNT):
        enterprise = rng.choice(demo.enterprises)
        department = _department_for(enterprise, cache, pools) or fallback
        planned_on = start + timedelta(days=rng.randint(0, 380))
        recorded = planned_on <= today - timedelta(days=2)
        kind = _weighted(rng, KINDS)
        inspection = Inspection(
            kind=kind,
            department=department,
            enterprise=enterprise,
            region_id=enterprise.region_id,
            industry_id=enterprise.industry_id,
            grid_id=enterprise.grid_id,
            checklist=_checklist(enterprise),
            planned_on=planned_on,
            status=Inspection.Status.RECORDED if recorded else Inspection.Status.PLANNED,
            created_by=creator,
        )
        if recorded:
            arrived = timezone.make_aware(
                datetime.combine(planned_on, time(rng.randint(8, 15), rng.choice((0, 15, 30))))
            )
            inspection.arrived_at = arrived
            inspection.finished_at = arrived + timedelta(minutes=rng.randint(60, 180))
            inspection.people_met = (
                f"{enterprise.safety_manager or enterprise.principal.name}（安全管理人员）"
            )
            inspection.escort = "" if kind == Inspection.Kind.UNANNOUNCED else enterprise.principal.name
            inspection.recorded_by = creator
        rows.append(inspection)
        if kind == Inspection.Kind.JOINT:
            # 联合执法: the lead department's inspector and another department's (rules.check_joint_team).
            others = [pk for pk in pools if pk != department.pk and pools[pk]]
            other = pools[rng.choice(others)] if others else pools[department.pk]
            teams.append([rng.choice(pools[department.pk]), rng.choice(other)])
        else:
            teams.append(rng.sample(pools[department.pk], 2))
    inspections = _bulk(Inspection, rows)
    through = Inspection.team.through
    through.objects.bulk_create(
        [
            through(inspection_id=i.pk, inspector_id=p.pk)
            for i, team in zip(inspections, teams, strict=True)
            for p in team
        ]
    )
    _answers(demo, [i for i in inspections if i.status == Inspection.Status.RECORDED], rng)
    return inspections


def _answers(demo: DemoResult, recorded: list[Inspection], rng) -> None:
    hazards: dict[int, list[int]] = defaultdict(list)
    for pk, enterprise_id in (
        Hazard.objects.filter(source__in=INSPECTION_SOURCES).order_by("pk").values_list("pk", "enterprise_id")
    ):
        hazards[enterprise_id].append(pk)
    rows = []
    problems = set()
    for inspection in recorded:
        for item in items_of(inspection.checklist):
            draw = rng.random()
            result = Answer.Result.COMPLIANT
            if draw < 0.03:
                result = Answer.Result.NON_COMPLIANT
            elif draw < 0.08:
                result = Answer.Result.NOT_APPLICABLE
            answer = Answer(
                inspection=inspection,
                item_key=item.key,
                item_text=item.text,
                basis=item.basis[:300],
                result=result,
            )
            if result == Answer.Result.NON_COMPLIANT:
                answer.note = "现场检查发现该问题"
                answer.grade = item.grade
                pool = hazards.get(inspection.enterprise_id)
                answer.hazard_id = pool.pop() if pool else None
                problems.add(inspection.pk)
            rows.append(answer)
    _bulk(Answer, rows, batch_size=2000)
    Inspection.objects.filter(pk__in=[i.pk for i in recorded if i.pk in problems]).update(
        result=Inspection.Result.PROBLEMS
    )
    Inspection.objects.filter(pk__in=[i.pk for i in recorded if i.pk not in problems]).update(
        result=Inspection.Result.NO_PROBLEM
    )


def _enforcement(demo: DemoResult, inspections: list[Inspection], rng) -> int:
    """Rectification orders, fines and a few other actions on inspections with findings, each with its DOCX."""
    with_findings = list(
        Inspection.objects.filter(result=Inspection.Result.PROBLEMS).select_related(
            "department__region", "enterprise"
        )
    )
    chosen = rng.sample(with_findings, min(ENFORCED, len(with_findings)))
    actor = demo.users["anweiban"]
    kinds = [
        (EnforcementAction.Kind.RECTIFICATION, 70),
        (EnforcementAction.Kind.FINE, 20),
        (EnforcementAction.Kind.CONFISCATION, 3),
        (EnforcementAction.Kind.LICENCE_SUSPENSION, 3),
        (EnforcementAction.Kind.REFERRAL, 4),
    ]
    count = 0
    for inspection in sorted(chosen, key=lambda i: (i.planned_on, i.pk)):
        kind = _weighted(rng, kinds)
        findings = list(inspection.answers.filter(result=Answer.Result.NON_COMPLIANT))
        action = EnforcementAction(
            inspection=inspection,
            kind=kind,
            legal_basis=legal_basis.basis_text(kind, [a.item_key for a in findings]),
            description="责令限期整改所列问题"
            if kind == EnforcementAction.Kind.RECTIFICATION
            else "依法作出处理",
            amount=Decimal(rng.choice([5000, 10000, 20000, 30000, 50000]))
            if kind in ("fine", "confiscation")
            else None,
            due_on=inspection.planned_on + timedelta(days=15)
            if kind == EnforcementAction.Kind.RECTIFICATION
            else None,
            licence="安全生产许可证" if kind == EnforcementAction.Kind.LICENCE_SUSPENSION else "",
            referred_to="来安县公安局" if kind == EnforcementAction.Kind.REFERRAL else "",
            status=EnforcementAction.Status.COMPLETED
            if inspection.planned_on < demo.today - timedelta(days=30)
            else EnforcementAction.Status.ISSUED,
            issued_by=actor,
            issued_on=inspection.planned_on,
        )
        action = _bulk(EnforcementAction, [action])[0]
        action.findings.set(findings)
        document_kind = documents.ACTION_DOCUMENT[kind]
        document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=document_kind,
            title=f"{documents.TITLES[document_kind]}（{inspection.subject}）",
            render=lambda number, a=action: documents.action_document(a, number),
            target=action,
        )
        EnforcementAction.objects.filter(pk=action.pk).update(document=document)
        count += 1
    return count


def _draws(demo: DemoResult) -> int:
    """Two confirmed 双随机 draws of the housing department: this quarter's and next month's."""
    zhujian = demo.users["zhujian"]
    housing = demo.departments["住建局"]
    now = timezone.localdate()
    periods = [
        (now, now + timedelta(days=30), 2026001),
        (now + timedelta(days=31), now + timedelta(days=60), 2026002),
    ]
    for index, (start, end, seed) in enumerate(periods, 1):
        draw = services.create_draw(
            actor=zhujian,
            data={
                "department": housing.pk,
                "title": f"{demo.today.year}年建筑施工领域双随机抽查（第{index}批）",
                "period_start": start,
                "period_end": end,
                "region": demo.county.pk,
                "method": RandomDraw.Method.WEIGHTED if index == 2 else RandomDraw.Method.UNIFORM,
                "sample_size": 8,
                "seed": seed,
            },
        )
        services.confirm_draw(actor=zhujian, draw_pk=draw.pk)
    services.publish_draw(actor=zhujian, draw_pk=RandomDraw.objects.order_by("pk").first().pk)
    return len(periods) + _past_draws(demo)


def _past_draws(demo: DemoResult) -> int:
    """Two draws whose period is over (issue #14, 双随机、一公开): one published after its deadline (逾期公开),
    one whose deadline is a few days away. Their visits are left to record: the inspection ended with the
    period (RandomDraw's docstring)."""
    zhujian = demo.users["zhujian"]
    housing = demo.departments["住建局"]
    now = timezone.localdate()
    # The latest period end whose deadline (by the configured days and the calendar) is 2 to 7 days away.
    soon_end = next(
        (
            now - timedelta(days=back)
            for back in range(2, 60)
            if (due := publication.due_on(now - timedelta(days=back))) is not None
            and timedelta(days=2) <= due - now <= timedelta(days=7)
        ),
        now - timedelta(days=25),
    )
    periods = [
        ("已逾期公开", now - timedelta(days=75), now - timedelta(days=60), 2026003),
        ("即将到期", soon_end - timedelta(days=14), soon_end, 2026004),
    ]
    for label, start, end, seed in periods:
        draw = services.create_draw(
            actor=zhujian,
            data={
                "department": housing.pk,
                "title": f"{start.year}年建筑施工领域双随机抽查（{label}）",
                "period_start": start,
                "period_end": end,
                "region": demo.county.pk,
                "method": RandomDraw.Method.UNIFORM,
                "sample_size": 3,
                "seed": seed,
            },
        )
        services.confirm_draw(actor=zhujian, draw_pk=draw.pk)
        if label == "已逾期公开":
            services.publish_draw(actor=zhujian, draw_pk=draw.pk)
    return len(periods)


def _signoff_chain(demo: DemoResult) -> None:
    steps = [
        SignoffStep(
            region=demo.county, order=1, approver=SignoffStep.Approver.DEPARTMENT, name="县级行业部门现场验收"
        ),
        SignoffStep(
            region=demo.county, order=2, approver=SignoffStep.Approver.COMMITTEE_OFFICE, name="县安委办审核"
        ),
        SignoffStep(region=demo.county, order=3, approver=SignoffStep.Approver.LEADER, name="分管副县长审批"),
    ]
    _bulk(SignoffStep, steps)


def _suspended_visit(demo: DemoResult, enterprise, pools, *, failing=()):
    """An inspection of the enterprise by the housing department, recorded through the service."""
    housing = demo.departments["住建局"]
    zhujian = demo.users["zhujian"]
    now = timezone.now()
    visit = Inspection.objects.create(
        kind=Inspection.Kind.UNANNOUNCED if not failing else Inspection.Kind.SPECIAL,
        department=housing,
        enterprise=enterprise,
        region_id=enterprise.region_id,
        industry_id=enterprise.industry_id,
        grid_id=enterprise.grid_id,
        checklist=_checklist(enterprise),
        planned_on=timezone.localdate(),
        created_by=zhujian,
    )
    visit.team.set(pools[housing.pk][:2])
    return visit, {
        "arrived_at": now - timedelta(hours=3),
        "finished_at": now - timedelta(hours=2),
        "people_met": enterprise.principal.name,
        "escort": "",
    }


def _suspensions(demo: DemoResult, pools) -> int:
    """Two 停产整顿 of construction enterprises: the demo enterprise resumed through the whole chain; another
    still suspended, where a later unannounced visit found it producing (擅自复产)."""
    zhujian = demo.users["zhujian"]
    housing_sites = [
        e for e in demo.enterprises if e.industry.code == "construction" and e != demo.demo_enterprise
    ]
    # The resumed one must be clear to resume (no open major hazard: rules.check_resumption_clear): the demo
    # enterprise when it is, else the first construction site that is.
    majors = set(
        Hazard.objects.filter(grade=Hazard.Grade.MAJOR)
        .exclude(status__in=[Hazard.Status.CLOSED, Hazard.Status.VOIDED])
        .values_list("enterprise_id", flat=True)
    )
    resumed = next(e for e in [demo.demo_enterprise, *housing_sites] if e.pk not in majors)
    # The one still suspended is watched (盯守): in the grid worker's grid when a site there can be.
    others = [e for e in housing_sites if e != resumed]
    still = next((e for e in others if e.grid_id == demo.demo_grid.pk), others[0])
    count = 0
    for enterprise in (resumed, still):
        visit, record = _suspended_visit(demo, enterprise, pools, failing=("con-4",))
        given = answer_sheet(visit.checklist, failing=("con-4",), note="深基坑工程未编制专项施工方案")
        services.record_inspection(actor=zhujian, inspection_pk=visit.pk, data=record, answers=given)
        finding = visit.answers.get(result=Answer.Result.NON_COMPLIANT)
        action = services.take_enforcement(
            actor=zhujian,
            inspection_pk=visit.pk,
            data={
                "kind": EnforcementAction.Kind.SUSPENSION,
                "description": "责令停产停业整顿，整顿期间停止全部施工作业",
            },
            finding_ids=[finding.pk],
        )
        count += 1
        if enterprise == resumed:
            if enterprise == demo.demo_enterprise:
                applicant = demo.users["qiye"]
            else:
                applicant = _enterprise_user(demo, enterprise)
            application = services.apply_resumption(
                actor=applicant,
                suspension_pk=action.suspension.pk,
                evidence="已编制专项施工方案并通过专家论证，附论证意见。",
            )
            for signer in ("zhujian", "anweiban", "lingdao"):
                services.decide_resumption(
                    actor=demo.users[signer], application_pk=application.pk, approve=True, opinion="同意复产"
                )
        else:
            later, record = _suspended_visit(demo, enterprise, pools)
            services.record_inspection(
                actor=zhujian,
                inspection_pk=later.pk,
                data=record | {"production_during_suspension": True, "summary": "停产整顿期间现场仍在施工"},
                answers=answer_sheet(later.checklist),
            )
    return count + _suspension_after_supervision(demo, pools, exclude={resumed, still})


def _suspension_after_supervision(demo: DemoResult, pools, *, exclude) -> int:
    """Issue #14: a 停产整顿 that follows a 挂牌督办 of the same construction site, with the site's 复产
    application received 12 days ago and not yet reviewed on site (the 10-day review is 2 days overdue)."""
    zhujian = demo.users["zhujian"]
    candidates = [
        e
        for e in demo.enterprises
        if e.industry.code == "construction" and e not in exclude and e.principal_id
    ]
    listed = (
        Supervision.objects.filter(status=Supervision.Status.LISTED, hazard__enterprise__in=candidates)
        .select_related("hazard__enterprise")
        .order_by("pk")
        .first()
    )
    if listed is None:
        hazard = (
            Hazard.objects.filter(enterprise__in=candidates)
            .exclude(status__in=[Hazard.Status.CLOSED, Hazard.Status.VOIDED])
            .order_by("pk")
            .first()
        )
        if hazard is None:
            return 0
        listed = hazard_services.issue_supervision(
            actor=demo.users["anweiban"],
            hazard_pk=hazard.pk,
            level=Supervision.Level.COUNTY,
            due_on=max(hazard.due_on, timezone.localdate()) + timedelta(days=30),
            responsible_unit=units.unit_for(hazard.enterprise),
            requirements="立即停止相关区域作业，落实整改责任、措施、资金、时限和预案。",
        )
    enterprise = listed.hazard.enterprise
    visit, record = _suspended_visit(demo, enterprise, pools, failing=("con-4",))
    given = answer_sheet(visit.checklist, failing=("con-4",), note="挂牌督办的重大事故隐患未整改，继续施工")
    services.record_inspection(actor=zhujian, inspection_pk=visit.pk, data=record, answers=given)
    finding = visit.answers.get(result=Answer.Result.NON_COMPLIANT)
    action = services.take_enforcement(
        actor=zhujian,
        inspection_pk=visit.pk,
        data={
            "kind": EnforcementAction.Kind.SUSPENSION,
            "description": "挂牌督办期间隐患未消除，责令停产停业整顿",
        },
        finding_ids=[finding.pk],
        supervision_pk=listed.pk,
    )
    application = services.apply_resumption(
        actor=_enterprise_user(demo, enterprise),
        suspension_pk=action.suspension.pk,
        evidence="已完成整改并经安全评价机构评估，申请恢复生产。附评估报告。",
    )
    # Received 12 days ago (demo data): the on-site review was due 2 days ago.
    received = timezone.localdate() - timedelta(days=12)
    Resumption.objects.filter(pk=application.pk).update(
        applied_at=timezone.make_aware(datetime.combine(received, time(9, 30))),
        review_due_on=resumption_review_due(received),
    )
    return 1


CLOSURE_FINES_DAYS_AGO = (150, 75)  # the two earlier fines; the third is decided today through the service


def _closure(demo: DemoResult, pools) -> int:
    """A construction site (not the demo enterprise, not suspended) fined 150 and 75 days ago on back-dated
    inspections (bulk rows with their DOCX, like the year of enforcement above); today the housing department
    inspects it, finds a 重大事故隐患 and fines it a third time through the service, which flags the
    提请关闭 (services.evaluate_closure). Returns the number of fines."""
    from anlan.core.models import Enterprise

    from .models import ClosureProposal, Suspension

    housing = demo.departments["住建局"]
    zhujian = demo.users["zhujian"]
    suspended = set(Suspension.objects.values_list("enterprise_id", flat=True))
    site = next(
        (
            e
            for e in demo.enterprises
            if e.industry.code == "construction"
            and e != demo.demo_enterprise
            and e.pk not in suspended
            and e.status == Enterprise.Status.OPERATING
            and not ClosureProposal.objects.filter(enterprise=e).exists()
        ),
        None,
    )
    if site is None:
        return 0
    today = timezone.localdate()
    checklist = _checklist(site)
    item = items_of(checklist)[0]
    for days in CLOSURE_FINES_DAYS_AGO:
        day = today - timedelta(days=days)
        arrived = timezone.make_aware(datetime.combine(day, time(9, 30)))
        visit = _bulk(
            Inspection,
            [
                Inspection(
                    kind=Inspection.Kind.SPECIAL,
                    department=housing,
                    enterprise=site,
                    region_id=site.region_id,
                    industry_id=site.industry_id,
                    grid_id=site.grid_id,
                    checklist=checklist,
                    planned_on=day,
                    status=Inspection.Status.RECORDED,
                    result=Inspection.Result.PROBLEMS,
                    arrived_at=arrived,
                    finished_at=arrived + timedelta(hours=2),
                    people_met=site.principal.name if site.principal else "",
                    recorded_by=zhujian,
                    created_by=zhujian,
                )
            ],
        )[0]
        visit.team.set(pools[housing.pk][:2])
        finding = _bulk(
            Answer,
            [
                Answer(
                    inspection=visit,
                    item_key=item.key,
                    item_text=item.text,
                    basis=item.basis[:300],
                    result=Answer.Result.NON_COMPLIANT,
                    note="深基坑工程未按专项施工方案施工",
                    grade=item.grade,
                )
            ],
        )[0]
        fine = _bulk(
            EnforcementAction,
            [
                EnforcementAction(
                    inspection=visit,
                    kind=EnforcementAction.Kind.FINE,
                    legal_basis=legal_basis.basis_text(EnforcementAction.Kind.FINE, [item.key]),
                    description="依法处以罚款",
                    amount=Decimal(20000),
                    status=EnforcementAction.Status.COMPLETED,
                    issued_by=zhujian,
                    issued_on=day,
                )
            ],
        )[0]
        fine.findings.set([finding])
        document = issue_document(
            actor=zhujian,
            issuer=housing,
            kind=DocumentKind.PENALTY_DECISION,
            title=f"{documents.TITLES[DocumentKind.PENALTY_DECISION]}（{site.name}）",
            render=lambda number, a=fine: documents.action_document(a, number),
            target=fine,
        )
        EnforcementAction.objects.filter(pk=fine.pk).update(document=document)
    # Today: the major hazard is found and the third fine decided through the services (which flag it).
    visit, record = _suspended_visit(demo, site, pools, failing=("con-4",))
    given = answer_sheet(
        visit.checklist, failing=("con-4",), note="深基坑工程未编制专项施工方案，仍在开挖作业"
    )
    given["con-4"]["grade"] = Hazard.Grade.MAJOR
    services.record_inspection(actor=zhujian, inspection_pk=visit.pk, data=record, answers=given)
    finding = visit.answers.get(result=Answer.Result.NON_COMPLIANT)
    services.take_enforcement(
        actor=zhujian,
        inspection_pk=visit.pk,
        data={"kind": EnforcementAction.Kind.FINE, "amount": "50000", "description": "依法处以罚款"},
        finding_ids=[finding.pk],
    )
    return len(CLOSURE_FINES_DAYS_AGO) + 1


def _scores(demo: DemoResult, inspections: list[Inspection], rng, rules: list[ScoringRule]) -> int:
    people = _bulk(
        ScoredPerson,
        [
            ScoredPerson(enterprise=e, name=e.principal.name, position="主要负责人")
            for e in rng.sample(demo.enterprises, 12)
            if e.principal
        ],
    )
    recorder = demo.users["anweiban"]
    entries = []
    for index, person in enumerate(people):
        total = 0
        start, _end = cycle_of(demo.today)
        picks = [rules[3], rules[3]] if index == 0 else rng.sample(rules[:4], rng.randint(0, 2))
        for rule in picks:
            total += rule.points
            entries.append(
                ScoreEntry(
                    person=person,
                    rule=rule,
                    points=rule.points,
                    scored_on=max(start, demo.today - timedelta(days=rng.randint(0, 120))),
                    cycle_start=start,
                    cycle_total=total,
                    action_due=threshold_reached(total),
                    recorded_by=recorder,
                )
            )
    _bulk(ScoreEntry, entries)
    return len(people)


def _enterprise_user(demo: DemoResult, enterprise):
    """An account of the enterprise's own (the demo has one only for the demo enterprise)."""
    from anlan.core.models import Membership, Role, User

    user = User.objects.create(username=f"qiye{enterprise.pk}", real_name=enterprise.safety_manager or "")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, role=Role.ENTERPRISE, enterprise=enterprise, title="安全管理人员")
    return user


def _own_checks(demo: DemoResult) -> None:
    """Towns and the leader record their own checks: 新安镇's 四不两直 visit of an enterprise in the town that
    found nothing (it still leaves its record), and the county leader's 督查 of the demo enterprise."""
    town = demo.users.get("xinan")
    if town is not None:
        membership = town.memberships.filter(region__isnull=False).first()
        prefix = membership.region_id[:9] if membership is not None else ""
        site = next((e for e in demo.enterprises if e.region_id.startswith(prefix)), demo.demo_enterprise)
        _own_check(town, site, "unannounced", "新安镇应急管理办公室 周晓东、镇分管负责同志")
    leader = demo.users.get("lingdao")
    if leader is not None:
        _own_check(leader, demo.demo_enterprise, "supervision", "分管副县长 刘志强、县安委办陪同督查人员")


def _own_check(actor, enterprise, kind: str, checkers: str) -> None:
    check = services.create_own_check(
        actor=actor,
        data={
            "kind": kind,
            "enterprise": enterprise.pk,
            "checkers": checkers,
            "planned_on": timezone.localdate(),
        },
    )
    now = timezone.now()
    services.record_inspection(
        actor=actor,
        inspection_pk=check.pk,
        data={
            "arrived_at": now - timedelta(hours=5),
            "finished_at": now - timedelta(hours=4),
            "people_met": enterprise.principal.name if enterprise.principal else "",
            "summary": "未发现问题",
        },
        answers=answer_sheet(check.checklist),
    )


# ---------------------------------------------------------------- 盯守, 联合惩戒措施 and 跟踪问效 (issue #14)


def _watch(demo: DemoResult) -> None:
    """The still-suspended enterprise: its 盯守 plan started three weeks ago with two visits, the last one
    eleven days ago (so the next is overdue, and the grid worker `wangge` has a 待盯守); the three joint
    measures sent to the bodies that take them (住建厅, 公安局, 供电公司), awaiting confirmation. One closed
    enterprise with its 回头看 plan and a visit."""
    from anlan.core import units
    from anlan.core.audit import system_actor
    from anlan.core.models import Enterprise, Unit
    from anlan.core.records import save_with_history

    from .models import Suspension, WatchPlan

    today = timezone.localdate()
    zhujian, wangge = demo.users["zhujian"], demo.users["wangge"]
    suspension = (
        Suspension.objects.exclude(status=Suspension.Status.RESUMED)
        .filter(supervision=None)  # not the one halted after a 挂牌督办, which waits for its review
        .select_related("enterprise")
        .first()
    )
    if suspension is not None:
        plan = suspension.watch_plan
        WatchPlan.objects.filter(pk=plan.pk).update(started_on=today - timedelta(days=21))
        plan.watchers.add(*services.watcher_candidates(plan).filter(pk=wangge.pk))
        plan.refresh_from_db()
        watcher = wangge if plan.watchers.filter(pk=wangge.pk).exists() else zhujian
        for days, seen in ((18, "大门上锁，工地无人，塔吊停用"), (11, "现场无施工，仅一名看护人员")):
            services.record_visit(
                actor=watcher,
                plan_pk=plan.pk,
                data={
                    "visited_on": today - timedelta(days=days),
                    "visited_at": time(21, 30),
                    "observation": seen,
                },
            )
        power = Unit(
            kind=Unit.Kind.OUTSIDE_BODY, name="国网来安县供电公司", region=demo.county, phone="95598"
        )
        save_with_history(power, system_actor(), "")
        # The licence of a construction enterprise is the province's to withhold (建筑施工企业安全生产许可证).
        issuer = Unit(kind=Unit.Kind.OUTSIDE_BODY, name="安徽省住房和城乡建设厅", region=demo.county)
        save_with_history(issuer, system_actor(), "")
        services.send_joint_measure(
            actor=zhujian,
            suspension_pk=suspension.pk,
            kind="licence",
            recipient_pk=issuer.pk,
            note="暂扣其建筑施工企业安全生产许可证，停产整顿期间不得承接新工程",
        )
        services.send_joint_measure(
            actor=zhujian,
            suspension_pk=suspension.pk,
            kind="explosives",
            recipient_pk=units.unit_for(demo.departments["公安局"]).pk,
        )
        services.send_joint_measure(
            actor=zhujian, suspension_pk=suspension.pk, kind="power", recipient_pk=power.pk
        )
    closed = (
        Enterprise.objects.filter(
            region__code__startswith=demo.county.code[:6], status=Enterprise.Status.CLOSED
        )
        .order_by("pk")
        .first()
    )
    if closed is not None:
        plan = services.revisit_enterprise(closed, demo.users["anweiban"])
        WatchPlan.objects.filter(pk=plan.pk).update(started_on=today - timedelta(days=60))
        services.record_visit(
            actor=demo.users["anweiban"],
            plan_pk=plan.pk,
            data={
                "visited_on": today - timedelta(days=30),
                "observation": "厂房闲置，设备已拆除，未见生产迹象",
            },
        )
