"""专项整治, the parts added after the first cut: the scheduled 季度通报/年度总结 (the rule's boundaries — the day a
quarter ends and the day after, a campaign ended mid-quarter, nothing before it started — issued once however often
the sweep runs, told once to those who can open it), evidence files on a card report (kernel upload checks, file
name shown and never the stored path, 404 outside the report's scope, history), and editing the areas and the
member units after creation (office only, history kept, a removed unit kept inactive with its reports, future
cards only)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from anlan.core import units
from anlan.core.errors import DomainError
from anlan.core.models import Department, ReceiptTask
from anlan.core.tests.factories import DepartmentFactory, industry
from anlan.core.uploads import UploadCode
from anlan.documents.models import IssuedDocument
from anlan.governance import rules
from anlan.governance.models import CampaignMember, CampaignReport, CardReport, CardReportEvidence
from anlan.governance.selectors import campaigns as selectors
from anlan.governance.services import campaigns as services
from anlan.governance.services.campaigns import ErrorCode
from anlan.governance.tests.factories_campaigns import campaign, card, card_task, town_a_card_task
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# ---------------------------------------------------------------- the rule: which report is due on a day

JAN10, DEC31 = date(2026, 1, 10), date(2028, 12, 31)


@pytest.mark.parametrize(
    ("today", "starts_on", "ends_on", "due"),
    [
        pytest.param(date(2026, 3, 31), JAN10, DEC31, [], id="the-quarter's-last-day-is-not-over"),
        pytest.param(
            date(2026, 4, 1), JAN10, DEC31, [("quarter", date(2026, 1, 1))], id="the-day-after-the-quarter"
        ),
        pytest.param(
            date(2026, 12, 31), JAN10, DEC31, [("quarter", date(2026, 7, 1))], id="the-year's-last-day"
        ),
        pytest.param(
            date(2027, 1, 1),
            JAN10,
            DEC31,
            [("quarter", date(2026, 10, 1)), ("year", date(2026, 1, 1))],
            id="the-day-after-the-year",
        ),
        pytest.param(
            date(2026, 5, 15),
            JAN10,
            date(2026, 5, 15),
            [("quarter", date(2026, 1, 1))],
            id="the-campaign's-last-day-mid-quarter",
        ),
        pytest.param(
            date(2026, 5, 16),
            JAN10,
            date(2026, 5, 15),
            [("quarter", date(2026, 4, 1)), ("year", date(2026, 1, 1))],
            id="the-day-after-a-campaign-ended-mid-quarter",
        ),
        pytest.param(date(2026, 4, 15), date(2026, 4, 15), DEC31, [], id="the-day-it-starts"),
        pytest.param(date(2026, 4, 16), date(2026, 4, 15), DEC31, [], id="not-for-the-quarter-before-it"),
        pytest.param(
            date(2026, 5, 15) + rules.REPORT_CATCH_UP,
            JAN10,
            date(2026, 5, 15),
            [("quarter", date(2026, 4, 1)), ("year", date(2026, 1, 1))],
            id="still-caught-up-a-quarter-after-the-end",
        ),
        pytest.param(
            date(2026, 5, 16) + rules.REPORT_CATCH_UP,
            JAN10,
            date(2026, 5, 15),
            [],
            id="not-back-filled-later",
        ),
    ],
)
def test_the_reports_due_on_a_day(today, starts_on, ends_on, due):
    assert rules.scheduled_reports_due(today, starts_on, ends_on) == due


@pytest.mark.parametrize(
    ("existing", "added", "ok"), [(0, 10, True), (9, 1, True), (9, 2, False), (0, 11, False)]
)
def test_a_card_report_holds_at_most_ten_files(existing, added, ok):
    assert rules.evidence_count_ok(existing, added) is ok


# ---------------------------------------------------------------- the scheduled 季度通报 / 年度总结


def _campaign(cast, starts_on, ends_on):
    DepartmentFactory(name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE)
    return campaign(cast, starts_on=starts_on, ends_on=ends_on)


def _sweep(day):
    return services.report_sweep(today=day, now=timezone.now())


def test_the_quarterly_circular_is_issued_the_day_after_the_quarter_ends_not_on_its_last_day(cast):
    the_campaign = _campaign(cast, date(2025, 1, 10), date(2025, 12, 31))
    assert _sweep(date(2025, 3, 31)) == {"issued": 0, "skipped": 0}
    assert not CampaignReport.objects.exists()
    assert _sweep(date(2025, 4, 1)) == {"issued": 1, "skipped": 0}
    report = CampaignReport.objects.get()
    assert (report.campaign, report.period, report.starts_on, report.ends_on) == (
        the_campaign,
        "quarter",
        date(2025, 1, 1),
        date(2025, 3, 31),
    )
    assert report.is_scheduled and report.issued_by == cast["county_office"]
    assert report.document.title == "城镇燃气安全专项整治2025年第一季度季度通报"
    assert report.history.get().history_change_reason == "定时生成调度通报"


def test_a_campaign_ended_mid_quarter_gets_its_last_quarter_and_year_the_day_after_it_ends(cast):
    _campaign(cast, date(2025, 1, 10), date(2025, 5, 15))
    _sweep(date(2025, 5, 15))
    assert list(CampaignReport.objects.values_list("period", "starts_on")) == [("quarter", date(2025, 1, 1))]
    _sweep(date(2025, 5, 16))
    assert set(CampaignReport.objects.values_list("period", "starts_on")) == {
        ("quarter", date(2025, 1, 1)),
        ("quarter", date(2025, 4, 1)),
        ("year", date(2025, 1, 1)),
    }


def test_nothing_is_issued_before_the_campaign_has_a_whole_quarter(cast):
    _campaign(cast, date(2025, 4, 15), date(2025, 12, 31))
    assert _sweep(date(2025, 4, 15))["issued"] == 0
    assert _sweep(date(2025, 4, 16))["issued"] == 0
    assert _sweep(date(2025, 6, 30))["issued"] == 0
    assert _sweep(date(2025, 7, 1))["issued"] == 1
    assert CampaignReport.objects.get().starts_on == date(2025, 4, 1)


def test_running_the_sweep_twice_issues_one_document_and_tells_each_reader_once(
    cast, django_capture_on_commit_callbacks
):
    the_campaign = _campaign(cast, date(2025, 1, 10), date(2025, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep(date(2025, 4, 1))["issued"] == 1
        assert _sweep(date(2025, 4, 1)) == {"issued": 0, "skipped": 0}
        assert _sweep(date(2025, 4, 20))["issued"] == 0
    assert CampaignReport.objects.count() == 1
    assert IssuedDocument.objects.filter(target_id=str(the_campaign.pk)).count() == 1
    told = Notification.objects.filter(kind=services.REPORT_NOTICE)
    # The 安委办 and 住建局 (the lead unit and a member) read the campaign; town A receives its cards but cannot
    # open the county's campaign, so it is not told; 交通局 is not in the campaign.
    assert set(told.values_list("recipient", flat=True)) == {
        cast["county_office"].pk,
        cast["dept_housing"].pk,
    }
    assert told.count() == 2


def test_a_quarter_the_office_issued_by_hand_is_not_issued_again(cast):
    the_campaign = _campaign(cast, date(2025, 1, 10), timezone.localdate() + timedelta(days=30))
    services.issue_report(
        actor=cast["county_office"], campaign_pk=the_campaign.pk, period="quarter", day=date(2025, 2, 1)
    )
    assert _sweep(date(2025, 4, 1)) == {"issued": 0, "skipped": 0}
    assert CampaignReport.objects.get().is_scheduled is False


def test_the_database_refuses_a_second_report_for_the_same_period(cast):
    _campaign(cast, date(2025, 1, 10), date(2025, 12, 31))
    _sweep(date(2025, 4, 1))
    first = CampaignReport.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignReport.objects.create(
            campaign=first.campaign,
            period=first.period,
            starts_on=first.starts_on,
            ends_on=first.ends_on,
            document=first.document,
            issued_at=first.issued_at,
            issued_by=first.issued_by,
        )


def test_a_campaign_whose_office_has_nobody_left_is_skipped(cast):
    _campaign(cast, date(2025, 1, 10), date(2025, 12, 31))
    type(cast["county_office"]).objects.filter(pk=cast["county_office"].pk).update(is_active=False)
    assert _sweep(date(2025, 4, 1)) == {"issued": 0, "skipped": 1}


# ---------------------------------------------------------------- evidence files on a card report


def _png(name="现场照片.png"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _pdf(name="检查记录.pdf", body=b""):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"1 0 obj<<>>endobj\n%%EOF\n")


FIGURES = {"enterprises_checked": 3, "hazards_found": 1, "hazards_rectified": 1, "text": "已完成"}


def _report(cast, task, files):
    return services.report_card(actor=cast["town_a"], task_pk=task.pk, data=FIGURES, files=files)


def test_a_member_attaches_pictures_and_pdfs_kept_under_generated_names(cast):
    task = town_a_card_task(cast, confirmed=True)
    report = _report(cast, task, [_png(), _pdf()])
    files = list(report.evidence.order_by("pk"))
    assert [e.file_name for e in files] == ["现场照片.png", "检查记录.pdf"]
    assert all("现场照片" not in e.file.name and "检查记录" not in e.file.name for e in files)
    assert files[1].size == len(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert CardReportEvidence.history.filter(history_type="+").count() == 2


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(SimpleUploadedFile("通知.docx", b"PK\x03\x04 not a picture"), id="office-document"),
        pytest.param(SimpleUploadedFile("a.html", b"<html><script>x</script>"), id="html"),
        pytest.param(_pdf(body=b"<script>alert(1)</script>\n"), id="pdf-with-script"),
    ],
)
def test_a_file_that_is_not_a_picture_or_a_pdf_refuses_the_report_and_saves_nothing(cast, upload):
    task = town_a_card_task(cast, confirmed=True)
    with pytest.raises(DomainError) as error:
        _report(cast, task, [_png(), upload])
    assert (error.value.code, error.value.field) == (UploadCode.NOT_ALLOWED, "files")
    assert not CardReport.objects.exists() and not CardReportEvidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.ANLAN_ATTACHMENT_MAX_BYTES = 40
    task = town_a_card_task(cast, confirmed=True)
    with pytest.raises(DomainError) as error:
        _report(cast, task, [_pdf(body=b"x" * 40)])
    assert error.value.code == UploadCode.TOO_LARGE
    assert not CardReportEvidence.objects.exists()


def test_more_than_ten_files_on_one_report_are_refused(cast):
    task = town_a_card_task(cast, confirmed=True)
    _report(cast, task, [_pdf(f"{n}.pdf") for n in range(9)])
    with pytest.raises(DomainError) as error:
        _report(cast, task, [_pdf("a.pdf"), _pdf("b.pdf")])
    assert error.value.code == ErrorCode.EVIDENCE_TOO_MANY
    assert CardReportEvidence.objects.count() == 9


def test_reporting_again_adds_files_and_the_history_keeps_both_reports(cast):
    task = town_a_card_task(cast, confirmed=True)
    _report(cast, task, [_pdf("一.pdf")])
    report = services.report_card(
        actor=cast["town_a"], task_pk=task.pk, data={**FIGURES, "text": "补充"}, files=[_pdf("二.pdf")]
    )
    assert [e.file_name for e in report.evidence.order_by("pk")] == ["一.pdf", "二.pdf"]
    assert [h.text for h in report.history.order_by("history_id")] == ["已完成", "补充"]


def test_the_download_names_the_file_and_is_404_outside_the_report_scope(cast, as_user):
    task = town_a_card_task(cast, confirmed=True)
    evidence = _report(cast, task, [_pdf()]).evidence.get()
    url = reverse("governance:card-evidence-file", args=[evidence.pk])
    response = as_user(cast["county_office"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert evidence.file.name.rsplit("/", 1)[-1] not in response["Content-Disposition"]
    assert as_user(cast["town_b"]).get(url).status_code == 404
    with pytest.raises(Http404):
        selectors.access_card_evidence(cast["enterprise_x"], evidence.pk)


def test_the_card_page_lists_the_file_names_not_the_stored_paths(cast, as_user):
    task = town_a_card_task(cast, confirmed=True)
    evidence = _report(cast, task, [_pdf()]).evidence.get()
    for user, url in (
        (cast["county_office"], reverse("governance:card-detail", args=[selectors.card_of(task).pk])),
        (cast["town_a"], reverse("governance:card-receipt", args=[task.pk])),
    ):
        page = as_user(user).get(url).content.decode()
        assert "检查记录.pdf" in page
        assert reverse("governance:card-evidence-file", args=[evidence.pk]) in page
        assert evidence.file.name not in page


def test_the_report_form_accepts_several_files(cast, as_user):
    task = town_a_card_task(cast, confirmed=True)
    response = as_user(cast["town_a"]).post(
        reverse("governance:card-report", args=[task.pk]),
        {
            "enterprises_checked": "4",
            "hazards_found": "2",
            "hazards_rectified": "1",
            "text": "完成",
            "files": [_png(), _pdf()],
        },
    )
    assert response.status_code == 302
    assert sorted(CardReportEvidence.objects.values_list("file_name", flat=True)) == [
        "检查记录.pdf",
        "现场照片.png",
    ]


# ---------------------------------------------------------------- editing the areas and the members


def test_the_office_edits_an_area_and_the_rule_follows(cast):
    the_campaign = campaign(cast)
    area = the_campaign.areas.get()
    services.update_area(
        actor=cast["county_office"],
        area_pk=area.pk,
        data={"name": "燃气管网", "industries": [industry("urban-gas")]},
    )
    area.refresh_from_db()
    assert area.name == "燃气管网"
    assert selectors.tag_rule(the_campaign).industry_ids == {industry("urban-gas").pk}
    latest = area.history.order_by("-history_id").first()
    assert (latest.name, latest.history_user, latest.history_change_reason) == (
        "燃气管网",
        cast["county_office"],
        "修改专题/专项",
    )


@pytest.mark.parametrize("who", ["dept_housing", "leader"])
def test_only_the_office_edits_areas_and_members(cast, who):
    the_campaign = campaign(cast)
    area, member = the_campaign.areas.get(), the_campaign.members.first()
    with pytest.raises(PermissionDenied):
        services.update_area(actor=cast[who], area_pk=area.pk, data={"name": "改"})
    with pytest.raises(PermissionDenied):
        services.set_member_active(actor=cast[who], member_pk=member.pk, active=False, reason="x")
    assert the_campaign.areas.get().name == "城镇燃气" and CampaignMember.objects.get(pk=member.pk).is_active


def test_a_town_cannot_reach_the_edit_pages(cast, as_user):
    the_campaign = campaign(cast)
    member = the_campaign.members.get(unit=units.unit_for(cast.town_a))
    assert (
        as_user(cast["town_b"]).get(reverse("governance:campaign-member-edit", args=[member.pk])).status_code
        == 404
    )


def test_the_liaison_officer_is_changed_with_a_valid_phone(cast):
    member = campaign(cast).members.get(unit=units.unit_for(cast.town_a))
    with pytest.raises(DomainError) as error:
        services.update_member(
            actor=cast["county_office"],
            member_pk=member.pk,
            data={"liaison_name": "钱进", "liaison_phone": "123"},
        )
    assert error.value.field == "liaison_phone"
    services.update_member(
        actor=cast["county_office"],
        member_pk=member.pk,
        data={"liaison_name": "钱进", "liaison_phone": "139 0550 4321"},
    )
    member.refresh_from_db()
    assert (member.liaison_name, member.liaison_phone) == ("钱进", "13905504321")
    assert [h.liaison_name for h in member.history.order_by("history_id")] == ["王丽", "钱进"]


def test_a_removed_member_keeps_its_reports_and_gets_only_no_future_cards(cast):
    the_campaign = campaign(cast)
    office = cast["county_office"]
    town_a = units.unit_for(cast.town_a)
    today = timezone.localdate()
    first = card(cast, the_campaign)
    task = card_task(first, town_a)
    services.confirm_card(actor=cast["town_a"], task_pk=task.pk)
    services.report_card(actor=cast["town_a"], task_pk=task.pk, data=FIGURES)
    member = the_campaign.members.get(unit=town_a)
    with pytest.raises(DomainError) as error:
        services.set_member_active(actor=office, member_pk=member.pk, active=False)
    assert error.value.code == ErrorCode.REASON_REQUIRED
    services.set_member_active(actor=office, member_pk=member.pk, active=False, reason="职能调整")
    member.refresh_from_db()
    assert member.is_active is False
    assert CardReport.objects.filter(card=first, unit=town_a).exists()  # never lost
    assert ReceiptTask.objects.get(pk=task.pk).recipient_unit == town_a
    assert member.history.order_by("-history_id").first().history_change_reason == "职能调整"
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    second = card(cast, the_campaign, month=next_month, report_by=next_month + timedelta(days=5))
    assert {t.recipient_unit for t in selectors.card_tasks(second)} == {units.unit_for(cast.dept_housing)}
    with pytest.raises(DomainError) as error:
        services.set_member_active(actor=office, member_pk=member.pk, active=False, reason="再次")
    assert error.value.code == ErrorCode.MEMBER_STATE
    with pytest.raises(DomainError) as error:
        services.add_member(
            actor=office,
            campaign_pk=the_campaign.pk,
            data={"unit": town_a, "liaison_name": "王丽", "liaison_phone": "13905501234"},
        )
    assert error.value.code == ErrorCode.MEMBER_TWICE
    services.set_member_active(actor=office, member_pk=member.pk, active=True)
    third_month = (next_month + timedelta(days=32)).replace(day=1)
    third = card(cast, the_campaign, month=third_month, report_by=third_month + timedelta(days=5))
    assert town_a in {t.recipient_unit for t in selectors.card_tasks(third)}


def test_the_campaign_page_shows_a_removed_member_and_the_edit_links(cast, as_user):
    the_campaign = campaign(cast)
    member = the_campaign.members.get(unit=units.unit_for(cast.town_a))
    services.set_member_active(actor=cast["county_office"], member_pk=member.pk, active=False, reason="调整")
    url = reverse("governance:campaign-detail", args=[the_campaign.pk])
    page = as_user(cast["county_office"]).get(url).content.decode()
    assert "已移出" in page and reverse("governance:campaign-member-restore", args=[member.pk]) in page
    assert reverse("governance:campaign-area-edit", args=[the_campaign.areas.get().pk]) in page
    page = as_user(cast["dept_housing"]).get(url).content.decode()
    assert reverse("governance:campaign-member-restore", args=[member.pk]) not in page


# ---------------------------------------------------------------- the API


def test_the_api_lists_reports_members_and_the_evidence_the_caller_may_download(cast, as_user):
    the_campaign = _campaign(cast, date(2025, 1, 10), timezone.localdate() + timedelta(days=300))
    _sweep(date(2025, 4, 1))
    task = card_task(card(cast, the_campaign), units.unit_for(cast.town_a))
    services.confirm_card(actor=cast["town_a"], task_pk=task.pk)
    evidence = _report(cast, task, [_pdf()]).evidence.get()
    url = reverse("api:governance-campaign-detail", args=[the_campaign.pk])
    body = as_user(cast["county_office"]).get(url).json()
    assert [(r["period"], r["starts_on"], r["is_scheduled"]) for r in body["reports"]] == [
        ("quarter", "2025-01-01", True)
    ]
    assert {m["is_active"] for m in body["members"]} == {True}
    files = [f for c in body["cards"] for f in c["evidence"]]
    assert [(f["id"], f["file_name"]) for f in files] == [(evidence.pk, "检查记录.pdf")]
    assert evidence.file.name not in str(body)
    body = as_user(cast["dept_housing"]).get(url).json()
    assert [f["file_name"] for c in body["cards"] for f in c["evidence"]] == ["检查记录.pdf"]
