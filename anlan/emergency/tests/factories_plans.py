"""Scenes for the plans part: plans brought to a state through the services, as a user would."""

from __future__ import annotations

from datetime import date

from anlan.core.units import committee_office_for, unit_for
from anlan.emergency.services import plans as services


def calendar_through_next_year() -> None:
    """Tests only: a weekends-only CalendarYear for next year when none is loaded, so a working-day deadline
    counted from today never depends on the day the suite runs (the real years come from the 国务院办公厅
    notice, anlan/core/data/calendar)."""
    from django.utils import timezone

    from anlan.core.models import CalendarYear

    year = timezone.localdate().year + 1
    CalendarYear.objects.get_or_create(year=year, defaults={"source": "测试用：仅周末"})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan_data(**overrides) -> dict:
    return {
        "kind": "comprehensive",
        "title": "来安县建工集团生产安全事故综合应急预案",
        "number": "JG-YA-01",
        "applies_to": "本公司各在建项目",
        "response_levels": ["1", "2"],
        **overrides,
    }


def enterprise_plan(cast, *, state: str = "draft", day: date = date(2026, 3, 2), **overrides):
    """Enterprise X's plan moved to `state` (draft, reviewed, signed, published, submitted), each step on `day`."""
    actor = cast["enterprise_x"]
    owner = unit_for(cast.enterprise_x)
    plan = services.register_plan(actor=actor, owner_pk=owner.pk, data=plan_data(**overrides))
    return advance(cast, plan, actor, state, day)


def town_plan(cast, *, state: str = "draft", day: date = date(2026, 3, 2), **overrides):
    actor = cast["town_a"]
    owner = unit_for(cast.town_a)
    data = plan_data(title="新安镇生产安全事故综合应急预案", number="XA-01", **overrides)
    plan = services.register_plan(actor=actor, owner_pk=owner.pk, data=data)
    return advance(cast, plan, actor, state, day)


ORDER = ["draft", "reviewed", "signed", "published", "submitted"]


def advance(cast, plan, actor, state: str, day: date):
    steps = ORDER[1 : ORDER.index(state) + 1]
    for step in steps:
        if step == "reviewed":
            services.record_review(
                no_conflict=True,
                actor=actor,
                plan_pk=plan.pk,
                held_on=day,
                reviewers="张专家、李专家",
                conclusion="passed",
            )
        elif step == "signed":
            services.sign_plan(actor=actor, plan_pk=plan.pk, signed_on=day, signed_by="王镇长")
        elif step == "published":
            services.publish_plan(actor=actor, plan_pk=plan.pk, published_on=day)
        elif step == "submitted":
            services.submit_filing(
                actor=actor, plan_pk=plan.pk, receiver_pk=county_office_unit(cast).pk, submitted_on=day
            )
    plan.refresh_from_db()
    return plan


def county_office_unit(cast):
    return committee_office_for(cast.county)


def housing_unit(cast):
    return unit_for(cast.dept_housing)
