"""Demo step `governance_assessment`: the county 安委办's 安全生产工作考核方案 for the current year (负面清单扣分 over
accidents, hazards and inspections, 重点工作量分 for hazards closed, a 台账检查 scored by hand and two 一票否决
conditions), published; a 台账检查 score for two towns entered by 安委办 (anweiban) and confirmed by 应急管理局
(yingji); every town and department of the demo county scored from the demo's live data and the results
published, so 新安镇 (xinan), 半塔镇 (banta), 住建局 (zhujian) and 交通局 (jiaotong) each see their score and rank."""

from __future__ import annotations

from decimal import Decimal

from anlan.core import units

from .. import rules
from ..services import assessment as services

# name, kind, category, applies to, provider, points, cap, basis
INDICATORS = [
    (
        "发生较大生产安全事故",
        rules.DEDUCTION,
        rules.RESULT,
        "all",
        "accidents.relatively_major",
        "10",
        "30",
        "每起扣10分，最多扣30分",
    ),
    (
        "发生一般生产安全事故",
        rules.DEDUCTION,
        rules.RESULT,
        "all",
        "accidents.ordinary",
        "2",
        "10",
        "每起扣2分，最多扣10分",
    ),
    (
        "重大事故隐患逾期未整改",
        rules.DEDUCTION,
        rules.PROCESS,
        "all",
        "hazards.major_overdue",
        "3",
        "15",
        "每项扣3分，最多扣15分",
    ),
    (
        "事故隐患逾期未整改",
        rules.DEDUCTION,
        rules.PROCESS,
        "all",
        "hazards.overdue",
        "0.5",
        "10",
        "每项扣0.5分，最多扣10分",
    ),
    (
        "监督检查未完成年度计划",
        rules.DEDUCTION,
        rules.PROCESS,
        "department",
        "inspections.below_plan",
        "5",
        "5",
        "完成率低于100%扣5分",
    ),
    (
        "隐患整改销号",
        rules.WORKLOAD,
        rules.PROCESS,
        "all",
        "hazards.closed",
        "0.2",
        "5",
        "重点工作量分：每销号一项加0.2分，最多加5分",
    ),
    (
        "工作任务清单按期完成",
        rules.WORKLOAD,
        rules.PROCESS,
        "all",
        "duties.tasks_on_time",
        "0.5",
        "5",
        "重点工作量分：每按期完成一项加0.5分，最多加5分",
    ),
    (
        "工作任务未按期完成",
        rules.DEDUCTION,
        rules.PROCESS,
        "all",
        "duties.tasks_late",
        "1",
        "5",
        "每项扣1分，最多扣5分",
    ),
    (
        "安委会议定事项逾期未办结",
        rules.DEDUCTION,
        rules.PROCESS,
        "all",
        "decisions.late",
        "1",
        "5",
        "每项扣1分，最多扣5分",
    ),
    (
        "专项整治月度任务按时报送",
        rules.WORKLOAD,
        rules.PROCESS,
        "all",
        "campaigns.cards_reported_on_time",
        "0.5",
        "3",
        "重点工作量分：每按时报送一次加0.5分，最多加3分",
    ),
    (
        "安全生产台账检查",
        rules.MANUAL,
        rules.PROCESS,
        "all",
        "",
        "0",
        "10",
        "对照考核标准检查台账，最多扣10分",
    ),
    (
        "发生重大及以上生产安全事故",
        rules.VETO,
        rules.RESULT,
        "all",
        "accidents.major_or_above",
        "0",
        None,
        "一票否决",
    ),
    (
        "瞒报、谎报生产安全事故",
        rules.VETO,
        rules.RESULT,
        "all",
        "accidents.misreported",
        "0",
        None,
        "一票否决",
    ),
]
MANUAL_SCORES = [
    ("新安镇", "2", "安全生产责任制台账缺少第二季度会议记录"),
    ("半塔镇", "1", "隐患排查台账个别条目未闭环"),
]


def step(demo) -> None:
    office, reviewer = demo.users["anweiban"], demo.users["yingji"]
    scheme = services.create_scheme(
        actor=office,
        data={
            "region": demo.county,
            "year": demo.today.year,
            "title": f"{demo.county.name}{demo.today.year}年度安全生产工作考核方案",
            "base": Decimal("100"),
            "maximum": None,
            "notes": "负面清单扣分与重点工作考核量分并行；过程考核与结果考核相结合；实行“一票否决”。",
        },
    )
    for name, kind, category, applies_to, provider, points, cap, basis in INDICATORS:
        services.add_indicator(
            actor=office,
            scheme_pk=scheme.pk,
            data={
                "name": name,
                "kind": kind,
                "category": category,
                "applies_to": applies_to,
                "provider": provider,
                "points": Decimal(points),
                "cap": Decimal(cap) if cap else None,
                "threshold": None,
                "basis": basis,
            },
        )
    services.publish_scheme(actor=office, scheme_pk=scheme.pk)
    ledger = scheme.indicators.get(kind=rules.MANUAL)
    for town_name, amount, evidence in MANUAL_SCORES:
        town = demo.towns.get(town_name)
        if town is None:
            continue
        score = services.enter_manual_score(
            actor=office,
            indicator_pk=ledger.pk,
            data={"unit": units.unit_for(town), "amount": Decimal(amount), "evidence": evidence},
        )
        services.review_manual_score(actor=reviewer, score_pk=score.pk, name="confirm")
    run = services.start_scoring(actor=office, scheme_pk=scheme.pk)
    services.publish_run(actor=office, run_pk=run.pk)
    demo.counts["考核单位"] = run.unit_count
