"""Use cases of plans and draws: the yearly plan, the inspector pool with its declared conflicts, and the
双随机 draw (run, confirm into planned inspections, publish, re-run from its recorded inputs)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import contract, trees
from anlan.core import selectors as core_selectors
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Enterprise, Industry, Region
from anlan.core.permissions import require_right
from anlan.core.records import ensure_in_scope, save_with_history, validate
from anlan.core.scope import industry_q, region_q, supervised_industry_ids
from anlan.core.workflow import apply_transition, find

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import Conflict, Inspection, InspectionPlan, Inspector, PlanTarget, RandomDraw
from . import publication
from .common import check_rule, tell_team, today
from .visits import checklist_code

# Enterprise ids a query when reading the five-colour attribute for a draw's pool.
COLOUR_CHUNK = 10000


def planning_department(actor, action: str, department_pk) -> Department:
    """The department a planning record is made for: one the actor signs for (selectors.planning_departments);
    another department's name is refused, whatever the form or the API posts."""
    department = selectors.planning_departments(actor, action).filter(pk=department_pk).first()
    if department is None:
        raise DomainError(
            Code.OUT_OF_SCOPE, _("只能以本部门的名义制定计划、管理执法人员和抽取。"), field="department"
        )
    return department


# ---------------------------------------------------------------- plans


def save_plan(*, actor, data: dict, targets: Iterable[dict] = (), plan_pk=None) -> InspectionPlan:
    """Create or change a department's yearly plan: planned counts per month and targets by industry/risk."""
    require_right(actor, "inspections.manage_plan")
    with transaction.atomic():
        if plan_pk is not None:
            plan = selectors.access_plan(actor, plan_pk, for_update=True)
            selectors.require_planning(actor, "inspections.manage_plan", plan)
        else:
            plan = InspectionPlan(created_by=actor)
            plan.department = planning_department(actor, "inspections.manage_plan", data.get("department"))
            plan.year = data.get("year") or today().year
        plan.title = data.get("title") or ""
        plan.notes = data.get("notes") or ""
        plan.monthly_counts = check_rule(rules.check_monthly_counts, data.get("monthly_counts") or [])
        validate(plan, exclude=["created_by"])
        if (
            plan_pk is None
            and InspectionPlan.objects.filter(department=plan.department, year=plan.year).exists()
        ):
            raise DomainError(Code.DUPLICATE, _("该部门本年度已有检查计划。"), field="year")
        save_with_history(plan, actor, "")
        plan.targets.all().delete()
        for target in targets:
            if not target.get("count"):
                continue
            row = PlanTarget(
                plan=plan,
                industry=target.get("industry"),
                risk_level=target.get("risk_level") or "",
                count=target["count"],
            )
            save_with_history(row, actor, "")
    return plan


# ---------------------------------------------------------------- inspector pool


def save_inspector(
    *, actor, data: dict, specialties: Iterable[Industry] = (), inspector_pk=None
) -> Inspector:
    """Add or change an official of the pool: certificate number and expiry, specialties."""
    require_right(actor, "inspections.manage_inspector")
    with transaction.atomic():
        if inspector_pk is not None:
            inspector = selectors.access_inspector(actor, inspector_pk, for_update=True)
            selectors.require_planning(actor, "inspections.manage_inspector", inspector)
        else:
            inspector = Inspector()
        inspector.department = planning_department(
            actor, "inspections.manage_inspector", data.get("department") or inspector.department_id
        )
        for field in ("name", "certificate_number", "certificate_expires_on", "user", "is_active"):
            if field in data:
                setattr(inspector, field, data[field])
        validate(inspector)
        save_with_history(inspector, actor, "", {"specialties": list(specialties)})
    return inspector


def declare_conflict(
    *, actor, inspector_pk, enterprise_pk, reason: str, declared_on: date | None = None
) -> Conflict:
    """Record a declared conflict of interest (回避): the inspector is never drawn for that enterprise."""
    require_right(actor, "inspections.manage_inspector")
    if not (reason or "").strip():
        raise DomainError(ErrorCode.CONFLICT_REASON_MISSING, _("请填写回避事由。"), field="reason")
    with transaction.atomic():
        inspector = selectors.access_inspector(actor, inspector_pk)
        selectors.require_planning(actor, "inspections.manage_inspector", inspector)
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        if Conflict.objects.filter(inspector=inspector, enterprise=enterprise).exists():
            raise DomainError(Code.DUPLICATE, _("该回避关系已申报。"), field="enterprise")
        conflict = Conflict(
            inspector=inspector,
            enterprise=enterprise,
            reason=reason.strip(),
            declared_on=declared_on or today(),
        )
        save_with_history(conflict, actor, "")
    return conflict


