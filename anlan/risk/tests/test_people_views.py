"""Pages of the people part: the enterprise records staff, a certificate (its review day shown) and training on
the forms; ID numbers appear masked on pages, ledgers and the API; the lists filter and take a bounded number of
queries; the supervisors' 证书到期/逾期 list and its ledger; the enterprise panel; the accident page links to the
持证与培训倒查 page, which answers "was the operator certified?"; the 一必须五到位 panel reads training from here."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core.rules import add_years, mask_id_number
from anlan.risk.models import Certificate, StaffMember, TrainingRecord
from anlan.risk.tests import factories_people as f


def _sheet_values(response) -> list:
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_enterprise_registers_staff_and_a_certificate_on_the_forms_and_sees_the_review_day(cast, as_user):
    client = as_user(cast["enterprise_x"])
    number = f.id_number()
    response = client.post(
        reverse("risk:people-staff-create", args=[cast.enterprise_x.pk]),
        {"name": "王焊工", "id_number": number, "post": "焊工", "is_special_operator": "on"},
    )
    assert response.status_code == 302
    staff = StaffMember.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert number not in page and mask_id_number(number) in page
    issued = timezone.localdate() - timedelta(days=30)
    response = client.post(
        reverse("risk:people-certificate-create", args=[staff.pk]),
        {
            "kind": "special_operation",
            "category": "welding",
            "operation_item": "熔化焊接与热切割作业",
            "number": "T341122000001",
            "issuing_authority": "滁州市应急管理局",
            "issued_on": issued.isoformat(),
            "compliant": "on",
        },
    )
    assert response.status_code == 302
    cert = Certificate.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert add_years(issued, 3).isoformat() in page and add_years(issued, 6).isoformat() in page
    assert cert.review_due == add_years(issued, 3)


def test_a_form_error_keeps_the_input_and_names_the_field(cast, as_user):
    client = as_user(cast["enterprise_x"])
    response = client.post(
        reverse("risk:people-staff-create", args=[cast.enterprise_x.pk]),
        {"name": "王焊工", "id_number": "341122198506010010", "post": "焊工"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-field="id_number"' in body and "王焊工" in body
    assert not StaffMember.objects.exists()


def test_the_training_form_offers_only_the_enterprise_current_staff(cast, as_user):
    holder = f.staff(cast)
    gone = f.staff(cast, name="已离职")
    StaffMember.objects.filter(pk=gone.pk).update(left_on=timezone.localdate())
    client = as_user(cast["enterprise_x"])
    body = client.get(reverse("risk:people-training-create", args=[cast.enterprise_x.pk])).content.decode()
    assert holder.person.name in body and "已离职" not in body
    response = client.post(
        reverse("risk:people-training-create", args=[cast.enterprise_x.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "subject": "触电急救",
            "kind": "annual",
            "hours": "4",
            "trainer": "安全科",
            "attendees": [holder.pk],
        },
    )
    assert response.status_code == 302
    assert list(TrainingRecord.objects.get().attendees.all()) == [holder]


def test_the_panel_shows_the_figures_and_the_forms_only_to_the_enterprise(cast, as_user):
    holder = f.staff(cast)
    f.certificate(cast, holder=holder)
    f.training(cast, attendees=[holder], held_on=timezone.localdate(), hours="6")
    url = reverse("risk:people-enterprise-panel", args=[cast.enterprise_x.pk])
    body = as_user(cast["enterprise_x"]).get(url).content.decode()
    assert 'data-testid="people-certified">1 / 1<' in body
    assert 'data-testid="people-hours">6<' in body
    assert 'data-testid="staff-create"' in body
    supervisor = as_user(cast["dept_housing"]).get(url).content.decode()
    assert 'data-testid="people-staff">1<' in supervisor and 'data-testid="staff-create"' not in supervisor


def test_the_attention_list_filters_by_state_and_exports_its_ledger(cast, as_user):
    today = timezone.localdate()
    overdue = f.certificate(cast, issued_on=add_years(today, -3) - timedelta(days=3), number="OVERDUE1")
    f.certificate(cast, issued_on=add_years(today, -3) + timedelta(days=10), number="WINDOW1")
    f.certificate(cast, number="VALID1")
    client = as_user(cast["county_office"])
    body = client.get(reverse("risk:people-attention")).content.decode()
    assert "OVERDUE1" in body and "WINDOW1" in body and "VALID1" not in body
    body = client.get(reverse("risk:people-attention") + "?state=review_overdue").content.decode()
    assert "OVERDUE1" in body and "WINDOW1" not in body
    values = _sheet_values(client.get(reverse("risk:people-attention-export")))
    assert "OVERDUE1" in values and "VALID1" not in values
    assert overdue.staff.person.id_number not in values
    assert mask_id_number(overdue.staff.person.id_number) in values
    assert "OVERDUE1" not in as_user(cast["town_b"]).get(reverse("risk:people-attention")).content.decode()


def test_the_lists_take_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for i in range(6):
        holder = f.staff(cast, name=f"员工{i}")
        f.certificate(cast, holder=holder)
        f.training(cast, attendees=[holder])
    client = as_user(cast["county_office"])
    for name in ("people-staff-list", "people-certificate-list", "people-attention", "people-training-list"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(f"risk:{name}")).status_code == 200


def test_the_certificate_list_filter_attention_and_the_empty_state(cast, as_user):
    client = as_user(cast["enterprise_x"])
    body = client.get(reverse("risk:people-certificate-list")).content.decode()
    assert 'data-testid="empty"' in body
    f.certificate(cast, number="GOOD1")
    body = client.get(reverse("risk:people-certificate-list") + "?attention=true").content.decode()
    assert "GOOD1" not in body
    body = client.get(reverse("risk:people-certificate-list") + "?state=valid").content.decode()
    assert "GOOD1" in body


def test_the_api_never_gives_an_id_number_in_full(cast, as_user):
    staff = f.staff(cast)
    f.certificate(cast, holder=staff)
    client = as_user(cast["dept_housing"])
    body = (
        client.get("/api/v1/risk/staff/").content.decode()
        + client.get("/api/v1/risk/certificates/").content.decode()
    )
    assert staff.person.id_number not in body
    assert mask_id_number(staff.person.id_number) in body
    assert '"state":"valid"' in body.replace(" ", "")


def test_the_accident_page_links_to_the_trace_which_tells_who_was_certified(cast, as_user):
    from anlan.accidents.tests.factories import report

    accident = report(cast)
    day = timezone.localtime(accident.occurred_at).date()
    certified = f.staff(cast, name="持证电工", hired_on=day - timedelta(days=900))
    uncertified = f.staff(cast, name="无证焊工", post="焊工", hired_on=day - timedelta(days=900))
    f.certificate(cast, holder=certified, issued_on=day - timedelta(days=100))
    f.training(
        cast, attendees=[certified, uncertified], held_on=day - timedelta(days=30), subject="动火作业培训"
    )
    client = as_user(cast["dept_housing"])
    page = client.get(reverse("accidents:accident-detail", args=[accident.pk])).content.decode()
    trace_url = reverse("risk:people-accident-trace", args=[accident.pk])
    assert trace_url in page
    body = client.get(trace_url).content.decode()
    assert "持证电工" in body and "无证焊工" in body and "动火作业培训" in body
    assert "1 人未持有效证" in body
    enterprise_page = (
        as_user(cast["enterprise_x"])
        .get(reverse("accidents:accident-detail", args=[accident.pk]))
        .content.decode()
    )
    assert trace_url not in enterprise_page


def test_the_five_in_place_panel_reads_training_from_this_part(cast, as_user):
    holder = f.staff(cast)
    f.certificate(cast, holder=holder)
    f.training(cast, attendees=[holder])
    body = (
        as_user(cast["enterprise_x"])
        .get(reverse("risk:standard-enterprise-panel", args=[cast.enterprise_x.pk]))
        .content.decode()
    )
    assert 'data-testid="profile-training" data-state="in_place"' in body
