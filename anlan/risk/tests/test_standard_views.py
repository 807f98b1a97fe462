"""Pages of 标准化, 安责险, 安全生产费用 and 责任制: the enterprise page's 一必须五到位 panel (each item's state and
why, the grade and the policy, 应投未投), recording through the forms, the lists with their filters and bounded
queries, the 应投未投 list, the ledgers, the withdrawal steps as buttons, the read-only API."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.risk.models import LiabilityPolicy, StandardisationGrade
from anlan.risk.tests import factories_standard as f


def _sheet_values(response) -> list:
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def _panel(client, cast) -> str:
    return client.get(reverse("risk:standard-enterprise-panel", args=[cast.enterprise_x.pk])).content.decode()


def _state(body: str, key: str) -> str:
    return re.search(rf'data-testid="profile-{key}" data-state="(\w+)"', body).group(1)


def test_the_panel_shows_five_items_and_flags_an_uninsured_compulsory_enterprise(cast, as_user):
    body = _panel(as_user(cast["enterprise_x"]), cast)
    assert [_state(body, key) for key in ("duty", "money", "training", "management", "rescue")] == [
        "not_in_place",
        "not_in_place",
        "not_in_place",  # the people part declares risk.training_in_place: no training recorded
        "not_in_place",  # the risk register is installed and the enterprise has no assessed risk point
        "not_in_place",
    ]
    assert "未登记全员安全生产责任制文件" in body and "培训记录不符合要求" in body
    assert "应投未投" in body and "建筑施工" in body
    assert 'data-testid="policy-create"' in body


def test_recording_a_policy_on_the_form_updates_the_panel(cast, as_user):
    client = as_user(cast["enterprise_x"])
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in f.policy_data().items()}
    data["technical_service"] = "on"
    response = client.post(reverse("risk:standard-policy-create", args=[cast.enterprise_x.pk]), data)
    assert response.status_code == 302
    assert LiabilityPolicy.objects.get().enterprise == cast.enterprise_x
    body = _panel(client, cast)
    assert "应投未投" not in body and "PZAB2026341122000001" in body


def test_recording_spending_and_the_responsibility_system_puts_two_items_in_place(cast, as_user):
    client = as_user(cast["enterprise_x"])
    year = timezone.localdate().year
    assert (
        client.post(
            reverse("risk:standard-spending-create", args=[cast.enterprise_x.pk]),
            {"year": year, "extracted": "200000", "used_protective": "30000"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("risk:standard-responsibility-create", args=[cast.enterprise_x.pk]),
            {"title": "全员安全生产责任制", "adopted_on": timezone.localdate().isoformat()},
        ).status_code
        == 302
    )
    body = _panel(client, cast)
    assert _state(body, "money") == "in_place"
    # The cast's enterprise has a principal and a safety manager from its factory.
    assert _state(body, "duty") == "in_place"


def test_the_spending_form_shows_this_years_figures_again(cast, as_user):
    f.spending(cast)
    body = (
        as_user(cast["enterprise_x"])
        .get(reverse("risk:standard-spending-create", args=[cast.enterprise_x.pk]))
        .content.decode()
    )
    assert 'value="850000.00"' in body and 'value="300000.00"' in body


def test_a_form_error_keeps_the_input_and_names_the_field(cast, as_user):
    client = as_user(cast["enterprise_x"])
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in f.policy_data().items()}
    data["ends_on"] = (timezone.localdate() - timedelta(days=365)).isoformat()
    response = client.post(reverse("risk:standard-policy-create", args=[cast.enterprise_x.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "保险止期不能早于起期" in body and "PZAB2026341122000001" in body
    assert not LiabilityPolicy.objects.exists()


def test_a_flagged_grade_offers_its_supervisor_withdraw_and_dismiss_but_not_the_enterprise(cast, as_user):
    grade = f.flagged_grade(cast)
    url = reverse("risk:standard-grade-detail", args=[grade.pk])
    body = as_user(cast["dept_housing"]).get(url).content.decode()
    buttons = body.split('data-testid="transitions"')[1].split("</div>")[0]
    assert "撤销等级" in buttons and "不予撤销" in buttons and "标记待撤销审查" not in buttons
    assert "有效期内发生生产安全死亡事故" in body and "未确认" in body
    body = as_user(cast["enterprise_x"]).get(url).content.decode()
    assert 'data-testid="transitions"' not in body and 'data-testid="grade-confirm"' not in body


def test_withdrawing_through_the_page(cast, as_user):
    grade = f.flagged_grade(cast)
    client = as_user(cast["dept_housing"])
    response = client.post(
        reverse("risk:standard-grade-withdraw", args=[grade.pk]), {"reason": "死亡事故，撤销一级。"}
    )
    assert response.status_code == 302
    grade.refresh_from_db()
    assert grade.status == StandardisationGrade.Status.WITHDRAWN


def test_the_grade_list_filters_by_grade_and_status(cast, as_user):
    f.grade(cast, grade="3")
    f.flagged_grade(cast)
    client = as_user(cast["county_office"])
    body = client.get(reverse("risk:standard-grade-list"), {"status": "under_review"}).content.decode()
    assert (
        body.count("risk/standard/grades/") >= 1 and "一级" in body and "三级" not in body.split("<tbody>")[1]
    )
    body = client.get(reverse("risk:standard-grade-list"), {"grade": "3"}).content.decode()
    assert "三级" in body.split("<tbody>")[1] and "一级" not in body.split("<tbody>")[1]


def test_a_town_b_officer_sees_an_empty_list_with_its_message(cast, as_user):
    f.grade(cast)
    body = as_user(cast["town_b"]).get(reverse("risk:standard-grade-list")).content.decode()
    assert 'data-testid="empty"' in body


def test_the_lists_take_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for n in range(3):
        f.grade(cast, certificate_no=f"AQ{n}")
        f.policy(cast, policy_no=f"P{n}")
    f.spending(cast)
    client = as_user(cast["county_office"])
    for name in ("risk:standard-grade-list", "risk:standard-policy-list", "risk:standard-spending-list"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200


def test_the_uninsured_list_and_its_ledger(cast, as_user):
    client = as_user(cast["county_office"])
    body = client.get(reverse("risk:standard-uninsured")).content.decode()
    assert cast.enterprise_x.name in body and cast.enterprise_y.name in body
    body = client.get(reverse("risk:standard-uninsured"), {"industry": "1"}).content.decode()  # 危险化学品
    assert cast.enterprise_y.name in body and cast.enterprise_x.name not in body
    values = _sheet_values(client.get(reverse("risk:standard-uninsured-export")))
    assert cast.enterprise_x.name in values
    assert any(isinstance(v, str) and v.startswith("建筑施工：") for v in values)


def test_the_grade_and_policy_ledgers(cast, as_user):
    f.grade(cast)
    f.policy(cast)
    client = as_user(cast["dept_housing"])
    assert "AQBJGIII2025001" in _sheet_values(client.get(reverse("risk:standard-grade-export")))
    assert "PZAB2026341122000001" in _sheet_values(client.get(reverse("risk:standard-policy-export")))


def test_the_api_lists_grades_in_scope_only(cast, as_user):
    f.grade(cast)
    assert as_user(cast["town_a"]).get(reverse("api:risk-standard-grade-list")).json()["count"] == 1
    assert as_user(cast["town_b"]).get(reverse("api:risk-standard-grade-list")).json()["count"] == 0