# ---------------------------------------------------------------- 双随机 draws


def department_enterprises(department: Department):
    """The enterprises a department may inspect: its region subtree and, unless it is the comprehensive
    department (综合监管, the whole region), the industries it supervises with their sub-industries."""
    spec = Enterprise.scope
    q = region_q(spec, department.region)
    if department.kind != Department.Kind.COMPREHENSIVE:
        q &= industry_q(spec, supervised_industry_ids(department))
    return q


def enterprise_pool(
    department: Department, *, region: Region, industry: Industry | None, risk_levels
) -> tuple:
    """Candidate enterprises of a draw: operating, in the department's jurisdiction (region subtree and, for an
    industry department, its industries) and in the chosen region, industry and risk levels. Returns
    (sorted ids, {id: weight})."""
    q = department_enterprises(department) & region_q(Enterprise.scope, region)
    queryset = Enterprise.objects.filter(q, status=Enterprise.Status.OPERATING)
    if industry is not None:
        queryset = queryset.filter(industry_id__in=trees.industry_descendants(industry.pk))
    wanted = set(risk_levels or rules.RISK_LEVELS)
    roots = trees.industry_roots()
    ids, weights = [], {}
    rows = queryset.values_list("pk", "industry_id", "has_major_hazard_source", "is_crowded_place")
    for pk, industry_id, major, crowded in rows.iterator(chunk_size=5000):
        level = rules.risk_level(
            has_major_hazard_source=major, industry_root=roots.get(industry_id, ""), is_crowded_place=crowded
        )
        if level in wanted:
            ids.append(pk)
            weights[pk] = rules.RISK_WEIGHTS[level]
    ids.sort()
    # The weights follow the approved five-colour rating where there is one (another module's fact, read through
    # the kernel: inspections never imports credit); unrated enterprises keep their registry risk weight.
    for start in range(0, len(ids), COLOUR_CHUNK):
        part = ids[start : start + COLOUR_CHUNK]
        for pk, colour in contract.enterprise_attribute("credit.colour", part).items():
            if colour in rules.COLOUR_WEIGHTS:
                weights[pk] = rules.COLOUR_WEIGHTS[colour]
    return ids, weights


def eligible_inspectors(department: Department, on: date) -> list[int]:
    """Inspectors of the department who are in the pool and whose certificate is valid on `on`."""
    return sorted(
        Inspector.objects.filter(
            department=department, is_active=True, certificate_expires_on__gte=on
        ).values_list("pk", flat=True)
    )


def used_pairs(
    department: Department, start: date, end: date, inspectors: list[int]
) -> list[tuple[int, int]]:
    """Inspector–enterprise pairs already used in the period: confirmed draws and inspections overlapping it."""
    pairs: set[tuple[int, int]] = set()
    draws = RandomDraw.objects.filter(
        department=department, period_start__lte=end, period_end__gte=start
    ).exclude(status=RandomDraw.Status.DRAFT)
    for result in draws.values_list("result", flat=True):
        for entry in result:
            pairs.update((person, entry["enterprise"]) for person in entry["team"])
    through = Inspection.team.through.objects.filter(
        inspector_id__in=inspectors,
        inspection__planned_on__gte=start,
        inspection__planned_on__lte=end,
        inspection__enterprise__isnull=False,
    ).exclude(inspection__status=Inspection.Status.CANCELLED)
    pairs.update(through.values_list("inspector_id", "inspection__enterprise_id"))
    return sorted(pairs)


