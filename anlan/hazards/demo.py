"""Demo data of the hazard module: a year of hazards (≈5k) in every state, some overdue, a few major ones
under 挂牌督办, and leads from the demo grid worker. Declared as a demo step in its contribution; deterministic from the seed.

Rows go in with bulk_create_with_history (one history row each, reason 演示数据); only the few supervisions go
through the service, which numbers and renders their letters.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import units
from anlan.core.models import Enterprise

from . import rules, selectors, services, sweeps
from .data.major_criteria import CRITERIA
from .models import (
    Hazard,
    HazardCounter,
    Lead,
    Rectification,
    RectificationPlan,
    StatisticsFiling,
    Supervision,
    Verification,
)

if TYPE_CHECKING:
    from anlan.core.demo import DemoResult

HAZARD_COUNT = 5000
LEAD_COUNT = 60
SUPERVISED = 4

DESCRIPTIONS = {
    Hazard.Category.UNSAFE_CONDITION: [
        "配电箱未接地，漏电保护器失效",
        "脚手架连墙件缺失",
        "消防栓被杂物遮挡，水压不足",
        "临边洞口未设防护栏杆",
        "气瓶未固定，与明火距离不足",
        "机械设备防护罩缺失",
        "安全出口锁闭",
    ],
    Hazard.Category.UNSAFE_ACT: [
        "作业人员高处作业未系安全带",
        "特种作业人员无证上岗",
        "动火作业未办理审批手续",
        "违章指挥冒险作业",
    ],
    Hazard.Category.MANAGEMENT: [
        "未建立隐患排查治理台账",
        "安全教育培训记录缺失",
        "应急预案未按规定演练",
        "未对承包单位统一协调管理",
    ],
    Hazard.Category.ENVIRONMENT: ["作业场所照明不足", "厂区道路积水结冰", "粉尘作业区域通风不良"],
}
SOURCES = [
    (Hazard.Source.SELF_INSPECTION, 45),
    (Hazard.Source.DEPARTMENT_INSPECTION, 25),
    (Hazard.Source.GRID_PATROL, 12),
    (Hazard.Source.SUPERVISION, 8),
    (Hazard.Source.UNANNOUNCED, 5),
    (Hazard.Source.TIP_OFF, 3),
    (Hazard.Source.EXPERT, 2),
]
MEASURES = ["立即更换并加装防护", "停用整改，完成后复查", "补齐制度并组织培训", "设置警示标志，限期修复"]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _status(rng, found_on, due_on, today):
    """Mostly closed once past the deadline, a tenth overdue and open; recent ones spread over the open states."""
    if rng.random() < 0.02:
        return Hazard.Status.VOIDED
    if due_on < today:
        if rng.random() < 0.9:
            return Hazard.Status.CLOSED
    elif rng.random() < 0.35:
        return Hazard.Status.CLOSED
    return rng.choice(
        [Hazard.Status.REGISTERED, Hazard.Status.RECTIFYING, Hazard.Status.AWAITING_VERIFICATION]
    )


def _closed_on(rng, found_on, due_on, today):
    if rng.random() < 0.15 and due_on < today:  # closed late
        return min(today, due_on + timedelta(days=rng.randint(1, 30)))
    span = max((min(due_on, today) - found_on).days, 0)
    return found_on + timedelta(days=rng.randint(0, span))


def _bulk(model, objs: list, batch_size: int = 500) -> list:
    from anlan.core.demo import bulk

    return bulk(model, objs, batch_size=batch_size)


def build(demo: DemoResult) -> None:
    rng = demo.random("hazards")
    today = demo.today
    start = today - timedelta(days=365)
    office = demo.users["anweiban"]
    enterprise_user = demo.users["qiye"]
    departments = {}
    plans = []
    hazards = []
    # Units: the enterprise rectifies (and registers its own 自查); the county 安委办 registered the rest.
    office_unit = units.committee_office_for(demo.county)
    enterprise_units = {
        u.enterprise_id: u for u in units.Unit.objects.filter(enterprise__in=demo.enterprises)
    }
    criteria: dict = {}
    for _index in range(HAZARD_COUNT):
        enterprise = rng.choice(demo.enterprises)
        found_on = start + timedelta(days=rng.randint(0, 365))
        major = rng.random() < 0.012
        category = rng.choice(list(DESCRIPTIONS))
        due_on = found_on + timedelta(days=rng.randint(60, 180) if major else rng.randint(3, 45))
        status = _status(rng, found_on, due_on, today)
        if enterprise.industry_id not in departments:
            departments[enterprise.industry_id] = services.supervising_department(
                enterprise.region_id, enterprise.industry
            )
            standards = rules.standards_for(services.industry_codes(enterprise.industry_id))
            criteria[enterprise.industry_id] = (
                [c for c in CRITERIA if c.standard in standards],
                standards,
            )
        if enterprise.pk not in enterprise_units:
            enterprise_units[enterprise.pk] = units.unit_for(enterprise)
        source = _weighted(rng, SOURCES)
        own = enterprise_units[enterprise.pk]
        registering = own if source == Hazard.Source.SELF_INSPECTION else office_unit
        # Major: an item of the enterprise's own industry standard, or that standard named in words.
        items, standards = criteria[enterprise.industry_id]
        criterion = rng.choice(items).key if major and items else ""
        basis = ""
        if major and not items:
            basis = f"《{standards[0].name}》" if standards else "依据行业重大事故隐患判定标准"
        hazard = Hazard(
            enterprise=enterprise,
            region_id=enterprise.region_id,
            industry_id=enterprise.industry_id,
            grid_id=enterprise.grid_id,
            location=rng.choice(["生产车间", "仓库", "办公楼", "配电房", "施工现场", "厂区道路"]),
            source=source,
            category=category,
            grade=Hazard.Grade.MAJOR if major else Hazard.Grade.ORDINARY,
            major_criterion=criterion,
            major_basis=basis,
            registering_unit=registering,
            finding_unit=None if source == Hazard.Source.TIP_OFF else registering,
            responsible_unit=own,
            description=rng.choice(DESCRIPTIONS[category]),
            found_on=found_on,
            finder=enterprise.safety_manager,
            due_on=due_on,
            status=status,
            supervising_department=departments[enterprise.industry_id],
        )
        if status == Hazard.Status.CLOSED:
            hazard.closed_on = _closed_on(rng, found_on, due_on, today)
            hazard.verified_by = office
        if status in (Hazard.Status.AWAITING_VERIFICATION, Hazard.Status.CLOSED):
            hazard.submitted_by = enterprise_user
        hazards.append(hazard)
    hazards.sort(key=lambda h: (h.found_on, h.enterprise.pk))
    serials: Counter = Counter()
    county = demo.county.code
    for hazard in hazards:
        serials[hazard.found_on.year] += 1
        hazard.number = f"YH{county[:6]}-{hazard.found_on.year}-{serials[hazard.found_on.year]:05d}"
    hazards = _bulk(Hazard, hazards, batch_size=1000)
    HazardCounter.objects.bulk_create(
        [HazardCounter(region=demo.county, year=year, last=last) for year, last in serials.items()]
    )
    rectifications, verifications = [], []
    for hazard in hazards:
        if hazard.status in (Hazard.Status.REGISTERED, Hazard.Status.VOIDED):
            continue
        major = hazard.grade == Hazard.Grade.MAJOR
        plans.append(
            RectificationPlan(
                hazard=hazard,
                responsible_person=hazard.enterprise.safety_manager or hazard.enterprise.principal.name,
                measures=rng.choice(MEASURES),
                due_on=hazard.due_on,
                funds=Decimal(rng.randint(5, 200)) if major else None,
                interim_measures="停止相关区域作业，设置警戒；专项应急预案" if major else "",
                goals="消除重大事故隐患" if major else "",
                organisation="安全管理部" if major else "",
                recorded_by=enterprise_user,
            )
        )
        if hazard.status in (Hazard.Status.AWAITING_VERIFICATION, Hazard.Status.CLOSED):
            rectifications.append(
                Rectification(hazard=hazard, description="已按方案整改完毕", submitted_by=enterprise_user)
            )
        if hazard.status == Hazard.Status.CLOSED:
            verifications.append(
                Verification(
                    hazard=hazard,
                    passed=True,
                    opinion="现场核查，整改到位",
                    method=Verification.Method.ON_SITE,
                    verified_by=office,
                )
            )
    _bulk(RectificationPlan, plans, batch_size=1000)
    _bulk(Rectification, rectifications, batch_size=1000)
    _bulk(Verification, verifications, batch_size=1000)
    supervised = _supervise(demo, hazards, rng)
    leads = _leads(demo, hazards, rng)
    filed, missing = _filings(demo)
    demo.counts[_("事故隐患")] = len(hazards)
    demo.counts[_("挂牌督办")] = supervised
    demo.counts[_("隐患线索")] = leads
    demo.counts[_("隐患统计分析表")] = filed
    demo.counts[_("逾期未上报统计分析表")] = missing


def _supervise(demo: DemoResult, hazards: list[Hazard], rng) -> int:
    """A few open major hazards listed by the 安委办, with their numbered letters."""
    candidates = [h for h in hazards if h.grade == Hazard.Grade.MAJOR and h.is_open]
    office = demo.users["anweiban"]
    chosen = candidates[:SUPERVISED]
    for hazard in chosen:
        services.issue_supervision(
            actor=office,
            hazard_pk=hazard.pk,
            level=Supervision.Level.COUNTY,
            # the service refuses a deadline before the real today, whatever day the demo is built for
            due_on=max(hazard.due_on, demo.today, timezone.localdate()) + timedelta(days=30),
            responsible_unit=units.unit_for(hazard.enterprise),
            requirements="立即落实整改责任、措施、资金、时限和预案，整改期间停止相关区域作业。",
        )
    return len(chosen)


def _leads(demo: DemoResult, hazards: list[Hazard], rng) -> int:
    """Leads the demo grid worker reported in their grid: pending, confirmed and dismissed."""
    worker = demo.users["wangge"]
    grid = demo.demo_grid
    in_grid = [e for e in demo.enterprises if e.grid_id == grid.pk] or demo.enterprises[:5]
    # Hazards found on patrol in this grid: the confirmed leads point at them.
    found = [h for h in hazards if h.grid_id == grid.pk and h.source == Hazard.Source.GRID_PATROL]
    leads = []
    for index in range(LEAD_COUNT):
        enterprise = rng.choice(in_grid) if index % 3 else None
        status = (
            Lead.Status.PENDING if index % 2 else rng.choice([Lead.Status.DISMISSED, Lead.Status.PENDING])
        )
        hazard = found.pop() if enterprise is None and status == Lead.Status.DISMISSED and found else None
        if hazard is not None:
            enterprise, status = hazard.enterprise, Lead.Status.CONFIRMED
        leads.append(
            Lead(
                source=Lead.Source.GRID_PATROL,
                enterprise=enterprise,
                place=""
                if enterprise
                else rng.choice(["社区农贸市场", "老旧小区电动车棚", "沿街门面", "临时施工围挡"]),
                region_id=enterprise.region_id if enterprise else grid.region_id,
                industry_id=enterprise.industry_id if enterprise else None,
                grid=grid,
                description=rng.choice(["消防通道堆物", "电动车飞线充电", "燃气软管老化", "围挡松动"]),
                reported_on=demo.today - timedelta(days=rng.randint(0, 60)),
                reported_by=worker,
                status=status,
                hazard=hazard,
                decided_by=demo.users["xinan"] if status != Lead.Status.PENDING else None,
            )
        )
    _bulk(Lead, leads)
    return len(leads)


FILING_ANALYSIS = "本期按计划开展隐患排查，发现的一般事故隐患已落实整改；未按期整改的隐患已明确责任人和整改时限，下期重点加强现场管理和教育培训。"


def _filings(demo: DemoResult) -> tuple[int, int]:
    """隐患排查治理统计分析表: the enterprises entered the registry a year before (as their hazards did); each
    filed the last year and the three quarters before the last on time; for the last quarter past its due date most filed
    on time, some late, and the rest — the demo enterprise among them, so `qiye` has it to do and `fuzeren`
    to sign — are flagged missing by the sweep, which tells their departments."""
    rng = demo.random("filings")
    today = demo.today
    registered_at = timezone.make_aware(datetime.combine(today - timedelta(days=400), time(9)))
    ids = [e.pk for e in demo.enterprises]
    Enterprise.objects.filter(pk__in=ids).update(created_at=registered_at)
    operating = [e for e in demo.enterprises if e.status == Enterprise.Status.OPERATING]
    periods = rules.ended_filing_periods(today, quarters=4)  # the periods an enterprise's page lists
    latest = next(p for p in periods if rules.is_overdue(selectors.filing_due_on(demo.county.code, p), today))
    filings = []
    for period in periods:
        due_on = selectors.filing_due_on(demo.county.code, period)
        if not rules.is_overdue(due_on, today):
            continue  # not due yet: nobody has filed
        first_day = rules.filing_period_bounds(period)[1] + timedelta(days=1)
        figures = selectors.ledger_figures_for(ids, period)
        empty = selectors.ledger_figures(0, period)  # an enterprise without hazards: zeros
        for enterprise in operating:
            late = False
            if period == latest:
                draw = rng.random()
                if enterprise.pk == demo.demo_enterprise.pk or draw > 0.9:
                    continue  # missing: the sweep flags it
                late = draw > 0.8
            filed_on = (
                min(due_on + timedelta(days=rng.randint(1, 20)), today)
                if late
                else first_day + timedelta(days=rng.randint(0, (due_on - first_day).days))
            )
            filings.append(
                StatisticsFiling(
                    enterprise=enterprise,
                    region_id=enterprise.region_id,
                    industry_id=enterprise.industry_id,
                    period=period,
                    due_on=due_on,
                    status=StatisticsFiling.Status.CONFIRMED,
                    figures=figures.get(enterprise.pk) or empty,
                    analysis=FILING_ANALYSIS,
                    generated_at=timezone.make_aware(datetime.combine(filed_on, time(9))),
                    confirmed_at=timezone.make_aware(datetime.combine(filed_on, time(10))),
                    filed_on=filed_on,
                    is_late=rules.filing_is_late(filed_on, due_on),
                )
            )
    _bulk(StatisticsFiling, filings, batch_size=1000)
    missing, _notified = sweeps.flag_missing_filings(today)
    return len(filings), missing
