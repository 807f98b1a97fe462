"""Demo data of duty: this month's and next month's published rosters of the county 安委办 and 新安镇 (24-hour
shifts from 08:30, 带班 by the county leader), a few reports taken in by phone, and the latest accident's 初报
in the duty logs it reaches."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import units
from anlan.core.demo import phone_number

from .. import rules
from ..models import DutyLogEntry, DutyRoster, DutyShift

CALLS = [
    ("phone", "村民来电", "反映新安镇东关社区一处自建房外墙开裂，已通知镇应急办核查。"),
    ("tip_off", "匿名", "举报某加油站夜间违规卸油，已转县应急管理局执法大队。"),
    ("warning", "县气象局", "县气象台发布暴雨黄色预警信号，已转发各乡镇值班室。"),
]


def _roster(unit, month, officers, leader, rng, published_by):
    roster = DutyRoster.objects.create(
        unit=unit,
        month=month,
        phone=unit.phone or "0550-7012345",
        status=DutyRoster.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=published_by,
    )
    phones = {user.pk: user.phone or phone_number(rng) for user in [*officers, leader]}
    day, shifts = month, []
    while day < rules.next_month(month):
        officer = officers[day.day % len(officers)]
        start = timezone.make_aware(datetime.combine(day, time(8, 30)))
        shifts.append(
            DutyShift(
                roster=roster,
                unit=unit,
                published=True,
                starts_at=start,
                ends_at=start + timedelta(days=1),
                officer=officer,
                officer_phone=phones[officer.pk],
                leader=leader,
                leader_phone=phones[leader.pk],
            )
        )
        day += timedelta(days=1)
    DutyShift.objects.bulk_create(shifts)
    return roster


def step(demo) -> None:
    rng = demo.random("emergency_duty")
    users = demo.users
    county_office = units.committee_office_for(demo.county)
    town = units.unit_for(demo.towns["新安镇"])
    this_month = rules.month_start(demo.today)
    rosters = 0
    for month in (rules.add_months(this_month, -1), this_month, rules.next_month(this_month)):
        _roster(
            county_office,
            month,
            [users["anweiban"], users["yingji"]],
            users["lingdao"],
            rng,
            users["anweiban"],
        )
        _roster(town, month, [users["xinan"]], users["lingdao"], rng, users["xinan"])
        rosters += 2
    now = timezone.now()
    for hours, (source, caller, summary) in enumerate(CALLS, start=1):
        DutyLogEntry.objects.create(
            unit=county_office,
            received_at=now - timedelta(hours=hours * 5),
            source=source,
            caller=caller,
            summary=summary,
            passed_to="县应急管理局" if hours > 1 else "新安镇应急办",
            passed_at=now - timedelta(hours=hours * 5) + timedelta(minutes=6),
            recorded_by=users["anweiban"],
            confirmed_by=users["yingji"] if hours > 1 else None,
            confirmed_at=now - timedelta(hours=hours * 5) + timedelta(minutes=10) if hours > 1 else None,
        )
    from anlan.accidents.models import Accident

    from ..services.duty import on_accident_reported

    latest = Accident.objects.order_by("-occurred_at").first()
    if latest is not None:
        on_accident_reported(latest)
    demo.counts[_("值班表")] = rosters
    demo.counts[_("值班日志")] = DutyLogEntry.objects.count()
