"""自查自改's pages as their users use them: the enterprise builds a checklist (errors name the field), records a run
with a problem (a 企业自查 hazard appears) and a run that found nothing, is refused a future day, and sees its
gaps on the month calendar; a supervisor reads the compliance list (filters, search, sort, the XLSX ledger) and
the panel on the enterprise page; out of scope is 404."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from django.urls import reverse
from django.utils import timezone

from anlan.hazards import selectors as hazard_selectors
from anlan.risk.models import Checklist, RunResult, SelfInspectionRun
from anlan.risk.selectors import selfcheck as selectors
from anlan.risk.tests import factories_selfcheck as f


def _run_post(checklist, *, problems=None, nothing_found=False, done_on=None):
    problems = problems or {}
    data = {
        "done_on": (done_on or timezone.localdate()).isoformat(),
        "inspector_name": "张安全",
    }
    for index, item in enumerate(selectors.items_of(checklist)):
        if index in problems:
            data[f"result_{item.pk}"] = RunResult.Result.PROBLEM
            data[f"note_{item.pk}"] = problems[index]
        else:
            data[f"result_{item.pk}"] = RunResult.Result.OK
    if nothing_found:
        data["nothing_found"] = "on"
    return data


def test_the_enterprise_creates_a_checklist_and_a_missing_item_list_is_named(cast, as_user):
    client = as_user(cast["enterprise_x"])
    url = reverse("risk:selfcheck-checklist-create", args=[cast.enterprise_x.pk])
    data = {"name": "仓库周检表", "post": "危化品仓库", "frequency": "weekly", "items": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "items" in refused.context["form"].errors
    assert not Checklist.objects.exists()
    made = client.post(url, {**data, "items": "灭火器在有效期内 | GB 50140\n通道畅通"})
    checklist = Checklist.objects.get()
    assert made["Location"] == reverse("risk:selfcheck-checklist-detail", args=[checklist.pk])
    assert [item.content for item in selectors.items_of(checklist)] == ["灭火器在有效期内", "通道畅通"]


def test_a_run_with_a_problem_registers_a_self_inspection_hazard(cast, as_user):
    checklist = f.checklist(cast)
    client = as_user(cast["enterprise_x"])
    response = client.post(
        reverse("risk:selfcheck-run-create", args=[checklist.pk]),
        _run_post(checklist, problems={1: "三层临边防护栏杆缺失"}),
    )
    run = SelfInspectionRun.objects.get()
    assert response["Location"] == reverse("risk:selfcheck-run-detail", args=[run.pk])
    assert (run.found_problems, run.problem_count) == (True, 1)
    problem = run.results.get(result=RunResult.Result.PROBLEM)
    assert problem.hazard is not None
    assert problem.hazard.enterprise == cast.enterprise_x
    assert "三层临边防护栏杆缺失" in problem.hazard.description
    hazards = hazard_selectors.hazard_list(cast["enterprise_x"]).filter(pk=problem.hazard_id)
    assert hazards.exists()  # the enterprise finds it in its own hazards
    assert "三层临边防护栏杆缺失" in client.get(response["Location"]).content.decode()


def test_a_run_that_found_nothing_is_recorded_only_when_confirmed(cast, as_user):
    checklist = f.checklist(cast)
    client = as_user(cast["enterprise_x"])
    url = reverse("risk:selfcheck-run-create", args=[checklist.pk])
    unconfirmed = client.post(url, _run_post(checklist))
    assert unconfirmed.status_code == 200
    assert "本次自查未发现问题" in unconfirmed.content.decode()
    assert not SelfInspectionRun.objects.exists()
    client.post(url, _run_post(checklist, nothing_found=True))
    run = SelfInspectionRun.objects.get()
    assert (run.found_problems, run.problem_count) == (False, 0)
    assert not run.results.exclude(result=RunResult.Result.OK).exists()


def test_a_run_for_a_future_day_is_refused_with_a_message(cast, as_user):
    checklist = f.checklist(cast)
    response = as_user(cast["enterprise_x"]).post(
        reverse("risk:selfcheck-run-create", args=[checklist.pk]),
        _run_post(checklist, nothing_found=True, done_on=timezone.localdate() + timedelta(days=1)),
    )
    assert response.status_code == 200
    assert "自查日期不能晚于今天" in response.content.decode()
    assert not SelfInspectionRun.objects.exists()


def test_the_calendar_marks_the_days_of_a_missed_period(cast, as_user):
    checklist = f.checklist(cast)  # daily, from 60 days ago
    today = timezone.localdate()
    f.run(cast, checklist, done_on=today)
    page = as_user(cast["enterprise_x"]).get(
        reverse("risk:selfcheck-calendar", args=[cast.enterprise_x.pk]),
        {"month": f"{today.year}-{today.month:02d}"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert f'data-day="{today.isoformat()}"' in text
    if today.day > 1:  # the days before today this month went without a run
        yesterday = today - timedelta(days=1)
        assert page.context["gap_days"] >= 1
        assert f'data-day="{yesterday.isoformat()}" data-gap="1"' in text
    assert page.context["run_count"] == 1


def test_a_supervisor_reads_compliance_filtered_searched_and_sorted(cast, as_user):
    checklist = f.checklist(cast)
    f.run(cast, checklist)
    client = as_user(cast["county_office"])
    url = reverse("risk:selfcheck-compliance")
    page = client.get(url)
    rows = {row.pk: row for row in page.context["page"]}
    assert cast.enterprise_x.pk in rows
    assert rows[cast.enterprise_x.pk].last_run == timezone.localdate()
    with_list = client.get(url, {"has_checklist": "true"})
    assert [row.pk for row in with_list.context["page"]] == [cast.enterprise_x.pk]
    searched = client.get(url, {"q": cast.enterprise_y.name})
    assert [row.pk for row in searched.context["page"]] == [cast.enterprise_y.pk]
    assert client.get(url, {"sort": "-missed_90"}).status_code == 200
    empty = client.get(url, {"q": "没有这家企业"})
    assert "没有符合条件的企业" in empty.content.decode()


def test_the_compliance_ledger_has_the_enterprises_in_scope(cast, as_user):
    f.run(cast, f.checklist(cast))
    response = as_user(cast["town_a"]).get(reverse("risk:selfcheck-compliance-export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1]
    assert cast.enterprise_x.name in names
    assert cast.enterprise_y.name not in names  # town A does not see town B's enterprise


def test_the_enterprise_panel_shows_the_figures_and_the_record_link_only_to_the_enterprise(cast, as_user):
    f.run(cast, f.checklist(cast))
    url = reverse("risk:selfcheck-enterprise-panel", args=[cast.enterprise_x.pk])
    own = as_user(cast["enterprise_x"]).get(url)
    supervisor = as_user(cast["town_a"]).get(url)
    assert own.context["figures"] == supervisor.context["figures"]
    assert own.context["can_record"] and not supervisor.context["can_record"]


def test_out_of_scope_pages_are_404(cast, as_user):
    checklist = f.checklist(cast)
    run = f.run(cast, checklist)
    client = as_user(cast["town_b"])
    for url in (
        reverse("risk:selfcheck-checklist-detail", args=[checklist.pk]),
        reverse("risk:selfcheck-run-detail", args=[run.pk]),
        reverse("risk:selfcheck-calendar", args=[cast.enterprise_x.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_enterprise_with_no_checklist_sees_an_empty_state(cast, as_user):
    page = as_user(cast["enterprise_x"]).get(reverse("risk:selfcheck-checklist-list"))
    assert page.status_code == 200
    assert "没有符合条件的自查清单" in page.content.decode()
