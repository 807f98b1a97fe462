"""四级包保: the office pairs leaders with towns, enterprises and geohazard points (refusals with their messages,
one history row each, the leader told); only the paired leader or the office records a visit, which moves the
next due day; the sweep flags each overdue due day once; scope (a town its own, an enterprise who 包保s it, a
department nothing); the pages, the filter 逾期未走访, 我的包保, the leader's 待办 and the ledger."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core.errors import DomainError
from anlan.governance import rules
from anlan.governance.models import Assignment, Visit
from anlan.governance.selectors import baobao as selectors
from anlan.governance.services import baobao as services
from anlan.governance.tests import factories_baobao as f
from anlan.notifications.models import Notification


def _history(obj) -> list[str]:
    return list(obj.history.order_by("history_id").values_list("history_change_reason", flat=True))


# ---------------------------------------------------------------- pairing


def test_the_office_pairs_a_leader_with_a_town_and_the_leader_is_told(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = f.assignment(cast)
    assert a.region_id == cast.town_a.code
    assert a.every_days == 90  # the county level's default
    assert a.due_on == a.started_on + timedelta(days=90)
    assert a.owner_unit == f.office(cast)
    assert _history(a) == ["确定包保关系"]
    assert a.history.get().history_user == cast["county_office"]
    told = Notification.objects.filter(recipient=cast["leader"], kind=services.NOTICE)
    assert told.count() == 1 and "新安镇" in told.get().title


@pytest.mark.parametrize("target_type", ["enterprise", "point"])
def test_a_pairing_takes_the_region_of_its_enterprise_or_point(cast, target_type):
    a = f.assignment(cast, target_type, level="village")
    assert a.region_id == cast.village_a.code
    assert a.every_days == 14
    assert a.target_type == target_type and a.target is not None


def test_a_given_frequency_overrides_the_levels_default(cast):
    assert f.assignment(cast, every_days=45).every_days == 45


@pytest.mark.parametrize("who", ["town_a", "leader", "dept_housing", "enterprise_x"])
def test_only_the_office_pairs(cast, who):
    with pytest.raises(PermissionDenied):
        services.create_assignment(actor=cast[who], data=f.data(cast))
    assert not Assignment.objects.exists()


def test_a_leader_outside_the_government_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        f.assignment(cast, leader=cast["enterprise_x"])
    assert caught.value.code == services.ErrorCode.LEADER_INVALID and caught.value.field == "leader"
    assert not Assignment.objects.exists()


def test_a_target_of_another_type_than_chosen_is_refused(cast):
    data = f.data(cast)
    data["target_type"] = "enterprise"
    with pytest.raises(DomainError) as caught:
        services.create_assignment(actor=cast["county_office"], data=data)
    assert caught.value.code == services.ErrorCode.TARGET_INVALID and caught.value.field == "enterprise"
    assert str(caught.value.message) == "请选择您管辖范围内的包保对象。"


def test_the_same_leader_cannot_be_paired_twice_with_one_target_for_one_kind(cast):
    f.assignment(cast)
    with pytest.raises(DomainError) as caught:
        f.assignment(cast)
    assert caught.value.field == "leader"
    assert Assignment.objects.count() == 1
    f.assignment(cast, kind="flood")  # 防汛挂联 is another pairing
    assert Assignment.objects.count() == 2


def test_a_frequency_beyond_a_year_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        f.assignment(cast, every_days=400)
    assert caught.value.code == rules.BaobaoCode.EVERY_DAYS
    assert not Assignment.objects.exists()


def test_an_unknown_level_is_refused_with_a_message(cast):
    with pytest.raises(DomainError) as caught:
        f.assignment(cast, level="province")
    assert caught.value.code == services.ErrorCode.LEVEL_INVALID and caught.value.field == "level"
    assert not Assignment.objects.exists()


def test_the_office_edits_and_the_due_day_follows_the_new_frequency(cast):
    a = f.assignment(cast)
    data = {name: getattr(a, name) for name in services.EDITABLE} | {"every_days": 30}
    services.update_assignment(actor=cast["county_office"], assignment_pk=a.pk, data=data)
    a.refresh_from_db()
    assert a.due_on == a.started_on + timedelta(days=30)
    assert _history(a)[-1] == "修改包保关系"


def test_the_leader_cannot_edit_or_deactivate_their_own_pairing(cast):
    a = f.assignment(cast)
    data = {name: getattr(a, name) for name in services.EDITABLE} | {"every_days": 365}
    with pytest.raises(PermissionDenied):
        services.update_assignment(actor=cast["leader"], assignment_pk=a.pk, data=data)
    with pytest.raises(PermissionDenied):
        services.deactivate_assignment(actor=cast["leader"], assignment_pk=a.pk, reason="不想去")
    a.refresh_from_db()
    assert a.every_days == 90 and a.is_active and len(_history(a)) == 1


def test_deactivating_needs_a_reason_and_happens_once(cast):
    a = f.assignment(cast)
    with pytest.raises(DomainError) as caught:
        services.deactivate_assignment(actor=cast["county_office"], assignment_pk=a.pk, reason=" ")
    assert caught.value.field == "reason"
    services.deactivate_assignment(actor=cast["county_office"], assignment_pk=a.pk, reason="职务调整")
    a.refresh_from_db()
    assert not a.is_active and _history(a)[-1] == "撤销包保关系：职务调整"
    with pytest.raises(DomainError) as caught:
        services.deactivate_assignment(actor=cast["county_office"], assignment_pk=a.pk, reason="再次")
    assert caught.value.code == services.ErrorCode.ALREADY_INACTIVE


# ---------------------------------------------------------------- visits


def test_the_leaders_visit_moves_the_next_due_day(cast):
    a = f.assignment(cast)
    today = timezone.localdate()
    v = f.visit(cast, a, findings="值班表未更新。", problems_found=1)
    a.refresh_from_db()
    assert a.last_visited_on == today
    assert a.due_on == today + timedelta(days=90)
    assert v.recorded_by == cast["leader"] and _history(v) == ["登记包保走访"]
    assert _history(a)[-1] == "走访后更新下次走访时限"


def test_an_older_visit_recorded_later_does_not_move_the_due_day_back(cast):
    a = f.assignment(cast)
    today = timezone.localdate()
    f.visit(cast, a)
    f.visit(cast, a, visited_on=today - timedelta(days=5))
    a.refresh_from_db()
    assert a.last_visited_on == today and a.due_on == today + timedelta(days=90)


@pytest.mark.parametrize("who", ["county_office", "town_a", "enterprise_x"])
def test_nobody_but_the_leader_records_a_visit_not_even_the_office_keeping_the_list(cast, who):
    a = f.assignment(cast, "enterprise")
    with pytest.raises(PermissionDenied) as caught:
        f.visit(cast, a, actor=cast[who])
    assert str(caught.value) == "只有包保领导本人可以登记走访。"
    assert not Visit.objects.exists()


def test_a_visit_out_of_scope_is_404(cast):
    a = f.assignment(cast)
    with pytest.raises(Http404):
        f.visit(cast, a, actor=cast["town_b"])


def test_a_visit_before_the_start_or_in_the_future_is_refused(cast):
    a = f.assignment(cast)
    for day, code in (
        (a.started_on - timedelta(days=1), rules.BaobaoCode.VISIT_BEFORE_START),
        (timezone.localdate() + timedelta(days=1), rules.BaobaoCode.VISIT_IN_FUTURE),
    ):
        with pytest.raises(DomainError) as caught:
            f.visit(cast, a, visited_on=day)
        assert caught.value.code == code
    assert not Visit.objects.exists()


def test_no_visit_is_recorded_on_a_deactivated_pairing(cast):
    a = f.assignment(cast)
    services.deactivate_assignment(actor=cast["county_office"], assignment_pk=a.pk, reason="职务调整")
    with pytest.raises(DomainError) as caught:
        f.visit(cast, a)
    assert caught.value.code == services.ErrorCode.INACTIVE
    assert not Visit.objects.exists()


# ---------------------------------------------------------------- the sweep


def _overdue(cast, days_past=3, **overrides):
    a = f.assignment(cast, **overrides)
    Assignment.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - timedelta(days=days_past))
    a.refresh_from_db()
    return a


def test_the_sweep_flags_an_overdue_pairing_once_and_tells_the_leader_and_the_office(
    cast, django_capture_on_commit_callbacks
):
    a = _overdue(cast)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_overdue(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sweep_overdue(today=today)
    assert first == {"flagged": 1} and second == {"flagged": 0}
    a.refresh_from_db()
    assert a.overdue_flagged_for == a.due_on
    for who in ("leader", "county_office"):
        told = Notification.objects.filter(recipient=cast[who], kind=services.NOTICE, title__contains="逾期")
        assert told.count() == 1
        assert "已逾期 3 天" in told.get().body
    assert not Notification.objects.filter(recipient=cast["town_b"]).exists()
    assert a.history.latest("history_id").history_user.username == "system"


def test_the_sweep_leaves_a_pairing_due_today_alone(cast):
    _overdue(cast, days_past=0)
    assert services.sweep_overdue(today=timezone.localdate()) == {"flagged": 0}


def test_the_sweep_leaves_a_deactivated_pairing_alone(cast):
    a = _overdue(cast)
    services.deactivate_assignment(actor=cast["county_office"], assignment_pk=a.pk, reason="职务调整")
    assert services.sweep_overdue(today=timezone.localdate()) == {"flagged": 0}


def test_a_visit_clears_it_and_the_next_missed_due_day_is_flagged_again(cast):
    a = _overdue(cast)
    today = timezone.localdate()
    services.sweep_overdue(today=today)
    f.visit(cast, a)
    assert services.sweep_overdue(today=today) == {"flagged": 0}
    a.refresh_from_db()
    later = a.due_on + timedelta(days=1)
    assert services.sweep_overdue(today=later) == {"flagged": 1}


# ---------------------------------------------------------------- scope


def test_who_sees_a_pairing_with_a_town(cast):
    a = f.assignment(cast)
    seeing = {who for who in cast.users if Assignment.objects.for_user(cast[who]).filter(pk=a.pk).exists()}
    assert seeing == {"county_office", "town_a", "leader"}


def test_an_enterprise_sees_who_pairs_with_it_and_only_that(cast):
    mine = f.assignment(cast, "enterprise")
    f.assignment(cast)
    visible = Assignment.objects.for_user(cast["enterprise_x"])
    assert list(visible) == [mine]
    assert not selectors.office_units(cast["enterprise_x"]).exists()


def test_a_leader_of_a_department_sees_their_own_pairing_though_departments_see_none(cast):
    a = f.assignment(cast, leader=cast["dept_housing"], leader_post="住建局局长")
    other = f.assignment(cast, "enterprise")
    visible = set(Assignment.objects.for_user(cast["dept_housing"]))
    assert visible == {a} and other not in visible


def test_the_overdue_filter_and_my_todo(cast):
    late = _overdue(cast)
    f.assignment(cast, kind="flood")
    assert list(Assignment.objects.filter(selectors.overdue_q(timezone.localdate()))) == [late]
    assert list(selectors.my_overdue(cast["leader"])) == [late]
    assert not selectors.my_overdue(cast["county_office"]).exists()


# ---------------------------------------------------------------- pages


def test_the_list_filters_overdue(cast, as_user):
    late = _overdue(cast)
    on_time = f.assignment(cast, kind="flood")
    client = as_user(cast["county_office"])
    body = client.get(reverse("governance:baobao-list"), {"overdue": "true"}).content.decode()
    assert reverse("governance:baobao-detail", args=[late.pk]) in body
    assert reverse("governance:baobao-detail", args=[on_time.pk]) not in body


def test_the_detail_shows_visits_and_the_overdue_days(cast, as_user):
    a = _overdue(cast, days_past=4)
    Visit.objects.create(
        assignment=a,
        visited_on=a.started_on,
        checked="查看值班记录",
        findings="台账缺页",
        problems_found=1,
        recorded_by=cast["leader"],
    )
    body = as_user(cast["leader"]).get(reverse("governance:baobao-detail", args=[a.pk])).content.decode()
    assert "台账缺页" in body and "逾期 4 天" in body
    assert reverse("governance:baobao-visit-create", args=[a.pk]) in body
    assert reverse("governance:baobao-edit", args=[a.pk]) not in body


def test_my_baobao_lists_the_leaders_own_pairings(cast, as_user):
    mine = f.assignment(cast)
    other = f.assignment(cast, leader=cast["town_a"], leader_post="镇长", level="town")
    body = as_user(cast["leader"]).get(reverse("governance:baobao-mine")).content.decode()
    assert reverse("governance:baobao-detail", args=[mine.pk]) in body
    assert reverse("governance:baobao-detail", args=[other.pk]) not in body


def test_the_create_page_pairs_and_redirects_to_the_pairing(cast, as_user):
    client = as_user(cast["county_office"])
    response = client.post(
        reverse("governance:baobao-create"),
        {
            "owner_unit": f.office(cast).pk,
            "leader": cast["leader"].pk,
            "leader_post": "副县长",
            "level": "town",
            "kind": "flood",
            "target_type": "town",
            "town": f.town(cast).pk,
        },
    )
    a = Assignment.objects.get()
    assert response.status_code == 302 and response.url == reverse("governance:baobao-detail", args=[a.pk])
    assert a.every_days == 30 and a.kind == "flood"


def test_the_create_page_keeps_the_input_and_names_the_missing_target(cast, as_user):
    client = as_user(cast["county_office"])
    response = client.post(
        reverse("governance:baobao-create"),
        {
            "owner_unit": f.office(cast).pk,
            "leader": cast["leader"].pk,
            "leader_post": "副县长",
            "level": "town",
            "kind": "flood",
            "target_type": "enterprise",
        },
    )
    assert response.status_code == 200
    assert "请选择您管辖范围内的包保对象。" in response.content.decode()
    assert "副县长" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_ledger_lists_the_pairings_with_their_overdue_flag(cast, as_user):
    _overdue(cast)
    response = as_user(cast["county_office"]).get(reverse("governance:baobao-export"))
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "新安镇" in values and "是" in values


def test_the_enterprise_panel_names_its_leaders(cast, as_user):
    f.assignment(cast, "enterprise")
    body = (
        as_user(cast["enterprise_x"])
        .get(reverse("governance:baobao-enterprise-panel", args=[cast.enterprise_x.pk]))
        .content.decode()
    )
    assert "县委常委、副县长" in body


def test_the_list_takes_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for kind in ("safety", "flood"):
        f.assignment(cast, kind=kind)
        f.assignment(cast, "enterprise", kind=kind)
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("governance:baobao-list")).status_code == 200
