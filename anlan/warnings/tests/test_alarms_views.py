"""Monitoring alarms through their doors: the signed webhook (signature, replay window, repeats, bad fields),
the import (XLSX and CSV, all-or-nothing with a report per row, repeats unchanged), the pages in scope (town B
cannot open town A's alarm), the handling steps as buttons, the statistics, the ledger and the API."""

from __future__ import annotations

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from anlan.core.audit import SYSTEM_USERNAME
from anlan.warnings import rules
from anlan.warnings.models import Alarm
from anlan.warnings.selectors import alarms as selectors
from anlan.warnings.services import alarms as services
from anlan.warnings.services.alarm_imports import COLUMNS
from anlan.warnings.tests.factories_alarms import alarm, checked_alarm, resolved_alarm

pytestmark = pytest.mark.django_db
SECRET = "dcs-s3cret"


@pytest.fixture
def webhook(client, settings):
    """POST a payload to the webhook of source `dcs`, signed with its secret unless told otherwise."""
    settings.ANLAN_ALARM_WEBHOOK_SECRETS = {"dcs": SECRET}
    settings.ANLAN_ALARM_WEBHOOK_WINDOW_SECONDS = 300

    def post(payload, *, source="dcs", secret=SECRET, timestamp=None, headers=True, body=None):
        body = body if body is not None else json.dumps(payload).encode()
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        extra = {}
        if headers:
            extra = {
                "HTTP_X_ANLAN_TIMESTAMP": timestamp,
                "HTTP_X_ANLAN_SIGNATURE": rules.alarm_signature(secret, timestamp, body),
            }
        return client.post(
            reverse("warnings:alarm-webhook", args=[source]), body, content_type="application/json", **extra
        )

    return post


def payload(cast, **overrides):
    return {
        "uscc": cast.enterprise_x.uscc,
        "source_id": "TI-1021-0001",
        "kind": "temperature",
        "tag": "TI-1021 反应釜温度",
        "value": 86.5,
        "threshold": 80,
        "unit": "℃",
        "raised_at": (timezone.now() - timedelta(minutes=2)).isoformat(),
        **overrides,
    }


# ---------------------------------------------------------------- webhook


def test_a_signed_alarm_is_received_as_the_system_and_a_repeat_changes_nothing(cast, webhook):
    response = webhook(payload(cast))
    assert response.status_code == 201 and response.json()["status"] == "created"
    received = Alarm.objects.get()
    assert (received.source, received.source_id, received.channel, received.enterprise) == (
        "dcs",
        "TI-1021-0001",
        Alarm.Channel.WEBHOOK,
        cast.enterprise_x,
    )
    assert received.history.get().history_user.username == SYSTEM_USERNAME
    again = webhook(payload(cast, value=99))
    assert again.status_code == 200 and again.json() == {"id": received.pk, "status": "duplicate"}
    assert Alarm.objects.count() == 1 and Alarm.objects.get().value == received.value


def test_a_call_without_its_signature_headers_is_401(cast, webhook):
    response = webhook(payload(cast), headers=False)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("HMAC-SHA256")
    assert not Alarm.objects.exists()


@pytest.mark.parametrize(
    "how",
    [{"secret": "guessed"}, {"source": "unknown"}],
    ids=["wrong-secret", "unknown-source"],
)
def test_a_wrong_signature_or_an_unknown_source_is_403(cast, webhook, how):
    response = webhook(payload(cast), **how)
    assert response.status_code == 403 and response.json()["code"] == "signature_invalid"
    assert not Alarm.objects.exists()


def test_a_body_changed_after_signing_is_403(cast, webhook, client):
    body = json.dumps(payload(cast)).encode()
    timestamp = str(int(time.time()))
    response = client.post(
        reverse("warnings:alarm-webhook", args=["dcs"]),
        body.replace(b"86.5", b"8.5"),
        content_type="application/json",
        HTTP_X_ANLAN_TIMESTAMP=timestamp,
        HTTP_X_ANLAN_SIGNATURE=rules.alarm_signature(SECRET, timestamp, body),
    )
    assert response.status_code == 403 and not Alarm.objects.exists()


