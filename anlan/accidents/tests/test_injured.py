"""Injured persons recorded by lost work days (GB 6441-1986, regulations.md §10): the severity follows from the
days, and while an accident has such rows its 重伤/轻伤人数 follow from them, in the same transaction."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from anlan.accidents import rules, services
from anlan.accidents.models import Accident, InjuredPerson
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import local, report
from anlan.core.errors import DomainError
from anlan.core.rules import RuleViolation

# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("value", "days"), [(0, 0), ("0", 0), ("104", 104), (" 6000 ", 6000), (rules.MAX_LOST_WORK_DAYS, 99_999)]
)
def test_lost_work_days_are_a_whole_number_not_negative(value, days):
    assert rules.lost_work_days(value, "损失工作日") == days


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1.5", ErrorCode.DAYS_NOT_WHOLE, "损失工作日应为整数（天）。"),
        ("三十", ErrorCode.DAYS_NOT_WHOLE, "损失工作日应为整数（天）。"),
        ("", ErrorCode.DAYS_NOT_WHOLE, "请填写损失工作日。"),
        ("-3", ErrorCode.DAYS_NEGATIVE, "损失工作日不能为负数。"),
        ("100000", ErrorCode.DAYS_TOO_LARGE, "损失工作日不能超过 99999 日（死亡按 6000 日折算），请核对。"),
    ],
    ids=["fraction", "words", "blank", "negative", "too-large"],
)
def test_lost_work_days_refusals_name_the_field(value, code, message):
    with pytest.raises(RuleViolation) as refused:
        rules.lost_work_days(value, "损失工作日")
    assert (refused.value.field, refused.value.code, str(refused.value.message)) == (
        "lost_work_days",
        code,
        message,
    )


def test_injury_counts_count_6000_days_as_serious_and_no_lost_day_as_no_injury():
    counts = rules.injury_counts({"minor": 2, "serious": 1, "fatal_equivalent": 1, None: 3})
    assert counts == {"serious_injuries": 2, "minor_injuries": 2}


@pytest.mark.parametrize(
    ("codes", "coal"),
    [("B06", True), ("06", True), ("B0610,B07", True), ("B07,B08", False), ("B", False), ("", False)],
)
def test_coal_mining_is_gb4754_division_06(codes, coal):
    assert rules.covers_coal_mining(codes) is coal


def test_heinrich_expectations_scale_from_the_top_layer():
    assert rules.heinrich_expected("classic", 2) == {"major_injury": 2, "minor_injury": 58, "no_injury": 600}
    assert rules.heinrich_expected("with_hazards", 2)["hazards_or_unsafe_acts"] == 2000
    assert rules.heinrich_expected("classic", 0) == {"major_injury": 0, "minor_injury": 0, "no_injury": 0}


# ---------------------------------------------------------------- services


def add(cast, accident, name, days, actor=None, **extra):
    return services.add_injured_person(
        actor=actor or cast["enterprise_x"],
        accident_pk=accident.pk,
        data={"name": name, "lost_work_days": days, **extra},
    )


def counts(accident) -> tuple[int, int]:
    accident.refresh_from_db()
    return accident.serious_injuries, accident.minor_injuries


@pytest.mark.django_db
def test_recording_persons_by_days_sets_each_severity_and_the_accidents_counts(cast):
    accident = report(cast)  # reported: 0 serious, 2 minor
    minor = add(cast, accident, "王某", "35")
    serious = add(cast, accident, "张某", "180", identifier="E1024", note="骨折")
    fatal = add(cast, accident, "李某", "6000")
    none = add(cast, accident, "钱某", "0")
    assert [p.severity for p in (minor, serious, fatal, none)] == ["minor", "serious", "fatal_equivalent", ""]
    assert none.severity_text == "未损失工作日"
    assert fatal.severity_text == "按死亡折算6000日（计入重伤人数）"
    assert counts(accident) == (2, 1)
    assert accident.grade == rules.ORDINARY
    history = accident.history.first()
    assert (history.serious_injuries, history.history_user, history.history_change_reason) == (
        2,
        cast["enterprise_x"],
        "登记伤员损失工作日",
    )
    assert InjuredPerson.history.filter(name="张某").get().identifier == "E1024"


@pytest.mark.django_db
def test_correcting_and_removing_rows_keeps_the_counts_following_and_the_last_report_stands_without_rows(
    cast,
):
    accident = report(cast)
    person = add(cast, accident, "张某", "180")
    add(cast, accident, "王某", "20")
    assert counts(accident) == (1, 1)
    services.correct_injured_person(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        person_pk=person.pk,
        data={"name": "张某", "lost_work_days": "60"},
    )
    person.refresh_from_db()
    assert person.severity == "minor"
    assert counts(accident) == (0, 2)
    for row in list(accident.injured_persons.all()):
        services.remove_injured_person(actor=cast["county_office"], accident_pk=accident.pk, person_pk=row.pk)
    assert not accident.injured_persons.exists()
    assert counts(accident) == (0, 2)  # the 初报's figures
    assert InjuredPerson.history.filter(history_type="-").count() == 2


@pytest.mark.django_db
def test_ten_serious_injuries_by_days_inside_the_window_regrade_the_accident(cast):
    accident = report(cast, deaths=0)
    for n in range(10):
        add(cast, accident, f"伤员{n}", "150")
    accident.refresh_from_db()
    assert (accident.serious_injuries, accident.grade) == (10, rules.RELATIVELY_MAJOR)
    assert accident.steps.filter(level="province").exists()


@pytest.mark.django_db
def test_after_the_window_the_counts_follow_the_rows_but_the_grade_stays(cast):
    with time_machine.travel(local(2025, 3, 1, 10), tick=False):
        accident = report(cast, deaths=0, occurred_at=local(2025, 3, 1, 9, 30))
    with time_machine.travel(local(2025, 5, 1, 10), tick=False):
        for n in range(10):
            add(cast, accident, f"伤员{n}", "150")
    accident.refresh_from_db()
    assert (accident.serious_injuries, accident.grade) == (10, rules.ORDINARY)


@pytest.mark.django_db
def test_a_follow_up_cannot_set_injury_counts_other_than_the_rows(cast):
    accident = report(cast)
    add(cast, accident, "张某", "180")
    version = services.add_report(
        actor=cast["enterprise_x"],
        accident_pk=accident.pk,
        kind="follow_up",
        data={
            "deaths": 1,
            "serious_injuries": 5,
            "minor_injuries": 7,
            "direct_loss_yuan": "0",
            "description": "续报",
        },
    )
    assert (version.serious_injuries, version.minor_injuries) == (1, 0)
    assert counts(accident) == (1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "张某", "lost_work_days": "1.5"}, "lost_work_days", "损失工作日应为整数（天）。"),
        ({"name": "张某", "lost_work_days": "-1"}, "lost_work_days", "损失工作日不能为负数。"),
        ({"name": "张某", "lost_work_days": ""}, "lost_work_days", "请填写损失工作日。"),
        ({"name": " ", "lost_work_days": "10"}, "name", "请填写伤员姓名。"),
    ],
    ids=["fraction", "negative", "blank-days", "blank-name"],
)
def test_invalid_rows_are_refused_naming_the_field_and_nothing_changes(cast, data, field, message):
    accident = report(cast)
    with pytest.raises(DomainError) as refused:
        services.add_injured_person(actor=cast["enterprise_x"], accident_pk=accident.pk, data=data)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    assert not InjuredPerson.objects.exists()
    assert counts(accident) == (0, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["grid_worker", "leader"])
def test_those_who_may_not_report_cannot_record_injured_persons(cast, who):
    accident = report(cast)
    before = Accident.history.count()
    with pytest.raises(PermissionDenied):
        add(cast, accident, "张某", "180", actor=cast[who])
    assert not InjuredPerson.objects.exists()
    assert Accident.history.count() == before
    assert not InjuredPerson.history.exists()


@pytest.mark.django_db
def test_an_accident_out_of_scope_or_a_person_of_another_accident_is_404(cast):
    accident = report(cast)
    other = report(cast)
    person = add(cast, other, "张某", "180")
    with pytest.raises(Http404):
        add(cast, accident, "李某", "30", actor=cast["town_b"])
    with pytest.raises(Http404):
        services.remove_injured_person(
            actor=cast["enterprise_x"], accident_pk=accident.pk, person_pk=person.pk
        )
    assert other.injured_persons.count() == 1


# ---------------------------------------------------------------- pages and API


@pytest.mark.django_db
def test_the_detail_page_records_persons_and_shows_severities_and_the_total_days(cast, as_user):
    accident = report(cast)
    client = as_user(cast["enterprise_x"])
    url = reverse("accidents:injured-create", args=[accident.pk])
    response = client.post(url, {"name": "李某", "lost_work_days": "6000", "note": "截瘫"})
    assert response.status_code == 302
    client.post(url, {"name": "钱某", "lost_work_days": "0"})
    page = client.get(reverse("accidents:accident-detail", args=[accident.pk])).content.decode()
    assert 'data-testid="injured-persons"' in page
    assert "按死亡折算6000日（计入重伤人数）" in page
    assert "未损失工作日" in page
    assert "合计损失工作日 6000 日" in page
    assert "重伤 1 人，轻伤 0 人" in page


@pytest.mark.django_db
def test_an_invalid_row_from_the_page_comes_back_with_the_rules_message(cast, as_user):
    accident = report(cast)
    client = as_user(cast["enterprise_x"])
    response = client.post(
        reverse("accidents:injured-create", args=[accident.pk]),
        {"name": "张某", "lost_work_days": "2.5"},
        follow=True,
    )
    assert "损失工作日应为整数（天）。" in response.content.decode()
    assert not InjuredPerson.objects.exists()


@pytest.mark.django_db
def test_correct_and_remove_from_the_page(cast, as_user):
    accident = report(cast)
    person = add(cast, accident, "张某", "180")
    client = as_user(cast["county_office"])
    client.post(
        reverse("accidents:injured-update", args=[accident.pk, person.pk]),
        {"name": "张某", "lost_work_days": "99"},
    )
    assert counts(accident) == (0, 1)
    client.post(reverse("accidents:injured-remove", args=[accident.pk, person.pk]))
    assert not InjuredPerson.objects.exists()


@pytest.mark.django_db
def test_the_follow_up_form_shows_the_injury_counts_read_only_while_rows_exist(cast, as_user):
    accident = report(cast)
    client = as_user(cast["enterprise_x"])
    url = reverse("accidents:accident-report", args=[accident.pk])
    assert "由登记结果计算" not in client.get(url).content.decode()
    add(cast, accident, "张某", "180")
    page = client.get(url).content.decode()
    assert "由登记结果计算" in page
    field = re.search(r'<input[^>]*name="serious_injuries"[^>]*>', page).group(0)
    assert 'value="1"' in field
    assert "disabled" in field


@pytest.mark.django_db
def test_the_api_lists_injured_persons_read_only(cast, as_user):
    accident = report(cast)
    add(cast, accident, "张某", "180", identifier="E1")
    client = as_user(cast["county_office"])
    body = client.get(reverse("api:accident-detail", args=[accident.pk])).json()
    assert body["injured_persons"] == [
        {
            "id": accident.injured_persons.get().pk,
            "name": "张某",
            "identifier": "E1",
            "lost_work_days": 180,
            "severity": "serious",
            "severity_display": "重伤",
            "note": "",
        }
    ]
    assert body["serious_injuries"] == 1
    assert body["direct_loss_yuan"] == str(Decimal("1200000.00"))


@pytest.mark.django_db
def test_the_ledger_shows_the_counts_that_follow_the_rows(cast):
    from anlan.accidents.exports import FIELDS
    from anlan.accidents.selectors import accident_list

    accident = report(cast)
    add(cast, accident, "张某", "180")
    row = accident_list(cast["county_office"]).values(*FIELDS).get(pk=accident.pk)
    assert (row["serious_injuries"], row["minor_injuries"]) == (1, 0)