def create_draw(*, actor, data: dict) -> RandomDraw:
    """Run a 双随机 draw and keep it, with every input, as a draft that can be confirmed or drawn again."""
    require_right(actor, "inspections.draw")
    with transaction.atomic():
        department = planning_department(actor, "inspections.draw", data.get("department"))
        plan = data.get("plan")
        if plan is not None and getattr(plan, "department_id", None) != department.pk:
            raise DomainError(Code.OUT_OF_SCOPE, _("只能关联本部门的检查计划。"), field="plan")
        start, end = data.get("period_start"), data.get("period_end")
        if not start or not end:
            raise DomainError(ErrorCode.DRAW_PERIOD_MISSING, _("请填写检查期间。"), field="period_start")
        check_rule(rules.check_period, start, end)
        region = data.get("region") or department.region
        region = core_selectors.access_region(actor, getattr(region, "pk", region))
        industry = data.get("industry")
        risk_levels = [level for level in data.get("risk_levels") or [] if level in rules.RISK_LEVELS]
        seed = data.get("seed")
        if seed in (None, ""):
            seed = secrets.randbits(62)
        pool, weights = enterprise_pool(department, region=region, industry=industry, risk_levels=risk_levels)
        inspectors = eligible_inspectors(department, end)
        conflicts = sorted(
            Conflict.objects.filter(inspector_id__in=inspectors).values_list("inspector_id", "enterprise_id")
        )
        used = used_pairs(department, start, end, inspectors)
        method = data.get("method") or rules.METHOD_UNIFORM
        team_size = int(data.get("team_size") or rules.MIN_TEAM_SIZE)
        sample_size = int(data.get("sample_size") or 0)
        result = check_rule(
            rules.draw,
            seed=int(seed),
            pool=pool,
            n=sample_size,
            inspectors=inspectors,
            team_size=team_size,
            method=method,
            weights=weights,
            conflicts=conflicts,
            used_pairs=used,
        )
        draw = RandomDraw(
            department=department,
            plan=plan,
            title=(data.get("title") or "").strip() or _("双随机抽查"),
            period_start=start,
            period_end=end,
            region=region,
            industry=industry,
            risk_levels=risk_levels,
            method=method,
            sample_size=sample_size,
            team_size=team_size,
            seed=int(seed),
            pool=pool,
            weights={str(k): v for k, v in weights.items()} if method == rules.METHOD_WEIGHTED else {},
            inspectors=inspectors,
            conflicts=[list(pair) for pair in conflicts],
            used_pairs=[list(pair) for pair in used],
            result=[{"enterprise": a.enterprise, "team": list(a.team)} for a in result],
            drawn_by=actor,
        )
        validate(draw, exclude=["drawn_by"])
        save_with_history(draw, actor, "")
        ensure_in_scope(actor, "inspections.draw", draw, "department")
    return draw


def rerun_draw(draw: RandomDraw) -> list[dict]:
    """The draw run again from its recorded inputs (anyone can check a published draw this way)."""
    result = rules.draw(
        seed=draw.seed,
        pool=draw.pool,
        n=draw.sample_size,
        inspectors=draw.inspectors,
        team_size=draw.team_size,
        method=draw.method,
        weights={int(k): v for k, v in (draw.weights or {}).items()},
        conflicts=[tuple(pair) for pair in draw.conflicts],
        used_pairs=[tuple(pair) for pair in draw.used_pairs],
    )
    return [{"enterprise": a.enterprise, "team": list(a.team)} for a in result]


def confirm_draw(*, actor, draw_pk) -> RandomDraw:
    """Confirm a draft draw: it becomes immutable and each drawn enterprise gets a planned 双随机 inspection."""
    with transaction.atomic():
        draw = selectors.access_draw(actor, draw_pk, for_update=True)
        selectors.require_planning(actor, "inspections.draw", draw)
        targets = [entry["enterprise"] for entry in draw.result]
        own = Enterprise.objects.filter(department_enterprises(draw.department), pk__in=targets).count()
        if own != len(set(targets)):
            raise DomainError(
                Code.OUT_OF_SCOPE, _("抽取结果含有不属于本部门监管范围的企业，不能确认。"), field="__all__"
            )
        apply_transition(
            draw,
            find(RandomDraw.TRANSITIONS, "confirm"),
            actor=actor,
            # The publication deadline from the end of the period (the latest the inspection can end; brought
            # forward when the last drawn inspection is recorded earlier), in the confirmation's history row.
            changes={
                "confirmed_by": actor,
                "confirmed_at": timezone.now(),
                **publication.deadline_changes(draw),
            },
        )
        enterprises = Enterprise.objects.select_related("industry__parent").in_bulk(
            [entry["enterprise"] for entry in draw.result]
        )
        created = []
        for entry in draw.result:
            enterprise = enterprises[entry["enterprise"]]
            inspection = Inspection(
                kind=Inspection.Kind.RANDOM,
                department=draw.department,
                draw=draw,
                enterprise=enterprise,
                region_id=enterprise.region_id,
                industry_id=enterprise.industry_id,
                grid_id=enterprise.grid_id,
                checklist=checklist_code(enterprise),
                planned_on=draw.period_start,
                created_by=actor,
            )
            save_with_history(inspection, actor, str(_("双随机抽取确认")), {"team": entry["team"]})
            created.append(inspection)
        for inspection in created:
            transaction.on_commit(lambda i=inspection: tell_team(i))
    return draw


def publish_draw(*, actor, draw_pk) -> RandomDraw:
    """Publish a confirmed draw's result (双随机、一公开); after its deadline it is marked 逾期公开."""
    with transaction.atomic():
        draw = selectors.access_draw(actor, draw_pk, for_update=True)
        selectors.require_planning(actor, "inspections.draw", draw)
        apply_transition(
            draw,
            find(RandomDraw.TRANSITIONS, "publish"),
            actor=actor,
            changes=publication.publication_changes(draw, today()),
        )
    return draw