@pytest.mark.parametrize(
    ("age", "status"),
    [(290, 201), (-290, 201), (310, 403), (-310, 403)],
    ids=["inside-before", "inside-after", "replayed-late", "from-the-future"],
)
def test_a_call_is_accepted_only_within_the_window_of_its_timestamp(cast, webhook, age, status):
    response = webhook(payload(cast), timestamp=int(time.time()) - age)
    assert response.status_code == status
    assert Alarm.objects.exists() is (status == 201)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uscc": "913411220000000000"}, "uscc"),
        ({"kind": "高温"}, "kind"),
        ({"value": "很高"}, "value"),
        ({"raised_at": "not a time"}, "raised_at"),
        ({"source_id": ""}, "source_id"),
    ],
    ids=["uscc", "kind", "value", "raised_at", "source_id"],
)
def test_a_bad_field_is_400_naming_it(cast, webhook, change, field):
    response = webhook(payload(cast, **change))
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Alarm.objects.exists()


def test_an_unregistered_enterprise_and_a_body_that_is_no_object_are_400(cast, webhook):
    from anlan.core.tests.factories import EnterpriseFactory

    stranger = EnterpriseFactory.build()
    assert webhook(payload(cast, uscc=stranger.uscc)).json()["code"] == "alarm_enterprise_unknown"
    assert webhook(None, body=b"[1, 2]").status_code == 400
    assert webhook(None, body=b"\xff\xfe").status_code == 400
    assert not Alarm.objects.exists()


def test_a_body_too_large_is_refused_before_it_is_read(cast, webhook):
    response = webhook(None, body=b"{" + b" " * (64 * 1024) + b"}")
    assert response.status_code == 413


# ---------------------------------------------------------------- import


def _row(cast, **overrides):
    values = {
        "uscc": cast.enterprise_x.uscc,
        "source": "DCS",
        "source_id": "TI-1",
        "kind": "温度超限",
        "tag": "TI-1021 反应釜温度",
        "value": 86.5,
        "threshold": 80,
        "unit": "℃",
        "raised_at": "2026-07-01 08:30:00",
    }
    values.update(overrides)
    return [values.get(name, "") for _title, name in COLUMNS]


