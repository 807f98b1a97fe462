"""Demo step `warnings_points`: in each town of the demo county, geohazard points in its villages with their
群测群防员, and flood-control points (a reservoir, ponds, a 险工险段, a works in water with its 度汛方案), with a
season of observations — one of them alarming."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core.demo import bulk

from .. import rules
from ..models import Observation, Point

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
GIVEN = ["建国", "立新", "春生", "秀英", "桂兰", "德明", "永福", "玉梅"]
GEOHAZARDS = ["滑坡", "崩塌", "泥石流", "地面塌陷"]
FLOOD = [
    (rules.RESERVOIR, "水库", "小（二）型水库"),
    (rules.POND, "山坪塘", "山坪塘"),
    (rules.DIKE, "河堤险工段", "堤防渗漏"),
    (rules.WORKS, "涉水桥梁工程", "在建桥梁"),
]


def step(demo) -> None:
    rng = demo.random("warnings_points")
    office = demo.users["anweiban"]
    points = []
    for town in sorted(demo.towns.values(), key=lambda region: region.code):
        villages = [v for code, v in sorted(demo.villages.items()) if code.startswith(town.code[:9])]
        if not villages:
            continue
        for index in range(2):
            village = rng.choice(villages)
            households = rng.randint(2, 12)
            points.append(
                Point(
                    name=f"{village.name}{rng.choice(['后山', '东坡', '北沟', '西岭'])}{GEOHAZARDS[index % 4]}",
                    kind=rules.GEOHAZARD,
                    subtype=GEOHAZARDS[index % 4],
                    region=village,
                    place=f"{village.name}村组后山坡脚",
                    households=households,
                    people=households * rng.randint(2, 4),
                    monitor_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    monitor_phone=f"137{rng.randint(10000000, 99999999)}",
                    owner_unit=f"{town.name}人民政府",
                    owner_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    owner_phone=f"0550-{rng.randint(5000000, 5999999)}",
                )
            )
        kind, noun, subtype = FLOOD[len(points) % len(FLOOD)]
        village = rng.choice(villages)
        points.append(
            Point(
                name=f"{village.name}{noun}",
                kind=kind,
                subtype=subtype,
                region=village,
                households=0,
                people=0,
                monitor_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                monitor_phone=f"138{rng.randint(10000000, 99999999)}",
                owner_unit=f"{town.name}水利站",
                plan="汛期实行24小时值守；超警戒水位时立即报告并组织下游群众转移。"
                if kind == rules.WORKS
                else "",
                plan_approved_on=demo.today - timedelta(days=60) if kind == rules.WORKS else None,
            )
        )
    points = bulk(Point, points)
    now = timezone.now()
    observations = []
    for index, point in enumerate(p for p in points if p.kind == rules.GEOHAZARD):
        for days in (30, 14, 2):
            alarming = index == 0 and days == 2
            observations.append(
                Observation(
                    point=point,
                    observed_at=now - timedelta(days=days, hours=rng.randint(0, 6)),
                    observer=point.monitor_name,
                    seen="坡体后缘出现新裂缝，有少量掉块" if alarming else "坡体无明显变化",
                    reading=f"裂缝宽 {rng.randint(3, 6) if alarming else rng.randint(0, 2)} 厘米",
                    alarming=alarming,
                    recorded_by=office,
                )
            )
    bulk(Observation, observations)
    demo.counts["隐患点与防汛重点部位"] = len(points)
