"""安委会议定事项 and 专项整治 for tests: a plenary meeting of the county 安委会 recorded by its 安委办 with one
decision assigned to 住建局 and town A; a 城镇燃气 campaign with 住建局 and town A as members and a card sent to
both."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.core.tests.factories import industry
from anlan.governance.services import campaigns as services


def office(cast):
    return units.committee_office_for(cast.county)


def meeting_data(cast, **overrides) -> dict:
    return {
        "kind": "plenary",
        "title": "县安委会2026年第一次全体会议",
        "held_on": timezone.localdate() - timedelta(days=10),
        "chair": "县长 李明",
        "attendees": "县安委会各成员单位主要负责人\n各乡镇（街道）分管负责人",
        "topics": "部署城镇燃气安全专项整治；通报一季度安全生产形势。",
        "office": office(cast),
        **overrides,
    }


def meeting(cast, **overrides):
    return services.record_meeting(actor=cast["county_office"], data=meeting_data(cast, **overrides))


def decision_data(cast, **overrides) -> dict:
    return {
        "text": "住建局牵头、各乡镇配合，完成城镇燃气用户安全检查全覆盖。",
        "due_on": timezone.localdate() + timedelta(days=20),
        "assignees": [units.unit_for(cast.dept_housing), units.unit_for(cast.town_a)],
        **overrides,
    }


def decision(cast, the_meeting=None, **overrides):
    the_meeting = the_meeting or meeting(cast)
    return services.add_decision(
        actor=cast["county_office"], meeting_pk=the_meeting.pk, data=decision_data(cast, **overrides)
    )


def task_of(the_decision, unit):
    return the_decision.tasks.get(assignee=unit)


def housing_task(cast, **overrides):
    return task_of(decision(cast, **overrides), units.unit_for(cast.dept_housing))


def reported_task(cast):
    task = housing_task(cast)
    services.report_completion(
        actor=cast["dept_housing"],
        task_pk=task.pk,
        data={"text": "已检查全部燃气用户。", "evidence": "来建〔2026〕12号"},
    )
    task.refresh_from_db()
    return task


def campaign_data(cast, **overrides) -> dict:
    today = timezone.localdate()
    return {
        "kind": "special",
        "title": "城镇燃气安全专项整治",
        "themes": "燃气经营企业、餐饮等用户、燃气管网设施",
        "starts_on": today - timedelta(days=60),
        "ends_on": today + timedelta(days=300),
        "office": office(cast),
        "lead_unit": units.unit_for(cast.dept_housing),
        **overrides,
    }


def campaign(cast, *, members=True, **overrides):
    actor = cast["county_office"]
    the_campaign = services.create_campaign(actor=actor, data=campaign_data(cast, **overrides))
    services.add_area(
        actor=actor,
        campaign_pk=the_campaign.pk,
        data={"name": "城镇燃气", "industries": [industry("urban-gas"), industry("construction")]},
    )
    if members:
        for unit, name in (
            (units.unit_for(cast.dept_housing), "张海峰"),
            (units.unit_for(cast.town_a), "王丽"),
        ):
            services.add_member(
                actor=actor,
                campaign_pk=the_campaign.pk,
                data={"unit": unit, "liaison_name": name, "liaison_phone": "13905501234"},
            )
    return the_campaign


def card(cast, the_campaign=None, **overrides):
    the_campaign = the_campaign or campaign(cast)
    today = timezone.localdate()
    return services.send_card(
        actor=cast["county_office"],
        campaign_pk=the_campaign.pk,
        data={
            "month": today.replace(day=1),
            "title": f"城镇燃气安全专项整治{today.month}月提示卡",
            "tasks": "开展餐饮场所燃气安全检查\n排查燃气管道占压",
            "report_by": today + timedelta(days=5),
            **overrides,
        },
    )


def card_task(the_card, unit):
    return services.selectors.card_tasks(the_card).get(recipient_unit=unit)


def town_a_card_task(cast, confirmed=False):
    task = card_task(card(cast), units.unit_for(cast.town_a))
    if confirmed:
        services.confirm_card(actor=cast["town_a"], task_pk=task.pk)
        task.refresh_from_db()
    return task