def _sheet(rows, name="alarms.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title for title, _name in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_the_import_is_all_or_nothing_with_a_report_per_row(cast, as_user):
    client = as_user(cast["town_a"])
    rows = [_row(cast), _row(cast, source_id="TI-2", kind="高温", value="很高")]
    report = client.post(reverse("warnings:alarm-import"), {"file": _sheet(rows)}).context["report"]
    assert (report.total, report.valid, report.imported) == (2, 1, 0)
    assert {(e.row, e.column) for e in report.errors} == {(3, "报警类型")}
    assert not Alarm.objects.exists()
    response = client.post(reverse("warnings:alarm-import"), {"file": _sheet(rows), "valid_only": "on"})
    assert response.context["report"].imported == 1
    assert Alarm.objects.get().source_id == "TI-1"


def test_importing_the_same_export_again_leaves_its_alarms_unchanged(cast, as_user):
    client = as_user(cast["enterprise_x"])
    client.post(reverse("warnings:alarm-import"), {"file": _sheet([_row(cast)])})
    report = client.post(
        reverse("warnings:alarm-import"), {"file": _sheet([_row(cast), _row(cast, source_id="TI-9")])}
    ).context["report"]
    assert (report.imported, report.unchanged, report.errors) == (1, 1, [])
    assert Alarm.objects.count() == 2


def test_an_enterprise_of_another_town_is_an_error_of_its_row(cast, as_user):
    report = (
        as_user(cast["town_b"])
        .post(reverse("warnings:alarm-import"), {"file": _sheet([_row(cast)])})
        .context["report"]
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码")]
    assert not Alarm.objects.exists()


def test_a_csv_export_is_imported_like_the_sheet(cast, as_user):
    lines = [",".join(title for title, _n in COLUMNS)]
    lines.append(",".join(str(value) for value in _row(cast, source_id="CSV-1")))
    upload = SimpleUploadedFile("alarms.csv", "\n".join(lines).encode("gb18030"), "text/csv")
    response = as_user(cast["county_office"]).post(reverse("warnings:alarm-import"), {"file": upload})
    assert response.context["report"].imported == 1
    made = Alarm.objects.get()
    assert (made.source_id, made.kind, timezone.localtime(made.raised_at).hour) == ("CSV-1", "temperature", 8)


def test_a_file_that_is_no_spreadsheet_is_reported(cast, as_user):
    upload = SimpleUploadedFile("alarms.xlsx", b"not a zip")
    report = (
        as_user(cast["county_office"])
        .post(reverse("warnings:alarm-import"), {"file": upload})
        .context["report"]
    )
    assert report.file_error and not Alarm.objects.exists()


def test_the_import_template_downloads(cast, as_user):
    response = as_user(cast["enterprise_x"]).get(reverse("warnings:alarm-import-template"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


# ---------------------------------------------------------------- pages and scope


def test_town_b_cannot_see_town_as_alarm(cast, as_user):
    made = alarm(cast)
    client = as_user(cast["town_b"])
    assert client.get(reverse("warnings:alarm-detail", args=[made.pk])).status_code == 404
    assert list(client.get(reverse("warnings:alarm-list")).context["page"]) == []
    assert client.get(reverse("api:warnings-alarm-detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("warnings:alarm-statistics")).context["stats"]["total"] == 0
    assert [a.pk for a in as_user(cast["town_a"]).get(reverse("warnings:alarm-list")).context["page"]] == [
        made.pk
    ]


def test_the_list_filters_by_status_kind_enterprise_and_date(cast, as_user, django_assert_max_num_queries):
    old = alarm(cast, kind="压力超限", raised_at=timezone.now() - timedelta(days=10))
    new = checked_alarm(cast)
    client = as_user(cast["county_office"])

    def shown(**query):
        return [a.pk for a in client.get(reverse("warnings:alarm-list"), query).context["page"]]

    assert shown() == [new.pk, old.pk]
    assert shown(status="checked") == [new.pk]
    assert shown(kind="pressure") == [old.pk]
    assert shown(q=cast.enterprise_x.uscc) == [new.pk, old.pk]
    assert shown(enterprise=cast.enterprise_y.pk) == []
    day = timezone.localdate() - timedelta(days=10)
    assert shown(raised_from=day.isoformat(), raised_to=day.isoformat()) == [old.pk]
    with django_assert_max_num_queries(20):
        client.get(reverse("warnings:alarm-list"))


def test_the_enterprise_handles_its_alarm_from_the_buttons(cast, as_user):
    made = alarm(cast)
    client = as_user(cast["enterprise_x"])
    page = client.get(reverse("warnings:alarm-detail", args=[made.pk])).content.decode()
    assert reverse("warnings:alarm-check", args=[made.pk]) in page
    assert reverse("warnings:alarm-resolve", args=[made.pk]) not in page
    response = client.post(reverse("warnings:alarm-check", args=[made.pk]), {"note": ""})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    client.post(reverse("warnings:alarm-check", args=[made.pk]), {"note": "现场确认"})
    client.post(reverse("warnings:alarm-resolve", args=[made.pk]), {"resolution": "已降温"})
    made.refresh_from_db()
    assert made.status == Alarm.Status.RESOLVED and made.closed_by == cast["enterprise_x"]
    page = client.get(reverse("warnings:alarm-detail", args=[made.pk])).content.decode()
    assert "已降温" in page and reverse("warnings:alarm-dismiss", args=[made.pk]) not in page


def test_a_supervisor_sees_the_alarm_without_buttons(cast, as_user):
    made = alarm(cast)
    page = (
        as_user(cast["dept_housing"]).get(reverse("warnings:alarm-detail", args=[made.pk])).content.decode()
    )
    assert made.tag in page and reverse("warnings:alarm-check", args=[made.pk]) not in page


def test_open_alarms_are_the_enterprises_todo(cast):
    alarm(cast)
    checked_alarm(cast)
    resolved_alarm(cast)
    assert selectors.my_open_alarms(cast["enterprise_x"]).count() == 2
    assert selectors.my_open_alarms(cast["town_a"]).count() == 0


# ---------------------------------------------------------------- statistics, ledger, API


def test_statistics_count_by_status_kind_and_enterprise_with_the_mean_handling_time(cast):
    now = timezone.now()
    first = alarm(cast, raised_at=now - timedelta(minutes=40))
    services.check_alarm(actor=cast["enterprise_x"], alarm_pk=first.pk, note="核查")
    services.resolve_alarm(actor=cast["enterprise_x"], alarm_pk=first.pk, resolution="处置")
    second = alarm(cast, kind="有毒气体超限", raised_at=now - timedelta(minutes=20))
    services.dismiss_alarm(actor=cast["enterprise_x"], alarm_pk=second.pk, reason="误报")
    alarm(cast, raised_at=now - timedelta(days=40))
    rows = Alarm.objects.for_user(cast["county_office"])
    month_start = now - timedelta(days=1)
    stats = selectors.statistics(rows, month_start=month_start)
    assert (stats["total"], stats["this_month"], stats["open"], stats["false_alarms"]) == (3, 2, 1, 1)
    assert stats["mean_handling"] == 30  # (40 + 20) / 2 minutes
    assert {code: n for code, _label, n in stats["by_status"]} == {
        "received": 1,
        "checked": 0,
        "resolved": 1,
        "false_alarm": 1,
    }
    assert {code: n for code, _label, n in stats["by_kind"]} == {"temperature": 2, "toxic_gas": 1}
    (row,) = stats["by_enterprise"]
    assert (row["enterprise_id"], row["n"], row["open"], row["mean_handling"]) == (
        cast.enterprise_x.pk,
        3,
        1,
        30,
    )
    at_the_boundary = selectors.statistics(rows, month_start=second.raised_at)
    assert at_the_boundary["this_month"] == 1


def test_the_ledger_and_the_api(cast, as_user):
    made = resolved_alarm(cast)
    client = as_user(cast["county_office"])
    response = client.get(reverse("warnings:alarm-export"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    (row,) = client.get(reverse("api:warnings-alarm-list")).json()["results"]
    assert (row["id"], row["status"], row["kind_display"], row["enterprise_uscc"]) == (
        made.pk,
        "resolved",
        "温度超限",
        cast.enterprise_x.uscc,
    )
    assert client.get(reverse("api:warnings-alarm-list"), {"status": "received"}).json()["results"] == []


def _dismissed(cast):
    made = alarm(cast)
    return services.dismiss_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, reason="探头标定")


@pytest.mark.parametrize(
    "make",
    [alarm, checked_alarm, resolved_alarm, _dismissed],
    ids=["received", "checked", "resolved", "false"],
)
@pytest.mark.parametrize("who", ["county_office", "enterprise_x", "leader"])
def test_an_alarm_in_every_state_opens_with_only_its_steps(cast, as_user, make, who):
    made = make(cast)
    made.refresh_from_db()
    client = as_user(cast[who])
    page = client.get(reverse("warnings:alarm-detail", args=[made.pk])).content.decode()
    assert made.get_status_display() in page
    offered = {
        t.name for t in Alarm.TRANSITIONS if reverse(f"warnings:alarm-{t.name}", args=[made.pk]) in page
    }
    expected = (
        {t.name for t in Alarm.TRANSITIONS if made.status in t.sources} if who == "enterprise_x" else set()
    )
    assert offered == expected
    assert client.get(reverse("api:warnings-alarm-detail", args=[made.pk])).json()["status"] == made.status
