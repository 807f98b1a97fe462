"""会商研判 for tests: a joint meeting convened by the county 安委办 (住建局 and 交通运输局 at the table), a bulletin
sent from it to towns A and B, and town A's task confirmed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.warnings.services import consult as services


def meeting_data(cast, **overrides) -> dict:
    return {
        "held_at": timezone.now() - timedelta(hours=3),
        "kind": "special",
        "topic": "强降雨安全生产风险会商研判",
        "convener": units.committee_office_for(cast.county),
        "departments": [cast.dept_housing, cast.dept_transport],
        "attendees": "陈立华 县安委办 副主任\n张海峰 县住建局 股长",
        "situation": "未来 48 小时有暴雨，局部大暴雨。",
        "judgement": "在建工地和道路边坡风险高。",
        "risk_level": "high",
        "follow_ups": "向各乡镇发送风险提示单。",
        "warning": None,
        **overrides,
    }


def consultation(cast, **overrides):
    return services.record_consultation(actor=cast["county_office"], data=meeting_data(cast, **overrides))


def bulletin_data(cast, **overrides) -> dict:
    return {
        "title": "关于做好强降雨期间安全防范工作的风险提示",
        "risk_level": "high",
        "content": "请立即落实以下措施。",
        "measures": "落实24小时值班值守\n对在建工地开展雨前排查",
        "recipients": [units.unit_for(cast.town_a), units.unit_for(cast.town_b)],
        "confirm_hours": None,
        **overrides,
    }


def bulletin(cast, meeting=None, **overrides):
    meeting = meeting or consultation(cast)
    return services.send_bulletin(
        actor=cast["county_office"], consultation_pk=meeting.pk, data=bulletin_data(cast, **overrides)
    )


def task_of(bulletin, region):
    return services.selectors.tasks_of(bulletin).get(recipient_unit__region=region)


def confirmed_task(cast):
    """Town A's task of a fresh bulletin, confirmed by town A."""
    task = task_of(bulletin(cast), cast.town_a)
    services.confirm_bulletin(actor=cast["town_a"], task_pk=task.pk)
    task.refresh_from_db()
    return task
