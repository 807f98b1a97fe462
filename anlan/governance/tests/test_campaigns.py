"""安委会议定事项 and 专项整治: the pure rules (period arithmetic, overdue, tag-rule matching), the decision loop
(assign → progress → report with evidence → the 安委办 closes or returns; nobody closes their own), the overdue
sweep (once), campaigns with members and liaison phones, monthly cards with receipts and reports, tagging by
rule (idempotent) and by hand, the 月度调度 DOCX from tagged records, the pages and the ledger."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from anlan.core import tags, units
from anlan.core.errors import DomainError
from anlan.core.models import Department, ReceiptTask
from anlan.core.tests.factories import DepartmentFactory, industry
from anlan.governance import rules
from anlan.governance.models import CardReport, DecisionReport, DecisionTask
from anlan.governance.selectors import campaigns as selectors
from anlan.governance.services import campaigns as services
from anlan.governance.services.campaigns import ErrorCode
from anlan.governance.tests.factories_campaigns import (
    campaign,
    card,
    card_task,
    decision,
    housing_task,
    meeting,
    meeting_data,
    reported_task,
    town_a_card_task,
)
from anlan.hazards.tests.factories import HazardFactory
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("kind", "day", "bounds"),
    [
        ("month", date(2026, 2, 14), (date(2026, 2, 1), date(2026, 2, 28))),
        ("month", date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        ("quarter", date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        ("quarter", date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31))),
        ("quarter", date(2026, 4, 1), (date(2026, 4, 1), date(2026, 6, 30))),
        ("quarter", date(2026, 11, 5), (date(2026, 10, 1), date(2026, 12, 31))),
        ("year", date(2026, 7, 1), (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_a_period_is_the_calendar_month_quarter_or_year_containing_the_day(kind, day, bounds):
    assert rules.period_bounds(kind, day) == bounds


@pytest.mark.parametrize(
    ("kind", "day", "start"),
    [
        ("month", date(2026, 3, 15), date(2026, 2, 1)),
        ("month", date(2026, 1, 15), date(2025, 12, 1)),
        ("quarter", date(2026, 5, 1), date(2026, 1, 1)),
        ("quarter", date(2026, 2, 1), date(2025, 10, 1)),
        ("year", date(2026, 2, 1), date(2025, 1, 1)),
    ],
)
def test_the_previous_period_crosses_the_year_boundary(kind, day, start):
    assert rules.previous_period_start(kind, day) == start


@pytest.mark.parametrize(
    ("kind", "start", "label"),
    [
        ("month", date(2026, 3, 1), "2026年3月"),
        ("quarter", date(2026, 1, 1), "2026年第一季度"),
        ("quarter", date(2026, 10, 1), "2026年第四季度"),
        ("year", date(2026, 1, 1), "2026年度"),
    ],
)
def test_a_document_names_its_period_in_chinese(kind, start, label):
    assert rules.period_label(kind, start) == label


def test_an_unknown_period_kind_is_refused():
    with pytest.raises(ValueError):
        rules.period_bounds("week", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("today", "closed", "overdue"),
    [
        (date(2026, 3, 31), False, False),  # the due date itself
        (date(2026, 4, 1), False, True),  # the day after
        (date(2026, 4, 1), True, False),  # closed: never overdue
        (date(2026, 3, 1), False, False),
    ],
)
def test_a_decision_is_overdue_from_the_day_after_its_deadline_unless_closed(today, closed, overdue):
    assert rules.decision_is_overdue(date(2026, 3, 31), closed, today) is overdue


@pytest.mark.parametrize(
    ("due", "ok"), [(date(2026, 3, 9), False), (date(2026, 3, 10), True), (date(2026, 4, 1), True)]
)
def test_a_deadline_is_not_before_the_meeting(due, ok):
    assert rules.decision_due_ok(due, date(2026, 3, 10)) is ok


RULE = rules.TagRule(
    industry_ids=frozenset({7, 8}),
    region_prefix="341122",
    starts_on=date(2026, 3, 1),
    ends_on=date(2026, 5, 31),
)


@pytest.mark.parametrize(
    ("industry_id", "region", "on", "matches"),
    [
        (7, "341122100000", date(2026, 3, 1), True),  # first day
        (8, "341122101001", date(2026, 5, 31), True),  # last day, a village
        (7, "341122100000", date(2026, 2, 28), False),  # before
        (7, "341122100000", date(2026, 6, 1), False),  # after
        (9, "341122100000", date(2026, 4, 1), False),  # another industry
        (None, "341122100000", date(2026, 4, 1), False),  # no industry
        (7, "341103100000", date(2026, 4, 1), False),  # another county
    ],
)
def test_the_tag_rule_needs_the_industry_the_region_and_the_period(industry_id, region, on, matches):
    assert rules.tag_rule_matches(RULE, industry_id=industry_id, region_code=region, on=on) is matches


@pytest.mark.parametrize(
    ("month", "ok"),
    [
        (date(2026, 2, 1), False),
        (date(2026, 3, 1), True),
        (date(2026, 5, 1), True),
        (date(2026, 6, 1), False),
    ],
)
def test_a_card_is_for_a_month_the_campaign_runs_in(month, ok):
    assert rules.card_month_ok(month, date(2026, 3, 15), date(2026, 5, 2)) is ok


@pytest.mark.parametrize(("done", "total", "rate"), [(0, 0, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100)])
def test_the_completion_rate_rounds_down(done, total, rate):
    assert rules.completion_rate(done, total) == rate


# ---------------------------------------------------------------- meetings and decisions


def test_the_office_records_a_meeting_and_assigns_a_decision_to_a_department_and_a_town(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        the_decision = decision(cast)
    assert the_decision.position == 1
    assignees = set(the_decision.tasks.values_list("assignee__name", flat=True))
    assert assignees == {cast.dept_housing.name, "新安镇"}
    assert set(the_decision.tasks.values_list("status", flat=True)) == {DecisionTask.Status.ASSIGNED}
    town_task = the_decision.tasks.get(assignee=units.unit_for(cast.town_a))
    assert town_task.region_id == cast.town_a.code
    assert Notification.objects.filter(recipient=cast["town_a"], kind=services.NOTICE).count() == 1


def test_a_meeting_cannot_be_recorded_before_it_is_held(cast):
    with pytest.raises(DomainError) as error:
        meeting(cast, held_on=timezone.localdate() + timedelta(days=1))
    assert error.value.field == "held_on"


def test_a_department_cannot_record_a_meeting(cast):
    with pytest.raises(PermissionDenied):
        services.record_meeting(actor=cast["dept_housing"], data=meeting_data(cast))


def test_a_deadline_before_the_meeting_is_refused_and_nothing_is_saved(cast):
    the_meeting = meeting(cast)
    with pytest.raises(DomainError) as error:
        decision(cast, the_meeting, due_on=the_meeting.held_on - timedelta(days=1))
    assert error.value.code == ErrorCode.DUE_BEFORE_MEETING
    assert not the_meeting.decisions.exists()


def test_a_decision_needs_an_assignee(cast):
    with pytest.raises(DomainError) as error:
        decision(cast, assignees=[])
    assert error.value.code == ErrorCode.NO_ASSIGNEE


def test_an_enterprise_is_not_an_assignee(cast):
    with pytest.raises(DomainError) as error:
        decision(cast, assignees=[units.unit_for(cast.enterprise_x)])
    assert (error.value.code, error.value.field) == (ErrorCode.UNIT_INVALID, "assignees")


def test_the_assignee_reports_progress_then_completion_and_the_office_closes_it(cast):
    task = housing_task(cast)
    services.report_progress(actor=cast["dept_housing"], task_pk=task.pk, data={"text": "已检查一半。"})
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.ASSIGNED
    services.report_completion(
        actor=cast["dept_housing"], task_pk=task.pk, data={"text": "全部完成。", "evidence": "检查台账"}
    )
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.REPORTED
    assert list(task.reports.values_list("kind", flat=True)) == ["progress", "completion"]
    services.decide_task(actor=cast["county_office"], task_pk=task.pk, step="close")
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.CLOSED and task.closed_at is not None


def test_completion_needs_evidence(cast):
    task = housing_task(cast)
    with pytest.raises(DomainError) as error:
        services.report_completion(actor=cast["dept_housing"], task_pk=task.pk, data={"text": "完成"})
    assert error.value.field == "evidence"
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.ASSIGNED and not task.reports.exists()


def test_another_department_cannot_answer_for_the_assignee(cast):
    task = housing_task(cast)
    with pytest.raises(DomainError) as error:
        services.report_completion(
            actor=cast["dept_transport"], task_pk=task.pk, data={"text": "完成", "evidence": "x"}
        )
    assert error.value.code == ErrorCode.NOT_ASSIGNEE
    assert not DecisionReport.objects.exists()


def test_the_assignee_cannot_close_its_own_task(cast):
    task = reported_task(cast)
    with pytest.raises(PermissionDenied):
        services.decide_task(actor=cast["dept_housing"], task_pk=task.pk, step="close")
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.REPORTED


def test_a_returned_task_is_reported_again(cast, django_capture_on_commit_callbacks):
    task = reported_task(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_task(
            actor=cast["county_office"], task_pk=task.pk, step="send_back", reason="佐证不全"
        )
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.RETURNED
    assert Notification.objects.filter(recipient=cast["dept_housing"], title__contains="退回").exists()
    services.report_completion(
        actor=cast["dept_housing"], task_pk=task.pk, data={"text": "补充材料。", "evidence": "照片"}
    )
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.REPORTED


def test_returning_needs_a_reason(cast):
    task = reported_task(cast)
    with pytest.raises(DomainError):
        services.decide_task(actor=cast["county_office"], task_pk=task.pk, step="send_back", reason="")


def test_town_b_never_sees_town_a_task(cast):
    task = decision(cast).tasks.get(assignee=units.unit_for(cast.town_a))
    assert selectors.access_task(cast["town_a"], task.pk) == task
    with pytest.raises(Http404):
        selectors.access_task(cast["town_b"], task.pk)


def test_the_sweep_flags_an_overdue_task_once_from_the_day_after_its_deadline(cast):
    task = housing_task(cast, assignees=[units.unit_for(cast.dept_housing)])
    due = task.due_on
    assert services.sweep(today=due, now=timezone.now()) == {"overdue": 0}
    assert services.sweep(today=due + timedelta(days=1), now=timezone.now()) == {"overdue": 1}
    assert services.sweep(today=due + timedelta(days=2), now=timezone.now()) == {"overdue": 0}
    task.refresh_from_db()
    assert task.overdue_flagged_on == due + timedelta(days=1)
    assert Notification.objects.filter(recipient=cast["dept_housing"], title__contains="逾期").count() == 1


def test_a_closed_task_is_never_flagged_while_the_other_assignee_is(cast):
    task = reported_task(cast)
    services.decide_task(actor=cast["county_office"], task_pk=task.pk, step="close")
    assert services.sweep(today=task.due_on + timedelta(days=5), now=timezone.now()) == {"overdue": 1}
    task.refresh_from_db()
    assert task.overdue_flagged_on is None
    other = task.decision.tasks.get(assignee=units.unit_for(cast.town_a))
    assert other.overdue_flagged_on == task.due_on + timedelta(days=5)


def test_the_assignee_has_its_open_tasks_as_a_todo_and_the_office_its_reported_ones(cast):
    task = housing_task(cast)
    assert list(selectors.my_open_tasks(cast["dept_housing"])) == [task]
    assert not selectors.my_open_tasks(cast["dept_transport"]).exists()
    assert not selectors.tasks_to_confirm(cast["county_office"]).exists()
    services.report_completion(
        actor=cast["dept_housing"], task_pk=task.pk, data={"text": "完成", "evidence": "x"}
    )
    assert not selectors.my_open_tasks(cast["dept_housing"]).exists()
    assert list(selectors.tasks_to_confirm(cast["county_office"])) == [task]


# ---------------------------------------------------------------- campaigns and cards


def test_a_campaign_owns_a_tag_of_its_office_and_lists_its_members(cast):
    the_campaign = campaign(cast)
    assert the_campaign.tag.owner_unit == units.committee_office_for(cast.county)
    assert selectors.members_of(the_campaign).count() == 2


def test_a_campaign_ends_after_it_starts(cast):
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        campaign(cast, members=False, starts_on=today, ends_on=today - timedelta(days=1))
    assert error.value.field == "ends_on"


def test_a_member_is_added_once_with_a_valid_phone(cast):
    the_campaign = campaign(cast)
    data = {"unit": units.unit_for(cast.town_b), "liaison_name": "赵强", "liaison_phone": "12345"}
    with pytest.raises(DomainError) as error:
        services.add_member(actor=cast["county_office"], campaign_pk=the_campaign.pk, data=data)
    assert error.value.field == "liaison_phone"
    data["unit"] = units.unit_for(cast.town_a)
    data["liaison_phone"] = "13905509876"
    with pytest.raises(DomainError) as error:
        services.add_member(actor=cast["county_office"], campaign_pk=the_campaign.pk, data=data)
    assert error.value.code == ErrorCode.MEMBER_TWICE


def test_a_card_goes_to_every_member_for_receipt(cast):
    the_card = card(cast)
    recipients = set(selectors.card_tasks(the_card).values_list("recipient_unit__name", flat=True))
    assert recipients == {cast.dept_housing.name, "新安镇"}


def test_one_card_per_month(cast):
    the_campaign = campaign(cast)
    card(cast, the_campaign)
    with pytest.raises(DomainError) as error:
        card(cast, the_campaign)
    assert error.value.code == ErrorCode.CARD_TWICE


def test_a_card_outside_the_campaign_is_refused(cast):
    the_campaign = campaign(cast)
    with pytest.raises(DomainError) as error:
        card(cast, the_campaign, month=the_campaign.ends_on + timedelta(days=40))
    assert error.value.code == ErrorCode.CARD_MONTH


def test_a_campaign_without_members_sends_no_card(cast):
    with pytest.raises(DomainError) as error:
        card(cast, campaign(cast, members=False))
    assert error.value.code == ErrorCode.NO_MEMBER


def test_a_member_confirms_then_reports_and_a_second_report_updates_the_first(cast):
    task = town_a_card_task(cast)
    data = {"enterprises_checked": 12, "hazards_found": 5, "hazards_rectified": 3, "text": "已完成。"}
    with pytest.raises(DomainError) as error:
        services.report_card(actor=cast["town_a"], task_pk=task.pk, data=data)
    assert error.value.code == ErrorCode.NOT_CONFIRMED
    services.confirm_card(actor=cast["town_a"], task_pk=task.pk)
    services.report_card(actor=cast["town_a"], task_pk=task.pk, data=data)
    services.report_card(actor=cast["town_a"], task_pk=task.pk, data={**data, "hazards_rectified": 5})
    assert CardReport.objects.get().hazards_rectified == 5


def test_more_rectified_than_found_is_refused(cast):
    task = town_a_card_task(cast, confirmed=True)
    with pytest.raises(DomainError) as error:
        services.report_card(
            actor=cast["town_a"],
            task_pk=task.pk,
            data={"enterprises_checked": 1, "hazards_found": 2, "hazards_rectified": 3, "text": "x"},
        )
    assert error.value.field == "hazards_rectified"
    assert not CardReport.objects.exists()


def test_town_b_cannot_open_or_answer_town_a_card(cast):
    task = town_a_card_task(cast)
    with pytest.raises(Http404):
        services.confirm_card(actor=cast["town_b"], task_pk=task.pk)


def test_a_member_has_its_unreported_cards_as_a_todo(cast):
    task = town_a_card_task(cast, confirmed=True)
    assert list(selectors.cards_to_report(cast["town_a"])) == [task]
    services.report_card(
        actor=cast["town_a"],
        task_pk=task.pk,
        data={"enterprises_checked": 1, "hazards_found": 0, "hazards_rectified": 0, "text": "x"},
    )
    assert not selectors.cards_to_report(cast["town_a"]).exists()


# ---------------------------------------------------------------- tags


def test_the_rule_tags_matching_hazards_once_and_leaves_the_rest(cast):
    the_campaign = campaign(cast)
    inside = HazardFactory(enterprise=cast.enterprise_x)  # construction, in the county, found 10 days ago
    other_industry = HazardFactory(enterprise=cast.enterprise_y)  # hazardous chemicals
    before = HazardFactory(enterprise=cast.enterprise_x, found_on=the_campaign.starts_on - timedelta(days=1))
    assert services.apply_tag_rule(actor=cast["county_office"], campaign_pk=the_campaign.pk) == {
        "hazards": 1,
        "inspections": 0,
    }
    assert services.apply_tag_rule(actor=cast["county_office"], campaign_pk=the_campaign.pk)["hazards"] == 0
    tagged = set(selectors.tagged_hazards(cast["county_office"], the_campaign).values_list("pk", flat=True))
    assert tagged == {inside.pk}
    assert other_industry.pk not in tagged and before.pk not in tagged


def test_the_sweep_tags_as_the_campaign_creator_and_is_idempotent(cast):
    the_campaign = campaign(cast)
    HazardFactory(enterprise=cast.enterprise_x)
    today = timezone.localdate()
    assert services.tag_sweep(today=today, now=timezone.now())["hazards"] == 1
    assert services.tag_sweep(today=today, now=timezone.now())["hazards"] == 0
    assert selectors.tagged_counts(cast["county_office"], the_campaign)["hazards"] == 1


def test_a_hazard_is_tagged_and_untagged_by_hand(cast):
    the_campaign = campaign(cast)
    hazard = HazardFactory(enterprise=cast.enterprise_y)
    services.tag_by_hand(
        actor=cast["county_office"], campaign_pk=the_campaign.pk, kind="hazard", record_pk=hazard.pk
    )
    assert selectors.tagged_counts(cast["county_office"], the_campaign)["hazards"] == 1
    services.tag_by_hand(
        actor=cast["county_office"],
        campaign_pk=the_campaign.pk,
        kind="hazard",
        record_pk=hazard.pk,
        remove=True,
    )
    assert selectors.tagged_counts(cast["county_office"], the_campaign)["hazards"] == 0


def test_a_department_cannot_use_the_campaign_tag(cast):
    the_campaign = campaign(cast)
    hazard = HazardFactory(enterprise=cast.enterprise_x)
    with pytest.raises(DomainError):
        tags.tag(actor=cast["dept_housing"], tag=the_campaign.tag, record=hazard)


# ---------------------------------------------------------------- 月度调度 DOCX


def _issuing_campaign(cast):
    DepartmentFactory(name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE)
    today = timezone.localdate()
    return campaign(cast, starts_on=today - timedelta(days=400), ends_on=today + timedelta(days=30))


def test_the_monthly_dispatch_counts_the_tagged_hazards_of_the_month_and_the_card_reports(cast):
    the_campaign = _issuing_campaign(cast)
    last_month_day = timezone.localdate() - timedelta(days=40)
    start, end = rules.period_bounds("month", last_month_day)
    HazardFactory(enterprise=cast.enterprise_x, found_on=start, due_on=start + timedelta(days=3))  # overdue
    HazardFactory(enterprise=cast.enterprise_x, found_on=end, status="closed", closed_on=end)
    HazardFactory(enterprise=cast.enterprise_x, found_on=end + timedelta(days=1))  # next month
    services.apply_tag_rule(actor=cast["county_office"], campaign_pk=the_campaign.pk)
    the_card = card(cast, the_campaign, month=start, report_by=end)
    task = card_task(the_card, units.unit_for(cast.town_a))
    services.confirm_card(actor=cast["town_a"], task_pk=task.pk)
    services.report_card(
        actor=cast["town_a"],
        task_pk=task.pk,
        data={"enterprises_checked": 3, "hazards_found": 2, "hazards_rectified": 1, "text": "x"},
    )
    report = services.issue_report(
        actor=cast["county_office"], campaign_pk=the_campaign.pk, period="month", day=last_month_day
    )
    figures = report.figures
    assert (figures["hazards_found"], figures["hazards_closed"], figures["hazards_overdue"]) == (2, 1, 1)
    assert (figures["cards"], figures["sent"], figures["reported"]) == (1, 2, 1)
    assert "通〔" in report.document.number and report.document.number.endswith("1号")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.document.file.read())).paragraphs)
    assert "纳入统计的隐患2项" in text and "逾期未整改1项" in text
    assert cast.dept_housing.name in text  # the unit that has not reported is named
    with pytest.raises(DomainError) as error:
        services.issue_report(
            actor=cast["county_office"], campaign_pk=the_campaign.pk, period="month", day=last_month_day
        )
    assert error.value.code == ErrorCode.REPORT_TWICE


def test_a_period_still_running_is_not_reported(cast):
    the_campaign = _issuing_campaign(cast)
    with pytest.raises(DomainError) as error:
        services.issue_report(
            actor=cast["county_office"], campaign_pk=the_campaign.pk, period="month", day=timezone.localdate()
        )
    assert error.value.code == ErrorCode.PERIOD_NOT_ENDED


# ---------------------------------------------------------------- pages


def test_the_pages_show_meetings_tasks_and_campaigns(cast, as_user):
    the_decision = decision(cast)
    the_campaign = campaign(cast)
    client = as_user(cast["county_office"])
    assert "县安委会2026年第一次全体会议" in client.get(reverse("governance:meeting-list")).content.decode()
    detail = client.get(reverse("governance:meeting-detail", args=[the_decision.meeting_id])).content.decode()
    assert cast.dept_housing.name in detail and "办理中" in detail
    assert (
        "城镇燃气安全专项整治"
        in client.get(reverse("governance:campaign-detail", args=[the_campaign.pk])).content.decode()
    )


def test_the_assignee_sees_the_report_button_and_the_office_does_not(cast, as_user):
    task = housing_task(cast)
    url = reverse("governance:decision-task-detail", args=[task.pk])
    report_url = reverse("governance:decision-task-report", args=[task.pk])
    assert report_url in as_user(cast["dept_housing"]).get(url).content.decode()
    assert report_url not in as_user(cast["county_office"]).get(url).content.decode()


def test_a_completion_posted_on_the_page_moves_the_task(cast, as_user):
    task = housing_task(cast)
    response = as_user(cast["dept_housing"]).post(
        reverse("governance:decision-task-report", args=[task.pk]), {"text": "完成", "evidence": "台账"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == DecisionTask.Status.REPORTED


def test_a_bad_deadline_on_the_form_names_the_field(cast, as_user):
    the_meeting = meeting(cast)
    response = as_user(cast["county_office"]).post(
        reverse("governance:decision-create", args=[the_meeting.pk]),
        {
            "text": "x",
            "due_on": (the_meeting.held_on - timedelta(days=1)).isoformat(),
            "assignees": [units.unit_for(cast.town_a).pk],
        },
    )
    assert response.status_code == 200
    assert "完成时限不能早于会议日期" in response.content.decode()


def test_the_ledger_lists_each_task_with_its_overdue_mark(cast, as_user):
    housing_task(cast, due_on=timezone.localdate() - timedelta(days=1))
    response = as_user(cast["county_office"]).get(reverse("governance:decision-task-export"))
    assert response.status_code == 200
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
        ).active.values
    )
    body = [row for row in rows if cast.dept_housing.name in row or "新安镇" in row]
    assert len(body) == 2
    assert all("是" in row for row in body)


def test_the_card_page_shows_who_reported(cast, as_user):
    task = town_a_card_task(cast, confirmed=True)
    services.report_card(
        actor=cast["town_a"],
        task_pk=task.pk,
        data={"enterprises_checked": 4, "hazards_found": 1, "hazards_rectified": 1, "text": "x"},
    )
    the_card = selectors.card_of(task)
    page = (
        as_user(cast["county_office"])
        .get(reverse("governance:card-detail", args=[the_card.pk]))
        .content.decode()
    )
    assert "已报送 1/2" in page and "未报送" in page


def test_the_member_unit_reports_on_its_card_page(cast, as_user):
    task = town_a_card_task(cast, confirmed=True)
    response = as_user(cast["town_a"]).post(
        reverse("governance:card-report", args=[task.pk]),
        {"enterprises_checked": "4", "hazards_found": "2", "hazards_rectified": "1", "text": "完成"},
    )
    assert response.status_code == 302
    assert CardReport.objects.get().hazards_found == 2
    assert ReceiptTask.objects.get(pk=task.pk).status == ReceiptTask.Status.CONFIRMED


def test_industries_of_the_campaign_areas_make_the_rule(cast):
    the_campaign = campaign(cast)
    rule = selectors.tag_rule(the_campaign)
    assert rule.industry_ids == {industry("urban-gas").pk, industry("construction").pk}
    assert rule.region_prefix == "341122"
