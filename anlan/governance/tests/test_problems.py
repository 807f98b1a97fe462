"""督查问题, 两书一函 and 问责: the rules at every boundary, the services' loop (nobody closes their own problem),
scope (a department sees only its own unit's), the overdue sweep, statistics, the ledger and the pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core.errors import DomainError
from anlan.core.models import Membership
from anlan.core.rules import RuleViolation
from anlan.governance import rules
from anlan.governance.models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from anlan.governance.selectors import problems as selectors
from anlan.governance.services import problems as services
from anlan.governance.tests import factories_problems as f
from anlan.notifications.models import Notification

D = date(2026, 3, 10)

# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "due, ok",
    [(D - timedelta(days=1), False), (D, True), (D + timedelta(days=1), True)],
    ids=["day-before-found", "same-day", "day-after"],
)
def test_a_problems_deadline_is_not_before_it_was_found(due, ok):
    if ok:
        rules.check_problem_dates(D, due)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_problem_dates(D, due)
        assert caught.value.field == "due_on"


DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    "plan_due, field",
    [
        (D - timedelta(days=1), "plan_due_on"),
        (D, None),
        (DUE, None),
        (DUE + timedelta(days=1), "plan_due_on"),
    ],
    ids=["before-found", "found-day", "deadline", "day-after-deadline"],
)
def test_a_plan_cannot_give_the_assignee_more_time_than_the_issuer(plan_due, field):
    if field is None:
        rules.check_plan_due_on(plan_due, D, DUE)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_plan_due_on(plan_due, D, DUE)
        assert caught.value.field == field


@pytest.mark.parametrize(
    "today, closed_on, overdue",
    [
        (DUE, None, False),
        (DUE + timedelta(days=1), None, True),
        (DUE + timedelta(days=9), DUE, False),
        (DUE + timedelta(days=9), DUE + timedelta(days=1), True),
        (DUE - timedelta(days=3), None, False),
    ],
    ids=["open-on-deadline", "open-day-after", "closed-on-deadline", "closed-day-after", "open-before"],
)
def test_a_problem_is_overdue_from_the_day_after_its_deadline(today, closed_on, overdue):
    assert rules.problem_is_overdue(DUE, today, closed_on) is overdue
    assert rules.problem_closed_on_time(DUE, closed_on) is (closed_on is not None and not overdue)


def test_days_overdue_count_from_the_deadline_and_never_go_negative():
    assert rules.problem_days_overdue(DUE, DUE) == 0
    assert rules.problem_days_overdue(DUE, DUE + timedelta(days=4)) == 4
    assert rules.problem_days_overdue(DUE, DUE - timedelta(days=4)) == 0


@pytest.mark.parametrize(
    "on_time, due, rate",
    [(0, 0, None), (0, 3, 0.0), (1, 3, 33.3), (2, 3, 66.7), (3, 3, 100.0)],
    ids=["nothing-due", "none", "third", "two-thirds", "all"],
)
def test_the_on_time_rate_is_a_percentage_with_one_decimal(on_time, due, rate):
    assert rules.on_time_rate(on_time, due) == rate


@pytest.mark.parametrize(
    "today, replied_on, late",
    [
        (DUE, None, False),
        (DUE + timedelta(days=1), None, True),
        (DUE + timedelta(days=5), DUE, False),
        (DUE + timedelta(days=5), DUE + timedelta(days=1), True),
    ],
    ids=["deadline-day", "day-after", "replied-on-deadline", "replied-late"],
)
def test_a_letters_reply_is_late_from_the_day_after_its_deadline(today, replied_on, late):
    assert rules.letter_reply_is_overdue(DUE, today, replied_on) is late


@pytest.mark.parametrize(
    "decided_on, ok", [(D, True), (D - timedelta(days=30), True), (D + timedelta(days=1), False)]
)
def test_an_accountability_measure_is_not_dated_in_the_future(decided_on, ok):
    if ok:
        rules.check_decided_on(decided_on, D)
    else:
        with pytest.raises(RuleViolation):
            rules.check_decided_on(decided_on, D)


# ---------------------------------------------------------------- the loop


def test_the_office_assigns_a_problem_and_the_assignees_members_are_told(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = f.problem(cast)
    assert problem.status == Problem.Status.ASSIGNED
    assert problem.position == 1
    assert problem.region_id == cast.county.pk
    assert problem.history.count() == 1
    assert Notification.objects.filter(recipient=cast["dept_housing"], kind=services.NOTICE).count() == 1
    assert not Notification.objects.filter(recipient=cast["dept_transport"]).exists()


def test_the_whole_loop_plan_report_close_out(cast):
    problem = f.reported(cast)
    assert problem.status == Problem.Status.REPORTED
    assert problem.evidence.name.endswith(".pdf")
    assert problem.systemic_measure
    services.close_out(actor=cast["county_office"], problem_pk=problem.pk)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert problem.closed_on == timezone.localdate()
    reasons = list(problem.history.order_by("history_id").values_list("history_user__username", flat=True))
    assert reasons == ["county_office", "dept_housing", "dept_housing", "county_office"]


def test_the_assignee_can_never_close_out_its_own_problem(cast):
    problem = f.reported(cast)
    rows = problem.history.count()
    with pytest.raises(PermissionDenied):
        services.close_out(actor=cast["dept_housing"], problem_pk=problem.pk)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.REPORTED
    assert problem.history.count() == rows


def test_the_issuer_cannot_plan_for_the_assignee(cast):
    problem = f.problem(cast)
    with pytest.raises(DomainError) as caught:
        services.submit_plan(actor=cast["county_office"], problem_pk=problem.pk, data=f.plan_data(problem))
    assert caught.value.code == "problem_not_assignee"
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ASSIGNED and problem.plan_measures == ""


def test_another_department_does_not_see_the_problem(cast):
    problem = f.problem(cast)
    with pytest.raises(Http404):
        selectors.access_problem(cast["dept_transport"], problem.pk)
    with pytest.raises(Http404):
        selectors.access_problem(cast["town_a"], problem.pk)
    assert not selectors.problem_list(cast["dept_transport"]).exists()
    assert list(selectors.problem_list(cast["dept_housing"])) == [problem]
    assert list(selectors.problem_list(cast["leader"])) == [problem]


def test_a_town_sees_the_problem_addressed_to_it_and_not_its_neighbours(cast):
    problem = f.problem(cast, assignee=f.unit(cast.town_a))
    assert selectors.access_problem(cast["town_a"], problem.pk) == problem
    with pytest.raises(Http404):
        selectors.access_problem(cast["town_b"], problem.pk)


def test_a_plan_later_than_the_deadline_is_refused_naming_the_field(cast):
    problem = f.problem(cast)
    data = f.plan_data(problem, plan_due_on=problem.due_on + timedelta(days=1))
    with pytest.raises(DomainError) as caught:
        services.submit_plan(actor=cast["dept_housing"], problem_pk=problem.pk, data=data)
    assert caught.value.code == rules.ProblemCode.PLAN_AFTER_DUE
    assert "plan_due_on" in caught.value.errors
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ASSIGNED and problem.history.count() == 1


def test_a_report_without_evidence_is_refused(cast):
    problem = f.planned(cast)
    with pytest.raises(DomainError) as caught:
        services.report_rectification(
            actor=cast["dept_housing"], problem_pk=problem.pk, data=f.report_data(evidence=None)
        )
    assert caught.value.code == services.ErrorCode.EVIDENCE_MISSING
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING


def test_sending_back_needs_a_reason_and_returns_the_problem_to_rectification(cast):
    problem = f.reported(cast)
    with pytest.raises(DomainError):
        services.send_back(actor=cast["county_office"], problem_pk=problem.pk, reason=" ")
    services.send_back(actor=cast["county_office"], problem_pk=problem.pk, reason="佐证不足")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING
    assert problem.history.latest("history_id").history_change_reason == "佐证不足"


def test_a_problem_cannot_be_assigned_to_a_unit_out_of_scope_or_to_the_issuer(cast):
    the_visit = f.visit(cast)
    with pytest.raises(DomainError) as caught:
        f.problem(cast, the_visit, assignee=f.office(cast))
    assert caught.value.code == services.ErrorCode.UNIT_INVALID
    with pytest.raises(DomainError) as caught:
        f.problem(cast, the_visit, due_on=the_visit.held_on - timedelta(days=1))
    assert caught.value.code == rules.ProblemCode.DUE_BEFORE_FOUND
    assert not Problem.objects.exists()


def test_a_handed_down_list_needs_its_source_document(cast):
    with pytest.raises(DomainError) as caught:
        f.visit(cast, source="handed_down", source_document="")
    assert "source_document" in caught.value.errors
    assert not SupervisionVisit.objects.exists()


def test_a_department_cannot_record_a_visit(cast):
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=cast["dept_housing"], data=f.visit_data(cast))


# ---------------------------------------------------------------- the overdue sweep


def _overdue_problem(cast, days_past: int = 1):
    problem = f.problem(cast)
    Problem.objects.filter(pk=problem.pk).update(due_on=timezone.localdate() - timedelta(days=days_past))
    problem.refresh_from_db()
    return problem


def test_the_sweep_flags_an_overdue_problem_once_and_tells_the_units_heads(
    cast, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=cast["dept_housing"]).update(is_head=True)
    problem = _overdue_problem(cast)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_overdue(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sweep_overdue(today=today)
    assert first == {"flagged": 1} and second == {"flagged": 0}
    problem.refresh_from_db()
    assert problem.overdue_flagged_for == problem.due_on
    told = Notification.objects.filter(recipient=cast["dept_housing"], title__contains="逾期")
    assert told.count() == 1
    assert problem.history.latest("history_id").history_user.username == "system"


def test_the_sweep_leaves_a_problem_due_today_alone(cast):
    problem = f.problem(cast)
    Problem.objects.filter(pk=problem.pk).update(due_on=timezone.localdate())
    assert services.sweep_overdue(today=timezone.localdate()) == {"flagged": 0}


def test_the_sweep_leaves_a_closed_problem_alone(cast):
    problem = f.reported(cast)
    services.close_out(actor=cast["county_office"], problem_pk=problem.pk)
    Problem.objects.filter(pk=problem.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    assert services.sweep_overdue(today=timezone.localdate()) == {"flagged": 0}


def test_a_new_deadline_rearms_the_sweep(cast):
    problem = _overdue_problem(cast, days_past=5)
    today = timezone.localdate()
    services.sweep_overdue(today=today)
    Problem.objects.filter(pk=problem.pk).update(due_on=today - timedelta(days=1))
    assert services.sweep_overdue(today=today) == {"flagged": 1}


# ---------------------------------------------------------------- statistics and the ledger


def test_statistics_count_by_unit_with_the_on_time_rate(cast):
    today = timezone.localdate()
    closed = f.reported(cast)
    services.close_out(actor=cast["county_office"], problem_pk=closed.pk)
    the_visit = closed.visit
    late = f.problem(cast, the_visit, assignee=f.unit(cast.dept_transport))
    Problem.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=2))
    f.problem(cast, the_visit, assignee=f.unit(cast.dept_transport))
    stats = selectors.statistics(selectors.problem_list(cast["county_office"]), today)
    assert stats["totals"]["total"] == 3
    assert stats["totals"]["closed"] == 1
    assert stats["totals"]["overdue"] == 1
    assert stats["totals"]["due"] == 2
    assert stats["totals"]["on_time_rate"] == 50.0
    rows = {row["assignee__name"]: row for row in stats["units"]}
    assert rows["来安县住房和城乡建设局"]["on_time_rate"] == 100.0
    assert rows["来安县交通运输局"]["overdue"] == 1
    assert rows["来安县交通运输局"]["on_time_rate"] == 0.0
    # a department's figures are its own only
    own = selectors.statistics(selectors.problem_list(cast["dept_transport"]), today)
    assert own["totals"]["total"] == 2


def test_the_ledger_lists_the_problems_in_scope_with_their_overdue_flag(cast, client):
    problem = f.problem(cast)
    Problem.objects.filter(pk=problem.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    f.problem(cast, problem.visit, assignee=f.unit(cast.dept_transport))
    client.force_login(cast["dept_housing"])
    response = client.get(reverse("governance:problem-export"))
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    data_rows = [row for row in values if row and row[0] == 1]
    assert len(data_rows) == 1
    assert "来安县住房和城乡建设局" in data_rows[0]
    assert data_rows[0][-1] == "是"


# ---------------------------------------------------------------- 两书一函


def test_a_letter_is_numbered_by_the_documents_app_and_rendered_as_docx(cast):
    letter = f.letter(cast)
    second = f.letter(cast)
    year = timezone.localdate().year
    assert letter.document.number == f"来安安委督〔{year}〕1号"
    assert second.document.number == f"来安安委督〔{year}〕2号"
    assert letter.document.file.read()[:2] == b"PK"
    assert letter.status == GovernmentLetter.Status.ISSUED
    assert services.letter_task(letter).recipient_unit == f.unit(cast.dept_housing)


def test_the_recipient_confirms_replies_and_the_issuer_closes(cast):
    letter = f.letter(cast)
    services.confirm_letter(actor=cast["dept_housing"], letter_pk=letter.pk)
    assert services.letter_task(letter).status == "confirmed"
    services.reply_letter(actor=cast["dept_housing"], letter_pk=letter.pk, data={"reply": "已整改。"})
    with pytest.raises(PermissionDenied):
        services.close_letter(actor=cast["dept_housing"], letter_pk=letter.pk)
    services.close_letter(actor=cast["county_office"], letter_pk=letter.pk)
    letter.refresh_from_db()
    assert letter.status == GovernmentLetter.Status.CLOSED and letter.replied_on == timezone.localdate()


def test_the_issuer_cannot_reply_for_the_recipient(cast):
    letter = f.letter(cast)
    with pytest.raises(DomainError) as caught:
        services.reply_letter(actor=cast["county_office"], letter_pk=letter.pk, data={"reply": "代为回复"})
    assert caught.value.code == "letter_not_recipient"


def test_a_supervision_letter_may_concern_only_an_open_problem_of_its_recipient(cast):
    problem = f.problem(cast, assignee=f.unit(cast.dept_transport))
    with pytest.raises(DomainError) as caught:
        f.letter(cast, problem=problem)
    assert caught.value.code == services.ErrorCode.LETTER_PROBLEM
    with pytest.raises(DomainError):
        f.letter(cast, kind="warning_letter", recipient=f.unit(cast.dept_transport), problem=problem)
    ok = f.letter(cast, recipient=f.unit(cast.dept_transport), problem=problem)
    assert ok.problem == problem


def test_a_reply_deadline_must_be_after_today(cast):
    with pytest.raises(DomainError) as caught:
        f.letter(cast, reply_due_on=timezone.localdate())
    assert "reply_due_on" in caught.value.errors
    assert not GovernmentLetter.objects.exists()


def test_a_late_reply_is_listed_as_overdue(cast):
    letter = f.letter(cast)
    GovernmentLetter.objects.filter(pk=letter.pk).update(
        reply_due_on=timezone.localdate() - timedelta(days=1)
    )
    late = selectors.letter_list(cast["county_office"]).filter(
        selectors.letter_overdue_q(timezone.localdate())
    )
    assert list(late) == [letter]


def test_an_office_user_without_a_registered_office_cannot_number_a_letter(cast):
    with pytest.raises(DomainError) as caught:
        services.issue_letter(actor=cast["county_office"], data=f.letter_data(cast))
    assert caught.value.code == services.ErrorCode.NO_DOCUMENT_ISSUER
    assert not GovernmentLetter.objects.exists()


# ---------------------------------------------------------------- 问责


def test_a_unit_sees_the_accountability_records_about_itself_only(cast):
    record = f.accountability(cast)
    assert list(selectors.accountability_list(cast["dept_housing"])) == [record]
    assert not selectors.accountability_list(cast["dept_transport"]).exists()
    assert not selectors.accountability_list(cast["town_a"]).exists()
    assert record.history.count() == 1


def test_an_accountability_record_links_a_hazard_the_office_can_see(cast):
    from anlan.hazards.tests.factories import HazardFactory

    hazard = HazardFactory(enterprise=cast.enterprise_x)
    record = f.accountability(cast, cause_kind="hazard", cause_id=hazard.pk)
    assert record.cause_type.model == "hazard" and record.cause_id == hazard.pk
    assert record.cause_label == str(hazard)


def test_a_cause_out_of_scope_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        f.accountability(cast, cause_kind="hazard", cause_id=999999)
    assert "cause_id" in caught.value.errors
    assert not AccountabilityRecord.objects.exists()


def test_a_future_date_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        f.accountability(cast, decided_on=timezone.localdate() + timedelta(days=1))
    assert caught.value.code == rules.ProblemCode.DECIDED_IN_FUTURE


# ---------------------------------------------------------------- pages


def test_the_office_assigns_a_problem_through_the_page(cast, client):
    the_visit = f.visit(cast)
    client.force_login(cast["county_office"])
    url = reverse("governance:problem-create", args=[the_visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"description": "责任清单未修订", "assignee": f.unit(cast.dept_housing).pk, "due_on": "2000-01-01"},
    )
    assert response.status_code == 200
    assert "整改时限不能早于发现日期" in response.content.decode()
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client.post(
        url, {"description": "责任清单未修订", "assignee": f.unit(cast.dept_housing).pk, "due_on": due}
    )
    assert response.status_code == 302
    assert the_visit.problems.get().description == "责任清单未修订"


def test_the_assignee_sees_only_its_buttons_on_the_problem_page(cast, client):
    problem = f.reported(cast)
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("governance:problem-detail", args=[problem.pk])).content.decode()
    follow_up = f"{reverse('governance:letter-create')}?problem={problem.pk}"
    assert reverse("governance:problem-close-out", args=[problem.pk]) not in page
    assert follow_up not in page
    assert "建立住建、资规项目信息每月共享机制" in page
    client.force_login(cast["county_office"])
    page = client.get(reverse("governance:problem-detail", args=[problem.pk])).content.decode()
    assert reverse("governance:problem-close-out", args=[problem.pk]) in page
    assert follow_up in page


def test_the_assignee_submits_its_plan_through_the_page(cast, client):
    problem = f.problem(cast)
    client.force_login(cast["dept_housing"])
    response = client.post(
        reverse("governance:problem-submit-plan", args=[problem.pk]),
        {"plan_measures": "修订清单", "plan_person": "张海峰", "plan_due_on": problem.due_on.isoformat()},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING and problem.plan_person == "张海峰"


@pytest.mark.parametrize(
    "name",
    [
        "visit-list",
        "problem-list",
        "problem-statistics",
        "measure-list",
        "letter-list",
        "accountability-list",
    ],
)
def test_the_lists_show_an_empty_state(cast, client, name):
    client.force_login(cast["dept_transport"])
    response = client.get(reverse(f"governance:{name}"))
    assert response.status_code == 200
    assert 'data-testid="empty"' in response.content.decode()


def test_the_measure_list_shows_the_systemic_measures(cast, client):
    f.reported(cast)
    f.problem(cast)
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:measure-list"))
    page = response.content.decode()
    assert "建立住建、资规项目信息每月共享机制" in page
    assert len(response.context["page"].object_list) == 1


def test_the_overdue_filter_lists_only_late_problems(cast, client):
    late = f.problem(cast)
    Problem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    f.problem(cast, late.visit)
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:problem-list"), {"overdue": "yes"})
    assert [p.pk for p in response.context["page"].object_list] == [late.pk]


def test_the_problem_list_keeps_its_queries_bounded(cast, client, django_assert_max_num_queries):
    the_visit = f.visit(cast)
    for _ in range(5):
        f.problem(cast, the_visit)
    client.force_login(cast["county_office"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("governance:problem-list")).status_code == 200


# ---------------------------------------------------------------- the handed-down list (XLSX)


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    from anlan.governance.services.problem_imports import COLUMNS

    workbook = Workbook()
    workbook.active.append([title for title, _name in COLUMNS])
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.xlsx", _xlsx(rows))


def test_a_handed_down_list_is_imported_row_by_row_into_the_visit(cast, client):
    the_visit = f.visit(cast, source="handed_down", source_document="市安委办交办问题清单（239项）")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("governance:problem-import", args=[the_visit.pk]),
        {
            "file": _upload(
                [
                    ["燃气管道改造滞后", "来安县住房和城乡建设局", due, "", ""],
                    ["九小场所消防隐患", "新安镇", due, "限期整治", ""],
                ]
            )
        },
    )
    assert response.status_code == 200
    problems = list(the_visit.problems.order_by("position"))
    assert [p.assignee.name for p in problems] == ["来安县住房和城乡建设局", "新安镇"]
    assert [p.position for p in problems] == [1, 2]


def test_one_bad_row_keeps_the_whole_list_out(cast, client):
    the_visit = f.visit(cast, source="handed_down", source_document="市安委办交办问题清单")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("governance:problem-import", args=[the_visit.pk]),
        {
            "file": _upload(
                [["燃气管道改造滞后", "来安县住房和城乡建设局", due], ["无主单位", "外县某局", due]]
            )
        },
    )
    assert response.status_code == 200
    assert "外县某局" in response.content.decode()
    assert not the_visit.problems.exists()
