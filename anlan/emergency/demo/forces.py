"""Demo step of the forces part: the county's rescue teams and shelters, an expert library (the demo expert
`zhuanjia` among them), two consultations — one waiting for 赵国平's opinion — and every town's 四有."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.core.demo import bulk

from .. import rules
from ..models import ConsultationAssignment, Expert, ExpertConsultation, RescueTeam, Shelter, TownCapacity

TEAM_SPECIALTIES = ("防汛抢险", "水域救援", "森林灭火", "破拆救援", "危化品处置", "医疗救护", "地震搜救")
EXPERTS = [
    ("陈志远", "滁州市化工设计院", "正高级工程师", ["hazchem"]),
    ("刘建华", "来安县住建局质量安全站", "高级工程师", ["construction", "special_equipment"]),
    ("孙伟", "来安县消防救援大队", "工程师", ["fire"]),
    ("周敏", "来安县人民医院", "主任医师", ["medical"]),
    ("吴海涛", "来安县水利局", "高级工程师", ["flood", "geology"]),
    ("郑浩", "来安县林业局", "工程师", ["forest_fire"]),
    ("王磊", "安徽省交通规划设计研究院", "高级工程师", ["transport"]),
    ("何静", "滁州市特种设备检验中心", "高级工程师", ["special_equipment"]),
    ("马强", "安徽理工大学", "教授", ["mining", "geology"]),
    ("许丽", "来安县供电公司", "高级工程师", ["electricity"]),
    ("黄斌", "安徽某律师事务所", "律师", ["law"]),
]


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def step(demo) -> None:
    rng = demo.random("emergency_forces")
    today = demo.today
    towns = list(demo.towns.values())
    teams = [
        RescueTeam(
            name="来安县消防救援大队",
            kind=RescueTeam.Kind.FIRE_RESCUE,
            region=demo.county,
            leader="杨志刚",
            leader_phone="0550-5601119",
            members=68,
            specialties="灭火、破拆救援、危化品处置、水域救援",
            equipment="水罐消防车6辆、抢险救援车2辆、举高喷射车1辆",
            status=RescueTeam.Status.AVAILABLE,
        )
    ]
    shelters = []
    for index, town in enumerate(towns):
        teams.append(
            RescueTeam(
                name=f"{town.name}应急救援队",
                kind=RescueTeam.Kind.TOWN,
                region=town,
                leader=rng.choice(["李", "张", "王", "赵", "钱"]) + rng.choice(["军", "勇", "强", "伟"]),
                leader_phone=f"139{rng.randint(10000000, 99999999)}",
                members=rng.randint(15, 40),
                specialties="、".join(rng.sample(TEAM_SPECIALTIES, 2)),
                equipment="冲锋舟1艘、排涝泵2台、发电机1台",
                status=RescueTeam.Status.DEPLOYED if index == 0 else RescueTeam.Status.AVAILABLE,
            )
        )
        shelters.append(
            Shelter(
                name=f"{town.name}中心学校避难场所",
                kind=Shelter.Kind.INDOOR,
                region=town,
                address=f"{town.name}人民路",
                capacity=rng.randint(300, 1200),
                area_m2=Decimal(rng.randint(1500, 5000)),
                manager="校长",
                manager_phone=f"138{rng.randint(10000000, 99999999)}",
                facilities="饮用水、应急照明、医疗点、卫生间",
            )
        )
        if rng.random() < 0.5:
            shelters.append(
                Shelter(
                    name=f"{town.name}文化广场",
                    kind=Shelter.Kind.OUTDOOR,
                    region=town,
                    address=f"{town.name}文化路",
                    capacity=rng.randint(1000, 5000),
                    area_m2=Decimal(rng.randint(5000, 20000)),
                    manager="文化站站长",
                    manager_phone=f"137{rng.randint(10000000, 99999999)}",
                    facilities="应急照明、广播",
                )
            )
    bulk(RescueTeam, teams)
    bulk(Shelter, shelters)
    zhuanjia = demo.users.get("zhuanjia")
    experts = [
        Expert(
            name="赵国平",
            phone="13905501234",
            employer="滁州市安全生产协会",
            title="注册安全工程师",
            specialties=rules.joined_codes(["construction", "hazchem"]),
            region=demo.county,
            user=zhuanjia,
        )
    ]
    for index, (name, employer, title, codes) in enumerate(EXPERTS):
        experts.append(
            Expert(
                name=name,
                phone=f"139{rng.randint(10000000, 99999999)}",
                employer=employer,
                title=title,
                specialties=rules.joined_codes(codes),
                region=demo.county,
                unavailable_until=today + timedelta(days=10) if index == 3 else None,
            )
        )
    experts = bulk(Expert, experts)
    office = demo.users.get("yingji")
    consultations = []
    if office is not None:
        first_town = towns[0] if towns else demo.county
        consultations = bulk(
            ExpertConsultation,
            [
                ExpertConsultation(
                    title=f"{first_town.name}建筑工地深基坑险情研判",
                    reference="深基坑支护裂缝",
                    region=first_town,
                    question="基坑东侧支护出现贯通裂缝，是否需要撤离周边居民、采取何种临时加固措施？",
                    requested_by=office,
                    requested_at=_moment(today - timedelta(days=1), 9),
                ),
                ExpertConsultation(
                    title="汛期化工园区重大危险源风险会商",
                    region=demo.county,
                    question="强降雨期间园区储罐区的主要风险与防范建议。",
                    requested_by=office,
                    requested_at=_moment(today - timedelta(days=40), 10),
                    conclusion="落实储罐区围堰排水与24小时值守，预警升级时停止装卸作业。",
                    closed_at=_moment(today - timedelta(days=38), 16),
                    status=ExpertConsultation.Status.CLOSED,
                ),
            ],
        )
        open_one, closed_one = consultations
        bulk(
            ConsultationAssignment,
            [
                ConsultationAssignment(
                    consultation=open_one,
                    expert=experts[0],
                    assigned_by=office,
                    assigned_at=open_one.requested_at,
                ),
                ConsultationAssignment(
                    consultation=open_one,
                    expert=experts[2],
                    assigned_by=office,
                    assigned_at=open_one.requested_at,
                    opinion="建议立即撤离基坑影响范围内人员，采用钢支撑临时加固并加密监测。",
                    opinion_at=open_one.requested_at + timedelta(hours=3),
                ),
                ConsultationAssignment(
                    consultation=closed_one,
                    expert=experts[1],
                    assigned_by=office,
                    assigned_at=closed_one.requested_at,
                    opinion="储罐区围堰排水能力不足，建议增设临时排水泵。",
                    opinion_at=closed_one.requested_at + timedelta(days=1),
                ),
            ],
        )
    capacities = []
    for town in towns:
        flags = {code: rng.random() < 0.75 for code, _label in rules.CAPACITY_ITEMS}
        capacities.append(
            TownCapacity(
                town=town,
                **{f"has_{code}": flag for code, flag in flags.items()},
                site_note="设应急指挥室，配备视频会商终端" if flags["site"] else "",
                organization_note="成立应急管理办公室" if flags["organization"] else "",
                staff_note="配备专职应急管理人员2名" if flags["staff"] else "",
                funding_note="年度应急工作经费列入财政预算" if flags["funding"] else "",
            )
        )
    bulk(TownCapacity, capacities)
    demo.counts["救援队伍"] = len(teams)
    demo.counts["避难场所"] = len(shelters)
    demo.counts["应急专家"] = len(experts)
    demo.counts["专家会诊"] = len(consultations)
    demo.counts["乡镇“四有”"] = len(capacities)
