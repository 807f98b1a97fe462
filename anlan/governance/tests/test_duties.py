"""两个清单: the 责任清单's review flow and versions, the 工作任务's evidence and confirmation, the overdue 待办 and
sweep, the 照单追责 view of an accident, the 监管盲区, the pages, the ledger and the API."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from anlan.core import units
from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, industry
from anlan.governance.models import DutyItem, DutyList, TaskEvidence, WorkTask
from anlan.governance.selectors import duties as selectors
from anlan.governance.services import duties as services
from anlan.governance.tests import factories_duties as f
from anlan.notifications.models import Notification

NOON = datetime(2026, 12, 4, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


# ---------------------------------------------------------------- 责任清单


def test_a_department_drafts_submits_and_the_office_approves_its_list(cast):
    duty_list = f.approved(cast)
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.APPROVED
    assert duty_list.reviewed_by == cast["county_office"]
    assert duty_list.owner_unit == units.unit_for(cast.dept_housing)
    assert duty_list.history.count() == 3


def test_an_approved_list_cannot_be_edited(cast):
    duty_list = f.approved(cast)
    with pytest.raises(DomainError) as error:
        services.add_item(actor=cast["dept_housing"], list_pk=duty_list.pk, data=f.item_data(cast))
    assert error.value.code == services.ErrorCode.NOT_EDITABLE
    assert duty_list.items.count() == 1


def test_a_list_without_duties_cannot_be_submitted(cast):
    duty_list = f.draft(cast, items=0)
    with pytest.raises(DomainError) as error:
        services.move_list(actor=cast["dept_housing"], list_pk=duty_list.pk, transition="submit")
    assert error.value.code == services.ErrorCode.NO_ITEMS


def test_nobody_approves_the_list_of_their_own_unit(cast):
    both = cast["county_office"]
    MembershipFactory(user=both, role=Role.DEPARTMENT, department=cast.dept_housing)
    duty_list = f.submitted(cast)
    with pytest.raises(DomainError) as error:
        services.move_list(actor=both, list_pk=duty_list.pk, transition="approve")
    assert error.value.code == "duty_list_own"
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SUBMITTED


def test_a_department_cannot_approve_its_list(cast):
    duty_list = f.submitted(cast)
    with pytest.raises(Exception) as error:
        services.move_list(actor=cast["dept_housing"], list_pk=duty_list.pk, transition="approve")
    assert type(error.value).__name__ == "PermissionDenied"


def test_a_returned_list_carries_the_reason_and_can_be_corrected_and_resubmitted(cast):
    duty_list = f.submitted(cast)
    services.move_list(
        actor=cast["county_office"], list_pk=duty_list.pk, transition="return", reason="缺少燃气职责"
    )
    duty_list.refresh_from_db()
    assert (duty_list.status, duty_list.review_note) == (DutyList.Status.RETURNED, "缺少燃气职责")
    services.add_item(
        actor=cast["dept_housing"], list_pk=duty_list.pk, data=f.item_data(cast, text="城镇燃气")
    )
    services.move_list(actor=cast["dept_housing"], list_pk=duty_list.pk, transition="submit")
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SUBMITTED
    assert duty_list.items.count() == 2


def test_returning_needs_a_reason(cast):
    duty_list = f.submitted(cast)
    with pytest.raises(DomainError):
        services.move_list(actor=cast["county_office"], list_pk=duty_list.pk, transition="return", reason=" ")
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SUBMITTED


def test_a_revision_is_a_new_version_copying_the_items_and_the_approved_one_stays(cast):
    source = f.approved(cast, items=2)
    revised = services.revise_list(actor=cast["dept_housing"], list_pk=source.pk)
    assert (revised.version, revised.previous, revised.status) == (2, source, DutyList.Status.DRAFT)
    assert list(revised.items.values_list("text", flat=True)) == list(
        source.items.values_list("text", flat=True)
    )
    assert list(revised.items.first().industries.all()) == [industry("construction")]
    services.add_item(actor=cast["dept_housing"], list_pk=revised.pk, data=f.item_data(cast, text="新增"))
    assert source.items.count() == 2
    with pytest.raises(DomainError) as error:
        services.revise_list(actor=cast["dept_housing"], list_pk=source.pk)
    assert error.value.code == services.ErrorCode.OPEN_VERSION


def test_the_yearly_revision_starts_the_next_year_at_version_one(cast):
    source = f.approved(cast)
    revised = services.revise_list(actor=cast["dept_housing"], list_pk=source.pk, year=2027)
    assert (revised.year, revised.version) == (2027, 1)


def test_a_second_list_for_the_same_holder_and_year_is_refused(cast):
    f.draft(cast)
    with pytest.raises(DomainError) as error:
        f.draft(cast)
    assert error.value.code == services.ErrorCode.LIST_EXISTS


def test_a_department_cannot_draft_another_departments_list(cast):
    with pytest.raises(DomainError) as error:
        services.draft_list(
            actor=cast["dept_transport"], data={"holder_unit": f.housing_unit(cast), "year": 2026}
        )
    assert (error.value.code, error.value.field) == (services.ErrorCode.HOLDER_INVALID, "holder_unit")
    assert not DutyList.objects.exists()


def test_the_office_drafts_a_leaders_list_and_the_leader_sees_it(cast):
    duty_list = services.draft_list(
        actor=cast["county_office"],
        data={"holder_user": cast["leader"], "holder_post": "分管副县长", "year": 2026},
    )
    assert duty_list.owner_unit == units.committee_office_for(cast.county)
    assert DutyList.objects.for_user(cast["leader"]).filter(pk=duty_list.pk).exists()
    assert not DutyList.objects.for_user(cast["town_a"]).filter(pk=duty_list.pk).exists()


def test_an_item_region_outside_the_holders_region_is_refused(cast):
    town_list = services.draft_list(
        actor=cast["town_a"], data={"holder_unit": units.unit_for(cast.town_a), "year": 2026}
    )
    with pytest.raises(DomainError) as error:
        services.add_item(
            actor=cast["town_a"],
            list_pk=town_list.pk,
            data=f.item_data(cast, industries=[], regions=[cast.town_b]),
        )
    assert (error.value.code, error.value.field) == (services.ErrorCode.REGION_INVALID, "regions")
    assert not DutyItem.objects.exists()


# ---------------------------------------------------------------- 工作任务


def test_a_task_due_outside_its_year_is_refused(cast):
    with pytest.raises(DomainError) as error:
        f.task(cast, due_on=date(2027, 1, 1), year=2026)
    assert (error.value.code, error.value.field) == (services.ErrorCode.DUE_OUT_OF_YEAR, "due_on")
    assert not WorkTask.objects.exists()


def test_a_completion_cannot_be_reported_without_evidence(cast):
    task = f.task(cast)
    with pytest.raises(DomainError) as error:
        services.move_task(actor=cast["dept_housing"], task_pk=task.pk, transition="report", note="完成")
    assert error.value.code == "duty_task_no_evidence"
    task.refresh_from_db()
    assert task.status == WorkTask.Status.NOT_STARTED


def test_the_office_confirms_a_reported_task_with_its_reported_date(cast):
    task = f.confirmed(cast)
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.confirmed_by) == (
        WorkTask.Status.DONE,
        date(2026, 12, 4),
        cast["county_office"],
    )


def test_nobody_confirms_their_own_units_task(cast):
    both = cast["county_office"]
    MembershipFactory(user=both, role=Role.DEPARTMENT, department=cast.dept_housing)
    task = f.reported(cast)
    with pytest.raises(DomainError) as error:
        services.move_task(actor=both, task_pk=task.pk, transition="confirm")
    assert error.value.code == "duty_task_own"
    task.refresh_from_db()
    assert task.status == WorkTask.Status.REPORTED


def test_another_unit_cannot_report_for_the_task_unit(cast):
    task = f.with_evidence(cast)
    with pytest.raises(DomainError) as error:
        services.move_task(actor=cast["county_office"], task_pk=task.pk, transition="report", note="代报")
    assert error.value.code == "duty_task_not_unit"


def test_a_returned_task_goes_back_to_in_progress_and_loses_its_report_date(cast):
    task = f.reported(cast)
    services.move_task(actor=cast["county_office"], task_pk=task.pk, transition="return", reason="照片不清")
    task.refresh_from_db()
    assert (task.status, task.reported_on) == (WorkTask.Status.IN_PROGRESS, None)


def test_evidence_can_link_a_record_the_unit_can_see_by_its_page_link(cast):
    from anlan.hazards.tests.factories import HazardFactory

    hazard = HazardFactory(enterprise=cast.enterprise_x)
    task = f.task(cast)
    link = "https://anlan.example.cn" + reverse("hazards:hazard-detail", args=[hazard.pk])
    evidence = services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, link=link)
    assert (evidence.record_id, evidence.record_title) == (hazard.pk, str(hazard))
    shown = selectors.evidence_of(task, cast["dept_housing"])
    assert shown[0].url == reverse("hazards:hazard-detail", args=[hazard.pk])


def test_evidence_cannot_link_a_record_out_of_sight(cast):
    from anlan.hazards.tests.factories import HazardFactory

    hazard = HazardFactory(enterprise=cast.enterprise_y)  # hazardous chemicals: not the 住建局's industry
    task = f.task(cast)
    for link in (reverse("hazards:hazard-detail", args=[hazard.pk]), "/governance/tasks/", "not a link"):
        with pytest.raises(DomainError) as error:
            services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, link=link)
        assert (error.value.code, error.value.field) == (services.ErrorCode.RECORD_INVALID, "link")
    assert not TaskEvidence.objects.exists()


def test_a_file_that_is_not_a_picture_or_pdf_is_refused(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = f.task(cast)
    with pytest.raises(DomainError) as error:
        services.add_evidence(
            actor=cast["dept_housing"], task_pk=task.pk, upload=SimpleUploadedFile("x.html", b"<html>")
        )
    assert error.value.field == "file"
    assert not TaskEvidence.objects.exists()


def test_overdue_tasks_are_the_units_todo_and_counted_for_the_office(cast):
    late = f.task(cast, due_on=date(2026, 12, 3))
    f.task(cast, due_on=date(2026, 12, 4))
    assert list(selectors.my_overdue_tasks(cast["dept_housing"])) == [late]
    assert list(selectors.my_overdue_tasks(cast["dept_transport"])) == []
    assert selectors.overdue_tasks(cast["county_office"]).count() == 1
    assert selectors.overdue_tasks(cast["town_a"]).count() == 0


def test_a_completion_reported_in_time_is_not_overdue_while_it_waits(cast):
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        f.reported(cast, due_on=date(2026, 12, 3))
    assert selectors.overdue_tasks(cast["county_office"]).count() == 0
    assert selectors.reports_to_confirm(cast["county_office"]).count() == 1
    assert selectors.reports_to_confirm(cast["dept_housing"]).count() == 0


def test_the_sweep_tells_the_unit_once_per_overdue_task(cast):
    f.task(cast, due_on=date(2026, 12, 1))
    first = services.run_sweep(today=date(2026, 12, 4), now=NOON)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):  # the next run
        second = services.run_sweep(today=date(2026, 12, 4), now=NOON + timedelta(hours=1))
    assert (first["overdue_task_notices"], second["overdue_task_notices"]) == (1, 0)
    assert Notification.objects.filter(recipient=cast["dept_housing"], kind=services.NOTICE).count() == 1


# ---------------------------------------------------------------- 照单追责


def _accident_on(cast, day: date):
    from anlan.accidents.tests.factories import report

    return report(
        cast, occurred_at=datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )


def test_the_accountability_view_lists_the_covering_holders_and_their_tasks_on_the_accident_day(
    cast, as_user
):
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        f.approved(cast)
        f.confirmed(cast, due_on=date(2026, 6, 30), title="上半年建筑施工检查")
        f.task(cast, due_on=date(2026, 9, 30), title="三季度燃气检查")
        f.task(cast, due_on=date(2026, 12, 31), title="年终考核准备")
        transport = services.draft_list(
            actor=cast["dept_transport"],
            data={"holder_unit": units.unit_for(cast.dept_transport), "year": 2026},
        )
        services.add_item(
            actor=cast["dept_transport"],
            list_pk=transport.pk,
            data=f.item_data(cast, industries=[industry("road-transport")]),
        )
    accident = _accident_on(cast, date(2026, 11, 1))
    response = as_user(cast["county_office"]).get(reverse("governance:accident-duties", args=[accident.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.duty_list.holder_unit for row in rows] == [units.unit_for(cast.dept_housing)]
    outcomes = {row.task.title: row.outcome for row in rows[0].tasks}
    assert outcomes == {
        "上半年建筑施工检查": "done_on_time",
        "三季度燃气检查": "overdue_at_accident",
        "年终考核准备": "not_yet_due",
    }
    done = next(row for row in rows[0].tasks if row.outcome == "done_on_time")
    assert [e.title for e in done.evidence] == ["现场照片.png"]
    assert "上半年建筑施工检查" in response.content.decode()


def test_a_list_approved_after_the_accident_does_not_count(cast, as_user):
    accident = _accident_on(cast, date(2026, 11, 1))
    f.approved(cast)
    response = as_user(cast["county_office"]).get(reverse("governance:accident-duties", args=[accident.pk]))
    assert response.context["rows"] == []
    assert 'data-testid="empty"' in response.content.decode()


def test_the_accident_page_links_the_accountability_view(cast, as_user):
    accident = _accident_on(cast, date(2026, 11, 1))
    page = as_user(cast["county_office"]).get(reverse("accidents:accident-detail", args=[accident.pk]))
    assert reverse("governance:accident-duties", args=[accident.pk]) in page.content.decode()


# ---------------------------------------------------------------- 监管盲区


def test_blind_spots_list_industries_enterprises_and_open_hazards_with_no_department(cast, as_user):
    from anlan.hazards.tests.factories import HazardFactory

    HazardFactory(enterprise=cast.enterprise_y)
    HazardFactory(enterprise=cast.enterprise_x)
    office = cast["county_office"]
    assert list(selectors.blind_enterprises(office)) == [cast.enterprise_y]
    assert [row["industry__code"] for row in selectors.blind_industries(office)] == ["hazchem-production"]
    assert [h.enterprise for h in selectors.blind_hazards(office)] == [cast.enterprise_y]
    client = as_user(office)
    for show in ("industries", "enterprises", "hazards"):
        response = client.get(reverse("governance:blind-spots"), {"show": show})
        assert response.status_code == 200
        assert 'data-testid="empty"' not in response.content.decode()


def test_a_department_holding_the_industry_closes_the_blind_spot(cast):
    cast.dept_transport.industries.add(industry("hazchem-production"))
    assert list(selectors.blind_enterprises(cast["county_office"])) == []


# ---------------------------------------------------------------- pages, ledger, API


def test_the_item_form_names_the_field_it_refuses(cast, as_user):
    town_list = services.draft_list(
        actor=cast["town_a"], data={"holder_unit": units.unit_for(cast.town_a), "year": 2026}
    )
    response = as_user(cast["town_a"]).post(
        reverse("governance:item-create", args=[town_list.pk]), {"category": "territorial", "text": " "}
    )
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not DutyItem.objects.exists()


def test_the_list_page_shows_the_review_buttons_only_to_the_office(cast, as_user, client):
    duty_list = f.submitted(cast)
    url = reverse("governance:list-detail", args=[duty_list.pk])
    office = as_user(cast["county_office"]).get(url).content.decode()
    assert reverse("governance:list-approve", args=[duty_list.pk]) in office
    client.force_login(cast["dept_housing"])
    own = client.get(url).content.decode()
    assert reverse("governance:list-approve", args=[duty_list.pk]) not in own


def test_the_task_page_takes_evidence_and_the_report(cast, as_user):
    task = f.task(cast)
    client = as_user(cast["dept_housing"])
    response = client.post(
        reverse("governance:evidence-add", args=[task.pk]), {"file": f.png(), "note": "照片"}
    )
    assert response.status_code == 302
    response = client.post(reverse("governance:task-report", args=[task.pk]), {"note": "检查完毕"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.report_note) == (WorkTask.Status.REPORTED, "检查完毕")
    file_url = reverse("governance:evidence-file", args=[task.evidence.get().pk])
    served = client.get(file_url)
    assert (served.status_code, served["Content-Type"], served["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )


def test_the_task_list_shows_overdue_and_filters_on_it(cast, as_user):
    f.task(cast, due_on=date(2026, 12, 1), title="逾期任务")
    f.task(cast, due_on=date(2026, 12, 30), title="未到期任务")
    client = as_user(cast["county_office"])
    page = client.get(reverse("governance:task-list"), {"overdue": "true"}).content.decode()
    assert "逾期任务" in page and "未到期任务" not in page
    assert "逾期</span>" in page


def test_the_task_ledger_has_a_row_per_task_with_dates_and_derived_status(cast, as_user):
    f.confirmed(cast, due_on=date(2026, 6, 30), title="上半年检查")
    f.task(cast, due_on=date(2026, 12, 1), title="燃气检查")
    response = as_user(cast["county_office"]).get(reverse("governance:task-export"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    assert sheet["A1"].value.startswith("工作任务清单台账")
    header = [cell.value for cell in sheet[3]]
    assert header[:4] == ["序号", "年度", "承担单位", "任务名称"]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["上半年检查"][7] == "已完成"
    assert rows["燃气检查"][7] == "逾期"
    assert rows["上半年检查"][6].date() == date(2026, 6, 30)


def test_the_api_gives_tasks_with_their_shown_status_in_scope(cast, client):
    task = f.task(cast, due_on=date(2026, 12, 1))
    client.force_login(cast["dept_transport"])
    body = client.get(reverse("api:governance-task-list")).json()
    assert [row["shown_status"] for row in body["results"]] == ["overdue"]
    client.force_login(cast["town_a"])
    assert client.get(reverse("api:governance-task-detail", args=[task.pk])).status_code == 404
