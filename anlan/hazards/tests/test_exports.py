"""The hazard ledger built without a request (what a background export job does): scope, filters, values."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from anlan.core import jobs, units
from anlan.core.exports import write_xlsx
from anlan.core.models import Job
from anlan.core.tests.factories import UserFactory, industry
from anlan.hazards import services
from anlan.hazards.exports import hazard_ledger
from anlan.hazards.models import Hazard, RectificationPlan, Supervision

from .factories import HazardFactory, on

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def two_hazards(cast):
    x = HazardFactory(enterprise=cast.enterprise_x, number="YH341122-2026-00001")
    y = HazardFactory(
        enterprise=cast.enterprise_y, number="YH341122-2026-00002", due_on=on(-1), found_on=on(-30)
    )
    return x, y


def numbers(ledger) -> list[str]:
    return [row[0] for row in ledger.rows(ledger.queryset)]


def column(ledger, title: str) -> list:
    index = ledger.headers.index(title)
    return [row[index] for row in ledger.rows(ledger.queryset)]


def plan(hazard, person, funds, recorded_by):
    return RectificationPlan.objects.create(
        hazard=hazard,
        responsible_person=person,
        measures=f"{person}的措施",
        due_on=hazard.due_on,
        funds=funds,
        recorded_by=recorded_by,
    )


def test_the_ledger_is_scoped_to_the_owner_without_a_request(cast, two_hazards):
    assert numbers(hazard_ledger(cast["town_b"], QueryDict(""))) == ["YH341122-2026-00002"]
    assert hazard_ledger(cast["county_office"], QueryDict("")).count() == 2


def test_the_ledger_applies_the_saved_filters_and_sort(cast, two_hazards):
    owner = cast["county_office"]
    assert numbers(hazard_ledger(owner, QueryDict("overdue=true"))) == ["YH341122-2026-00002"]
    assert numbers(hazard_ledger(owner, QueryDict(""))) == ["YH341122-2026-00001", "YH341122-2026-00002"]
    assert numbers(hazard_ledger(owner, QueryDict("sort=found"))) == [
        "YH341122-2026-00002",
        "YH341122-2026-00001",
    ]


def test_a_filter_that_reads_the_user_gets_the_ledgers_owner(cast, two_hazards):
    x, y = two_hazards
    Hazard.objects.filter(pk=x.pk).update(status=Hazard.Status.AWAITING_VERIFICATION)
    Hazard.objects.filter(pk=y.pk).update(status=Hazard.Status.RECTIFYING)
    assert numbers(hazard_ledger(cast["county_office"], QueryDict("to=verify"))) == [x.number]


def test_a_row_holds_the_same_values_and_types_as_the_record(cast, two_hazards):
    x, _y = two_hazards
    verifier = UserFactory(username="verifier", real_name="赵验收")
    plan(x, "张三", 2, cast["town_a"])
    plan(x, "李四", "3.50", cast["town_a"])  # the newer plan is the current one
    verified_at = timezone.now() - timedelta(hours=3)
    Hazard.objects.filter(pk=x.pk).update(
        status=Hazard.Status.CLOSED, verified_by=verifier, verified_at=verified_at, closed_on=on(0)
    )
    x.refresh_from_db()
    ledger = hazard_ledger(cast["county_office"], QueryDict(f"q={x.number}"))
    (row,) = ledger.rows(ledger.queryset)
    assert row == [
        x.number,
        cast.enterprise_x.name,
        x.region.name,
        x.industry.name,
        "",  # registered straight to the table: no supervising department stored
        x.description,
        x.get_category_display(),
        x.get_grade_display(),
        x.get_source_display(),
        x.found_on,
        "李四",
        "李四的措施",
        3.5,
        x.due_on,
        "已销号",
        None,  # closed: never overdue in the ledger
        "",  # never listed
        "赵验收",
        timezone.localtime(verified_at).replace(tzinfo=None),
        on(0),
    ]
    assert [type(row[i]) for i in (12, 18)] == [float, type(verified_at)]
    assert row[18].tzinfo is None


def test_a_hazard_without_plan_or_verifier_exports_empty_cells(cast, two_hazards):
    _x, y = two_hazards
    ledger = hazard_ledger(cast["town_b"], QueryDict(""))
    (row,) = ledger.rows(ledger.queryset)
    assert row[10:13] == ["", "", None]
    assert row[17:] == ["", None, None]
    assert row[14] == y.get_status_display()


def test_a_hazard_at_a_place_shows_the_place(cast):
    HazardFactory(region=cast.village_a, industry=cast.enterprise_x.industry, place="东关菜市场")
    ledger = hazard_ledger(cast["county_office"], QueryDict(""))
    assert [row[1] for row in ledger.rows(ledger.queryset)] == ["东关菜市场"]


def test_the_ledger_reads_plans_per_chunk_in_a_constant_number_of_queries(
    cast, django_assert_max_num_queries
):
    for _number in range(30):
        hazard = HazardFactory(enterprise=cast.enterprise_x)
        plan(hazard, "张三", None, cast["town_a"])
    ledger = hazard_ledger(cast["county_office"], QueryDict(""))
    # The scope, the count, the hazards, their plans and supervisions, and the names of the regions,
    # industries and departments met (once each) — whatever the number of rows.
    with django_assert_max_num_queries(8):
        assert write_xlsx(ledger, io.BytesIO()) == 30


# ---------------------------------------------------------------- the columns clerks expect


@pytest.mark.parametrize(
    ("due_in", "status", "days"),
    [
        (0, Hazard.Status.RECTIFYING, None),  # the deadline day itself is not overdue
        (-1, Hazard.Status.RECTIFYING, 1),
        (-30, Hazard.Status.REGISTERED, 30),
        (-2, Hazard.Status.AWAITING_VERIFICATION, 2),
        (1, Hazard.Status.RECTIFYING, None),
        (-5, Hazard.Status.CLOSED, None),
        (-5, Hazard.Status.VOIDED, None),
    ],
    ids=["due-today", "due-yesterday", "a-month", "awaiting-verification", "not-yet-due", "closed", "voided"],
)
def test_overdue_days_count_whole_days_past_the_deadline_of_an_open_hazard(cast, due_in, status, days):
    HazardFactory(enterprise=cast.enterprise_x, due_on=on(due_in), found_on=on(-40), status=status)
    ledger = hazard_ledger(cast["county_office"], QueryDict(""))
    assert column(ledger, "逾期天数") == [days]


def test_overdue_days_follow_the_export_date(cast):
    HazardFactory(enterprise=cast.enterprise_x, due_on=date(2026, 3, 30), found_on=date(2026, 3, 1))
    for today, days in ((date(2026, 3, 30), None), (date(2026, 3, 31), 1), (date(2026, 4, 30), 31)):
        with time_machine.travel(datetime.combine(today, time(23, 59), tzinfo=SHANGHAI), tick=False):
            assert column(hazard_ledger(cast["county_office"], QueryDict("")), "逾期天数") == [days]


def test_the_supervising_department_is_the_one_routed_at_registration(cast):
    hazard = HazardFactory(enterprise=cast.enterprise_x, supervising_department=cast.dept_housing)
    HazardFactory(enterprise=cast.enterprise_y)  # 监管盲区: no department supervises hazardous chemicals
    assert services.supervising_department(hazard.region_id, hazard.industry_id) == cast.dept_housing
    ledger = hazard_ledger(cast["county_office"], QueryDict("sort=number"))
    assert column(ledger, "监管部门") == ["来安县住房和城乡建设局", ""]


def supervise(cast, hazard, level, status=Supervision.Status.LISTED, number=1):
    return Supervision.objects.create(
        hazard=hazard,
        level=level,
        status=status,
        issuer=cast.dept_housing,
        letter_number=f"来建督〔2026〕{number}号",
        due_on=hazard.due_on,
        responsible_unit=units.unit_for(cast.enterprise_x),
        requirements="限期整改到位",
        issued_by=cast["dept_housing"],
    )


def test_the_supervision_level_is_the_latest_listing_and_blank_without_one(cast):
    raised, lifted, revoked, never = (
        HazardFactory(enterprise=cast.enterprise_x, number=f"YH341122-2026-0000{n}") for n in range(1, 5)
    )
    supervise(cast, raised, Supervision.Level.COUNTY, Supervision.Status.LIFTED, 1)
    supervise(cast, raised, Supervision.Level.CITY, Supervision.Status.LISTED, 2)
    supervise(cast, lifted, Supervision.Level.COUNTY, Supervision.Status.LIFTED, 3)
    supervise(cast, revoked, Supervision.Level.PROVINCE, Supervision.Status.CLOSED, 4)
    ledger = hazard_ledger(cast["county_office"], QueryDict("sort=number"))
    assert column(ledger, "督办级别") == ["市级", "县级", "", ""]
    assert never.supervisions.count() == 0


# ---------------------------------------------------------------- the sheet (both paths)


@pytest.fixture
def filtered_hazards(cast):
    """Three hazards of 来安县: one matches 状态 整改中 + 建筑施工 + found in Q1 2026 and is 3 days overdue on
    2026-04-03; its description would be a formula."""
    with time_machine.travel(datetime(2026, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        match = HazardFactory(
            enterprise=cast.enterprise_x,
            number="YH341122-2026-00001",
            description="=1+1",
            status=Hazard.Status.RECTIFYING,
            found_on=date(2026, 2, 1),
            due_on=date(2026, 3, 31),
            supervising_department=cast.dept_housing,
        )
        plan(match, "张三", "2.50", cast["town_a"])
        supervise(cast, match, Supervision.Level.COUNTY)
        HazardFactory(enterprise=cast.enterprise_x, status=Hazard.Status.CLOSED, found_on=date(2026, 2, 2))
        HazardFactory(
            enterprise=cast.enterprise_y, status=Hazard.Status.RECTIFYING, found_on=date(2026, 2, 3)
        )
    return match


QUERY = "found_from=2026-01-01&found_to=2026-03-31&status=rectifying&industry={industry}&sort=-due"
TITLE = "隐患排查治理台账　来安县　发现日期 2026-01-01 至 2026-03-31　行业领域：建筑施工；状态：整改中"


def assert_standard_sheet(sheet, expected_rows: int = 1):
    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == f"导出时间：2026-04-03 10:00　共 {expected_rows} 条"
    headers = [cell.value for cell in sheet[3]]
    assert headers[:2] == ["序号", "隐患编号"]
    assert {"逾期天数", "监管部门", "督办级别"} <= set(headers)
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:{get_column_letter(len(headers))}{3 + expected_rows}"
    cells = dict(zip(headers, sheet[4], strict=True))
    assert cells["序号"].value == 1
    assert (cells["隐患描述"].value, cells["隐患描述"].data_type) == ("=1+1", "s")
    assert cells["隐患描述"].alignment.wrap_text
    for title, value in (("发现日期", datetime(2026, 2, 1)), ("整改期限", datetime(2026, 3, 31))):
        assert (cells[title].value, cells[title].is_date, cells[title].number_format) == (
            value,
            True,
            "yyyy-mm-dd",
        )
    assert (cells["逾期天数"].value, cells["逾期天数"].data_type) == (3, "n")
    assert (cells["整改资金（万元）"].value, cells["整改资金（万元）"].data_type) == (2.5, "n")
    assert cells["监管部门"].value == "来安县住房和城乡建设局"
    assert cells["督办级别"].value == "县级"


def open_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


@time_machine.travel(datetime(2026, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_downloaded_ledger_follows_the_standard_with_its_filters_in_words(
    cast, as_user, filtered_hazards
):
    query = QUERY.format(industry=industry("construction").pk)
    response = as_user(cast["county_office"]).get(f"{reverse('hazards:hazard-export')}?{query}")
    assert_standard_sheet(open_sheet(b"".join(response.streaming_content)))


@time_machine.travel(datetime(2026, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_background_export_writes_the_same_standard_sheet(cast, as_user, filtered_hazards, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 0
    query = QUERY.format(industry=industry("construction").pk)
    response = as_user(cast["county_office"]).get(f"{reverse('hazards:hazard-export')}?{query}")
    assert response.status_code == 302
    jobs.work_off()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert_standard_sheet(open_sheet(default_storage.open(job.result_file).read()))


def test_the_title_names_the_filtered_region_and_every_filter_but_the_sort(cast, filtered_hazards):
    query = f"region={cast.town_a.code}&grade=ordinary&overdue=true&supervised=true&sort=number&page=2"
    assert hazard_ledger(cast["county_office"], QueryDict(query)).title() == (
        "隐患排查治理台账　新安镇　隐患等级：一般事故隐患；逾期：是；挂牌督办中：是"
    )
    assert hazard_ledger(cast["town_b"], QueryDict("")).title() == "隐患排查治理台账　半塔镇"
