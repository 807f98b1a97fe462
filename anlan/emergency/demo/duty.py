"""Demo data of duty: a year of published rosters (the last eleven months, this month and next) of the county
安委办, the two towns with accounts (24-hour shifts from 08:30, 带班 by the county leader) and three
hazardous-chemical enterprises (生产安全事故应急条例 第十四条; their 安全管理人员 on duty, 带班 by the 主要负责人, each
given an account without a password), a few reports taken in by phone, and the 初报 of the latest accident in a
town with an account, in the duty logs it reaches."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import units
from anlan.core.demo import CHANGE_REASON, person_name, phone_number
from anlan.core.models import Enterprise, Membership, Role, User

from .. import rules
from ..models import DutyLogEntry, DutyRoster, DutyShift
from ..selectors import enterprise_categories

MONTHS_BACK = 11  # with this month and next: 13 months of rosters
HAZCHEM_ENTERPRISES = 3

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
        # Published in the last days of the month before, as an office does.
        published_at=min(
            timezone.now(), timezone.make_aware(datetime.combine(month - timedelta(days=5), time(16)))
        ),
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


def _enterprise_staff(enterprise: Enterprise, rng) -> tuple[User, User]:
    """The enterprise's 安全管理人员 (值班员) and 主要负责人 (带班领导) as accounts without a password."""
    made = []
    for suffix, name, phone, title in (
        ("duty", enterprise.safety_manager, enterprise.safety_manager_phone, _("安全管理人员")),
        (
            "lead",
            enterprise.principal.name if enterprise.principal_id else "",
            enterprise.principal_phone,
            "主要负责人",
        ),
    ):
        user = User(
            username=f"e{enterprise.pk}-{suffix}",
            real_name=name or person_name(rng),
            phone=phone or phone_number(rng),
        )
        user.set_unusable_password()
        user.save()
        membership = Membership(user=user, role=Role.ENTERPRISE, enterprise=enterprise, title=title)
        membership._change_reason = CHANGE_REASON
        membership.save()
        made.append(user)
    return made[0], made[1]


def _hazchem(demo) -> list[Enterprise]:
    """The first operating enterprises of the hazardous-chemical category (they must keep a duty)."""
    categories = enterprise_categories([e.pk for e in demo.enterprises])
    return [
        e
        for e in demo.enterprises
        if categories.get(e.pk) == rules.HAZARDOUS_CHEMICALS and e.status == Enterprise.Status.OPERATING
    ][:HAZCHEM_ENTERPRISES]


def step(demo) -> None:
    rng = demo.random("emergency_duty")
    users = demo.users
    county_office = units.committee_office_for(demo.county)
    this_month = rules.month_start(demo.today)
    offices = [(county_office, [users["anweiban"], users["yingji"]], users["lingdao"], users["anweiban"])]
    for name, username in (("新安镇", "xinan"), ("半塔镇", "banta")):
        offices.append(
            (units.unit_for(demo.towns[name]), [users[username]], users["lingdao"], users[username])
        )
    for enterprise in _hazchem(demo):
        officer, leader = _enterprise_staff(enterprise, rng)
        offices.append((units.unit_for(enterprise), [officer], leader, officer))
    rosters = 0
    for back in range(-MONTHS_BACK, 2):
        month = rules.add_months(this_month, back)
        for unit, officers, leader, publisher in offices:
            _roster(unit, month, officers, leader, rng, publisher)
            rosters += 1
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

    # The latest accident in a town with an account, so its duty officer can take it up (demo.response).
    prefixes = tuple(demo.towns[name].code[:9] for name in ("新安镇", "半塔镇"))
    in_towns = [
        pk
        for pk, code in Accident.objects.order_by("-occurred_at").values_list("pk", "region__code")[:200]
        if code.startswith(prefixes)
    ]
    latest = (
        Accident.objects.filter(pk__in=in_towns[:1]).first()
        or Accident.objects.order_by("-occurred_at").first()
    )
    if latest is not None:
        on_accident_reported(latest)
    demo.counts[_("值班表")] = rosters
    demo.counts[_("值班日志")] = DutyLogEntry.objects.count()
