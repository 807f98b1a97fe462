"""Demo step `governance_baobao`: the county leader (lingdao) 防汛挂联 with every town and 安全生产包保 with the
demo enterprise and two others; the two town officers (xinan, banta) 包保 enterprises and geohazard points of
their towns at the 乡级; visits recorded on most, one pairing never visited and overdue (flagged by the sweep)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.core.rules import subtree_bounds

from ..models import Assignment
from ..services import baobao as services


def _in(region_code: str, town) -> bool:
    low, high = subtree_bounds(town.code, town.level)
    return low <= region_code <= high


def step(demo) -> None:
    from anlan.warnings.selectors.points import point_list

    office_user = demo.users["anweiban"]
    today = min(demo.today, timezone.localdate())
    office = units.committee_office_for(demo.county)
    leader = demo.users["lingdao"]
    started = today - timedelta(days=60)

    def pair(user, post, level, kind, target_type, target, *, started_on=started, every_days=None):
        return services.create_assignment(
            actor=office_user,
            data={
                "owner_unit": office,
                "leader": user,
                "leader_post": post,
                "level": level,
                "kind": kind,
                "target_type": target_type,
                target_type: target,
                "started_on": started_on,
                "every_days": every_days,
                "note": "",
            },
        )

    def visit(assignment, days_ago, checked, findings="", problems=0, actor=None):
        services.record_visit(
            actor=actor or assignment.leader,
            assignment_pk=assignment.pk,
            data={
                "visited_on": today - timedelta(days=days_ago),
                "checked": checked,
                "findings": findings,
                "problems_found": problems,
            },
        )

    # 县级领导防汛挂联乡镇 (S2 L175): the county leader with every town, a visit to each in the last month.
    for index, town in enumerate(demo.towns.values()):
        a = pair(leader, "县委常委、副县长", "county", "flood", "town", units.unit_for(town), every_days=30)
        visit(a, 5 + index, "检查防汛责任人落实、物资储备和转移避险预案。")

    # 安全生产包保: the county leader with the demo enterprise (visited) and two others (one never visited: overdue).
    enterprises = [e for e in demo.enterprises if e != demo.demo_enterprise]
    ours = pair(leader, "县委常委、副县长", "county", "safety", "enterprise", demo.demo_enterprise)
    visit(
        ours,
        20,
        "督导企业主要负责人履职和隐患排查治理。",
        "消防通道堆放杂物；应急演练记录不全。",
        2,
    )
    pair(leader, "县委常委、副县长", "county", "safety", "enterprise", enterprises[0])
    pair(
        leader,
        "县委常委、副县长",
        "county",
        "safety",
        "enterprise",
        enterprises[1],
        started_on=today - timedelta(days=120),
    )

    # 乡级: the town officers with enterprises and geohazard points of their towns.
    for username, town_name, post in (
        ("xinan", "新安镇", "新安镇副镇长"),
        ("banta", "半塔镇", "半塔镇副镇长"),
    ):
        user = demo.users[username]
        town = demo.towns[town_name]
        local = [e for e in enterprises[2:] if _in(e.region_id, town)][:2]
        for enterprise in local:
            a = pair(user, post, "town", "safety", "enterprise", enterprise)
            visit(a, 10, "检查安全生产责任制和隐患整改台账。")
        low, high = subtree_bounds(town.code, town.level)
        points = point_list(office_user).filter(is_active=True, region_id__gte=low, region_id__lte=high)
        for point in points.order_by("pk")[:2]:
            a = pair(user, post, "town", "flood", "point", point, every_days=14)
            visit(a, 3, "查看裂缝监测桩和排水沟，核对群测群防员在岗。")

    services.sweep_overdue(today=today)
    demo.counts["包保关系"] = Assignment.objects.count()
