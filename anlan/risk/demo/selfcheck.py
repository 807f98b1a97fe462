"""Demo step `risk_selfcheck`: 自查自改 for the demo county.

qiye's enterprise (建筑施工) keeps a daily site checklist, a weekly electrical one and a monthly fire one, run over the
last ~60 days with a few gaps and two runs whose problems became 企业自查 hazards; today's daily run is still to do
(its 待办). Ten other operating enterprises keep one or two checklists each: most run them every period and find
nothing, some skip periods (gaps of different sizes), a few find problems. Written through the services
(deterministic: its own random stream), then the nightly sweep marks the missed periods; skipped when checklists
exist already."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from anlan.core import recipients
from anlan.core.models import Enterprise

from .. import rules
from ..models import Checklist, RunResult, SelfInspectionRun
from ..selectors import selfcheck as selectors
from ..services import selfcheck as services

SITE = """安全帽、安全带正确佩戴 | 《建筑施工高处作业安全技术规范》JGJ 80
临边、洞口防护设施完好 | JGJ 80
脚手架搭设验收挂牌 | JGJ 130
起重机械限位保险装置有效 | GB 6067.1
施工现场动火作业审批 | GB 30871"""
ELECTRICAL = """配电箱“一机一闸一漏一箱” | 《施工现场临时用电安全技术规范》JGJ 46
电缆线路无私拉乱接、无破损 | JGJ 46
漏电保护器每周试跳正常 | JGJ 46"""
FIRE = """灭火器在有效期内、压力正常 | GB 50140
疏散通道、安全出口畅通 | 《消防法》第二十八条
应急照明和疏散指示标志完好 | GB 51309
消防控制室值班记录完整 | GB 25506"""
GENERAL = """岗位安全操作规程上墙并执行 | 《安全生产法》第二十八条
设备防护罩、急停装置完好 | GB/T 8196
作业人员劳动防护用品佩戴 | GB 39800.1
危险物品分类存放、标识清楚 | GB 15603"""
PROBLEMS = (
    "三层东侧电梯井口防护门缺失",
    "2# 配电箱漏电保护器试跳不动作",
    "仓库北侧 2 具灭火器压力不足",
    "冲压机急停按钮损坏",
    "疏散通道堆放纸箱",
)


def _checklist(actor, enterprise, name, post, frequency, risk_level, items, starts_on):
    return services.create_checklist(
        actor=actor,
        enterprise_pk=enterprise.pk,
        data={
            "name": name,
            "post": post,
            "frequency": frequency,
            "risk_level": risk_level,
            "items": items,
            "starts_on": starts_on,
        },
    )


def _run(actor, checklist, day, inspector, problem=None):
    items = list(selectors.items_of(checklist))
    results = {item.pk: (RunResult.Result.OK, "") for item in items}
    if problem is not None:
        index, words = problem
        results[items[index % len(items)].pk] = (RunResult.Result.PROBLEM, words)
    run = services.record_run(
        actor=actor,
        checklist_pk=checklist.pk,
        data={
            "done_on": day,
            "inspector_name": inspector,
            "results": results,
            "nothing_found": problem is None,
            "due_on": day + timedelta(days=15),
            "notes": "",
        },
    )
    # The demo writes two months at once: each run shows as entered on its day (not 补录).
    entered = timezone.make_aware(datetime.combine(day, time(17, 30)))
    SelfInspectionRun.objects.filter(pk=run.pk).update(recorded_at=entered)
    return run


def _keep(actor, checklist, today, rng, inspector, *, skip=0.0, problems=0.0, skip_today=False):
    """Run every period of the checklist from its start to today, skipping a share of them."""
    start = checklist.starts_on
    periods = rules.due_periods(checklist.frequency, start, today)
    current = rules.period_of(checklist.frequency, today)
    if current.start >= start and current not in periods:
        periods.append(current)
    for period in periods:
        if rng.random() < skip:
            continue
        day = min(period.start + timedelta(days=rng.randint(0, (period.end - period.start).days)), today)
        if skip_today and day == today:
            continue
        problem = (rng.randint(0, 9), rng.choice(PROBLEMS)) if rng.random() < problems else None
        _run(actor, checklist, day, inspector, problem)


def step(demo) -> None:
    if Checklist.objects.exists():
        return
    rng = demo.random("risk_selfcheck")
    today = min(demo.today, timezone.localdate())
    qiye = demo.users["qiye"]
    ours = demo.demo_enterprise
    start = today - timedelta(days=62)

    site = _checklist(qiye, ours, "施工现场安全日检表", "施工现场", "daily", "significant", SITE, start)
    electrical = _checklist(
        qiye, ours, "临时用电周检表", "施工现场临时用电", "weekly", "general", ELECTRICAL, start
    )
    fire = _checklist(qiye, ours, "项目部消防月检表", "项目部办公区及仓库", "monthly", "low", FIRE, start)
    _keep(qiye, site, today, rng, "王安全", skip=0.12, skip_today=True)
    _keep(qiye, electrical, today, rng, "李电工", skip=0.15)
    _keep(qiye, fire, today, rng, "王安全")
    # Two runs whose problems became hazards (source 企业自查), both within the last two weeks.
    _run(qiye, site, today - timedelta(days=3), "王安全", (0, PROBLEMS[0]))
    _run(qiye, electrical, today - timedelta(days=9), "李电工", (2, PROBLEMS[1]))

    others = list(
        Enterprise.objects.filter(
            pk__in=[e.pk for e in demo.enterprises if e != ours], status=Enterprise.Status.OPERATING
        ).order_by("pk")[:10]
    )
    for index, enterprise in enumerate(others):
        actor = recipients.enterprise_users(enterprise).order_by("pk").first()
        if actor is None:
            continue  # an enterprise without an account keeps no self-inspection in the demo
        began = today - timedelta(days=rng.randint(35, 62))
        daily = enterprise.has_major_hazard_source or index % 3 == 0
        checklist = _checklist(
            actor,
            enterprise,
            "岗位安全日检表" if daily else "车间安全周检表",
            "生产车间",
            "daily" if daily else "weekly",
            "significant" if daily else "general",
            GENERAL,
            began,
        )
        # Most keep every period and find nothing; every third skips a share; a few find problems.
        skip = (0.0, 0.05, 0.35, 0.0, 0.6, 0.1)[index % 6]
        _keep(actor, checklist, today, rng, "安全员", skip=skip, problems=0.04 if index % 4 == 1 else 0.0)
        if index % 2 == 0:
            monthly = _checklist(actor, enterprise, "消防安全月检表", "全厂区", "monthly", "low", FIRE, began)
            _keep(actor, monthly, today, rng, "安全员", skip=0.3 if index % 4 == 0 else 0.0)

    services.sweep(today=today)
    demo.counts["自查记录"] = SelfInspectionRun.objects.count()
    # Problems found by the runs, registered as 企业自查 hazards on top of the hazards step's generated ones.
    demo.counts["自查发现并登记的隐患"] = RunResult.objects.exclude(hazard=None).count()
