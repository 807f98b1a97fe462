"""基础工作 as task kinds: facts recorded by the task's unit (checked whole, nothing half-saved, the field named),
required before the report, shown to the 安委办 who confirms; the kind filter, the ledger, the year's summary
(scoped), the facts form and the API."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from anlan.core import units
from anlan.core.errors import DomainError
from anlan.governance import rules
from anlan.governance.models import WorkTask
from anlan.governance.selectors import duties as selectors
from anlan.governance.services import duties as services
from anlan.governance.tests import factories_duties as f

NOON = datetime(2026, 12, 4, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


# ---------------------------------------------------------------- services


def test_a_task_keeps_its_kind_and_a_general_task_is_the_default(cast):
    assert f.task(cast).kind == rules.KIND_GENERAL
    assert f.task(cast, kind=rules.KIND_LAW_FIVE).kind == rules.KIND_LAW_FIVE


def test_an_unknown_kind_is_refused_on_the_kind_field(cast):
    with pytest.raises(DomainError) as error:
        f.task(cast, kind="drill")
    assert (error.value.code, error.value.field) == (services.ErrorCode.KIND_INVALID, "kind")
    assert not WorkTask.objects.exists()


def test_the_unit_records_facts_and_history_keeps_them(cast):
    task = f.groundwork(cast, rules.KIND_SAFETY_MONTH)
    assert task.facts == {"activities": 6, "participants": 1200, "target": 50, "reached": 45}
    latest = task.history.first()
    assert (latest.history_user, latest.facts["reached"]) == (cast["dept_housing"], 45)


def test_faulty_facts_are_refused_naming_the_field_and_nothing_is_saved(cast):
    task = f.groundwork(cast, rules.KIND_SAFETY_MONTH)
    rows = task.history.count()
    bad = {**f.facts_of(rules.KIND_SAFETY_MONTH), "participants": -5, "reached": 10}
    with pytest.raises(DomainError) as error:
        services.record_facts(actor=cast["dept_housing"], task_pk=task.pk, raw=bad)
    assert (error.value.code, error.value.field) == (rules.FactCode.NEGATIVE, "participants")
    task.refresh_from_db()
    assert task.facts["reached"] == 45 and task.history.count() == rows


def test_a_general_task_takes_no_facts(cast):
    task = f.task(cast)
    with pytest.raises(DomainError) as error:
        services.record_facts(actor=cast["dept_housing"], task_pk=task.pk, raw={"target": 1})
    assert error.value.code == services.ErrorCode.KIND_INVALID


def test_another_unit_cannot_record_the_facts(cast):
    task = f.groundwork(cast, rules.KIND_RURAL_ROAD, facts={})
    with pytest.raises(Exception) as error:
        services.record_facts(
            actor=cast["county_office"], task_pk=task.pk, raw=f.facts_of(rules.KIND_RURAL_ROAD)
        )
    assert type(error.value).__name__ == "PermissionDenied"
    task.refresh_from_db()
    assert task.facts == {}


def test_a_groundwork_task_cannot_be_reported_without_its_facts(cast):
    task = f.groundwork(cast, rules.KIND_THREE_SIMULTANEITIES, facts={})
    services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, upload=f.png())
    with pytest.raises(DomainError) as error:
        services.move_task(actor=cast["dept_housing"], task_pk=task.pk, transition="report", note="完成")
    assert (error.value.code, error.value.field) == (rules.FactCode.REQUIRED, "facts")
    assert "三同时检查" in str(error.value.message)
    task.refresh_from_db()
    assert task.status == WorkTask.Status.NOT_STARTED


def test_law_five_cannot_be_reported_while_a_venue_has_no_activity(cast):
    facts = f.facts_of(rules.KIND_LAW_FIVE)
    facts["venues"]["school"] = {"activities": 0, "people": 0}
    task = f.groundwork(cast, rules.KIND_LAW_FIVE, facts=facts)
    services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, upload=f.png())
    with pytest.raises(DomainError) as error:
        services.move_task(actor=cast["dept_housing"], task_pk=task.pk, transition="report", note="完成")
    assert (error.value.code, error.value.field) == (rules.FactCode.VENUE_EMPTY, "venues.school.activities")


@pytest.mark.parametrize("kind", [code for code, _label in rules.TASK_KINDS if code != rules.KIND_GENERAL])
def test_each_kind_with_its_facts_is_reported_and_confirmed(cast, kind):
    task = f.groundwork_reported(cast, kind)
    assert task.status == WorkTask.Status.REPORTED
    services.move_task(actor=cast["county_office"], task_pk=task.pk, transition="confirm")
    task.refresh_from_db()
    assert (task.status, task.facts) == (
        WorkTask.Status.DONE,
        rules.check_task_facts(kind, f.facts_of(kind), 2026),
    )


def test_facts_are_frozen_once_reported(cast):
    task = f.groundwork_reported(cast, rules.KIND_RURAL_ROAD)
    with pytest.raises(DomainError) as error:
        services.record_facts(
            actor=cast["dept_housing"],
            task_pk=task.pk,
            raw={**f.facts_of(rules.KIND_RURAL_ROAD), "stations": 0},
        )
    assert error.value.code == services.ErrorCode.TASK_CLOSED
    task.refresh_from_db()
    assert task.facts["stations"] == 4


def test_a_returned_task_takes_corrected_facts(cast):
    task = f.groundwork_reported(cast, rules.KIND_RURAL_ROAD)
    services.move_task(
        actor=cast["county_office"], task_pk=task.pk, transition="return", reason="劝导员数有误"
    )
    services.record_facts(
        actor=cast["dept_housing"],
        task_pk=task.pk,
        raw={**f.facts_of(rules.KIND_RURAL_ROAD), "persuaders": 10},
    )
    task.refresh_from_db()
    assert task.facts["persuaders"] == 10


# ---------------------------------------------------------------- the summary


def test_the_summary_counts_kinds_and_adds_up_the_facts(cast):
    f.groundwork_reported(cast, rules.KIND_SAFETY_MONTH)
    f.groundwork(
        cast,
        rules.KIND_SAFETY_MONTH,
        facts={"activities": 4, "participants": 800, "target": 50, "reached": 50},
    )
    f.groundwork(cast, rules.KIND_LAW_FIVE)
    f.groundwork(cast, rules.KIND_THREE_SIMULTANEITIES)
    f.groundwork(cast, rules.KIND_ROOT_HAZARD)
    f.groundwork(cast, rules.KIND_ROOT_HAZARD)
    f.groundwork(cast, rules.KIND_RURAL_ROAD)
    f.groundwork(cast, rules.KIND_SAFE_COMMUNITY)
    f.groundwork(cast, rules.KIND_SAFE_COMMUNITY, facts={})
    f.task(cast)
    summary = selectors.groundwork_summary(cast["county_office"], 2026)
    kinds = {row["kind"]: row for row in summary["kinds"]}
    assert (kinds["safety_month"]["total"], kinds["safety_month"]["reported"]) == (2, 1)
    assert (kinds["safe_community"]["total"], kinds["safe_community"]["with_facts"]) == (2, 1)
    assert kinds["general"]["total"] == 1
    month = summary["safety_month"]
    assert (month["activities"], month["people"], month["reached"], month["target"], month["coverage"]) == (
        10,
        2000,
        95,
        100,
        95.0,
    )
    assert (summary["law_five"]["people"], summary["law_five"]["coverage"]) == (500, 75.0)
    assert summary["people_reached"] == 2500
    assert summary["three_simul"] == {"projects": 2, "non_compliant": 1}
    assert summary["root_hazard"] == [
        {"label": "县道", "target": 20, "done": 8, "percent": 40.0},
        {"label": "危化企业", "target": 6, "done": 6, "percent": 100.0},
    ]
    assert summary["rural_road"] == {"joint_squads": 1, "stations": 4, "persuaders": 9, "offices": 1}
    assert [(c["level"], c["status"], c["n"]) for c in summary["communities"]] == [
        ("provincial", "passed", 1)
    ]


def test_the_summary_can_count_only_confirmed_facts(cast):
    reported = f.groundwork_reported(cast, rules.KIND_SAFETY_MONTH)
    f.groundwork(cast, rules.KIND_SAFETY_MONTH)
    assert (
        selectors.groundwork_summary(cast["county_office"], 2026, confirmed_only=True)["people_reached"] == 0
    )
    services.move_task(actor=cast["county_office"], task_pk=reported.pk, transition="confirm")
    assert (
        selectors.groundwork_summary(cast["county_office"], 2026, confirmed_only=True)["people_reached"]
        == 1200
    )


def test_the_summary_keeps_to_the_jurisdiction_and_the_year(cast):
    town = units.unit_for(cast.town_a)
    town_task = f.task(cast, actor=cast["county_office"], unit=town, kind=rules.KIND_RURAL_ROAD)
    services.record_facts(actor=cast["town_a"], task_pk=town_task.pk, raw=f.facts_of(rules.KIND_RURAL_ROAD))
    f.groundwork(cast, rules.KIND_RURAL_ROAD)
    assert selectors.groundwork_summary(cast["county_office"], 2026)["rural_road"]["stations"] == 8
    assert selectors.groundwork_summary(cast["town_a"], 2026)["rural_road"]["stations"] == 4
    assert selectors.groundwork_summary(cast["town_b"], 2026)["rural_road"]["stations"] == 0
    assert selectors.groundwork_summary(cast["county_office"], 2025)["rural_road"]["stations"] == 0


# ---------------------------------------------------------------- pages, ledger, API


def test_the_facts_form_saves_rows_and_names_the_faulty_field(cast, as_user):
    task = f.task(cast, kind=rules.KIND_THREE_SIMULTANEITIES)
    client = as_user(cast["dept_housing"])
    url = reverse("governance:task-facts", args=[task.pk])
    page = client.get(url).content.decode()
    assert 'name="projects.2.name"' in page and 'name="projects.3.name"' not in page
    bad = client.post(url, {"projects.0.name": "扩建项目", "projects.0.stage": "design"})
    assert bad.status_code == 200
    assert "请选择检查结果" in bad.content.decode()
    assert bad.context["form"].errors["projects.0.result"]
    task.refresh_from_db()
    assert task.facts == {}
    good = client.post(
        url,
        {
            "projects.0.name": "扩建项目",
            "projects.0.stage": "design",
            "projects.0.result": "compliant",
            "projects.1.name": "改建项目",
            "projects.1.stage": "acceptance",
            "projects.1.result": "non_compliant",
        },
    )
    assert good.status_code == 302
    task.refresh_from_db()
    assert [p["name"] for p in task.facts["projects"]] == ["扩建项目", "改建项目"]
    again = client.get(url).content.decode()
    assert 'name="projects.3.name"' in again and 'value="改建项目"' in again


def test_a_blank_row_between_filled_ones_is_refused_on_that_row(cast, as_user):
    task = f.task(cast, kind=rules.KIND_THREE_SIMULTANEITIES)
    response = as_user(cast["dept_housing"]).post(
        reverse("governance:task-facts", args=[task.pk]),
        {"projects.1.name": "改建项目", "projects.1.stage": "design", "projects.1.result": "compliant"},
    )
    assert response.context["form"].errors["projects.0.name"]


def test_the_law_five_form_names_the_venue_field(cast, as_user):
    task = f.task(cast, kind=rules.KIND_LAW_FIVE)
    data = {f"venues.{code}.{k}": "3" for code, _l in rules.LAW_VENUES for k in ("activities", "people")}
    data.update({"venues.school.people": "-2", "target": "10", "reached": "5"})
    response = as_user(cast["dept_housing"]).post(reverse("governance:task-facts", args=[task.pk]), data)
    assert response.context["form"].errors["venues.school.people"] == ["进学校覆盖人数不能为负数。"]


def test_the_rural_road_and_root_hazard_forms_save(cast, as_user):
    client = as_user(cast["dept_housing"])
    road = f.task(cast, kind=rules.KIND_RURAL_ROAD)
    client.post(
        reverse("governance:task-facts", args=[road.pk]),
        {"town_office": "no", "joint_squads": "0", "stations": "2", "persuaders": "3"},
    )
    road.refresh_from_db()
    assert road.facts == {"town_office": False, "joint_squads": 0, "stations": 2, "persuaders": 3}
    root = f.task(cast, kind=rules.KIND_ROOT_HAZARD)
    response = client.post(
        reverse("governance:task-facts", args=[root.pk]),
        {
            "start_year": "2026",
            "end_year": "2028",
            "levels.0.level": "national",
            "levels.0.target": "4",
            "levels.0.done": "1",
            "levels.1.level": "other",
            "levels.1.label": "桥梁",
            "levels.1.target": "2",
            "levels.1.done": "2",
        },
    )
    assert response.status_code == 302
    root.refresh_from_db()
    assert root.facts["levels"][1] == {"level": "other", "label": "桥梁", "target": 2, "done": 2}


def test_the_facts_form_of_a_general_task_is_not_found(cast, as_user):
    task = f.task(cast)
    assert (
        as_user(cast["dept_housing"]).get(reverse("governance:task-facts", args=[task.pk])).status_code == 404
    )


def test_the_task_page_shows_the_facts_and_the_report_form_too(cast, as_user):
    task = f.groundwork(cast, rules.KIND_ROOT_HAZARD)
    services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, upload=f.png())
    client = as_user(cast["dept_housing"])
    page = client.get(reverse("governance:task-detail", args=[task.pk])).content.decode()
    assert "隐患根治" in page and "40.0%" in page and reverse("governance:task-facts", args=[task.pk]) in page
    report = client.get(reverse("governance:task-report", args=[task.pk])).content.decode()
    assert "危化企业" in report and "100.0%" in report


def test_the_report_button_waits_for_the_facts(cast, as_user):
    task = f.groundwork(cast, rules.KIND_SAFE_COMMUNITY, facts={})
    services.add_evidence(actor=cast["dept_housing"], task_pk=task.pk, upload=f.png())
    client = as_user(cast["dept_housing"])
    report_url = reverse("governance:task-report", args=[task.pk])
    page = client.get(reverse("governance:task-detail", args=[task.pk])).content.decode()
    assert report_url not in page and "尚未填报工作数据" in page
    services.record_facts(
        actor=cast["dept_housing"], task_pk=task.pk, raw=f.facts_of(rules.KIND_SAFE_COMMUNITY)
    )
    assert report_url in client.get(reverse("governance:task-detail", args=[task.pk])).content.decode()


def test_the_office_sees_the_facts_where_it_confirms(cast, as_user):
    task = f.groundwork_reported(cast, rules.KIND_SAFE_COMMUNITY)
    page = (
        as_user(cast["county_office"]).get(reverse("governance:task-detail", args=[task.pk])).content.decode()
    )
    assert "新安镇：省级评定，已通过" in page
    assert reverse("governance:task-confirm", args=[task.pk]) in page
    assert reverse("governance:task-facts", args=[task.pk]) not in page


def test_the_task_list_filters_by_kind(cast, as_user):
    f.groundwork(cast, rules.KIND_LAW_FIVE)
    f.task(cast, title="一般检查任务")
    page = (
        as_user(cast["county_office"])
        .get(reverse("governance:task-list"), {"kind": "law_five"})
        .content.decode()
    )
    assert "基础工作：law_five" in page and "一般检查任务" not in page


def test_the_ledger_has_the_kind_and_the_facts_summary(cast, as_user):
    f.groundwork(cast, rules.KIND_SAFETY_MONTH)
    f.task(cast, title="一般检查任务")
    response = as_user(cast["county_office"]).get(reverse("governance:task-export"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    header = [cell.value for cell in sheet[3]]
    assert header[4] == "任务类型" and header[-1] == "工作数据"
    rows = {row[3]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["基础工作：safety_month"][4] == "安全生产月/宣传咨询日"
    assert rows["基础工作：safety_month"][-1] == "活动6场，1200人次，覆盖45/50（90.0%）"
    assert rows["一般检查任务"][4] == "一般任务" and rows["一般检查任务"][-1] in (None, "")


def test_the_groundwork_page_shows_the_year(cast, as_user):
    f.groundwork(cast, rules.KIND_LAW_FIVE)
    f.groundwork(cast, rules.KIND_ROOT_HAZARD)
    page = as_user(cast["leader"]).get(reverse("governance:groundwork"), {"year": "2026"}).content.decode()
    assert 'data-testid="people-reached">500<' in page
    assert "危化企业" in page and "100.0%" in page
    assert (
        as_user(cast["county_office"]).get(reverse("governance:groundwork"), {"year": "x"}).status_code == 200
    )


def test_the_api_gives_kind_and_facts(cast, client):
    task = f.groundwork(cast, rules.KIND_RURAL_ROAD)
    client.force_login(cast["dept_transport"])
    row = client.get(reverse("api:governance-task-detail", args=[task.pk])).json()
    assert (row["kind"], row["kind_display"]) == ("rural_road", "农村道路交通安全组织")
    assert row["facts"] == f.facts_of(rules.KIND_RURAL_ROAD)
    assert row["facts_summary"] == "交管办已设立，联合执法中队1个，劝导站4个，劝导员9名"
    listed = client.get(reverse("api:governance-task-list"), {"kind": "rural_road"}).json()
    assert [r["id"] for r in listed["results"]] == [task.pk]
    assert client.get(reverse("api:governance-task-list"), {"kind": "law_five"}).json()["results"] == []
