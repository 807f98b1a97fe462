"""Warnings: draft → list built and shown → issued (第六十四条) → sent (in-app exactly once, SMS with links) →
confirmed in the app or by link → level changed (第七十条, re-sent) → lifted; escalation of the silent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from anlan.core import jobs, receipts
from anlan.core.errors import DomainError
from anlan.core.models import ReceiptTask, Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.notifications.models import Notification
from anlan.notifications.sms import LocmemSmsBackend
from anlan.warnings import rules
from anlan.warnings.models import PlaceReceiver, WarningRecipient
from anlan.warnings.services import dispatch, targeting
from anlan.warnings.services import warnings as services
from anlan.warnings.tests.factories import TARGETS, built, draft, issued, values


@pytest.fixture(autouse=True)
def sms(settings):
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    LocmemSmsBackend.keys = []
    return LocmemSmsBackend


@pytest.fixture
def place(cast):
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    return PlaceReceiver.objects.create(
        enterprise=cast.enterprise_x, name="商场值班经理", phone="13900000001"
    )


def test_a_draft_may_be_incomplete_but_issuing_names_what_is_missing(cast):
    warning = built(cast, area="", matters="")
    with pytest.raises(DomainError) as error:
        services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    assert error.value.field == "area"
    assert "可能影响的范围" in error.value.message and "警示事项" in error.value.message


def test_an_emergency_warning_needs_its_category(cast):
    warning = built(cast, category="")
    with pytest.raises(DomainError) as error:
        services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    assert error.value.field == "category"


def test_a_signal_may_use_only_its_colours(cast):
    warning = built(cast, kind="signal", category="", hazard="hail", level=3)
    with pytest.raises(DomainError) as error:
        services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    assert error.value.code == services.WarningError.COLOUR_NOT_USED


def test_a_level_outside_one_to_four_is_refused(cast):
    with pytest.raises(DomainError) as error:
        draft(cast, level=5)
    assert error.value.field == "level"


def test_the_end_must_follow_the_start(cast):
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        draft(cast, starts_at=now, ends_at=now)
    assert error.value.field == "ends_at"


def test_issuing_needs_the_list_built_first(cast):
    warning = draft(cast)
    with pytest.raises(DomainError) as error:
        services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    assert error.value.code == services.WarningError.LIST_NOT_BUILT


def test_a_town_may_draft_in_its_subtree_but_not_issue(cast):
    warning = services.create_draft(actor=cast["town_a"], values=values(cast, region=cast.town_a))
    services.build_list(actor=cast["town_a"], warning_pk=warning.pk)
    jobs.work_off()
    with pytest.raises(PermissionDenied):
        services.issue(actor=cast["town_a"], warning_pk=warning.pk)
    with pytest.raises(DomainError):
        services.create_draft(actor=cast["town_a"], values=values(cast, region=cast.town_b))


def test_a_department_may_not_issue(cast):
    warning = built(cast)
    with pytest.raises(Exception):  # noqa: B017 - 404 out of scope or 403: either way not issued
        services.issue(actor=cast["dept_housing"], warning_pk=warning.pk)
    warning.refresh_from_db()
    assert warning.status == rules.DRAFT


def test_the_list_is_stored_once_per_person_and_shown_before_sending(cast, place):
    warning = built(cast)
    rows = WarningRecipient.objects.filter(warning=warning, revision=1)
    reasons = {row.reason for row in rows}
    assert {"committee", "town", "enterprise", "place", "grid"} <= reasons
    assert rows.filter(user=cast["town_a"]).count() == 1
    assert rows.get(reason="place").phone == "13900000001"
    assert not rows.filter(task__isnull=False).exists()  # nothing sent yet
    assert not rows.filter(user=cast["dept_housing"]).exists()  # departments only when named


def test_named_departments_and_industry_filters(cast):
    warning = built(
        cast,
        targets={
            "groups": ["departments", "enterprises"],
            "departments": [cast.dept_housing.pk],
            "industries": [],
        },
    )
    rows = WarningRecipient.objects.filter(warning=warning)
    assert rows.filter(user=cast["dept_housing"], reason="department").exists()
    assert not rows.filter(user=cast["dept_transport"]).exists()
    flagged = built(cast, title="重大危险源", targets={"groups": ["enterprises"], "flags": ["major_hazard"]})
    assert not WarningRecipient.objects.filter(warning=flagged).exists()


def test_a_town_subtree_reaches_only_that_town(cast):
    warning = built(cast, region=cast.town_a, targets={"groups": ["towns", "enterprises", "grid"]})
    users = set(WarningRecipient.objects.filter(warning=warning).values_list("user_id", flat=True))
    assert cast["town_a"].pk in users and cast["enterprise_x"].pk in users and cast["grid_worker"].pk in users
    assert cast["town_b"].pk not in users


def test_issue_sends_tasks_in_app_once_and_sms_with_links(cast, place, sms):
    warning = issued(cast)
    assert warning.status == rules.ISSUED and warning.revision == 1 and warning.issued_at
    rows = WarningRecipient.objects.filter(warning=warning, revision=1)
    assert not rows.filter(task__isnull=True).exists()
    users = rows.filter(user__isnull=False)
    assert Notification.objects.filter(kind="warnings.warning").count() == users.count()
    contact = rows.get(reason="place")
    assert contact.task.recipient_phone == "13900000001" and contact.sms_at is not None
    texts = [text for phone, text in sms.outbox if phone == "13900000001"]
    assert len(texts) == 1 and "/warnings/c/" in texts[0]
    # The job run again (a worker restarted) sends no second in-app message.
    dispatch_job = jobs.enqueue("warnings.dispatch", params={"warning": warning.pk, "revision": 1})
    assert dispatch_job
    jobs.work_off()
    assert Notification.objects.filter(kind="warnings.warning").count() == users.count()
    assert ReceiptTask.objects.filter(object_id=warning.pk, kind="warnings.warning").count() == rows.count()


def test_a_worker_killed_mid_dispatch_loses_no_one_and_doubles_no_message(cast, place, sms, monkeypatch):
    """The first chunk commits, then the worker dies; the re-run sends the rest, the first chunk's users get
    no second in-app message, and the SMS of the chunk in flight go again with the same key (at-least-once)."""
    for i in range(5):
        user = UserFactory(username=f"town_a_{i}", phone=f"1380000000{i}")
        MembershipFactory(user=user, role=Role.TOWN, region=cast.town_a)
    warning = built(cast)
    total = WarningRecipient.objects.filter(warning=warning).count()
    monkeypatch.setattr(dispatch, "CHUNK", 3)
    original = receipts.send_many
    calls = {"n": 0}

    def dies_on_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return original(**kwargs)

    monkeypatch.setattr(receipts, "send_many", dies_on_second_chunk)
    services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    jobs.work_off()  # the run dies in its second chunk
    assert WarningRecipient.objects.filter(warning=warning, task__isnull=False).count() == 3
    monkeypatch.setattr(receipts, "send_many", original)
    jobs.enqueue("warnings.dispatch", params={"warning": warning.pk, "revision": 1})
    jobs.work_off()
    rows = WarningRecipient.objects.filter(warning=warning)
    assert rows.filter(task__isnull=False).count() == total
    per_user = Notification.objects.filter(kind="warnings.warning").values_list("recipient_id", flat=True)
    assert len(per_user) == len(set(per_user)) == rows.filter(user__isnull=False).count()
    assert not rows.exclude(phone="").filter(sms_at__isnull=True).exists()


def test_a_worker_killed_between_sms_and_marking_sends_again_with_the_same_key(cast, place, sms, monkeypatch):
    for i in range(3):
        user = UserFactory(username=f"phone_{i}", phone=f"1370000000{i}")
        MembershipFactory(user=user, role=Role.TOWN, region=cast.town_a)
    warning = built(cast)
    original = sms.send
    calls = {"n": 0}

    def dies_after_two(self, phone, text, key=""):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return original(self, phone, text, key)

    monkeypatch.setattr(sms, "send", dies_after_two)
    services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    jobs.work_off()
    assert len(sms.keys) == 2
    assert not WarningRecipient.objects.filter(warning=warning, sms_at__isnull=False).exists()
    monkeypatch.setattr(sms, "send", original)
    jobs.enqueue("warnings.dispatch", params={"warning": warning.pk, "revision": 1})
    jobs.work_off()
    phones = WarningRecipient.objects.filter(warning=warning).exclude(phone="")
    assert not phones.filter(sms_at__isnull=True).exists()
    first_two = sms.keys[:2]
    assert all(sms.keys.count(key) == 2 for key in first_two)  # sent twice, with one key for the gateway
    assert len(set(sms.keys)) == phones.count()


def test_confirm_in_app_only_ones_own(cast, place):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    with pytest.raises(Exception):  # noqa: B017 - someone else's row is a 404
        services.confirm(actor=cast["town_b"], recipient_pk=row.pk)
    services.confirm(actor=cast["town_a"], recipient_pk=row.pk)
    row.task.refresh_from_db()
    assert row.task.status == "confirmed" and row.task.confirmed_via == "in_app"


def test_confirm_by_link_once_and_a_bad_link_is_refused(cast, place):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, reason="place")
    token = receipts.link_token(row.task)
    services.confirm_by_link(token)
    services.confirm_by_link(token)  # a second tap changes nothing
    row.task.refresh_from_db()
    assert (
        row.task.status == "confirmed" and row.task.confirmed_via == "link" and row.task.confirmed_by is None
    )
    for bad in ("", "123", token[:-2] + "xx", token + "0"):
        with pytest.raises(DomainError):
            services.row_for_token(bad)


def test_a_link_expires_a_day_after_the_warning_ends(cast, place):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, reason="place")
    token = receipts.link_token(row.task)
    until = warning.ends_at + timedelta(hours=24)
    assert row.task.token_expires_at == until
    receipts.task_for_token(token, now=until - timedelta(seconds=1))
    with pytest.raises(DomainError):
        receipts.task_for_token(token, now=until)


def test_a_revoked_link_stops_working(cast, place):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, reason="place")
    receipts.revoke_links(ReceiptTask.objects.filter(pk=row.task_id))
    with pytest.raises(DomainError):
        services.row_for_token(receipts.link_token(row.task))


def test_measures_report_against_the_levels_checklist_and_confirms(cast, place):
    warning = issued(cast, level=3)
    row = WarningRecipient.objects.select_related("warning", "task").get(warning=warning, user=cast["town_a"])
    with pytest.raises(DomainError):
        services.report_measures(
            row=row, done={"evacuate": True}, actor=cast["town_a"]
        )  # 第六十七条: not at 三级
    services.report_measures(
        row=row, done={"plan": True, "monitor": True}, note="已启动预案", actor=cast["town_a"]
    )
    row.refresh_from_db()
    assert row.measures_done == {"plan": True, "monitor": True, "assess": False, "inform": False}
    assert row.task.status == "confirmed"


def test_level_change_is_a_new_revision_sent_again(cast, place, sms):
    warning = issued(cast, level=3)
    first = WarningRecipient.objects.filter(warning=warning, revision=1)
    services.change_level(actor=cast["county_office"], warning_pk=warning.pk, level=2, reason="雨势加强")
    jobs.work_off()
    warning.refresh_from_db()
    assert warning.level == 2 and warning.revision == 2 and warning.status == rules.ISSUED
    assert not first.filter(task__status__in=ReceiptTask.OPEN).exists()
    second = WarningRecipient.objects.filter(warning=warning, revision=2)
    assert second.count() == first.count() and not second.filter(task__isnull=True).exists()
    assert Notification.objects.filter(recipient=cast["town_a"], kind="warnings.warning").count() == 2
    with pytest.raises(DomainError):
        services.change_level(actor=cast["county_office"], warning_pk=warning.pk, level=2, reason="同级")
    with pytest.raises(DomainError):
        services.change_level(actor=cast["county_office"], warning_pk=warning.pk, level=1, reason=" ")


def test_lifting_withdraws_open_tasks_and_tells_everyone(cast, place, sms):
    warning = issued(cast)
    services.lift(actor=cast["county_office"], warning_pk=warning.pk, reason="降雨结束")
    jobs.work_off()
    warning.refresh_from_db()
    assert warning.status == rules.LIFTED and warning.lifted_at
    rows = WarningRecipient.objects.filter(warning=warning)
    assert not rows.filter(task__status__in=ReceiptTask.OPEN).exists()
    assert (
        Notification.objects.filter(recipient=cast["town_a"], title__startswith="【预警解除】").count() == 1
    )
    assert any("【预警解除】" in text for phone, text in sms.outbox if phone == "13900000001")
    place_row = rows.get(reason="place")
    assert place_row.task.token_expires_at == warning.lifted_at + timedelta(hours=24)
    with pytest.raises(DomainError):
        services.lift(actor=cast["county_office"], warning_pk=warning.pk, reason="again")


def test_withdraw_only_a_draft(cast):
    warning = draft(cast)
    with pytest.raises(DomainError):
        services.withdraw(actor=cast["county_office"], warning_pk=warning.pk, reason="")
    services.withdraw(actor=cast["county_office"], warning_pk=warning.pk, reason="重复")
    warning.refresh_from_db()
    assert warning.status == rules.WITHDRAWN


def test_silence_escalates_to_the_unit_head_then_the_duty_leaders_then_the_county(
    cast, place, django_capture_on_commit_callbacks
):
    from anlan.core.models import Membership

    head = UserFactory(username="town_a_head")
    MembershipFactory(user=head, role=Role.TOWN, region=cast.town_a, is_head=True)
    from anlan.core import units

    units.ensure_units()
    warning = issued(cast, level=1)
    assert Membership.objects.filter(user=head, is_head=True).exists()
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    assert row.unit_id is not None
    later = row.task.confirm_by + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        receipts.sweep(today=later.date(), now=later)
    assert Notification.objects.filter(recipient=head, kind=services.ESCALATION_NOTICE).count() == 1
    row.task.refresh_from_db()
    assert row.task.status == "escalated" and row.task.escalation_level == 1
    # Confirming now still works; the next sweep leaves it alone.
    services.confirm(actor=cast["town_a"], recipient_pk=row.pk)
    receipts.sweep(today=later.date(), now=later + timedelta(hours=3))
    row.task.refresh_from_db()
    assert row.task.status == "confirmed" and row.task.escalation_level == 1
    # Another town's silent recipient at level 3 reaches the county 安委办, once per office however many.
    other = WarningRecipient.objects.get(warning=warning, user=cast["town_b"])
    ReceiptTask.objects.filter(pk=other.task_id).update(escalation_level=2, next_escalation_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        receipts.sweep(today=later.date(), now=later + timedelta(hours=3))
    told = Notification.objects.filter(recipient=cast["county_office"], kind=services.ESCALATION_NOTICE)
    assert told.count() == 1


def test_the_board_counts_by_town(cast, place):
    from anlan.warnings.selectors import warnings as selectors

    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    services.confirm(actor=cast["town_a"], recipient_pk=row.pk)
    board = selectors.board(warning)
    by_code = {r.code: r for r in board.rows}
    town_a = by_code[cast.town_a.code]
    assert town_a.confirmed == 1 and town_a.total >= 2
    assert board.totals.total == WarningRecipient.objects.filter(warning=warning).count()


def test_the_failed_sms_is_retried_by_the_sweep(cast, place, sms, monkeypatch):
    calls = {"n": 0}
    original = sms.send

    def flaky(self, phone, text, key=""):
        calls["n"] += 1
        if phone == "13900000001" and calls["n"] < 100 and not getattr(flaky, "healed", False):
            raise OSError("gateway down")
        return original(self, phone, text, key)

    monkeypatch.setattr(sms, "send", flaky)
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, reason="place")
    assert row.sms_at is None and row.sms_attempts == 1
    flaky.healed = True
    dispatch.sweep(today=timezone.localdate(), now=timezone.now())
    row.refresh_from_db()
    assert row.sms_at is not None and row.sms_attempts == 2


def test_targeting_reads_a_fixed_number_of_queries(cast, place, django_assert_max_num_queries):
    for i in range(30):
        user = UserFactory(username=f"many_{i}")
        MembershipFactory(user=user, role=Role.TOWN, region=cast.town_a)
    warning = draft(
        cast, targets={**TARGETS, "groups": ["committee", "towns", "enterprises", "places", "grid"]}
    )
    with django_assert_max_num_queries(12):
        rows = targeting.compute(warning)
    assert len(rows) >= 30
