"""Demo step `warnings_consult`: yesterday's 专题会商 of 应急、自然资源、水利 and more on the coming rainstorm, with its
judgement, the warning it led to, and a 安全风险提示单 sent to every town — the towns with a demo account (新安镇,
半塔镇) confirmed and reported on the measures (one not yet done, with its reason); the rest still pending."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.core.models import Region, User

from .. import rules
from ..models import Warning
from ..services import consult as services

DEPARTMENTS = ["应急管理局", "自然资源局", "水利局", "住建局", "交通运输局", "农业农村局"]
MEASURES = [
    "落实24小时值班值守和领导带班制度，保持通讯畅通",
    "对辖区地质灾害隐患点、山坪塘、在建涉水工程开展雨前排查",
    "提前组织受威胁群众转移避险，做到应转尽转",
    "督促建筑工地、矿山等生产经营单位落实停工避险措施",
]


def step(demo) -> None:
    office = demo.users["anweiban"]
    now = timezone.now()
    convener = units.committee_office_for(demo.county)
    departments = [demo.departments[name] for name in DEPARTMENTS if name in demo.departments]
    warnings = Warning.objects.filter(region=demo.county).order_by("-created_at", "-pk")
    warning = warnings.filter(status=rules.ISSUED).first() or warnings.first()
    consultation = services.record_consultation(
        actor=office,
        data={
            "held_at": now - timedelta(days=1, hours=2),
            "kind": "special",
            "topic": "强降雨过程安全生产风险会商研判",
            "convener": convener,
            "departments": departments,
            "attendees": "陈立华 县安委办 副主任\n王建国 县应急管理局 副局长\n县自然资源和规划局 地灾股负责人\n"
            "县水利局 防汛办负责人\n县气象台 首席预报员",
            "situation": "气象台预计未来 48 小时全县有大到暴雨，局部大暴雨，累计雨量 80–120 毫米；"
            "全县地质灾害隐患点 12 处、山坪塘 36 座处于高风险区。",
            "judgement": "本次降雨过程诱发山洪、滑坡和城乡内涝的风险高，在建工地和危化企业须重点防范。",
            "risk_level": "high",
            "follow_ups": "发布地质灾害气象风险预警；向各乡镇和有关部门发送安全风险提示单；24 小时后再次会商。",
            "warning": warning,
        },
    )
    towns = sorted(demo.towns.values(), key=lambda region: region.code)
    bulletin = services.send_bulletin(
        actor=office,
        consultation_pk=consultation.pk,
        data={
            "title": "关于做好强降雨期间安全防范工作的风险提示",
            "risk_level": "high",
            "content": "据会商研判，本次强降雨过程诱发山洪、滑坡和城乡内涝的风险高，请各单位立即落实以下措施。",
            "measures": "\n".join(MEASURES),
            "recipients": [units.unit_for(town) for town in towns],
            "confirm_hours": None,
        },
    )
    # The towns with a demo account (新安镇, 半塔镇) confirm and report on the measures; the others are pending.
    tasks = list(services.selectors.tasks_of(bulletin))
    measures = list(services.selectors.measures_of(bulletin))
    for index, task in enumerate(tasks):
        member = _member(task.recipient_unit.region)
        if member is None:
            continue
        services.confirm_bulletin(actor=member, task_pk=task.pk)
        for position, measure in enumerate(measures[: 2 + index % 3]):
            done = position != 1
            services.report_measure(
                actor=member,
                task_pk=task.pk,
                measure_pk=measure.pk,
                done=done,
                note="已落实" if done else "部分山坪塘正在排查，预计今晚完成",
            )
    demo.counts["会商研判"] = 1


def _member(town: Region) -> User | None:
    """A user of the town's office (the demo has one for 新安镇 and 半塔镇)."""
    return (
        User.objects.filter(memberships__role="town", memberships__region=town, memberships__is_active=True)
        .order_by("pk")
        .first()
    )
