"""Patrols: a warning for an area makes 雨前排查 and 雨中巡查 for each active point its hazard threatens (once, even
when re-issued at a new level), its lifting the 雨后核查; each reported with findings, a photo and the place;
a danger found is told at once; the warning shows the progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from anlan.core import jobs
from anlan.core.errors import DomainError
from anlan.notifications.models import Notification
from anlan.warnings import rules
from anlan.warnings.models import Patrol
from anlan.warnings.selectors import points as selectors
from anlan.warnings.services import points as services
from anlan.warnings.services import warnings as warning_services
from anlan.warnings.tests.factories import issued
from anlan.warnings.tests.factories_points import geohazard, patrols, png_upload, reservoir

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0)


def test_patrol_deadlines_follow_the_warning():
    start = T0 + timedelta(hours=6)
    assert rules.patrol_due(rules.BEFORE, issued_at=T0, starts_at=start) == start
    assert rules.patrol_due(rules.BEFORE, issued_at=T0, starts_at=T0) == T0 + timedelta(hours=2)
    assert rules.patrol_due(rules.BEFORE, issued_at=T0, starts_at=None) == T0 + timedelta(hours=2)
    assert rules.patrol_due(rules.DURING, issued_at=T0, starts_at=start) == start + timedelta(hours=12)
    assert rules.patrol_due(rules.AFTER, issued_at=T0, starts_at=start, lifted_at=T0 + timedelta(days=1)) == (
        T0 + timedelta(days=2)
    )


def test_a_warning_makes_before_and_during_patrols_for_the_threatened_points_of_its_area(cast):
    warning, made = patrols(cast)
    assert [(p.point.name, p.stage) for p in made] == [
        ("东关社区后山滑坡", "before"),
        ("东关社区后山滑坡", "during"),
    ]
    reservoir(cast)  # town B: outside the warning's area
    assert services.on_warning_issued(warning) == 0  # again: nothing twice
    assert Patrol.objects.filter(warning=warning).count() == 2
    assert made[0].history.count() == 1  # made with a history row


def test_a_hazard_that_threatens_no_point_makes_no_patrol(cast):
    geohazard(cast)
    warning = issued(cast, region=cast.town_a, hazard="heat", level=3)
    assert services.on_warning_issued(warning) == 0


def test_a_level_change_adds_no_duplicate_and_lifting_adds_the_after_check(
    cast, django_capture_on_commit_callbacks
):
    warning, _made = patrols(cast)
    with django_capture_on_commit_callbacks(execute=True):
        warning_services.change_level(
            actor=cast["county_office"], warning_pk=warning.pk, level=1, reason="加强"
        )
    with django_capture_on_commit_callbacks(execute=True):
        warning_services.lift(actor=cast["county_office"], warning_pk=warning.pk, reason="降雨结束")
    jobs.work_off()
    stages = sorted(Patrol.objects.filter(warning=warning).values_list("stage", flat=True))
    assert stages == ["after", "before", "during"]


def test_a_report_closes_the_patrol_with_photo_and_place_and_a_danger_is_told(
    cast, django_capture_on_commit_callbacks
):
    _warning, (before, during) = patrols(cast)
    with pytest.raises(DomainError) as error:
        services.report_patrol(actor=cast["town_a"], patrol_pk=before.pk, data={"findings": " "})
    assert error.value.field == "findings"
    with django_capture_on_commit_callbacks(execute=True):
        services.report_patrol(
            actor=cast["town_a"],
            patrol_pk=before.pk,
            data={
                "findings": "坡脚出现渗水",
                "danger": True,
                "photo": png_upload(),
                "latitude": 32.45,
                "longitude": 118.43,
            },
        )
    before.refresh_from_db()
    assert before.is_done and before.done_by == cast["town_a"] and before.photo and before.danger
    assert Notification.objects.filter(kind="warnings.point_alarm", recipient=cast["county_office"]).exists()
    with pytest.raises(DomainError):
        services.report_patrol(actor=cast["town_a"], patrol_pk=before.pk, data={"findings": "再报"})


def test_a_photo_must_be_a_picture(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _warning, (before, _during) = patrols(cast)
    with pytest.raises(DomainError) as error:
        services.report_patrol(
            actor=cast["town_a"],
            patrol_pk=before.pk,
            data={"findings": "x", "photo": SimpleUploadedFile("a.png", b"not a picture")},
        )
    assert error.value.field == "photo"
    before.refresh_from_db()
    assert not before.is_done


def test_only_those_who_keep_the_point_report(cast):
    _warning, (before, _during) = patrols(cast)
    with pytest.raises(PermissionDenied):
        services.report_patrol(actor=cast["leader"], patrol_pk=before.pk, data={"findings": "x"})


def test_progress_counts_done_and_overdue(cast):
    warning, (before, during) = patrols(cast)
    Patrol.objects.filter(pk=during.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    services.report_patrol(actor=cast["town_a"], patrol_pk=before.pk, data={"findings": "正常"})
    assert selectors.progress(warning) == {"total": 2, "done": 1, "overdue": 1}
    assert list(selectors.my_open_patrols(cast["town_a"])) == [during]
    assert not selectors.my_open_patrols(cast["town_b"]).exists()


def test_the_pages(cast, client):
    warning, (before, _during) = patrols(cast)
    client.force_login(cast["town_a"])
    page = client.get(reverse("warnings:patrol-list"), {"state": "open"}).content.decode()
    assert "雨前排查" in page and "东关社区后山滑坡" in page
    url = reverse("warnings:patrol-report", args=[before.pk])
    assert 'data-testid="patrol-form"' in client.get(url).content.decode()
    response = client.post(url, {"findings": "坡体稳定", "photo": png_upload()})
    assert response.status_code == 302
    assert 'data-testid="patrol-done"' in client.get(url).content.decode()
    assert client.get(reverse("warnings:patrol-photo", args=[before.pk])).status_code == 200
    client.force_login(cast["county_office"])
    detail = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert 'data-testid="patrol-progress"' in detail and "1/2" in detail
