"""提请关闭 after repeated penalties (安全生产法 第一百一十三条): the flag (when the rule says, once), the workflow
and who may take each step, the closure (status and the 5-year bar), the DOCX and the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core import services as core_services
from anlan.core.errors import DomainError
from anlan.core.errors import ErrorCode as CoreErrorCode
from anlan.core.models import Enterprise, PrincipalBar
from anlan.core.people import bar_principal
from anlan.core.tests.factories import PersonFactory
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory
from anlan.inspections import selectors, services, sweeps
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import ClosureProposal, EnforcementAction, WatchPlan
from anlan.notifications.models import Notification

TODAY = timezone.localdate


def _day(offset: int) -> date:
    """A day `offset` days after the first penalty of a scene (the scene ends at most today)."""
    return TODAY() - timedelta(days=400) + timedelta(days=offset)


def penalty(inspection, offset: int, kind: str = "fine", **kw) -> EnforcementAction:
    """A penalty written straight to the table on `_day(offset)` (a back-dated or imported one)."""
    return EnforcementAction.objects.create(
        inspection=inspection,
        kind=kind,
        legal_basis="《安全生产法》第一百零二条",
        description="罚款",
        issued_by=inspection.created_by,
        issued_on=_day(offset),
        **kw,
    )


def major_hazard(enterprise, found: int = -10, closed: int | None = None) -> Hazard:
    return HazardFactory(
        enterprise=enterprise,
        grade=Hazard.Grade.MAJOR,
        found_on=_day(found),
        status=Hazard.Status.CLOSED if closed is not None else Hazard.Status.REGISTERED,
        closed_on=_day(closed) if closed is not None else None,
    )


def flag(enterprise):
    return services.evaluate_closure(enterprise.pk)


@pytest.fixture
def flagged(cast, recorded_x):
    major_hazard(cast.enterprise_x)
    for offset in (0, 60, 120):
        penalty(recorded_x, offset)
    proposal = flag(cast.enterprise_x)
    assert proposal is not None
    return proposal


# ---------------------------------------------------------------- the flag


@pytest.mark.parametrize(
    "offsets, due",
    [
        ((0, 90, 180), True),  # 3 within 180 days, both ends counted
        ((0, 90, 181), False),
        ((0, 100, 200, 365), True),  # 4 within a year, both ends counted
        ((0, 100, 200, 366), False),
        ((0, 0), False),
    ],
)
def test_flag_exactly_when_the_rule_says(cast, recorded_x, offsets, due):
    major_hazard(cast.enterprise_x)
    actions = [penalty(recorded_x, offset) for offset in offsets]
    proposal = flag(cast.enterprise_x)
    assert (proposal is not None) is due
    if due:
        assert proposal.status == ClosureProposal.Status.FLAGGED
        assert set(proposal.actions.all()) == set(actions)
        assert (proposal.window_start, proposal.window_end) == (_day(offsets[0]), _day(offsets[-1]))
        assert proposal.window_days == (180 if len(offsets) == 3 else 365)
        assert proposal.department == cast.dept_housing  # the supervising department
        assert proposal.history.count() == 1


def test_revoked_penalties_and_rectification_orders_are_not_counted(cast, recorded_x):
    major_hazard(cast.enterprise_x)
    penalty(recorded_x, 0)
    penalty(recorded_x, 10, status=EnforcementAction.Status.REVOKED)
    penalty(recorded_x, 20, kind="rectification", due_on=_day(40))
    penalty(recorded_x, 30, kind="referral")
    assert flag(cast.enterprise_x) is None
    penalty(recorded_x, 40, kind="licence_suspension", licence="安全生产许可证")
    penalty(recorded_x, 50, kind="suspension")
    assert flag(cast.enterprise_x) is not None


def test_no_major_hazard_no_flag(cast, recorded_x):
    HazardFactory(enterprise=cast.enterprise_x, found_on=_day(-10))  # ordinary
    HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, found_on=_day(-10), status="voided")
    for offset in (0, 10, 20):
        penalty(recorded_x, offset)
    assert flag(cast.enterprise_x) is None


@pytest.mark.parametrize(
    "found, closed, due",
    [
        (20, None, True),  # found on the last penalty's day
        (21, None, False),  # found after the last penalty
        (-50, -1, False),  # closed the day before the first penalty
        (-50, 0, True),  # closed on the first penalty's day
    ],
)
def test_major_hazard_must_exist_during_the_window(cast, recorded_x, found, closed, due):
    major_hazard(cast.enterprise_x, found=found, closed=closed)
    for offset in (0, 10, 20):
        penalty(recorded_x, offset)
    assert selectors.had_major_hazard(cast.enterprise_x.pk, _day(0), _day(20)) is due
    assert (flag(cast.enterprise_x) is not None) is due


def test_the_flag_notifies_the_department_and_the_county_office(cast, django_capture_on_commit_callbacks):
    # The fixture chain is built inside the capture so the proposal's notification runs.
    with django_capture_on_commit_callbacks(execute=True):
        from anlan.inspections.tests.factories import answers, inspector, planned, record_data

        team = [inspector(cast.dept_housing, user=cast["dept_housing"]), inspector(cast.dept_housing)]
        inspection = services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=planned(
                cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"]
            ).pk,
            data=record_data(),
            answers=answers("construction", failing=("con-5",)),
        )
        major_hazard(cast.enterprise_x)
        for offset in (0, 1, 2):
            penalty(inspection, offset)
        proposal = flag(cast.enterprise_x)
    told = set(
        Notification.objects.filter(kind=services.CLOSURE_FLAGGED).values_list("recipient_id", flat=True)
    )
    assert {cast["dept_housing"].pk, cast["county_office"].pk} <= told
    assert cast["enterprise_x"].pk not in told
    assert proposal is not None


def test_the_sweep_is_idempotent_and_does_not_flag_a_counted_window_again(cast, recorded_x):
    major_hazard(cast.enterprise_x)
    for offset in (0, 10, 20):
        penalty(recorded_x, offset)
    assert sweeps.run(today=TODAY())["closure_flagged"] == 1
    assert sweeps.run(today=TODAY())["closure_flagged"] == 0
    proposal = ClosureProposal.objects.get()
    services.move_closure(
        actor=cast["dept_housing"], proposal_pk=proposal.pk, transition="dismiss", data={"reason": "已核实"}
    )
    assert sweeps.run(today=TODAY())["closure_flagged"] == 0  # the same penalties flag nothing again
    penalty(recorded_x, 30)
    assert sweeps.run(today=TODAY())["closure_flagged"] == 1  # a new penalty makes a new window
    assert ClosureProposal.objects.filter(status="flagged").count() == 1


def test_one_open_proposal_per_enterprise(cast, flagged, recorded_x):
    penalty(recorded_x, 130)
    assert flag(cast.enterprise_x) is None
    assert ClosureProposal.objects.count() == 1


def test_the_enforcement_service_flags_on_the_third_fine(cast, recorded_x):
    major_hazard(cast.enterprise_x)
    finding = recorded_x.answers.get(item_key="con-5")
    data = {
        "kind": "fine",
        "amount": "10000",
        "legal_basis": "《安全生产法》第一百零二条",
        "description": "罚款",
    }
    for count in (1, 2, 3):
        action = services.take_enforcement(
            actor=cast["dept_housing"], inspection_pk=recorded_x.pk, data=data, finding_ids=[finding.pk]
        )
        assert ClosureProposal.objects.exists() is (count == 3)
    proposal = ClosureProposal.objects.get()
    assert action in proposal.actions.all()
    assert proposal.history.first().history_user == cast["dept_housing"]


# ---------------------------------------------------------------- workflow


def _propose(cast, proposal, who="dept_housing"):
    return services.move_closure(
        actor=cast[who],
        proposal_pk=proposal.pk,
        transition="propose",
        data={"facts": "该单位深基坑重大事故隐患长期未整改。", "legal_basis": "《安全生产法》第一百一十三条"},
    )


def test_the_department_drafts_the_proposal_with_its_docx(cast, flagged):
    proposal = _propose(cast, flagged)
    assert proposal.status == ClosureProposal.Status.PROPOSED
    assert proposal.proposed_by == cast["dept_housing"] and proposal.proposed_on == TODAY()
    document = proposal.document
    assert document.kind == "closure_proposal" and "提关" in document.number
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as docx:
        body = docx.read("word/document.xml").decode()
    assert cast.enterprise_x.name in body and "第一百一十三条" in body and "深基坑" in body


def test_the_draft_needs_facts(cast, flagged):
    with pytest.raises(DomainError) as error:
        services.move_closure(
            actor=cast["dept_housing"],
            proposal_pk=flagged.pk,
            transition="propose",
            data={"legal_basis": "x"},
        )
    assert error.value.code == ErrorCode.CLOSURE_FACTS_MISSING
    flagged.refresh_from_db()
    assert flagged.status == ClosureProposal.Status.FLAGGED and flagged.document is None


def test_dismissing_needs_a_reason(cast, flagged):
    with pytest.raises(DomainError):
        services.move_closure(actor=cast["dept_housing"], proposal_pk=flagged.pk, transition="dismiss")
    services.move_closure(
        actor=cast["county_office"],
        proposal_pk=flagged.pk,
        transition="dismiss",
        data={"reason": "处罚已撤销"},
    )
    flagged.refresh_from_db()
    assert (flagged.status, flagged.reason) == (ClosureProposal.Status.DISMISSED, "处罚已撤销")


@pytest.mark.parametrize("who, refusal", [("town_a", PermissionDenied), ("leader", PermissionDenied)])
def test_towns_and_leaders_read_but_do_not_propose(cast, flagged, who, refusal):
    assert selectors.access_closure(cast[who], flagged.pk) == flagged
    with pytest.raises(refusal):
        _propose(cast, flagged, who)


@pytest.mark.parametrize("who", ["enterprise_x", "town_b", "dept_transport", "grid_worker", "expert"])
def test_out_of_scope_and_the_enterprise_get_404(cast, flagged, who):
    with pytest.raises(Http404):
        selectors.access_closure(cast[who], flagged.pk)
    with pytest.raises(Http404):
        _propose(cast, flagged, who)


def _close(cast, proposal, who="county_office", decided_on=None, number="来政〔2026〕12号"):
    return services.move_closure(
        actor=cast[who],
        proposal_pk=proposal.pk,
        transition="close",
        data={"decision_number": number, "decided_on": decided_on or TODAY()},
    )


def test_only_the_county_office_records_the_decision(cast, flagged):
    _propose(cast, flagged)
    with pytest.raises(PermissionDenied):
        _close(cast, flagged, who="dept_housing")
    with pytest.raises(DomainError) as error:
        _close(cast, flagged, decided_on=TODAY() + timedelta(days=1))
    assert error.value.code == ErrorCode.CLOSURE_DECISION_DATE_FUTURE
    with pytest.raises(DomainError) as error:
        _close(cast, flagged, number=" ")
    assert error.value.code == ErrorCode.CLOSURE_DECISION_NUMBER_MISSING


def test_closure_closes_the_enterprise_and_bars_its_principal_for_five_years(cast, flagged):
    _propose(cast, flagged)
    with pytest.raises(DomainError) as error:
        _close(cast, flagged, decided_on=TODAY() - timedelta(days=1))
    assert error.value.code == ErrorCode.CLOSURE_DECISION_BEFORE_PROPOSAL
    decided = TODAY()
    proposal = _close(cast, flagged, decided_on=decided)
    assert proposal.status == ClosureProposal.Status.CLOSED and proposal.decision_number == "来政〔2026〕12号"
    enterprise = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    assert enterprise.status == Enterprise.Status.CLOSED
    bar = PrincipalBar.objects.get()
    assert bar.person == enterprise.principal and bar.enterprise == enterprise
    assert bar.starts_on == decided and bar.ends_on == decided.replace(year=decided.year + 5)
    assert bar.source == proposal and "第一百一十三条" in bar.basis
    assert bar.history.count() == 1
    # 跟踪问效 (seed-map C10): the closed unit is revisited, the drafting department responsible.
    revisit = WatchPlan.objects.get(enterprise=enterprise, kind=WatchPlan.Kind.REVISIT, is_active=True)
    assert revisit.department_id == proposal.department_id


def test_the_government_may_decide_not_to_close(cast, flagged):
    _propose(cast, flagged)
    with pytest.raises(DomainError):
        services.move_closure(actor=cast["county_office"], proposal_pk=flagged.pk, transition="keep_open")
    services.move_closure(
        actor=cast["county_office"], proposal_pk=flagged.pk, transition="keep_open", data={"reason": "已整改"}
    )
    flagged.refresh_from_db()
    assert flagged.status == ClosureProposal.Status.NOT_CLOSED
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).status == Enterprise.Status.OPERATING
    assert not PrincipalBar.objects.exists()


# ---------------------------------------------------------------- the bar on a barred principal


def _name_as_principal(cast, person):
    return core_services.update_enterprise(
        actor=cast["county_office"],
        enterprise_pk=cast.enterprise_y.pk,
        data={"principal": person.name, "principal_id_number": person.id_number},
    )


@pytest.mark.parametrize(
    "starts, ends_offset, refused",
    [
        (0, None, True),  # the first day of the bar
        (1, None, False),  # a bar that starts tomorrow
        (None, 0, True),  # its last day
        (None, -1, False),  # ended yesterday
    ],
)
def test_a_barred_person_cannot_become_a_principal(cast, starts, ends_offset, refused):
    person = PersonFactory()
    today = TODAY()
    if starts is not None:
        starts_on = today + timedelta(days=starts)
    else:  # a bar that ends `ends_offset` days from today
        last = today + timedelta(days=ends_offset)
        starts_on = last.replace(year=last.year - 5)
    bar = bar_principal(
        actor=cast["county_office"],
        person=person,
        starts_on=starts_on,
        basis="《安全生产法》第一百一十三条",
        reason="原单位被关闭",
    )
    if ends_offset is not None:
        assert bar.ends_on == today + timedelta(days=ends_offset)
    if refused:
        with pytest.raises(DomainError) as error:
            _name_as_principal(cast, person)
        assert error.value.code == CoreErrorCode.ENTERPRISE_PRINCIPAL_BARRED
        assert bar.ends_on.isoformat() in error.value.message and error.value.field == "principal"
        assert Enterprise.objects.get(pk=cast.enterprise_y.pk).principal != person
    else:
        assert _name_as_principal(cast, person).principal == person


# ---------------------------------------------------------------- pages


def test_supervisor_pages(cast, client, flagged):
    client.force_login(cast["dept_housing"])
    listing = client.get(reverse("inspections:closure-list"), {"status": "flagged"})
    assert listing.status_code == 200 and cast.enterprise_x.name in listing.content.decode()
    empty = client.get(reverse("inspections:closure-list"), {"status": "closed"})
    assert "暂无提请关闭事项" in empty.content.decode()
    detail = client.get(reverse("inspections:closure-detail", args=[flagged.pk]))
    page = detail.content.decode()
    assert detail.status_code == 200 and 'data-testid="penalties"' in page
    assert reverse("inspections:closure-propose", args=[flagged.pk]) in page
    assert reverse("inspections:closure-close", args=[flagged.pk]) not in page
    draft = client.get(reverse("inspections:closure-propose", args=[flagged.pk]))
    assert "第一百一十三条" in draft.content.decode()  # the basis prefilled
    done = client.post(
        reverse("inspections:closure-propose", args=[flagged.pk]),
        {"facts": "重大事故隐患未整改", "legal_basis": "《安全生产法》第一百一十三条"},
    )
    assert done.status_code == 302
    flagged.refresh_from_db()
    download = client.get(reverse("inspections:document", args=[flagged.document_id]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    panel = client.get(reverse("inspections:enterprise-inspections", args=[cast.enterprise_x.pk]))
    assert 'data-testid="closure-badge"' in panel.content.decode()


def test_the_enterprise_sees_no_proposal(cast, client, flagged):
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("inspections:closure-detail", args=[flagged.pk])).status_code == 404
    assert client.get(reverse("inspections:closure-list")).status_code == 403
    panel = client.get(reverse("inspections:enterprise-inspections", args=[cast.enterprise_x.pk]))
    assert panel.status_code == 200 and "closure-badge" not in panel.content.decode()


def test_the_bar_shows_on_the_enterprise_page(cast, client, flagged):
    _propose(cast, flagged)
    _close(cast, flagged)
    client.force_login(cast["county_office"])
    page = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert 'data-testid="principal-bar"' in page


def test_todo_lists_flagged_proposals_to_draft(cast, flagged):
    assert list(selectors.closures_to_draft(cast["dept_housing"])) == [flagged]
    assert list(selectors.closures_to_draft(cast["town_a"])) == []
    items = selectors.closure_todo_items(selectors.closures_to_draft(cast["county_office"]), 5)
    assert [item.url for item in items] == [reverse("inspections:closure-detail", args=[flagged.pk])]
