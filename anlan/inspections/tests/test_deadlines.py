"""Issue #14: the on-site review of a 复产 application after a 挂牌督办 halt (16号令 第二十三条) and the 双随机
publication deadline (regulations.md §8): the link, the stored and recorded dates, the sweep, the pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anlan.core.errors import DomainError
from anlan.hazards.models import Supervision
from anlan.inspections import selectors, services, sweeps
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import Inspection, RandomDraw, Resumption
from anlan.inspections.services import publication
from anlan.inspections.tests import matrix
from anlan.notifications.models import Notification

from .factories import answers, planned, record_data, supervision

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def _suspend(cast, recorded, **kw):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "description": "责令停产整顿"},
        finding_ids=[finding.pk],
        **kw,
    )


def _listed(cast, enterprise=None, **kw):
    return supervision(enterprise or cast.enterprise_x, cast.dept_housing, cast["county_office"], **kw)


# ---------------------------------------------------------------- the link


def test_a_halt_names_the_supervision_of_the_same_enterprise(cast, recorded_x):
    listed = _listed(cast)
    action = _suspend(cast, recorded_x, supervision_pk=listed.pk)
    assert action.suspension.supervision == listed
    assert action.suspension.history.latest().supervision_id == listed.pk


@pytest.mark.parametrize("which", ["other_enterprise", "lifted", "unknown"])
def test_a_supervision_not_listed_for_the_enterprise_is_refused(cast, recorded_x, which):
    if which == "other_enterprise":
        pk = _listed(cast, enterprise=cast.enterprise_y).pk
    elif which == "lifted":
        pk = _listed(cast, status=Supervision.Status.LIFTED).pk
    else:
        pk = 999999
    with pytest.raises(DomainError) as caught:
        _suspend(cast, recorded_x, supervision_pk=pk)
    assert caught.value.code == ErrorCode.SUPERVISION_NOT_OF_ENTERPRISE
    assert caught.value.field == "supervision" and "挂牌督办" in str(caught.value.message)
    assert not recorded_x.actions.exists()


def test_only_a_suspension_order_names_a_supervision(cast, recorded_x):
    finding = recorded_x.answers.filter(result="non_compliant").first()
    with pytest.raises(DomainError) as caught:
        services.take_enforcement(
            actor=cast["dept_housing"],
            inspection_pk=recorded_x.pk,
            data={"kind": "rectification", "description": "限期整改", "due_on": date.today() + timedelta(9)},
            finding_ids=[finding.pk],
            supervision_pk=_listed(cast).pk,
        )
    assert caught.value.code == ErrorCode.SUPERVISION_ONLY_FOR_SUSPENSION


def test_an_existing_suspension_is_linked_once_and_its_pending_application_gets_a_deadline(cast, recorded_x):
    suspension = _suspend(cast, recorded_x).suspension
    with at(date(2026, 3, 1)):
        application = services.apply_resumption(
            actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
        )
    assert application.review_due_on is None
    with pytest.raises(PermissionDenied):
        services.link_supervision(
            actor=cast["enterprise_x"], suspension_pk=suspension.pk, supervision_pk=_listed(cast).pk
        )
    listed = _listed(cast)
    services.link_supervision(
        actor=cast["dept_housing"], suspension_pk=suspension.pk, supervision_pk=listed.pk
    )
    application.refresh_from_db()
    assert application.review_due_on == date(2026, 3, 11)
    with pytest.raises(DomainError) as caught:
        services.link_supervision(
            actor=cast["dept_housing"], suspension_pk=suspension.pk, supervision_pk=_listed(cast).pk
        )
    assert caught.value.code == ErrorCode.SUPERVISION_ALREADY_LINKED


def test_the_link_page_offers_the_enterprises_listed_supervisions(cast, recorded_x, as_user):
    suspension = _suspend(cast, recorded_x).suspension
    listed = _listed(cast)
    other = _listed(cast, enterprise=cast.enterprise_y)
    client = as_user(cast["dept_housing"])
    detail = client.get(reverse("inspections:suspension-detail", args=[suspension.pk])).content.decode()
    assert 'data-testid="link-supervision"' in detail
    page = client.get(
        reverse("inspections:suspension-link-supervision", args=[suspension.pk])
    ).content.decode()
    assert listed.letter_number in page and other.letter_number not in page
    response = client.post(
        reverse("inspections:suspension-link-supervision", args=[suspension.pk]), {"supervision": other.pk}
    )
    assert response.status_code == 200  # the form again, with the choice refused
    client.post(
        reverse("inspections:suspension-link-supervision", args=[suspension.pk]), {"supervision": listed.pk}
    )
    suspension.refresh_from_db()
    assert suspension.supervision == listed
    detail = client.get(reverse("inspections:suspension-detail", args=[suspension.pk])).content.decode()
    assert listed.letter_number in detail and 'data-testid="link-supervision"' not in detail


# ---------------------------------------------------------------- the review deadline


def _linked_application(cast, recorded_x, received: date) -> Resumption:
    suspension = _suspend(cast, recorded_x, supervision_pk=_listed(cast).pk).suspension
    with at(received):
        return services.apply_resumption(
            actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
        )


def test_the_review_is_due_ten_days_after_the_application_is_received(cast, recorded_x):
    application = _linked_application(cast, recorded_x, date(2026, 3, 1))
    application.refresh_from_db()
    assert application.review_due_on == date(2026, 3, 11) and application.reviewed_on is None
    assert application.awaits_review


def test_an_application_without_a_supervision_has_no_review_deadline(cast, recorded_x):
    suspension = _suspend(cast, recorded_x).suspension
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="x"
    )
    assert application.review_due_on is None and not application.awaits_review


@pytest.mark.parametrize("approve", [True, False])
def test_the_department_steps_decision_is_the_review(cast, recorded_x, approve):
    application = _linked_application(cast, recorded_x, date(2026, 3, 1))
    with at(date(2026, 3, 9)):
        services.decide_resumption(
            actor=cast["dept_housing"], application_pk=application.pk, approve=approve, opinion="现场审查"
        )
    application.refresh_from_db()
    assert application.reviewed_on == date(2026, 3, 9) and not application.awaits_review


def test_the_page_and_the_todo_show_the_deadline_and_when_it_is_missed(cast, recorded_x, as_user):
    application = _linked_application(cast, recorded_x, date(2026, 3, 1))
    with at(date(2026, 3, 10)):
        items = selectors.resumption_todo_items(selectors.resumption_steps_to_sign(cast["dept_housing"]), 5)
        assert [(i.due, str(i.note)) for i in items] == [(date(2026, 3, 11), "待现场审查（挂牌督办后复产）")]
        assert items[0].url == reverse("inspections:suspension-detail", args=[application.suspension_id])
        page = as_user(cast["dept_housing"]).get(items[0].url).content.decode()
        assert 'data-testid="review-deadline"' in page and "2026-03-11" in page and "剩 1 天" in page
    with at(date(2026, 3, 12)):
        items = selectors.resumption_todo_items(selectors.resumption_steps_to_sign(cast["dept_housing"]), 5)
        assert str(items[0].note) == "逾期未现场审查（挂牌督办后复产）"
        page = as_user(cast["dept_housing"]).get(items[0].url).content.decode()
        assert "逾期 1 天" in page and "逾期未现场审查" in page


def test_the_sweep_flags_a_missed_review_once_and_tells_the_department_and_the_office(cast, recorded_x):
    application = _linked_application(cast, recorded_x, date(2026, 3, 1))
    due = application.review_due_on
    assert sweeps.run(today=due)["reviews_overdue"] == 0  # the due day itself is on time
    now = datetime.combine(due + timedelta(days=1), time(8), tzinfo=SHANGHAI)
    first = sweeps.run(today=due + timedelta(days=1), now=now)
    assert first["reviews_overdue"] == 1
    # Run again, and a second worker that had read the candidates before the first claimed them.
    assert sweeps.run(today=due + timedelta(days=2))["reviews_overdue"] == 0
    candidates = selectors.review_overdue(due + timedelta(days=1))
    assert not sweeps._claim(Resumption, application.pk, "review_overdue_at", candidates, now)
    application.refresh_from_db()
    assert application.review_overdue_at == now
    sent = Notification.objects.filter(kind=sweeps.REVIEW_OVERDUE)
    assert {n.recipient for n in sent} == {cast["dept_housing"], cast["county_office"]}
    assert sent.count() == 2 == first["messages"]


def test_a_reviewed_application_is_not_flagged(cast, recorded_x):
    application = _linked_application(cast, recorded_x, date(2026, 3, 1))
    with at(date(2026, 3, 5)):
        services.decide_resumption(
            actor=cast["dept_housing"], application_pk=application.pk, approve=True, opinion="现场审查合格"
        )
    assert sweeps.run(today=date(2026, 3, 20))["reviews_overdue"] == 0


# ---------------------------------------------------------------- 双随机 publication


def _drawn(cast, team, start: date, end: date, n: int = 2) -> RandomDraw:
    draw = RandomDraw.objects.create(
        department=cast.dept_housing,
        title="双随机",
        period_start=start,
        period_end=end,
        region=cast.county,
        sample_size=n,
        seed=1,
        drawn_by=cast["dept_housing"],
        status=RandomDraw.Status.CONFIRMED,
    )
    for _n in range(n):
        inspection = planned(
            cast.dept_housing,
            cast.enterprise_x,
            team,
            kind=Inspection.Kind.RANDOM,
            created_by=cast["dept_housing"],
        )
        Inspection.objects.filter(pk=inspection.pk).update(draw=draw, planned_on=start)
    return draw


def _record(cast, inspection, day: date):
    with at(day, 16):
        services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=inspection.pk,
            data=record_data(),
            answers=answers("construction"),
        )


def test_confirming_sets_the_deadline_from_the_end_of_the_period(cast, settings):
    with at(date(2026, 3, 2)):
        pk = matrix.draw(cast, confirm=True)["pk"]
    draw = RandomDraw.objects.get(pk=pk)
    assert draw.period_end == date(2026, 3, 22)
    # 20 working days after Sunday 22 March 2026, the 清明 holiday (Monday 6 April) not counted: Monday 20 April.
    assert (draw.ended_on, draw.publish_due_on) == (date(2026, 3, 22), date(2026, 4, 20))
    assert draw.history.latest().publish_due_on == date(2026, 4, 20)


def test_the_inspection_ends_when_the_last_drawn_visit_is_recorded(cast, team):
    draw = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 31))
    publication.refresh_deadline(draw, cast["dept_housing"])
    first, second = draw.inspections.order_by("pk")
    _record(cast, first, date(2026, 3, 3))
    draw.refresh_from_db()
    assert draw.ended_on == date(2026, 3, 31)  # one visit still to make: the period's end
    _record(cast, second, date(2026, 3, 4))
    draw.refresh_from_db()
    # Ended Wednesday 4 March; 20 working days later is Wednesday 1 April.
    assert (draw.ended_on, draw.publish_due_on) == (date(2026, 3, 4), date(2026, 4, 1))


def test_a_visit_recorded_after_the_period_does_not_move_the_deadline(cast, team):
    draw = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 6), n=1)
    _record(cast, draw.inspections.get(), date(2026, 3, 10))
    draw.refresh_from_db()
    assert draw.ended_on == date(2026, 3, 6)


def test_the_configured_days_are_respected(cast, team, settings):
    settings.ANLAN_DRAW_PUBLISH_DAYS = 10
    settings.ANLAN_DRAW_PUBLISH_WORKING_DAYS = False
    draw = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 31), n=1)
    _record(cast, draw.inspections.get(), date(2026, 3, 4))
    draw.refresh_from_db()
    assert draw.publish_due_on == date(2026, 3, 14)


def test_a_missing_calendar_year_leaves_the_deadline_for_the_sweep(cast, team):
    draw = _drawn(cast, team, date(2027, 3, 1), date(2027, 3, 5), n=1)
    publication.refresh_deadline(draw, cast["dept_housing"])
    draw.refresh_from_db()
    assert draw.ended_on == date(2027, 3, 5) and draw.publish_due_on is None
    assert sweeps.run(today=date(2027, 3, 8))["publication_deadlines_filled"] == 0


@pytest.mark.parametrize("published_on, late", [(date(2026, 4, 1), False), (date(2026, 4, 2), True)])
def test_publishing_after_the_due_day_is_late(cast, team, as_user, published_on, late):
    draw = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 4), n=1)
    publication.refresh_deadline(draw, cast["dept_housing"])
    draw.refresh_from_db()
    assert draw.publish_due_on == date(2026, 4, 1)
    with at(published_on):
        services.publish_draw(actor=cast["dept_housing"], draw_pk=draw.pk)
        draw.refresh_from_db()
        assert draw.published_late is late
        client = as_user(cast["dept_housing"])
        for url in (reverse("inspections:draw-list"), reverse("inspections:draw-detail", args=[draw.pk])):
            assert ('data-testid="published-late"' in client.get(url).content.decode()) is late
        listed = client.get(reverse("inspections:draw-list") + "?publication=late").content.decode()
        assert (f'href="{reverse("inspections:draw-detail", args=[draw.pk])}"' in listed) is late


def test_the_sweep_flags_an_unpublished_draw_once_and_the_list_filters_it(cast, team, as_user):
    overdue = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 4), n=1)
    soon = _drawn(cast, team, date(2026, 3, 2), date(2026, 3, 20), n=1)
    for draw in (overdue, soon):
        publication.refresh_deadline(draw, cast["dept_housing"])
    overdue.refresh_from_db()
    assert sweeps.run(today=overdue.publish_due_on)["publications_overdue"] == 0
    day = overdue.publish_due_on + timedelta(days=1)
    assert sweeps.run(today=day)["publications_overdue"] == 1
    assert sweeps.run(today=day)["publications_overdue"] == 0
    assert Notification.objects.filter(kind=sweeps.PUBLICATION_OVERDUE).count() == 1
    overdue.refresh_from_db()
    assert overdue.publish_overdue_at is not None
    with at(day):
        client = as_user(cast["dept_housing"])
        page = client.get(reverse("inspections:draw-list") + "?publication=overdue").content.decode()
        assert f'href="{reverse("inspections:draw-detail", args=[overdue.pk])}"' in page
        assert f'href="{reverse("inspections:draw-detail", args=[soon.pk])}"' not in page
        assert 'data-testid="publication-overdue"' in page
        everything = client.get(reverse("inspections:draw-list")).content.decode()
        assert 'data-testid="days-left"' in everything  # the one due soon


def test_the_order_form_offers_the_enterprises_listed_supervisions(cast, recorded_x, as_user):
    listed = _listed(cast)
    other = _listed(cast, enterprise=cast.enterprise_y)
    client = as_user(cast["dept_housing"])
    url = reverse("inspections:enforcement-create", args=[recorded_x.pk])
    page = client.get(url).content.decode()
    assert 'name="supervision"' in page and listed.letter_number in page and other.letter_number not in page
    finding = recorded_x.answers.filter(result="non_compliant").first()
    response = client.post(
        url,
        {
            "kind": "suspension",
            "description": "责令停产整顿",
            "findings": [finding.pk],
            "supervision": listed.pk,
        },
    )
    assert response.status_code == 302
    assert recorded_x.actions.get().suspension.supervision == listed
