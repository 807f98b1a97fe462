"""督查问题, 两书一函 and 问责: the rules at every boundary; a problem IS a hazard record (assignment registers it,
the assignee plans and rectifies on it, the issuer closes it out and the assignee never does); scope (a
department sees only its own unit's problems and their hazards, outside its industries too); overdue through
the hazard; statistics, the ledgers (the governance one and the hazards' one) and the pages."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.rules import RuleViolation
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.governance import rules
from anlan.governance.models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from anlan.governance.selectors import problems as selectors
from anlan.governance.services import problems as services
from anlan.governance.tests import factories_problems as f
from anlan.hazards import selectors as hazard_selectors
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard
from anlan.hazards.rules import ErrorCode as HazardCode
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


# ---------------------------------------------------------------- the loop (on the hazard record)


def test_assigning_a_problem_registers_one_hazard_record_for_the_assignee(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = f.problem(cast, place="县教育局机关")
    hazard = problem.hazard
    assert problem.position == 1
    assert hazard.enterprise_id is None and hazard.place == "县教育局机关"
    assert hazard.source == Hazard.Source.SUPERVISION
    assert hazard.status == Hazard.Status.REGISTERED
    assert hazard.responsible_unit == f.unit(cast.dept_housing)
    assert hazard.finding_unit == f.office(cast) == problem.visit.issuer
    assert hazard.region_id == cast.county.pk
    assert hazard.industry.code == "campus"
    assert hazard.found_on == problem.visit.held_on and hazard.due_on == problem.due_on
    assert hazard.description == problem.description
    assert hazard.number.startswith("YH341122-")
    assert problem.history.count() == 1 and hazard.history.count() == 1
    # the hazards app tells the assignee (once), nobody else
    assert Notification.objects.filter(recipient=cast["dept_housing"]).count() == 1
    assert not Notification.objects.filter(recipient=cast["dept_transport"]).exists()


def test_without_a_place_the_hazard_names_the_assignee(cast):
    assert f.problem(cast).hazard.place == "来安县住房和城乡建设局"


def test_a_town_problem_lies_in_the_towns_region(cast):
    problem = f.problem(cast, assignee=f.unit(cast.town_a))
    assert problem.hazard.region_id == cast.town_a.pk


def test_the_department_plans_and_rectifies_on_the_hazard_and_the_issuer_closes_it_out(cast):
    problem = f.reported(cast)
    hazard = problem.hazard
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION
    assert hazard.submitted_by == cast["dept_housing"]
    assert hazard.current_plan().responsible_person == "张海峰"
    f.close_out(cast, problem)
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED
    assert hazard.closed_on == timezone.localdate()
    assert hazard.verified_by == cast["county_office"]
    users = list(hazard.history.order_by("history_id").values_list("history_user__username", flat=True))
    assert users == ["county_office", "dept_housing", "dept_housing", "county_office"]


def test_the_assignee_cannot_close_out_its_own_problem_even_in_an_industry_it_supervises(cast):
    # 城镇燃气 is 住建局's: it is a supervising department of the hazard, and still not its verifier.
    problem = f.reported(cast, industry=f.industry("urban-gas"))
    colleague = UserFactory(username="housing_colleague")
    MembershipFactory(user=colleague, role=Role.DEPARTMENT, department=cast.dept_housing)
    rows = problem.hazard.history.count()
    for who, code in (
        (cast["dept_housing"], HazardCode.SAME_PERSON),  # it submitted the rectification
        (colleague, HazardCode.RECTIFYING_UNIT_VERIFIER),  # its unit rectified it
    ):
        with pytest.raises(DomainError) as caught:
            f.close_out(cast, problem, actor=who)
        assert caught.value.code == code
    problem.hazard.refresh_from_db()
    assert problem.hazard.status == Hazard.Status.AWAITING_VERIFICATION
    assert problem.hazard.history.count() == rows
    assert not problem.hazard.verifications.exists()
    assert not hazard_selectors.hazards_to_verify(colleague).filter(pk=problem.hazard_id).exists()
    assert list(hazard_selectors.hazards_to_verify(cast["county_office"])) == [problem.hazard]


def test_the_assignee_neither_voids_lists_assigns_an_expert_nor_grants_its_own_extension(cast, as_user):
    # 城镇燃气 is 住建局's: as a supervising department it could otherwise do each of these to its own problem.
    problem = f.problem(cast, industry=f.industry("urban-gas"))
    hazard = problem.hazard
    housing = cast["dept_housing"]
    colleague = UserFactory(username="housing_colleague")
    MembershipFactory(user=colleague, role=Role.DEPARTMENT, department=cast.dept_housing)
    expert = cast["expert"]
    attempts = {
        "void": lambda: hazard_services.void_hazard(actor=housing, hazard_pk=hazard.pk, reason="已整改"),
        "expert": lambda: hazard_services.assign_expert(
            actor=housing, hazard_pk=hazard.pk, expert_pk=expert.pk
        ),
        "supervise": lambda: hazard_services.issue_supervision(
            actor=housing,
            hazard_pk=hazard.pk,
            level="county",
            due_on=hazard.due_on,
            responsible_unit=f.unit(cast.dept_housing),
            requirements="按期整改",
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(DomainError) as caught:
            attempt()
        assert (name, caught.value.code) == (name, HazardCode.RECTIFYING_UNIT_OVERSIGHT)
    extension = hazard_services.request_extension(
        actor=housing, hazard_pk=hazard.pk, new_due_on=hazard.due_on + timedelta(days=10), reason="项目多"
    )
    with pytest.raises(DomainError) as caught:
        hazard_services.decide_extension(actor=colleague, extension_pk=extension.pk, approve=True)
    assert caught.value.code == HazardCode.RECTIFYING_UNIT_OVERSIGHT
    hazard.refresh_from_db()
    assert (hazard.status, hazard.expert_id, hazard.supervisions.count()) == (
        Hazard.Status.REGISTERED,
        None,
        0,
    )
    # Nor does its hazard page offer what would be refused; the 安委办's does.
    page = as_user(housing).get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    assert page.context["can_supervise"] is False and page.context["expert_form"] is None
    office = as_user(cast["county_office"]).get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    assert office.context["can_supervise"] is True and office.context["expert_form"] is not None


def test_the_issuer_cannot_plan_for_the_assignee(cast):
    problem = f.problem(cast)
    with pytest.raises(DomainError) as caught:
        f.plan(problem, cast["county_office"])
    assert caught.value.code == HazardCode.NOT_RESPONSIBLE
    problem.hazard.refresh_from_db()
    assert problem.hazard.status == Hazard.Status.REGISTERED
    assert not problem.hazard.plans.exists()


def test_the_issuer_sends_a_rectification_back_with_its_opinion(cast):
    problem = f.reported(cast)
    hazard_services.verify_rectification(
        actor=cast["county_office"],
        hazard_pk=problem.hazard_id,
        passed=False,
        opinion="佐证不足",
        method="documents",
    )
    problem.hazard.refresh_from_db()
    assert problem.hazard.status == Hazard.Status.RECTIFYING


def test_another_department_does_not_see_the_problem_nor_its_hazard(cast):
    problem = f.problem(cast)
    for outsider in (cast["dept_transport"], cast["town_a"]):
        with pytest.raises(Http404):
            selectors.access_problem(outsider, problem.pk)
        with pytest.raises(Http404):
            hazard_selectors.access_hazard(outsider, problem.hazard_id)
    assert not selectors.problem_list(cast["dept_transport"]).exists()
    assert list(selectors.problem_list(cast["dept_housing"])) == [problem]
    assert list(selectors.problem_list(cast["leader"])) == [problem]


def test_the_department_sees_and_acts_on_its_hazard_outside_its_industries(cast):
    problem = f.problem(cast)  # 校园: not an industry of 住建局
    assert hazard_selectors.access_hazard(cast["dept_housing"], problem.hazard_id) == problem.hazard
    assert (
        hazard_selectors.hazard_list(cast["dept_housing"], "hazards.plan")
        .filter(pk=problem.hazard_id)
        .exists()
    )
    assert list(hazard_selectors.hazards_to_rectify(cast["dept_housing"])) == [problem.hazard]
    assert not hazard_selectors.hazards_to_rectify(cast["county_office"]).exists()


def test_a_town_sees_the_problem_addressed_to_it_and_not_its_neighbours(cast, client):
    problem = f.problem(cast, assignee=f.unit(cast.town_a))
    assert selectors.access_problem(cast["town_a"], problem.pk) == problem
    with pytest.raises(Http404):
        selectors.access_problem(cast["town_b"], problem.pk)
    client.force_login(cast["town_b"])
    assert client.get(reverse("governance:problem-detail", args=[problem.pk])).status_code == 404
    assert client.get(reverse("hazards:hazard-detail", args=[problem.hazard_id])).status_code == 404


def test_a_problem_cannot_be_assigned_to_a_unit_out_of_scope_or_to_the_issuer(cast):
    the_visit = f.visit(cast)
    with pytest.raises(DomainError) as caught:
        f.problem(cast, the_visit, assignee=f.office(cast))
    assert caught.value.code == services.ErrorCode.UNIT_INVALID
    with pytest.raises(DomainError) as caught:
        f.problem(cast, the_visit, due_on=the_visit.held_on - timedelta(days=1))
    assert caught.value.code == rules.ProblemCode.DUE_BEFORE_FOUND
    with pytest.raises(DomainError) as caught:
        f.problem(cast, the_visit, industry=None)
    assert caught.value.field == "industry"
    assert not Problem.objects.exists() and not Hazard.objects.exists()


def test_a_handed_down_list_needs_its_source_document(cast):
    with pytest.raises(DomainError) as caught:
        f.visit(cast, source="handed_down", source_document="")
    assert "source_document" in caught.value.errors
    assert not SupervisionVisit.objects.exists()


def test_a_department_cannot_record_a_visit(cast):
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=cast["dept_housing"], data=f.visit_data(cast))


# ---------------------------------------------------------------- root cause and systemic measure


def test_the_assignee_records_the_root_cause_and_the_systemic_measure(cast):
    problem = f.problem(cast)
    services.record_measures(
        actor=cast["dept_housing"],
        problem_pk=problem.pk,
        data={"root_cause": "信息未共享。", "systemic_measure": "建立每月信息共享机制。"},
    )
    problem.refresh_from_db()
    assert (problem.root_cause, problem.systemic_measure) == ("信息未共享。", "建立每月信息共享机制。")
    assert problem.history.latest("history_id").history_user == cast["dept_housing"]


def test_the_issuer_does_not_write_the_assignees_measures(cast):
    problem = f.problem(cast)
    with pytest.raises(PermissionDenied):
        services.record_measures(
            actor=cast["county_office"], problem_pk=problem.pk, data={"systemic_measure": "代填"}
        )
    problem.refresh_from_db()
    assert problem.systemic_measure == "" and problem.history.count() == 1


def test_measures_are_settled_once_the_hazard_is_closed_out(cast):
    problem = f.reported(cast)
    f.close_out(cast, problem)
    with pytest.raises(DomainError) as caught:
        services.record_measures(
            actor=cast["dept_housing"], problem_pk=problem.pk, data={"systemic_measure": "补记"}
        )
    assert caught.value.code == services.ErrorCode.PROBLEM_SETTLED


# ---------------------------------------------------------------- overdue: the hazards' sweep and rule


def _overdue_problem(cast, days_past: int = 1, **overrides):
    problem = f.problem(cast, **overrides)
    Hazard.objects.filter(pk=problem.hazard_id).update(
        due_on=timezone.localdate() - timedelta(days=days_past)
    )
    problem.hazard.refresh_from_db()
    return problem


def test_the_hazards_sweep_escalates_an_overdue_problem_to_its_assignee(
    cast, django_capture_on_commit_callbacks
):
    from anlan.hazards.sweeps import escalate

    problem = _overdue_problem(cast, days_past=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate(timezone.localdate())[0] == 1
        assert escalate(timezone.localdate())[0] == 0  # once per due date
    problem.hazard.refresh_from_db()
    assert problem.hazard.escalated_for == problem.hazard.due_on
    assert Notification.objects.filter(recipient=cast["dept_housing"], title__contains="逾期").exists()


@pytest.mark.parametrize("days_past, overdue", [(0, False), (1, True)], ids=["due-today", "day-after"])
def test_a_problem_is_overdue_the_day_after_its_hazards_due_date(cast, days_past, overdue):
    problem = _overdue_problem(cast, days_past=days_past)
    late = selectors.problem_list(cast["county_office"]).filter(selectors.overdue_q(timezone.localdate()))
    assert late.exists() is overdue
    assert problem.hazard.is_overdue is overdue


def test_a_closed_out_problem_is_no_longer_overdue(cast):
    problem = f.reported(cast)
    Hazard.objects.filter(pk=problem.hazard_id).update(due_on=timezone.localdate() - timedelta(days=3))
    f.close_out(cast, problem)
    today = timezone.localdate()
    assert not selectors.problem_list(cast["county_office"]).filter(selectors.overdue_q(today)).exists()
    assert selectors.problem_list(cast["county_office"]).filter(selectors.late_q(today)).count() == 1


def test_the_assessment_counts_an_overdue_problem_against_its_assignee(cast):
    from anlan.governance.selectors import assessment_facts as facts

    today = timezone.localdate()
    late = _overdue_problem(cast, industry=f.industry("urban-gas"))  # 住建局's own industry …
    _overdue_problem(cast, assignee=f.unit(cast.dept_transport))  # … and 校园, no department's
    f.problem(cast)  # not yet due
    closed = f.reported(cast)
    Hazard.objects.filter(pk=closed.hazard_id).update(due_on=today - timedelta(days=1))
    f.close_out(cast, closed)
    units = facts.scored_units(cast.county.pk, cast.county.level)
    ctx = facts.FactContext(
        year=today.year,
        first=date(today.year, 1, 1),
        last=date(today.year, 12, 31),
        as_of=today,
        low="341122000000",
        high="341122999999",
        units=units,
    )
    found = facts.facts_for("problems.overdue", ctx)
    housing, transport = f.unit(cast.dept_housing).pk, f.unit(cast.dept_transport).pk
    assert {pk: fact.occurrences for pk, fact in found.items()} == {housing: 1, transport: 1}
    assert found[housing].records[0]["url"] == reverse("governance:problem-detail", args=[late.pk])
    # on its due date it is not overdue yet
    assert facts.facts_for("problems.overdue", replace(ctx, as_of=today - timedelta(days=1))) == {}


# ---------------------------------------------------------------- statistics and the ledger


def test_statistics_count_by_unit_with_the_on_time_rate(cast):
    today = timezone.localdate()
    closed = f.reported(cast)
    f.close_out(cast, closed)
    the_visit = closed.visit
    _overdue_problem(cast, days_past=2, assignee=f.unit(cast.dept_transport))
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


def test_the_hazard_statistics_and_ledger_include_the_problems(cast, client):
    problem = f.problem(cast)
    f.problem(cast, problem.visit, assignee=f.unit(cast.dept_transport))
    client.force_login(cast["county_office"])
    response = client.get(reverse("hazards:hazard-list"), {"government": "true"})
    assert sorted(h.pk for h in response.context["page"].object_list) == sorted(
        Problem.objects.values_list("hazard_id", flat=True)
    )
    response = client.get(reverse("hazards:hazard-list"), {"government": "false"})
    assert not [h for h in response.context["page"].object_list if h.pk == problem.hazard_id]
    response = client.get(reverse("hazards:hazard-statistics"), {"source": "supervision"})
    assert response.status_code == 200
    found = hazard_selectors.totals(Hazard.objects.for_user(cast["county_office"]), timezone.localdate())
    assert (found["found"], found["open"]) == (2, 2)
    own = hazard_selectors.totals(Hazard.objects.for_user(cast["dept_housing"]), timezone.localdate())
    assert own["found"] == 1
    client.force_login(cast["dept_housing"])
    response = client.get(reverse("hazards:hazard-list"), {"government": "true"})
    assert [h.pk for h in response.context["page"].object_list] == [problem.hazard_id]


def test_the_ledger_lists_the_problems_in_scope_with_their_hazard_and_overdue_flag(cast, client):
    problem = _overdue_problem(cast)
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
    assert problem.hazard.number in data_rows[0]
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
    post = {
        "description": "责任清单未修订",
        "assignee": f.unit(cast.dept_housing).pk,
        "industry": f.industry().pk,
    }
    response = client.post(url, {**post, "due_on": "2000-01-01"})
    assert response.status_code == 200
    assert "整改时限不能早于发现日期" in response.content.decode()
    assert not Hazard.objects.exists()
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client.post(url, {**post, "due_on": due})
    assert response.status_code == 302
    problem = the_visit.problems.get()
    assert problem.description == "责任清单未修订" and problem.hazard.due_on.isoformat() == due


def test_the_problem_page_shows_the_hazard_and_what_each_side_may_do_there(cast, client):
    problem = f.planned(cast)
    client.force_login(cast["dept_housing"])
    response = client.get(reverse("governance:problem-detail", args=[problem.pk]))
    page = response.content.decode()
    follow_up = f"{reverse('governance:letter-create')}?problem={problem.pk}"
    assert reverse("hazards:hazard-detail", args=[problem.hazard_id]) in page
    assert problem.hazard.number in page and "整改中" in page and "逐个项目排查" in page
    assert [step.name for step in response.context["hazard_actions"]] == ["submit"]
    assert reverse("governance:problem-measures", args=[problem.pk]) in page
    assert follow_up not in page
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:problem-detail", args=[problem.pk]))
    page = response.content.decode()
    assert "submit" not in [step.name for step in response.context["hazard_actions"]]
    assert reverse("governance:problem-measures", args=[problem.pk]) not in page
    assert follow_up in page


def test_the_issuer_sees_the_close_out_waiting_on_the_problem_page(cast, client):
    problem = f.reported(cast)
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:problem-detail", args=[problem.pk]))
    assert "verify" in [step.name for step in response.context["hazard_actions"]]
    client.force_login(cast["dept_housing"])
    response = client.get(reverse("governance:problem-detail", args=[problem.pk]))
    assert "verify" not in [step.name for step in response.context["hazard_actions"]]


def test_the_assignee_records_its_measures_through_the_page(cast, client):
    problem = f.problem(cast)
    client.force_login(cast["dept_housing"])
    response = client.post(
        reverse("governance:problem-measures", args=[problem.pk]),
        {"root_cause": "信息未共享。", "systemic_measure": "建立住建、资规项目信息每月共享机制。"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.systemic_measure == "建立住建、资规项目信息每月共享机制。"


def test_the_visit_page_lists_its_problems_with_hazard_number_status_and_overdue(cast, client):
    late = _overdue_problem(cast)
    other = f.problem(cast, late.visit, assignee=f.unit(cast.dept_transport))
    client.force_login(cast["county_office"])
    page = client.get(reverse("governance:visit-detail", args=[late.visit_id])).content.decode()
    assert late.hazard.number in page and other.hazard.number in page
    assert page.count('data-testid="overdue"') == 1
    # the department reads the visit's problems on the problem list (the 督查 page is the issuer's): its own only
    client.force_login(cast["dept_housing"])
    response = client.get(reverse("governance:problem-list"), {"visit": late.visit_id})
    assert [p.pk for p in response.context["page"].object_list] == [late.pk]
    assert 'data-testid="overdue"' in response.content.decode()


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
    problem = f.problem(cast)
    services.record_measures(
        actor=cast["dept_housing"],
        problem_pk=problem.pk,
        data={"root_cause": "", "systemic_measure": "建立住建、资规项目信息每月共享机制。"},
    )
    f.problem(cast)
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:measure-list"))
    page = response.content.decode()
    assert "建立住建、资规项目信息每月共享机制" in page
    assert len(response.context["page"].object_list) == 1


def test_the_overdue_filter_lists_only_late_problems(cast, client):
    late = _overdue_problem(cast)
    f.problem(cast, late.visit)
    client.force_login(cast["county_office"])
    response = client.get(reverse("governance:problem-list"), {"overdue": "true"})
    assert [p.pk for p in response.context["page"].object_list] == [late.pk]
    response = client.get(reverse("governance:problem-list"), {"overdue": "false"})
    assert late.pk not in [p.pk for p in response.context["page"].object_list]
    assert len(response.context["page"].object_list) == 1


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
                    ["燃气管道改造滞后", "来安县住房和城乡建设局", "城镇燃气", due, "", "", ""],
                    [
                        "九小场所消防隐患",
                        "新安镇",
                        "消防重点单位/人员密集场所",
                        due,
                        "限期整治",
                        "",
                        "东关街",
                    ],
                ]
            )
        },
    )
    assert response.status_code == 200
    problems = list(the_visit.problems.order_by("position"))
    assert [p.assignee.name for p in problems] == ["来安县住房和城乡建设局", "新安镇"]
    assert [p.position for p in problems] == [1, 2]
    assert [p.hazard.industry.code for p in problems] == ["urban-gas", "fire-key"]
    assert problems[1].hazard.place == "东关街" and problems[1].hazard.region_id == cast.town_a.pk
    assert all(p.hazard.source == Hazard.Source.SUPERVISION for p in problems)


def test_one_bad_row_keeps_the_whole_list_out(cast, client):
    the_visit = f.visit(cast, source="handed_down", source_document="市安委办交办问题清单")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("governance:problem-import", args=[the_visit.pk]),
        {
            "file": _upload(
                [
                    ["燃气管道改造滞后", "来安县住房和城乡建设局", "城镇燃气", due],
                    ["无主单位", "外县某局", "城镇燃气", due],
                ]
            )
        },
    )
    assert response.status_code == 200
    assert "外县某局" in response.content.decode()
    assert not the_visit.problems.exists() and not Hazard.objects.exists()


def test_a_row_with_an_unknown_industry_is_refused(cast, client):
    the_visit = f.visit(cast, source="handed_down", source_document="市安委办交办问题清单")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("governance:problem-import", args=[the_visit.pk]),
        {"file": _upload([["燃气管道改造滞后", "来安县住房和城乡建设局", "不存在的行业", due]])},
    )
    assert "不存在的行业" in response.content.decode()
    assert not the_visit.problems.exists()
