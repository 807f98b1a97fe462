"""Permission-matrix rows of 安委会议定事项 and 专项整治.

The scene: a meeting of the county 安委会 recorded by the county 安委办 with a decision assigned to 住建局 and town
A; a campaign of the 安委办 with 住建局 and town A as members and a card sent to both. The county's supervisors
(the 安委办, the departments, whose territorial scope is the county) and the leader read meetings and campaigns;
only the 安委办 records, assigns, confirms closure or returns (departments get 403); only the assignee reports
(another department is refused by the guard: 302 with a message, nothing written; the 安委办 has no right to
answer: 403). Towns see their own tasks and cards, not the county's meeting (404); the enterprise, grid worker
and expert see none of it.
"""

from __future__ import annotations

from datetime import timedelta

from tests.matrix import Route, api, page


def _today():
    from django.utils import timezone

    return timezone.localdate()


def meeting(c):
    from anlan.governance.tests.factories_campaigns import meeting

    return {"pk": meeting(c).pk}


def housing_task(c):
    from anlan.governance.tests.factories_campaigns import housing_task

    return {"pk": housing_task(c).pk}


def reported(c):
    from anlan.governance.tests.factories_campaigns import reported_task

    return {"pk": reported_task(c).pk}


def a_campaign(c):
    from anlan.governance.tests.factories_campaigns import campaign

    return {"pk": campaign(c).pk}


def long_campaign(c):
    """A campaign that began over a year ago (so last month has ended inside it), with the 安委办's
    comprehensive department to issue in the name of."""
    from anlan.core.models import Department
    from anlan.core.tests.factories import DepartmentFactory
    from anlan.governance.tests.factories_campaigns import campaign

    DepartmentFactory(
        name="来安县应急管理局", region=c.county, kind=Department.Kind.COMPREHENSIVE, industries=[]
    )
    return {
        "pk": campaign(c, starts_on=_today() - timedelta(days=400), ends_on=_today() + timedelta(days=30)).pk
    }


def issued(c):
    from anlan.governance.services import campaigns as services

    pk = long_campaign(c)["pk"]
    report = services.issue_report(
        actor=c["county_office"], campaign_pk=pk, period="month", day=_today() - timedelta(days=40)
    )
    return {"pk": report.pk}


def an_area(c):
    from anlan.governance.tests.factories_campaigns import campaign

    return {"pk": campaign(c).areas.get().pk}


def a_member(c):
    from anlan.core import units
    from anlan.governance.tests.factories_campaigns import campaign

    return {"pk": campaign(c).members.get(unit=units.unit_for(c.town_a)).pk}


def a_removed_member(c):
    from anlan.governance.services import campaigns as services

    pk = a_member(c)["pk"]
    services.set_member_active(actor=c["county_office"], member_pk=pk, active=False, reason="机构调整")
    return {"pk": pk}


