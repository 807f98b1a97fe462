"""Plan pages: the list with its filters and empty state, the detail's steps, the filing check, the export,
the to-dos, and the demo step."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core.contract import registry
from anlan.emergency.demo import plans as demo_plans
from anlan.emergency.models import Plan, PlanFiling
from anlan.emergency.selectors import plans as selectors

from .factories_plans import enterprise_plan, housing_unit, town_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def late_november():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


def test_the_list_shows_plans_in_scope_and_filters_by_owner_kind(cast, as_user):
    enterprise_plan(cast)
    town_plan(cast)
    client = as_user(cast["county_office"])
    page = client.get(reverse("emergency:plan-list")).content.decode()
    assert "来安县建工集团生产安全事故综合应急预案" in page and "新安镇生产安全事故综合应急预案" in page
    page = client.get(reverse("emergency:plan-list"), {"owner_kind": "enterprise"}).content.decode()
    assert "新安镇生产安全事故综合应急预案" not in page
    page = as_user(cast["town_b"]).get(reverse("emergency:plan-list")).content.decode()
    assert "没有符合条件的应急预案。" in page


def test_the_overdue_filter_finds_a_plan_past_its_filing_deadline(cast, as_user):
    late = enterprise_plan(cast, state="published", day=date(2026, 10, 9))
    enterprise_plan(cast, state="published", day=date(2026, 11, 30), title="按时的预案")
    page = (
        as_user(cast["enterprise_x"])
        .get(reverse("emergency:plan-list"), {"overdue": "filing"})
        .content.decode()
    )
    assert late.title in page and "按时的预案" not in page


def test_the_owner_walks_the_plan_from_draft_to_filed_through_the_pages(cast, as_user):
    client = as_user(cast["enterprise_x"])
    plan = enterprise_plan(cast)
    today = "2026-11-30"
    for name, data in (
        (
            "emergency:plan-review",
            {"held_on": today, "reviewers": "张专家", "no_conflict": "on", "conclusion": "passed"},
        ),
        ("emergency:plan-sign", {"signed_on": today}),
        ("emergency:plan-publish", {"published_on": today}),
        ("emergency:plan-file", {"receiver": housing_unit(cast).pk, "submitted_on": today}),
    ):
        response = client.post(reverse(name, args=[plan.pk]), data)
        assert response.status_code == 302, name
    plan.refresh_from_db()
    assert plan.filing_status == Plan.FilingStatus.SUBMITTED
    page = client.get(reverse("emergency:plan-detail", args=[plan.pk])).content.decode()
    assert "待审查" in page and cast.dept_housing.name in page


def test_a_refused_step_says_why_and_changes_nothing(cast, as_user):
    client = as_user(cast["enterprise_x"])
    plan = enterprise_plan(cast)
    response = client.post(
        reverse("emergency:plan-review", args=[plan.pk]),
        {"held_on": "2026-12-05", "reviewers": "张", "no_conflict": "on", "conclusion": "passed"},
        follow=True,
    )
    assert "评审日期不能晚于今天。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_the_receiving_department_checks_and_the_owner_downloads_the_registration_form(cast, as_user):
    plan = enterprise_plan(cast, state="published", day=date(2026, 11, 30))
    from anlan.emergency.services import plans as services

    filing = services.submit_filing(
        actor=cast["enterprise_x"], plan_pk=plan.pk, receiver_pk=housing_unit(cast).pk
    )
    housing = as_user(cast["dept_housing"])
    page = housing.get(reverse("emergency:plan-filing-check", args=[filing.pk])).content.decode()
    assert "材料不齐，一次性告知补正" in page and "应急资源调查清单" in page
    assert housing.post(reverse("emergency:plan-filing-accept", args=[filing.pk]), {}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == PlanFiling.Status.ACCEPTED
    response = as_user(cast["enterprise_x"]).get(reverse("emergency:plan-filing-docx", args=[filing.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_export_is_a_ledger_of_the_plans_in_scope(cast, as_user):
    enterprise_plan(cast)
    response = as_user(cast["county_office"]).get(reverse("emergency:plan-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "应急预案台账" in str(values[0]) and "来安县建工集团生产安全事故综合应急预案" in values


def test_the_to_dos_go_to_the_receiver_and_to_the_owner(cast):
    from anlan.emergency.services import plans as services

    filed = enterprise_plan(cast, state="published", day=date(2026, 11, 30))
    unfiled = enterprise_plan(cast, state="published", day=date(2026, 11, 30), title="待备案的预案")
    filing = services.submit_filing(
        actor=cast["enterprise_x"], plan_pk=filed.pk, receiver_pk=housing_unit(cast).pk
    )
    assert list(selectors.filings_to_check(cast["dept_housing"])) == [filing]
    assert not selectors.filings_to_check(cast["county_office"]).exists()
    assert list(selectors.plans_to_file(cast["enterprise_x"])) == [unfiled]
    keys = {todo.key for todo in registry().todos}
    assert {"emergency.plan_filings_to_check", "emergency.plans_to_file"} <= keys


def test_the_demo_step_leaves_plans_in_every_state(cast):
    demo = SimpleNamespace(
        today=date(2026, 11, 30),
        users={
            "qiye": cast["enterprise_x"],
            "xinan": cast["town_a"],
            "zhujian": cast["dept_housing"],
            "yingji": cast["county_office"],
        },
        demo_enterprise=cast.enterprise_x,
        towns={"新安镇": cast.town_a},
        departments={"住建局": cast.dept_housing},
        county=cast.county,
        counts={},
    )
    demo_plans.step(demo)
    assert demo.counts["应急预案"] == 28  # four owners, seven plans each
    statuses = set(Plan.objects.values_list("status", flat=True))
    assert {"draft", "reviewed", "published"} <= statuses
    filings = set(PlanFiling.objects.values_list("status", flat=True))
    assert {"accepted", "returned", "submitted", "deemed"} <= filings


def test_the_plan_timeline_is_newest_first_and_same_day_steps_keep_their_order(cast):
    from anlan.emergency.services import plans as services

    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        first = services.submit_filing(
            actor=cast["enterprise_x"], plan_pk=plan.pk, receiver_pk=housing_unit(cast).pk
        )
        services.return_filing(
            actor=cast["dept_housing"], filing_pk=first.pk, missing_items=["risk_assessment"]
        )
        second = services.submit_filing(
            actor=cast["enterprise_x"], plan_pk=plan.pk, receiver_pk=housing_unit(cast).pk
        )
        services.accept_filing(actor=cast["dept_housing"], filing_pk=second.pk)
    steps = [
        label
        for day, label, _text in selectors.plan_detail(cast["enterprise_x"], plan.pk).timeline
        if day == date(2026, 3, 3)
    ]
    assert steps == ["已备案", "报送备案", "退回补正", "报送备案"]
