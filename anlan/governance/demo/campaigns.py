"""Demo step `governance_campaigns`: the county 安委会's first plenary meeting of the quarter and a thematic meeting
on gas safety, with decisions to 住建局, 交通运输局 and the towns in every state (closed, awaiting the 安委办's
confirmation, returned, in progress, overdue and flagged); and the 城镇燃气安全专项整治 with its members and liaison
officers, three monthly cards partly reported, the gas hazards and inspections tagged by its rule, and last
month's 月度调度 issued as a DOCX."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anlan.core import units

from .. import rules
from ..models import CardReport
from ..services import campaigns as services


def _month_start(day, back: int):
    """The first day of the month `back` months before `day`'s (negative: after it)."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def step(demo) -> None:
    office_user = demo.users["anweiban"]
    # The demo's day (its hazards and inspections are dated from it), never after the clock the services check.
    today = min(demo.today, timezone.localdate())
    office = units.committee_office_for(demo.county)
    housing = units.unit_for(demo.departments["住建局"])
    transport = units.unit_for(demo.departments["交通运输局"])
    xinan, banta = units.unit_for(demo.towns["新安镇"]), units.unit_for(demo.towns["半塔镇"])

    # ---- 安委会 meetings and decisions
    plenary = services.record_meeting(
        actor=office_user,
        data={
            "kind": rules.MEETING_PLENARY,
            "title": "县安委会2026年第二次全体会议",
            "held_on": today - timedelta(days=40),
            "chair": "县长（安委会主任）、县委副书记（安委会主任）",
            "attendees": "县安委会各成员单位主要负责人\n各乡镇（街道）分管负责人\n县经开区管委会分管负责人",
            "topics": "传达全省、全市安全生产工作会议精神；通报前期安全生产形势；部署城镇燃气安全专项整治和汛期安全工作。",
            "office": office,
        },
    )
    gas = services.add_decision(
        actor=office_user,
        meeting_pk=plenary.pk,
        data={
            "text": "住建局牵头，各乡镇配合，对餐饮场所燃气使用开展一次全覆盖检查，建立问题隐患和整改责任“两个清单”。",
            "due_on": today + timedelta(days=20),
            "assignees": [housing, xinan, banta],
        },
    )
    services.add_decision(
        actor=office_user,
        meeting_pk=plenary.pk,
        data={
            "text": "交通运输局对全县临水临崖、急弯陡坡路段安全防护设施完成排查，形成清单报县安委办。",
            "due_on": today - timedelta(days=5),
            "assignees": [transport],
        },
    )
    special = services.record_meeting(
        actor=office_user,
        data={
            "kind": rules.MEETING_SPECIAL,
            "title": "县安委会燃气安全专题会议",
            "held_on": today - timedelta(days=12),
            "chair": "分管副县长",
            "attendees": "县住建局、县市场监管局、县消防救援大队\n新安镇、半塔镇",
            "topics": "研究瓶装液化气“黑气点”清理整治。",
            "office": office,
        },
    )
    black = services.add_decision(
        actor=office_user,
        meeting_pk=special.pk,
        data={
            "text": "新安镇对辖区瓶装液化气非法经营点开展清理，一周内报送清理情况。",
            "due_on": today + timedelta(days=3),
            "assignees": [xinan],
        },
    )
    zhujian, xinan_user, banta_user = demo.users["zhujian"], demo.users["xinan"], demo.users["banta"]
    task = gas.tasks.get(assignee=housing)
    services.report_progress(
        actor=zhujian, task_pk=task.pk, data={"text": "已检查餐饮场所 126 家，发现问题 37 处。"}
    )
    services.report_completion(
        actor=zhujian,
        task_pk=task.pk,
        data={
            "text": "全县 214 家餐饮场所已全部检查，问题隐患已建立清单并督促整改。",
            "evidence": "来建〔2026〕45号；检查台账",
        },
    )
    services.decide_task(actor=office_user, task_pk=task.pk, step="close")
    task = gas.tasks.get(assignee=xinan)
    services.report_completion(
        actor=xinan_user,
        task_pk=task.pk,
        data={
            "text": "镇区 88 家餐饮场所检查完毕，已安装燃气报警器 61 家。",
            "evidence": "新安镇燃气检查台账",
        },
    )
    task = gas.tasks.get(assignee=banta)
    services.report_progress(
        actor=banta_user, task_pk=task.pk, data={"text": "已检查 20 家，剩余集镇外围商户本周完成。"}
    )
    task = black.tasks.get(assignee=xinan)
    services.report_completion(
        actor=xinan_user, task_pk=task.pk, data={"text": "已清理 3 处。", "evidence": "照片"}
    )
    services.decide_task(
        actor=office_user, task_pk=task.pk, step="send_back", reason="请补充清理点位清单和移交执法部门情况。"
    )
    services.sweep(today=today, now=timezone.now())  # the roads decision is overdue: flagged once

    # ---- 城镇燃气安全专项整治
    starts_on = _month_start(today, 3)
    campaign = services.create_campaign(
        actor=office_user,
        data={
            "kind": rules.CAMPAIGN_SPECIAL,
            "title": "城镇燃气安全专项整治",
            "themes": "燃气经营企业、餐饮等燃气用户、燃气管网设施三个专项；“问题隐患和制度措施”两个清单。",
            "starts_on": starts_on,
            "ends_on": _month_start(today, -9) - timedelta(days=1),
            "office": office,
            "lead_unit": housing,
        },
    )
    gas_industries = [demo.industries[code] for code in ("urban-gas",) if code in demo.industries]
    services.add_area(
        actor=office_user,
        campaign_pk=campaign.pk,
        data={"name": "燃气经营企业", "industries": gas_industries},
    )
    services.add_area(
        actor=office_user, campaign_pk=campaign.pk, data={"name": "燃气用户和管网设施", "industries": []}
    )
    for unit, name, phone in (
        (housing, "张海峰", "13905501201"),
        (xinan, "周晓东", "13905501202"),
        (banta, "吴春华", "13905501203"),
        (transport, "李明", "13905501204"),
    ):
        services.add_member(
            actor=office_user,
            campaign_pk=campaign.pk,
            data={"unit": unit, "liaison_name": name, "liaison_phone": phone},
        )
    reporters = {housing.pk: zhujian, xinan.pk: xinan_user, banta.pk: banta_user}
    for back, reporting in ((2, {housing.pk, xinan.pk, banta.pk}), (1, {housing.pk, xinan.pk}), (0, set())):
        month = _month_start(today, back)
        card = services.send_card(
            actor=office_user,
            campaign_pk=campaign.pk,
            data={
                "month": month,
                "title": f"城镇燃气安全专项整治{month.month}月工作提示卡",
                "tasks": "督促燃气经营企业落实全员安全生产责任制\n检查餐饮场所燃气报警器安装和使用\n排查燃气管道占压、穿越密闭空间问题",
                "report_by": month + timedelta(days=27),
            },
        )
        for receipt in services.selectors.card_tasks(card):
            user = reporters.get(receipt.recipient_unit_id)
            if user is None:
                continue
            services.confirm_card(actor=user, task_pk=receipt.pk)
            if receipt.recipient_unit_id in reporting:
                services.report_card(
                    actor=user,
                    task_pk=receipt.pk,
                    data={
                        "enterprises_checked": 18 + back * 5,
                        "hazards_found": 7 + back,
                        "hazards_rectified": 5 + back,
                        "text": "按提示卡逐项落实，问题隐患已纳入清单，整改中的明确了责任人和时限。",
                    },
                )
                if back == 2 or receipt.recipient_unit_id == housing.pk:
                    # Reported in its month, by the card's deadline (the rest are reported late, today).
                    CardReport.objects.filter(card=card, unit_id=receipt.recipient_unit_id).update(
                        reported_at=timezone.make_aware(
                            datetime.combine(month + timedelta(days=20), time(16))
                        )
                    )
    services.apply_tag_rule(actor=office_user, campaign_pk=campaign.pk)
    services.issue_report(
        actor=office_user, campaign_pk=campaign.pk, period=rules.PERIOD_MONTH, day=_month_start(today, 1)
    )
    demo.counts["安委会会议"] = 2
    demo.counts["专项整治"] = 1
