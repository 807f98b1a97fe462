"""notify(): one message per distinct active recipient, deduplicated, e-mail and SMS after commit; the inbox."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from anlan.core.models import Role
from anlan.core.recipients import members as recipients_for
from anlan.core.tests.factories import UserFactory
from anlan.notifications.models import Notification
from anlan.notifications.services import mark_all_read, notify, unread_count
from anlan.notifications.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox


def test_notify_creates_one_message_per_distinct_active_recipient(cast):
    inactive = UserFactory(username="gone", is_active=False)
    users = [cast["town_a"], cast["town_a"], cast["town_b"], inactive]
    assert notify(users, kind="test", title="标题") == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"town_a", "town_b"}


def test_notify_with_a_dedupe_key_creates_nothing_the_second_time(cast):
    users = [cast["town_a"], cast["town_b"]]
    assert notify(users, kind="test", title="一", dedupe_key="event:1") == 2
    assert notify(users, kind="test", title="一", dedupe_key="event:1") == 0
    assert notify([*users, cast["leader"]], kind="test", title="一", dedupe_key="event:1") == 1
    assert Notification.objects.count() == 3


def test_notify_without_a_dedupe_key_repeats(cast):
    notify([cast["town_a"]], kind="test", title="一")
    notify([cast["town_a"]], kind="test", title="一")
    assert Notification.objects.count() == 2


def test_notify_accepts_a_queryset_of_users(cast):
    assert notify(recipients_for(region=cast.county, roles=[Role.COMMITTEE_OFFICE]), kind="t", title="x") == 1


def test_a_queryset_of_recipients_is_read_in_the_same_query_as_their_contacts(
    cast, django_assert_num_queries
):
    recipients = recipients_for(region=cast.county, roles=[Role.COMMITTEE_OFFICE])
    # The recipients with their contacts (one SELECT), then the insert inside its savepoint.
    with django_assert_num_queries(4):
        assert notify(recipients, kind="t", title="x") == 1


def test_mail_and_sms_go_out_after_commit_only_to_recipients_with_contacts(
    cast, sms, django_capture_on_commit_callbacks
):
    with_contacts = UserFactory(username="duty", email="duty@example.cn", phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify([with_contacts, cast["town_a"]], kind="t", title="事故初报", body="内容", url="/a/1/")
    assert [m.to for m in mail.outbox] == [["duty@example.cn"]]
    assert mail.outbox[0].subject == "事故初报"
    assert sms == [("13800000001", "事故初报")]


def test_a_deduplicated_repeat_sends_no_mail(cast, sms, django_capture_on_commit_callbacks):
    user = UserFactory(username="duty", email="duty@example.cn", phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="t", title="一", dedupe_key="k")
        notify([user], kind="t", title="一", dedupe_key="k")
    assert len(mail.outbox) == 1
    assert len(sms) == 1


def test_a_failing_mail_backend_is_logged_not_raised(
    cast, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "anlan.notifications.tests.test_notifications.BrokenBackend"
    user = UserFactory(username="duty", email="duty@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([user], kind="t", title="一") == 1
    assert "notification e-mail to duty@example.cn failed" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("smtp down")


def test_recipients_for_finds_the_duty_office_and_department_members(cast):
    office = recipients_for(region=cast.county, roles=[Role.COMMITTEE_OFFICE])
    assert list(office.values_list("username", flat=True)) == ["county_office"]
    members = recipients_for(department=cast.dept_housing)
    assert list(members.values_list("username", flat=True)) == ["dept_housing"]
    own = recipients_for(enterprise=cast.enterprise_x, roles=[Role.ENTERPRISE])
    assert list(own.values_list("username", flat=True)) == ["enterprise_x"]
    assert not recipients_for(enterprise=cast.enterprise_y).exists()
    assert not recipients_for().exists()


def test_the_inbox_shows_only_own_messages_and_the_header_counts_unread(cast, as_user):
    notify([cast["town_a"]], kind="t", title="给新安镇的消息")
    notify([cast["town_b"]], kind="t", title="给半塔镇的消息")
    client = as_user(cast["town_a"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "给新安镇的消息" in page
    assert "给半塔镇的消息" not in page
    assert 'data-testid="unread-count">1<' in page


def test_marking_someone_elses_message_read_is_404_and_changes_nothing(cast, as_user):
    notify([cast["town_b"]], kind="t", title="给半塔镇的消息")
    other = Notification.objects.get()
    response = as_user(cast["town_a"]).post(reverse("notifications:read", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_then_open_redirects_to_the_record(cast, as_user):
    notify([cast["town_a"]], kind="t", title="x", url="/enterprises/")
    mine = Notification.objects.get()
    response = as_user(cast["town_a"]).post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response.url == "/enterprises/"
    assert unread_count(cast["town_a"]) == 0


def test_mark_all_read_touches_only_own_unread(cast):
    notify([cast["town_a"], cast["town_b"]], kind="t", title="x")
    notify([cast["town_a"]], kind="t", title="y")
    assert mark_all_read(actor=cast["town_a"]) == 2
    assert unread_count(cast["town_a"]) == 0
    assert unread_count(cast["town_b"]) == 1


def test_the_api_lists_own_notifications_and_marks_one_read(cast, client):
    notify([cast["town_a"]], kind="t", title="mine")
    notify([cast["town_b"]], kind="t", title="theirs")
    client.force_login(cast["town_a"])
    listed = client.get(reverse("api:notification-list")).json()
    assert [row["title"] for row in listed["results"]] == ["mine"]
    mine = listed["results"][0]["id"]
    theirs = Notification.objects.get(title="theirs").pk
    assert client.post(reverse("api:notification-read", args=[theirs])).status_code == 404
    response = client.post(reverse("api:notification-read", args=[mine]))
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.post(reverse("api:notification-read-all")).json() == {"marked": 0}
