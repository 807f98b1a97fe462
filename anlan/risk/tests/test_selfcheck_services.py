"""Use cases of 自查自改: the enterprise builds and edits its checklists and records runs (a run that found nothing
is confirmed as such; a problem becomes a hazard with source 企业自查; a future period refused; a second run of a
period counts once; a made-up run clears its missed period); supervisors may not record (no change, no history);
the nightly sweep on both sides of each period boundary, idempotent and telling once; the kernel attribute in one
query; the compliance aggregates; the enterprise's 待办."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, industry
from anlan.hazards.models import Hazard
from anlan.notifications.models import Notification
from anlan.risk.models import Checklist, ChecklistItem, MissedPeriod, RunResult, SelfInspectionRun
from anlan.risk.rules import SelfcheckCode
from anlan.risk.selectors import selfcheck as selectors
from anlan.risk.services import selfcheck as services
from anlan.risk.tests import factories_selfcheck as f

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _reasons(obj) -> list[str]:
    return list(obj.history.order_by("history_id").values_list("history_change_reason", flat=True))


# ---------------------------------------------------------------- checklists


def test_the_enterprise_builds_a_checklist_with_its_items_each_with_one_history_row(cast):
    checklist = f.checklist(cast)
    items = list(checklist.items.order_by("order"))
    assert [(i.order, i.content, i.basis) for i in items][0] == (
        1,
        "安全帽、安全带佩戴",
        "《建筑施工高处作业安全技术规范》",
    )
    assert len(items) == 3
    assert _reasons(checklist) == ["建立自查清单"]
    assert all(_reasons(item) == ["建立自查清单"] for item in items)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": " "}, "name", SelfcheckCode.TEXT_MISSING),
        ({"post": ""}, "post", SelfcheckCode.TEXT_MISSING),
        ({"frequency": "hourly"}, "frequency", SelfcheckCode.FREQUENCY_INVALID),
        ({"risk_level": "red"}, "risk_level", SelfcheckCode.RISK_LEVEL_INVALID),
        ({"items": "\n \n"}, "items", SelfcheckCode.NO_ITEMS),
    ],
    ids=["no-name", "no-post", "unknown-frequency", "unknown-risk-level", "no-items"],
)
def test_a_checklist_with_bad_input_is_refused_naming_its_field_and_nothing_is_saved(
    cast, overrides, field, code
):
    with pytest.raises(DomainError) as refused:
        f.checklist(cast, **overrides)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Checklist.objects.exists() and not ChecklistItem.objects.exists()


@pytest.mark.parametrize(
    ("who", "error"),
    [("dept_housing", PermissionDenied), ("county_office", PermissionDenied), ("town_b", Http404)],
)
def test_supervisors_may_not_build_an_enterprises_checklist(cast, who, error):
    with pytest.raises(error):
        f.checklist(cast, actor=cast[who])
    assert not Checklist.objects.exists()
    assert not Checklist.history.exists()


def test_editing_a_checklist_keeps_items_by_content_deactivates_removed_ones_and_restarts_a_new_frequency(
    cast,
):
    checklist = f.checklist(cast, frequency="weekly")
    kept = checklist.items.get(content="临边洞口防护到位")
    removed = checklist.items.get(content="施工用电一机一闸一漏")
    with at(timezone.localdate() + timedelta(days=1)):
        services.update_checklist(
            actor=cast["enterprise_x"],
            checklist_pk=checklist.pk,
            data=f.checklist_data(frequency="daily", items="临边洞口防护到位 | JGJ 80-2016\n脚手架验收挂牌"),
        )
        tomorrow = timezone.localdate()
    checklist.refresh_from_db()
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert (checklist.frequency, checklist.starts_on) == ("daily", tomorrow)
    assert (kept.order, kept.basis, kept.is_active) == (1, "JGJ 80-2016", True)
    assert removed.is_active is False
    assert list(selectors.items_of(checklist).values_list("content", flat=True)) == [
        "临边洞口防护到位",
        "脚手架验收挂牌",
    ]
    assert _reasons(checklist) == ["建立自查清单", "修改自查清单"]


def test_a_supervisor_may_not_edit_a_checklist_and_nothing_changes(cast):
    checklist = f.checklist(cast)
    with pytest.raises(PermissionDenied):
        services.update_checklist(
            actor=cast["dept_housing"], checklist_pk=checklist.pk, data=f.checklist_data(name="改名")
        )
    checklist.refresh_from_db()
    assert checklist.name == "施工现场日检表" and _reasons(checklist) == ["建立自查清单"]


# ---------------------------------------------------------------- runs


def test_a_run_that_found_nothing_is_recorded_as_such(cast):
    checklist = f.checklist(cast)
    run = f.run(cast, checklist)
    assert (run.found_problems, run.problem_count, run.is_counted) == (False, 0, True)
    assert (run.period_start, run.period_end) == (run.done_on, run.done_on)
    assert list(run.results.values_list("result", flat=True)) == ["ok", "ok", "ok"]
    assert _reasons(run) == ["登记自查记录（未发现问题）"]
    assert not Hazard.objects.exists()


def test_a_run_with_no_problem_must_be_confirmed_as_finding_nothing_and_nothing_is_saved(cast):
    checklist = f.checklist(cast)
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist, nothing_found=False)
    assert refused.value.code == SelfcheckCode.NOTHING_FOUND_UNCONFIRMED
    assert refused.value.field == "nothing_found"
    assert not SelfInspectionRun.objects.exists() and not RunResult.objects.exists()


def test_a_problem_found_becomes_a_self_inspection_hazard_of_the_enterprise(cast):
    checklist = f.checklist(cast)
    run = f.run(cast, checklist, problems={1: "三层东侧电梯井口未设防护栏"})
    assert (run.found_problems, run.problem_count) == (True, 1)
    problem = run.results.get(result="problem")
    hazard = problem.hazard
    assert hazard.enterprise == cast.enterprise_x
    assert hazard.source == Hazard.Source.SELF_INSPECTION
    assert hazard.grade == Hazard.Grade.ORDINARY
    assert "三层东侧电梯井口未设防护栏" in hazard.description and "施工现场日检表" in hazard.description
    assert hazard.found_on == run.done_on and hazard.due_on == run.done_on + timedelta(days=7)
    assert run.results.filter(hazard__isnull=True).count() == 2


def test_a_problem_without_its_description_is_refused_and_no_hazard_is_registered(cast):
    checklist = f.checklist(cast)
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist, problems={0: " "})
    assert refused.value.code == SelfcheckCode.PROBLEM_NOTE_MISSING
    assert not Hazard.objects.exists() and not SelfInspectionRun.objects.exists()


def test_every_active_item_needs_a_result(cast):
    checklist = f.checklist(cast)
    values = f.run_data(checklist)
    values["results"].popitem()
    with pytest.raises(DomainError) as refused:
        services.record_run(actor=cast["enterprise_x"], checklist_pk=checklist.pk, data=values)
    assert refused.value.code == SelfcheckCode.RESULT_MISSING


def test_a_run_today_is_accepted_and_a_run_for_tomorrows_period_is_refused(cast):
    checklist = f.checklist(cast)
    today = timezone.localdate()
    f.run(cast, checklist, done_on=today)
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist, done_on=today + timedelta(days=1))
    assert refused.value.code == SelfcheckCode.RUN_IN_FUTURE
    assert SelfInspectionRun.objects.count() == 1


def test_a_second_run_of_a_period_is_kept_but_counts_once(cast):
    checklist = f.checklist(cast, frequency="weekly")
    first = f.run(cast, checklist)
    second = f.run(cast, checklist)
    assert (first.is_counted, second.is_counted) == (True, False)
    assert first.period_start == second.period_start


def test_the_inspector_is_a_user_of_the_enterprise_or_a_named_person(cast):
    checklist = f.checklist(cast)
    colleague = UserFactory(username="colleague", real_name="李四")
    MembershipFactory(user=colleague, role=Role.ENTERPRISE, enterprise=cast.enterprise_x)
    run = f.run(cast, checklist, inspector=colleague.pk, inspector_name="")
    assert (run.inspector, run.inspector_name) == (colleague, "李四")
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist, inspector=cast["dept_housing"].pk)
    assert refused.value.field == "inspector"
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist, inspector_name=" ")
    assert refused.value.field == "inspector_name"


@pytest.mark.parametrize(("who", "error"), [("dept_housing", PermissionDenied), ("town_b", Http404)])
def test_supervisors_may_not_record_a_run_and_nothing_is_written(cast, who, error):
    checklist = f.checklist(cast)
    with pytest.raises(error):
        f.run(cast, checklist, actor=cast[who])
    assert not SelfInspectionRun.objects.exists() and not SelfInspectionRun.history.exists()


def test_an_inactive_checklist_takes_no_run(cast):
    checklist = f.checklist(cast)
    services.update_checklist(
        actor=cast["enterprise_x"], checklist_pk=checklist.pk, data={**f.checklist_data(), "is_active": False}
    )
    with pytest.raises(DomainError) as refused:
        f.run(cast, checklist)
    assert refused.value.code == SelfcheckCode.INACTIVE


# ---------------------------------------------------------------- the sweep

MONDAY = date(2026, 3, 9)


def _weekly(cast):
    with at(MONDAY - timedelta(days=14)):  # Monday 23 February
        return f.checklist(cast, frequency="weekly", starts_on=MONDAY - timedelta(days=14))


def test_a_week_without_a_run_is_not_marked_on_its_sunday_and_is_marked_the_monday_after(cast):
    checklist = _weekly(cast)
    with at(MONDAY - timedelta(days=12)):  # Wednesday 25 February: the first week was run, the second not
        f.run(cast, checklist)
    counts = services.sweep(today=MONDAY - timedelta(days=1))
    assert counts["periods_missed"] == 0 and not MissedPeriod.objects.exists()
    counts = services.sweep(today=MONDAY)
    assert counts["periods_missed"] == 1
    assert MissedPeriod.objects.get().period_start == MONDAY - timedelta(days=7)


def test_the_sweep_on_monday_marks_the_week_that_went_without_a_run_once(
    cast, django_capture_on_commit_callbacks
):
    checklist = _weekly(cast)
    with at(MONDAY - timedelta(days=7)):
        f.run(cast, checklist)  # week of 2 March run; week of 23 February not
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.sweep(today=MONDAY)
    assert counts == {"periods_missed": 1, "enterprises_told": 1}
    missed = MissedPeriod.objects.get()
    assert (missed.period_start, missed.period_end) == (date(2026, 2, 23), date(2026, 3, 1))
    assert _reasons(missed) == ["自查周期缺失"]
    told = Notification.objects.filter(recipient=cast["enterprise_x"], kind=services.NOTICE)
    assert told.count() == 1 and "1 个自查周期" in told.get().title
    assert not Notification.objects.filter(recipient=cast["dept_housing"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.sweep(today=MONDAY)
    assert again == {"periods_missed": 0, "enterprises_told": 0}
    assert MissedPeriod.objects.count() == 1 and told.count() == 1


def test_a_daily_checklist_run_yesterday_is_not_missed_and_one_not_run_is(cast):
    with at(date(2026, 3, 1)):
        checklist = f.checklist(cast, frequency="daily", starts_on=date(2026, 3, 1))
    for day in (date(2026, 3, 1), date(2026, 3, 2)):
        with at(day):
            f.run(cast, checklist)
    services.sweep(today=date(2026, 3, 3))
    assert not MissedPeriod.objects.exists()
    services.sweep(today=date(2026, 3, 4))
    assert list(MissedPeriod.objects.values_list("period_start", flat=True)) == [date(2026, 3, 3)]


def test_a_monthly_checklist_is_missed_the_day_after_the_months_last_day(cast):
    with at(date(2026, 1, 1)):
        f.checklist(cast, frequency="monthly", starts_on=date(2026, 1, 1))
    services.sweep(today=date(2026, 1, 31))
    assert not MissedPeriod.objects.exists()
    services.sweep(today=date(2026, 2, 1))
    assert list(MissedPeriod.objects.values_list("period_end", flat=True)) == [date(2026, 1, 31)]


def test_a_run_recorded_late_makes_up_the_missed_period(cast):
    checklist = _weekly(cast)
    services.sweep(today=MONDAY)
    assert MissedPeriod.objects.filter(made_up_on__isnull=True).count() == 2
    with at(MONDAY):
        f.run(cast, checklist, done_on=date(2026, 2, 25))
    missed = MissedPeriod.objects.get(period_start=date(2026, 2, 23))
    assert missed.made_up_on == MONDAY
    assert _reasons(missed) == ["自查周期缺失", "补录自查记录"]
    assert selectors.selfcheck_missing([cast.enterprise_x.pk], today=MONDAY) == {cast.enterprise_x.pk: 1}


def test_an_inactive_checklist_is_not_swept(cast):
    checklist = _weekly(cast)
    services.update_checklist(
        actor=cast["enterprise_x"],
        checklist_pk=checklist.pk,
        data={**f.checklist_data(frequency="weekly"), "is_active": False},
    )
    services.sweep(today=MONDAY)
    assert not MissedPeriod.objects.exists()


# ---------------------------------------------------------------- the attribute, compliance, 待办


def test_the_attribute_counts_missed_periods_of_the_last_90_days_and_leaves_out_enterprises_without_a_checklist(
    cast, django_assert_num_queries
):
    other = EnterpriseFactory(region=cast.village_a, industry=industry("construction"))
    _weekly(cast)
    services.sweep(today=MONDAY)
    with django_assert_num_queries(1):
        values = selectors.selfcheck_missing(
            [cast.enterprise_x.pk, other.pk, cast.enterprise_y.pk], today=MONDAY
        )
    assert values == {cast.enterprise_x.pk: 2}
    # 90 days after the last missed week ended it is still counted; the day after, no longer.
    last_end = date(2026, 3, 8)
    assert selectors.selfcheck_missing([cast.enterprise_x.pk], today=last_end + timedelta(days=90)) == {
        cast.enterprise_x.pk: 1
    }
    assert selectors.selfcheck_missing([cast.enterprise_x.pk], today=last_end + timedelta(days=91)) == {
        cast.enterprise_x.pk: 0
    }
    via_kernel = contract.enterprise_attribute("risk.selfcheck_missing", [other.pk])
    assert via_kernel == {other.pk: None}


def test_compliance_counts_done_and_missed_periods_over_the_window(cast):
    checklist = _weekly(cast)
    with at(MONDAY - timedelta(days=7)):
        f.run(cast, checklist)
        f.run(cast, checklist)  # the week's second run counts once
    services.sweep(today=MONDAY)
    row = selectors.compliance_list(cast["dept_housing"], today=MONDAY).get(pk=cast.enterprise_x.pk)
    assert (row.done_30, row.missed_30, row.due_30, row.rate_30) == (1, 1, 2, 50.0)
    assert row.last_run == MONDAY - timedelta(days=7) and row.checklists == 1
    outsiders = selectors.compliance_list(cast["dept_transport"], today=MONDAY)
    assert not outsiders.filter(pk=cast.enterprise_x.pk).exists()


def test_an_enterprise_with_nothing_due_has_no_rate(cast):
    row = selectors.compliance_list(cast["county_office"]).get(pk=cast.enterprise_x.pk)
    assert (row.checklists, row.due_90, row.rate_90, row.last_run) == (0, 0, None, None)


def test_the_todo_lists_checklists_due_this_week_without_a_run(cast):
    with at(date(2026, 3, 2)):
        daily = f.checklist(cast, name="日检", frequency="daily", starts_on=date(2026, 3, 2))
        weekly = f.checklist(cast, name="周检", frequency="weekly", starts_on=date(2026, 3, 2))
        monthly = f.checklist(cast, name="月检", frequency="monthly", starts_on=date(2026, 3, 1))
    user = cast["enterprise_x"]
    with at(date(2026, 3, 4)):
        assert set(selectors.due_checklists(user)) == {daily, weekly}
        f.run(cast, daily)
        assert set(selectors.due_checklists(user)) == {weekly}
        assert not selectors.due_checklists(cast["dept_housing"]).exists()
    with at(date(2026, 3, 30)):  # March's last week: the monthly checklist is due too
        assert set(selectors.due_checklists(user)) == {daily, weekly, monthly}