def an_evidence_file(c):
    """Town A's report on its card with one PDF attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anlan.governance.services import campaigns as services
    from anlan.governance.tests.factories_campaigns import town_a_card_task

    task = town_a_card_task(c, confirmed=True)
    pdf = SimpleUploadedFile("检查记录.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    report = services.report_card(
        actor=c["town_a"],
        task_pk=task.pk,
        data={"enterprises_checked": 1, "hazards_found": 0, "hazards_rectified": 0, "text": "已检查"},
        files=[pdf],
    )
    return {"pk": report.evidence.get().pk}


def a_card(c):
    from anlan.governance.tests.factories_campaigns import card

    return {"pk": card(c).pk}


def town_a_card(c):
    from anlan.governance.tests.factories_campaigns import town_a_card_task

    return {"pk": town_a_card_task(c).pk}


def town_a_card_confirmed(c):
    from anlan.governance.tests.factories_campaigns import town_a_card_task

    return {"pk": town_a_card_task(c, confirmed=True).pk}


def meeting_post(c):
    from anlan.governance.tests.factories_campaigns import office

    return {
        "kind": "special",
        "title": "县安委会燃气安全专题会议",
        "held_on": (_today() - timedelta(days=1)).isoformat(),
        "chair": "副县长 王强",
        "attendees": "住建局\n各乡镇",
        "topics": "燃气安全",
        "office": office(c).pk,
    }


def decision_post(c):
    from anlan.core import units

    return {
        "text": "开展餐饮场所燃气安全检查",
        "due_on": (_today() + timedelta(days=30)).isoformat(),
        "assignees": [units.unit_for(c.town_a).pk],
    }


def completion_post(c):
    return {"text": "已完成", "evidence": "检查台账"}


def campaign_post(c):
    from anlan.core import units
    from anlan.governance.tests.factories_campaigns import office

    return {
        "kind": "special",
        "title": "城镇燃气安全专项整治",
        "themes": "燃气",
        "starts_on": (_today() - timedelta(days=60)).isoformat(),
        "ends_on": (_today() + timedelta(days=300)).isoformat(),
        "office": office(c).pk,
        "lead_unit": units.unit_for(c.dept_housing).pk,
    }


def area_post(c):
    from anlan.core.tests.factories import industry

    return {"name": "燃气管网", "industries": [industry("urban-gas").pk]}


def member_post(c):
    from anlan.core import units

    return {"unit": units.unit_for(c.town_b).pk, "liaison_name": "赵强", "liaison_phone": "13905509876"}


def liaison_post(c):
    return {"liaison_name": "钱进", "liaison_phone": "13905504321"}


def card_post(c):
    return {
        "month": _today().strftime("%Y-%m"),
        "title": "本月提示卡",
        "tasks": "排查燃气管道",
        "report_by": (_today() + timedelta(days=5)).isoformat(),
    }


def issue_post(c):
    return {"period": "month", "day": (_today() - timedelta(days=40)).isoformat()}


def tag_post(c):
    from anlan.hazards.tests.factories import HazardFactory

    return {"kind": "hazard", "record": HazardFactory(enterprise=c.enterprise_x).pk}


def card_report_post(c):
    return {
        "enterprises_checked": "12",
        "hazards_found": "5",
        "hazards_rectified": "3",
        "text": "已完成检查。",
    }


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
OFFICE = page(403, county_office=200)
OFFICE_POST = page(403, county_office=302)
READ = page(404, county_office=200, dept_housing=200, dept_transport=200, leader=200)
MANAGE = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403)
MANAGE_POST = page(404, county_office=302, dept_housing=403, dept_transport=403, leader=403)
# The housing task: read by the county's supervisors; only 住建局 answers (交通局 is refused by the guard).
ANSWER_GET = page(404, county_office=403, dept_housing=200, dept_transport=302, leader=403)
ANSWER_POST = page(404, county_office=403, dept_housing=302, dept_transport=302, leader=403)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
TASK = page(404, county_office=200, town_a=200, leader=200)
RECIPIENT_POST = page(404, county_office=403, town_a=302, leader=403)
REFUSED = frozenset({"dept_transport"})
# Town A's own member row: the town sees it (it is the unit) but only the 安委办 edits it.
MEMBER = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403, town_a=403)
MEMBER_POST = page(404, county_office=302, dept_housing=403, dept_transport=403, leader=403, town_a=403)

ROUTES = [
    Route("governance:meeting-list", LIST),
    Route("governance:meeting-create", OFFICE),
    _post("governance:meeting-create", OFFICE_POST, meeting_post),
    Route("governance:meeting-detail", READ, kwargs=meeting),
    Route("governance:meeting-edit", MANAGE, kwargs=meeting),
    _post("governance:meeting-edit", MANAGE_POST, meeting_post, kwargs=meeting),
    Route("governance:decision-create", MANAGE, kwargs=meeting),
    _post("governance:decision-create", MANAGE_POST, decision_post, kwargs=meeting),
    Route("governance:decision-task-list", LIST),
    Route("governance:decision-task-export", EXPORT),
    Route("governance:decision-task-detail", READ, kwargs=housing_task),
    _post(
        "governance:decision-task-progress",
        ANSWER_POST,
        completion_post,
        kwargs=housing_task,
        refused=REFUSED,
    ),
    Route("governance:decision-task-report", ANSWER_GET, kwargs=housing_task),
    _post(
        "governance:decision-task-report", ANSWER_POST, completion_post, kwargs=housing_task, refused=REFUSED
    ),
    _post("governance:decision-task-close", MANAGE_POST, lambda c: {}, kwargs=reported),
    _post(
        "governance:decision-task-send-back", MANAGE_POST, lambda c: {"reason": "佐证不全"}, kwargs=reported
    ),
    Route("governance:campaign-list", LIST),
    Route("governance:campaign-create", OFFICE),
    _post("governance:campaign-create", OFFICE_POST, campaign_post),
    Route("governance:campaign-detail", READ, kwargs=a_campaign),
    Route("governance:campaign-area-create", MANAGE, kwargs=a_campaign),
    _post("governance:campaign-area-create", MANAGE_POST, area_post, kwargs=a_campaign),
    Route("governance:campaign-member-create", MANAGE, kwargs=a_campaign),
    _post("governance:campaign-member-create", MANAGE_POST, member_post, kwargs=a_campaign),
    Route("governance:campaign-area-edit", MANAGE, kwargs=an_area),
    _post("governance:campaign-area-edit", MANAGE_POST, area_post, kwargs=an_area),
    Route("governance:campaign-member-edit", MEMBER, kwargs=a_member),
    _post("governance:campaign-member-edit", MEMBER_POST, liaison_post, kwargs=a_member),
    _post(
        "governance:campaign-member-remove", MEMBER_POST, lambda c: {"reason": "机构调整"}, kwargs=a_member
    ),
    _post("governance:campaign-member-restore", MEMBER_POST, lambda c: {}, kwargs=a_removed_member),
    Route("governance:card-create", MANAGE, kwargs=a_campaign),
    _post("governance:card-create", MANAGE_POST, card_post, kwargs=a_campaign),
    _post("governance:campaign-apply-rule", MANAGE_POST, tag_post, kwargs=a_campaign),
    _post("governance:campaign-tag", MANAGE_POST, tag_post, kwargs=a_campaign),
    _post("governance:campaign-issue", MANAGE_POST, issue_post, kwargs=long_campaign),
    Route("governance:campaign-report-download", READ, kwargs=issued),
    Route("governance:card-detail", READ, kwargs=a_card),
    Route("governance:card-received", LIST),
    Route("governance:card-receipt", TASK, kwargs=town_a_card),
    _post("governance:card-confirm", RECIPIENT_POST, lambda c: {}, kwargs=town_a_card),
    _post("governance:card-report", RECIPIENT_POST, card_report_post, kwargs=town_a_card_confirmed),
    Route(
        "governance:card-evidence-file",
        page(404, county_office=200, town_a=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=an_evidence_file,
    ),
    Route("api:governance-meeting-list", api(200)),
    Route(
        "api:governance-meeting-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=meeting,
    ),
    Route("api:governance-decision-task-list", api(200)),
    Route(
        "api:governance-decision-task-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=housing_task,
    ),
    Route("api:governance-campaign-list", api(200)),
    Route(
        "api:governance-campaign-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=a_campaign,
    ),
]


def _audited():
    from anlan.core.models import ReceiptTask, RecordTag, TaggedRecord
    from anlan.governance.models import (
        Campaign,
        CampaignArea,
        CampaignMember,
        CampaignReport,
        CardReport,
        CardReportEvidence,
        Decision,
        DecisionReport,
        DecisionTask,
        Meeting,
        TaskCard,
    )

    return [
        Meeting,
        Decision,
        DecisionTask,
        DecisionReport,
        Campaign,
        CampaignArea,
        CampaignMember,
        TaskCard,
        CardReport,
        CardReportEvidence,
        CampaignReport,
        ReceiptTask,
        RecordTag,
        TaggedRecord,
    ]


AUDITED = _audited()
