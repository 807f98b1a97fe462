"""Pages and API of inspections: the 四不两直 visit invisible to the enterprise everywhere, the record form with
its checklist, the DOCX a user downloads, the 复产 chain through the page, statistics against a hand count, and
gap-free numbering of this module's documents under concurrent issue."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anlan.core.tests.factories import DepartmentFactory, UserFactory
from anlan.inspections import services
from anlan.inspections.models import Answer, Inspection, Resumption
from anlan.notifications.models import Notification

from .factories import answers, planned, record_data, record_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def unannounced_x(cast, team):
    return planned(
        cast.dept_housing, cast.enterprise_x, team, kind="unannounced", created_by=cast["dept_housing"]
    )


def test_a_planned_unannounced_visit_is_absent_from_every_enterprise_surface(cast, unannounced_x, client):
    client.force_login(cast["enterprise_x"])
    listing = client.get(reverse("inspections:inspection-list"))
    assert listing.status_code == 200
    assert "empty" in listing.content.decode()
    assert client.get(reverse("inspections:inspection-detail", args=[unannounced_x.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection-record", args=[unannounced_x.pk])).status_code == 404
    assert client.get(reverse("api:inspection-list")).json()["count"] == 0
    assert client.get(reverse("api:inspection-detail", args=[unannounced_x.pk])).status_code == 404
    assert client.get(reverse("api:inspection-list") + "?kind=unannounced").json()["count"] == 0
    assert not Notification.objects.filter(recipient=cast["enterprise_x"]).exists()
    client.force_login(cast["dept_housing"])
    assert client.get(reverse("api:inspection-list")).json()["count"] == 1


def test_the_recorded_unannounced_visit_appears_to_the_enterprise(cast, unannounced_x, client):
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=unannounced_x.pk,
        data=record_data("unannounced"),
        answers=answers("construction"),
    )
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("inspections:inspection-detail", args=[unannounced_x.pk])).status_code == 200
    assert client.get(reverse("api:inspection-list")).json()["count"] == 1


def test_the_record_form_opens_a_hazard_and_downloads_the_record(cast, planned_x, client):
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:inspection-record", args=[planned_x.pk]))
    assert page.status_code == 200
    assert "临边洞口" in page.content.decode()
    response = client.post(reverse("inspections:inspection-record", args=[planned_x.pk]), record_post())
    assert response.status_code == 302
    planned_x.refresh_from_db()
    answer = Answer.objects.get(inspection=planned_x, result="non_compliant")
    assert answer.hazard is not None
    docx = client.get(reverse("inspections:document", args=[planned_x.record_document_id]))
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "现场检查记录" in text and planned_x.record_document.number in text and "三层临边无防护" in text


def test_a_bad_record_keeps_the_input_and_names_the_field(cast, planned_x, client):
    client.force_login(cast["dept_housing"])
    data = record_post()
    data["finished_at"] = data["arrived_at"]
    data["arrived_at"] = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("inspections:inspection-record", args=[planned_x.pk]), data)
    assert response.status_code == 200
    assert 'data-field="finished_at"' in response.content.decode()
    assert "三层临边无防护" in response.content.decode()
    planned_x.refresh_from_db()
    assert planned_x.status == Inspection.Status.PLANNED


def test_the_rectification_order_docx_carries_number_findings_and_basis(cast, recorded_x, client):
    planned_x = recorded_x
    finding = Answer.objects.filter(inspection=planned_x, result="non_compliant").first()
    client.force_login(cast["dept_housing"])
    response = client.post(
        reverse("inspections:enforcement-create", args=[planned_x.pk]),
        {
            "kind": "rectification",
            "findings": [finding.pk],
            "legal_basis": "《中华人民共和国安全生产法》第六十五条",
            "description": "责令于期限前完成临边防护",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = planned_x.actions.get()
    client.force_login(cast["enterprise_x"])
    docx = client.get(reverse("inspections:document", args=[action.document_id]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "责令限期整改指令书" in text
    assert action.document.number in text
    assert "第六十五条" in text and finding.finding_text in text  # a failed item reads as a finding


def test_the_chain_through_the_page_department_then_leader(cast, recorded_x, client):
    planned_x = recorded_x
    finding = Answer.objects.filter(inspection=planned_x, result="non_compliant").first()
    action = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=planned_x.pk,
        data={"kind": "suspension", "legal_basis": "依据", "description": "停产整顿"},
        finding_ids=[finding.pk],
    )
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=action.suspension.pk, evidence="已整改"
    )
    url = reverse("inspections:resumption-decide", args=[application.pk])
    client.force_login(cast["leader"])
    client.post(url, {"approve": "1"})
    assert not application.steps.exclude(decision="").exists()  # the leader is refused: not his step yet
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:suspension-detail", args=[action.suspension.pk]))
    assert 'data-testid="decide"' in page.content.decode()
    client.post(url, {"approve": "1", "opinion": "验收合格"})
    client.force_login(cast["leader"])
    client.post(url, {"approve": "1"})
    application.refresh_from_db()
    assert application.status == Resumption.Status.APPROVED


def test_statistics_match_a_hand_count(cast, team, client):
    for n in range(3):
        visit = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
        failing = ("con-5",) if n else ()
        services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=visit.pk,
            data=record_data(),
            answers=answers("construction", failing=failing),
        )
    planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    client.force_login(cast["county_office"])
    response = client.get(reverse("inspections:statistics"))
    assert response.status_code == 200
    context = response.context
    assert context["findings"]["inspections"] == 3
    assert context["findings"]["findings"] == 2
    row = next(r for r in context["departments"] if r["department_id"] == cast.dept_housing.pk)
    assert (row["total"], row["recorded"]) == (4, 3)
    medium = next(r for r in context["coverage"] if r["risk"] == "medium")
    assert medium["inspected"] == 1  # enterprise X (construction) counted once however often inspected


def test_statistics_group_inspections_by_section_in_one_statement(cast, team, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anlan.core.tests.factories import industry
    from anlan.inspections import statistics

    planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])  # construction: E
    planned(cast.dept_housing, cast.enterprise_x, team, kind="unannounced", created_by=cast["dept_housing"])
    planned(cast.dept_housing, cast.enterprise_y, team, created_by=cast["dept_housing"])  # hazchem: C
    unclassified = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    Inspection.objects.filter(pk=unclassified.pk).update(industry=industry("fire-key"))
    client.force_login(cast["county_office"])
    page = client.get(reverse("inspections:statistics"), {"group": "section"})
    rows = [(r["label"], r["total"], r["unannounced"]) for r in page.context["by_industry"]]
    assert rows == [("E 建筑业", 2, 1), ("C 制造业", 1, 0), ("未归类", 1, 0)]
    body = page.content.decode()
    assert '<option value="section" selected>' in body and "按国民经济行业门类" in body
    default = client.get(reverse("inspections:statistics"))  # 行业领域 unless asked
    assert default.context["grouping"] == "industry"
    assert {r["label"]: r["total"] for r in default.context["by_industry"]} == {
        "建筑施工": 2,
        "危险化学品生产": 1,
        "消防重点单位/人员密集场所": 1,
    }
    with CaptureQueriesContext(connection) as queries:
        statistics.by_industry(cast["county_office"], timezone.localdate().year, "section")
    assert sum('FROM "inspections_inspection"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_statistics_page_reads_in_a_fixed_number_of_queries(
    cast, team, client, django_assert_max_num_queries
):
    for _ in range(5):
        planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    client.force_login(cast["county_office"])
    with django_assert_max_num_queries(30):
        client.get(reverse("inspections:statistics"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_documents_of_this_module_are_numbered_without_gaps_or_duplicates():
    """Six threads issue 现场检查记录 and 警示提醒书 at once: each kind's serials are 1..n, every number unique."""
    from anlan.core.models import Region
    from anlan.documents.models import IssuedDocument
    from anlan.documents.services import issue_document

    county = Region.objects.get(pk="341122000000")
    issuer = DepartmentFactory(name="来安县住房和城乡建设局", short_name="住建局", region=county)
    actor = UserFactory(username="issuer")
    errors: list[BaseException] = []
    kinds = ("inspection_record", "warning_letter")
    each = 4

    def worker(kind):
        try:
            for _ in range(each):
                for attempt in range(80):
                    try:
                        with transaction.atomic():
                            issue_document(
                                actor=actor,
                                issuer=issuer,
                                kind=kind,
                                title="t",
                                render=lambda number: b"docx",
                            )
                        break
                    except Exception as exc:  # SQLite shared cache: "database table is locked" → retry
                        if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 79:
                            raise
                        time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(kinds[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for kind in kinds:
        serials = sorted(IssuedDocument.objects.filter(kind=kind).values_list("serial", flat=True))
        assert serials == list(range(1, 3 * each + 1))
    numbers = list(IssuedDocument.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all("检记〔" in n or "警示〔" in n for n in numbers)


def test_the_enterprise_page_lists_its_inspections_but_not_a_planned_unannounced_visit(
    cast, unannounced_x, planned_x, client
):
    url = reverse("inspections:enterprise-inspections", args=[cast.enterprise_x.pk])
    client.force_login(cast["enterprise_x"])
    own = client.get(url).content.decode()
    assert reverse("inspections:inspection-detail", args=[planned_x.pk]) in own
    assert reverse("inspections:inspection-detail", args=[unannounced_x.pk]) not in own
    client.force_login(cast["dept_housing"])
    assert (
        reverse("inspections:inspection-detail", args=[unannounced_x.pk]) in client.get(url).content.decode()
    )


def test_the_enforcement_api_treats_an_out_of_scope_inspection_as_nonexistent(cast, team, client):
    # Housing does not supervise enterprise Y (hazardous chemicals): its inspection is out of scope.
    hidden = planned(cast.dept_housing, cast.enterprise_y, team, created_by=cast["dept_housing"])
    client.force_login(cast["dept_housing"])

    def decide(inspection_pk):
        data = {"inspection": inspection_pk, "kind": "fine", "amount": "100.00", "description": "罚款"}
        data["legal_basis"] = "《安全生产法》第一百零二条"
        return client.post(reverse("api:enforcement-action-list"), data, content_type="application/json")

    out_of_scope, missing = decide(hidden.pk), decide(hidden.pk + 1000)
    assert out_of_scope.status_code == missing.status_code == 400
    assert list(out_of_scope.json()) == ["inspection"]
    assert out_of_scope.json()["inspection"][0].replace(str(hidden.pk), "N") == missing.json()["inspection"][
        0
    ].replace(str(hidden.pk + 1000), "N")
