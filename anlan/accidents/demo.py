"""Demo data of the accidents module: three years of accidents in the demo county (so year-on-year works),
mostly 一般, a few 较大, some reported late, investigations in every state, near misses, economy figures.

A demo step declared in its contribution; draws only from its own generator, so the other steps are unchanged.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import (
    Accident,
    AccidentKind,
    AccidentReport,
    InjuredPerson,
    Investigation,
    MinorEvent,
    NearMissIncident,
    PreventiveMeasure,
    RegionEconomy,
    ReportingFinding,
    ReportStep,
    Responsibility,
)
from .services import accident_title

PER_YEAR = (34, 29, 24)  # two years ago, last year, this year (a full year's worth, cut at today)
TYPES_BY_INDUSTRY = {
    "construction": ["09", "09", "10", "04", "01", "05"],
    "hazchem-production": ["19", "17", "18", "07"],
    "hazchem-trade": ["08", "19", "17"],
    "urban-gas": ["18", "08"],
}
OTHER_TYPES = ["03", "01", "05", "20", "09", "07"]
CAUSES = [
    "未按规定佩戴安全防护用品",
    "违章指挥、违章作业",
    "设备设施缺陷未及时整改",
    "安全教育培训不到位",
    "现场安全管理缺失",
]


def _bulk(model, objs: list) -> list:
    from anlan.core.demo import bulk

    return bulk(model, objs)


def _figures(rng, serious_case: bool) -> dict:
    if serious_case:  # 较大: 3–5 deaths, or 10+ serious injuries
        if rng.random() < 0.7:
            return {
                "deaths": rng.randint(3, 5),
                "missing": 0,
                "serious_injuries": rng.randint(0, 4),
                "minor_injuries": rng.randint(0, 6),
            }
        return {
            "deaths": rng.randint(0, 2),
            "missing": 0,
            "serious_injuries": rng.randint(10, 14),
            "minor_injuries": rng.randint(2, 8),
        }
    deaths = rng.choices([0, 1, 2], weights=[35, 50, 15])[0]
    return {
        "deaths": deaths,
        "missing": 1 if deaths == 0 and rng.random() < 0.05 else 0,
        "serious_injuries": rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0],
        "minor_injuries": rng.randint(0, 4),
    }


def _moment(rng, day: date):
    return timezone.make_aware(
        datetime.combine(day, time(rng.randint(6, 22), rng.choice([0, 10, 20, 35, 45, 50])))
    )


def accidents_step(demo) -> None:
    """Plan and write the accidents (all in memory first, then a handful of bulk inserts)."""
    rng = demo.random("accidents")
    today = demo.today
    enterprises = [e for e in demo.enterprises if e.status == "operating"]
    villages = list(demo.villages.values())
    road = demo.industries["road-transport"]
    plans = []
    for offset, count in zip((2, 1, 0), PER_YEAR, strict=True):
        year = today.year - offset
        start, end = date(year, 1, 1), min(date(year, 12, 31), today - timedelta(days=1))
        span = (date(year, 12, 31) - start).days
        days = sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(count))
        majors = set(rng.sample(range(count), 2 if offset == 2 else 1))
        for index, day in enumerate(d for d in days if d <= end):
            plans.append((day, index in majors))
    accidents, steps, reports, late_chain = [], [], [], []
    for day, major in plans:
        occurred = _moment(rng, day)
        roll = rng.random()
        if roll < 0.12:
            kind, enterprise, region, industry, type_code = (
                AccidentKind.ROAD_TRAFFIC,
                None,
                rng.choice(villages),
                road,
                "02",
            )
        else:
            enterprise = rng.choice(enterprises)
            region, industry = enterprise.region, enterprise.industry
            kind = AccidentKind.FIRE if roll < 0.18 else AccidentKind.INDUSTRIAL
            type_code = (
                "08"
                if kind == AccidentKind.FIRE
                else rng.choice(TYPES_BY_INDUSTRY.get(industry.code, OTHER_TYPES))
            )
        figures = _figures(rng, major)
        loss = (
            Decimal(rng.randint(20000, 3000000 if not major else 9000000)) + Decimal(rng.randint(0, 99)) / 100
        )
        grade, criteria = rules.grade_with_criteria(
            rules.counted_deaths(figures), figures["serious_injuries"], loss / 10000
        )
        late = rng.random() < 0.15
        reported = occurred + timedelta(minutes=rng.randint(70, 300) if late else rng.randint(8, 55))
        accident = Accident(
            kind=kind,
            type_code=type_code,
            occurred_at=occurred,
            place=(
                enterprise.address
                if enterprise
                else f"{region.name}县道X{rng.randint(100, 399)}线{rng.randint(1, 30)}公里处"
            ),
            region=region,
            enterprise=enterprise,
            industry=industry,
            direct_loss_yuan=loss,
            grade=grade,
            grade_criterion=str(criteria[0]),
            description=_("演示：%(type)s事故，现场已处置。")
            % {"type": dict(Accident._meta.get_field("type_code").flatchoices)[type_code]},
            preliminary_cause=rng.choice(CAUSES),
            measures_taken="停产整顿，现场警戒，组织救援",
            reporter_name=enterprise.safety_manager if enterprise else "值班员",
            reporter_phone=(enterprise.safety_manager_phone if enterprise else "0550-5600110"),
            reported_at=reported,
            is_late=late,
            **figures,
        )
        accident.title = accident_title(enterprise, region, occurred, accident.get_type_code_display())
        accidents.append(accident)
    accidents = _bulk(Accident, accidents)
    for accident in accidents:
        reports.append(
            AccidentReport(
                accident=accident,
                sequence=1,
                kind=AccidentReport.Kind.INITIAL,
                received_at=accident.reported_at,
                reporter_name=accident.reporter_name,
                reporter_phone=accident.reporter_phone,
                deaths=accident.deaths,
                missing=accident.missing,
                serious_injuries=accident.serious_injuries,
                minor_injuries=accident.minor_injuries,
                direct_loss_yuan=accident.direct_loss_yuan,
                description=accident.description,
                grade_before=accident.grade,
                grade_after=accident.grade,
            )
        )
        received = accident.reported_at
        due = rules.report_deadline(accident.occurred_at, rules.UNIT)
        levels = rules.required_report_levels(accident.grade)
        for rank, level in enumerate(levels):
            step = ReportStep(
                accident=accident,
                level=level,
                due_at=due,
                received_at=received,
                is_late=received is not None and received > due,
            )
            nxt = rank + 1 < len(levels)
            if nxt and received is not None:
                slow = rng.random() < 0.08
                forwarded = received + timedelta(
                    minutes=rng.randint(125, 200) if slow else rng.randint(20, 110)
                )
                step.forwarded_at = forwarded if forwarded < timezone.now() else None
                due, received = rules.report_deadline(received, rules.AUTHORITY), step.forwarded_at
            steps.append(step)
        if any(s.is_late for s in steps[-len(levels) :]) and not accident.is_late:
            late_chain.append(accident.pk)
    Accident.objects.filter(pk__in=late_chain).update(is_late=True)
    _bulk(AccidentReport, reports)
    _bulk(ReportStep, steps)
    _injured_persons(accidents, today)
    _investigations(demo, rng, accidents)
    _minor_events(demo, rng, enterprises)
    _near_miss(demo, enterprises)
    _economy(demo, rng)
    demo.counts[_("生产安全事故")] = len(accidents)


# Two of this year's 一般 accidents record their injured by lost work days: one person of each severity (a
# 6000-day case counted as 重伤), and one without a lost day. (name, days, note)
INJURED = (
    (("张某", 180, "右腿骨折"), ("李某", 6000, "双下肢截瘫，按死亡折算"), ("王某", 35, "手部挫伤")),
    (("赵某", 12, "轻度烫伤"), ("钱某", 0, "送医观察后当日返岗")),
)


def _injured_persons(accidents, today: date) -> None:
    """Injured persons by lost work days on two recent ordinary accidents; their counts follow from the rows
    (as services.sync_injury_counts makes them), which keeps them 一般 (serious injuries stay below 10)."""
    chosen = [
        a
        for a in accidents
        if a.grade == rules.ORDINARY
        and a.enterprise is not None
        and timezone.localtime(a.occurred_at).year == today.year
    ][-len(INJURED) :]
    persons = []
    for accident, people in zip(chosen, INJURED, strict=False):
        rows = [
            InjuredPerson(
                accident=accident,
                name=name,
                lost_work_days=days,
                severity=rules.injury_severity(days) or "",
                note=note,
            )
            for name, days, note in people
        ]
        severities: dict = {}
        for row in rows:
            severities[row.severity or None] = severities.get(row.severity or None, 0) + 1
        counts = rules.injury_counts(severities)
        for name, value in counts.items():
            setattr(accident, name, value)
        Accident.objects.filter(pk=accident.pk).update(**counts)
        persons += rows
    _bulk(InjuredPerson, persons)


def _investigations(demo, rng, accidents) -> None:
    today = demo.today
    investigations = []
    for accident in accidents:
        if accident.deaths + accident.missing + accident.serious_injuries == 0:
            continue  # 第十九条: may be delegated to the unit; none recorded here
        occurred_on = timezone.localtime(accident.occurred_at).date()
        age = (today - occurred_on).days
        if age > 150:
            status = rng.choices(["closed", "concluded"], weights=[85, 15])[0]
        elif age > 60:
            status = rng.choice(["concluded", "extended", "extended"])
        else:
            status = "ongoing"
        extended = (
            rng.choice([30, 45, 60])
            if status == "extended" or (status != "ongoing" and rng.random() < 0.2)
            else 0
        )
        investigation = Investigation(
            accident=accident,
            status=status,
            level=rules.investigation_level(accident.grade),
            lead_organ="来安县人民政府" if accident.grade == rules.ORDINARY else "滁州市人民政府",
            team_leader=rng.choice(["王建国", "陈立华", "刘志强"]),
            team_members="应急管理局、住建局、公安局、总工会",
            started_on=occurred_on + timedelta(days=1),
            due_on=rules.investigation_due_on(occurred_on, extended),
            extended_days=extended,
            extension_approved_by="来安县人民政府" if extended else "",
            extension_reason="需进行技术鉴定" if extended else "",
        )
        if status in ("concluded", "closed"):
            investigation.direct_cause = rng.choice(CAUSES)
            investigation.indirect_cause = "安全生产主体责任落实不到位"
            investigation.nature = "生产安全责任事故"
            investigation.concluded_on = min(occurred_on + timedelta(days=55 + extended), today)
            if status == "closed":
                investigation.closed_on = min(investigation.concluded_on + timedelta(days=40), today)
            _reply(
                rng,
                investigation,
                accident.grade,
                today,
                late=not any(i.reply_overdue for i in investigations),
            )
        investigations.append(investigation)
    investigations = _bulk(Investigation, investigations)
    responsibilities, measures = [], []
    for investigation in investigations:
        if investigation.status not in ("concluded", "closed"):
            continue
        accident = investigation.accident
        if accident.enterprise is not None:
            responsibilities.append(
                Responsibility(
                    investigation=investigation,
                    party="unit",
                    name=accident.enterprise.name,
                    enterprise=accident.enterprise,
                    position="事故发生单位",
                    finding="未落实安全生产主体责任",
                    recommended_handling="依法给予行政处罚",
                    is_dishonesty_candidate=True,
                    candidate_basis="事故责任单位，待信用管理部门认定",
                    fine_wan=Decimal(rules.unit_fine_range(accident.grade)[0]),
                )
            )
        responsibilities.append(
            Responsibility(
                investigation=investigation,
                party="person",
                name=accident.reporter_name,
                position="安全管理人员",
                finding="未履行安全管理职责",
                recommended_handling="建议给予处分",
            )
        )
        income = Decimal(rng.randint(12, 40))
        responsibilities.append(
            Responsibility(
                investigation=investigation,
                party="person",
                name="赵经理",
                position="事故发生单位主要负责人",
                finding="未履行安全生产管理职责",
                recommended_handling="处上一年年收入百分比罚款",
                is_principal=True,
                last_year_income_wan=income,
                fine_percent=rules.principal_fine_percent(accident.grade),
                fine_wan=rules.principal_fine_wan(accident.grade, income),
            )
        )
        for n in range(2):
            done = investigation.status == "closed" or (n == 0 and rng.random() < 0.5)
            measures.append(
                PreventiveMeasure(
                    investigation=investigation,
                    description=["开展全员安全教育培训", "全面排查同类隐患"][n],
                    responsible_party=accident.enterprise.name if accident.enterprise else "来安县交通运输局",
                    due_on=investigation.concluded_on + timedelta(days=30),
                    status="done" if done else "open",
                    completed_on=investigation.concluded_on + timedelta(days=20) if done else None,
                    completion_note="已完成" if done else "",
                )
            )
    _bulk(Responsibility, responsibilities)
    _bulk(PreventiveMeasure, measures)
    late = [a for a in accidents if a.is_late][:2]
    _bulk(
        ReportingFinding,
        [
            ReportingFinding(
                accident=a,
                reported=True,
                late=True,
                is_late=True,
                description="经查，事故单位超过1小时报告时限",
                found_on=min(timezone.localtime(a.occurred_at).date() + timedelta(days=20), today),
            )
            for a in late
        ]
        + _concealment_findings(accidents, today),
    )


def _concealment_findings(accidents, today: date) -> list:
    """One accident found concealed (瞒报, verified) and one still awaiting verification, from their facts."""
    on_time = [a for a in accidents if not a.is_late and a.enterprise is not None]
    findings = []
    for accident, verified in zip(on_time[-2:], (True, False), strict=False):
        findings.append(
            ReportingFinding(
                accident=accident,
                reported=False,
                deadline_passed=True,
                concealment_verified=verified,
                is_concealed=rules.CONCEALED
                in rules.reporting_finding(
                    reported=False, deadline_passed=True, concealment_verified=verified
                ),
                awaiting_verification=rules.concealment_unverified(
                    reported=False, deadline_passed=True, concealment_verified=verified
                ),
                description="经群众举报核查，事故单位未按规定报告"
                if verified
                else "事故单位未报告，正在核查是否隐瞒",
                found_on=min(timezone.localtime(accident.occurred_at).date() + timedelta(days=30), today),
            )
        )
    return findings


def _reply(rng, investigation, grade: str, today: date, *, late: bool) -> None:
    """The report's receipt by the government and its 批复 (第三十二条); `late` leaves one without a reply
    past its due date, so the demo shows a 批复超期."""
    received_on = investigation.concluded_on + timedelta(days=rng.randint(1, 5))
    if received_on > today:
        return
    due_on, _latest = rules.reply_due(grade, received_on)
    investigation.report_received_on, investigation.reply_due_on = received_on, due_on
    if late and due_on < today:
        investigation.reply_overdue = True
        return
    replied_on = received_on + timedelta(days=rng.randint(5, 14))
    if replied_on <= today:
        investigation.replied_on, investigation.reply_authority = replied_on, investigation.lead_organ
        investigation.reply_number = f"来政复〔{replied_on.year}〕{rng.randint(1, 60)}号"
    investigation.reply_overdue = rules.reply_overdue(due_on, investigation.replied_on, today)


def _minor_events(demo, rng, enterprises) -> None:
    events = []
    for offset in (2, 1, 0):
        year = demo.today.year - offset
        for _n in range(rng.randint(40, 60)):
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            if day >= demo.today:
                continue
            enterprise = rng.choice(enterprises)
            kind = rng.choices(["near_miss", "minor"], weights=[70, 30])[0]
            events.append(
                MinorEvent(
                    kind=kind,
                    occurred_at=_moment(rng, day),
                    region=enterprise.region,
                    enterprise=enterprise,
                    industry=enterprise.industry,
                    minor_injuries=rng.randint(1, 2) if kind == "minor" else 0,
                    description="演示：险情已排除" if kind == "near_miss" else "演示：一人轻微擦伤",
                )
            )
    _bulk(MinorEvent, events)


def _near_miss(demo, enterprises) -> None:
    """One 较大涉险事故 this year (12 people at risk, reported on time), counted apart from the accidents."""
    enterprise = enterprises[0]
    day = demo.today - timedelta(days=20)
    occurred_at = timezone.make_aware(datetime.combine(day, time(10, 30)))
    reported_at = occurred_at + timedelta(minutes=40)
    _bulk(
        NearMissIncident,
        [
            NearMissIncident(
                title=f"{enterprise.name}“{day.month}·{day.day}”较大涉险事故",
                occurred_at=occurred_at,
                place="厂区东侧作业区",
                region=enterprise.region,
                enterprise=enterprise,
                industry=enterprise.industry,
                people_at_risk=12,
                description="演示：作业平台局部坍塌，12名作业人员涉险，经疏散无人员伤亡",
                measures_taken="停止作业，疏散人员，设置警戒",
                reporter_name="王安全",
                reporter_phone="13800001111",
                reported_at=reported_at,
                due_at=rules.report_deadline(occurred_at, rules.UNIT),
                is_late=False,
            )
        ],
    )


def _economy(demo, rng) -> None:
    rows = []
    for offset in (3, 2, 1, 0):
        year = demo.today.year - offset
        rows.append(
            RegionEconomy(
                region=demo.county,
                year=year,
                gdp_yi=Decimal("300.00") + Decimal(offset * -18 + rng.randint(0, 9)),
                industrial_employment=62000 + rng.randint(0, 3000) - offset * 800,
                # vehicles this year and last; raw coal output for last year only (other years: not entered)
                motor_vehicles=186000 + (1 - offset) * 9000 if offset <= 1 else None,
                raw_coal_wan_tonnes=Decimal("42.50") if offset == 1 else None,
            )
        )
    _bulk(RegionEconomy, rows)
