"""Demo step `warnings_alarms`: monitoring alarms of the demo county's 两重点一重大 enterprises (hazardous-chemical
producers and users, major hazard sources) — a fortnight of alarms, most still open for the supervisors to
watch — and a few at the demo enterprise, one handled to closure, one judged a false alarm, one waiting, so
its users (`qiye`, `fuzeren`) have the loop to try."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.core.demo import bulk

from .. import rules
from ..models import Alarm

# (kind, tag, unit, threshold, how far over it the value goes)
READINGS = [
    (rules.ALARM_TEMPERATURE, "TI-1021 反应釜温度", "℃", Decimal("80"), Decimal("6.5")),
    (rules.ALARM_PRESSURE, "PI-2003 反应釜压力", "MPa", Decimal("1.6"), Decimal("0.12")),
    (rules.ALARM_LEVEL, "LI-3101 1号储罐液位", "%", Decimal("85"), Decimal("4")),
    (rules.ALARM_COMBUSTIBLE_GAS, "GT-0105 罐区可燃气体", "%LEL", Decimal("25"), Decimal("11")),
    (rules.ALARM_TOXIC_GAS, "GT-0211 氯气", "ppm", Decimal("1"), Decimal("0.6")),
]


def _alarm(enterprise, index: int, raised_at, source: str, **extra) -> Alarm:
    kind, tag, unit, threshold, over = READINGS[index % len(READINGS)]
    return Alarm(
        enterprise=enterprise,
        source=source,
        source_id=f"{enterprise.uscc[-6:]}-{raised_at:%Y%m%d%H%M}-{index:03d}",
        channel=Alarm.Channel.WEBHOOK,
        kind=kind,
        tag=tag,
        value=threshold + over,
        threshold=threshold,
        unit=unit,
        raised_at=raised_at,
        **extra,
    )


def step(demo) -> None:
    rng = demo.random("warnings_alarms")
    now = timezone.now()
    watched = [
        e
        for e in demo.enterprises
        if e.has_major_hazard_source or e.industry.code in ("hazchem-production", "hazchem-use")
    ][:6]
    alarms = []
    for enterprise in watched:
        for index in range(rng.randint(1, 3)):
            raised = now - timedelta(
                days=rng.randint(0, 14), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
            )
            alarms.append(_alarm(enterprise, rng.randrange(len(READINGS)) + index, raised, "DCS"))
    enterprise, handler = demo.demo_enterprise, demo.users.get("qiye")
    if enterprise is not None and handler is not None:
        first = now - timedelta(days=3, hours=2)
        alarms.append(
            _alarm(
                enterprise,
                3,
                first,
                "GDS",
                status=Alarm.Status.RESOLVED,
                checked_at=first + timedelta(minutes=6),
                checked_by=handler,
                check_note="现场确认油料库房通风不良，可燃气体浓度超限。",
                closed_at=first + timedelta(minutes=41),
                closed_by=handler,
                resolution="开启强制通风，查明油桶封盖不严并更换，浓度降至 5%LEL 以下。",
            )
        )
        second = now - timedelta(days=1, hours=5)
        alarms.append(
            _alarm(
                enterprise,
                3,
                second,
                "GDS",
                status=Alarm.Status.FALSE_ALARM,
                closed_at=second + timedelta(minutes=15),
                closed_by=handler,
                resolution="探头标定期间数据跳变，仪表维护人员确认为误报。",
            )
        )
        alarms.append(_alarm(enterprise, 3, now - timedelta(minutes=35), "GDS"))
    for number, alarm in enumerate(alarms, start=1):
        alarm.source_id = f"{alarm.source_id}-{number:04d}"  # unique per source whatever the draws
    bulk(Alarm, alarms)
    demo.counts["监测报警"] = len(alarms)
