"""The import update path and the error workbook of every import (core/imports.py, core/importing.py).

A row whose 统一社会信用代码 names an enterprise the user may edit is an update: its diff is listed and applied
only when the user confirms it, through the edit page's service, once. Small files (in the request) and large
ones (a background job) give the same report, download and buttons: both are recorded as an import job."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core import imports, jobs, services
from anlan.core.imports import RowUpdate
from anlan.core.models import Enterprise, Job, Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.core.tests.test_views import row, workbook_bytes
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory, on
from anlan.hazards.tests.test_views import import_row, sheet

pytestmark = pytest.mark.django_db

URL = reverse("core:enterprise-import")
TITLES = [title for title, _name in imports.COLUMNS]


def _cell(values: list, title: str, value) -> list:
    values = list(values)
    values[TITLES.index(title)] = value
    return values


def _registered(client, cast, *names: str) -> dict[str, list]:
    """Import one enterprise per name (clean, in the request); their rows, to be uploaded again."""
    rows = {name: row(cast, name=name) for name in names}
    report = client.post(URL, {"file": workbook_bytes(list(rows.values()))}).context["report"]
    assert report.imported == len(names)
    return rows


def _upload(client, rows: list[list]):
    return client.post(URL, {"file": workbook_bytes(rows)})


def _confirm(client, job: Job):
    return client.post(reverse("core:job-confirm-updates", args=[job.pk]), follow=True)


@pytest.fixture
def town_a(cast, client):
    client.force_login(cast["town_a"])
    return client


def test_rows_are_new_updates_unchanged_or_refused_and_nothing_is_written_before_confirmation(cast, town_a):
    rows = _registered(town_a, cast, "甲", "乙")
    changed = _cell(_cell(rows["乙"], "单位名称*", "乙二"), "规模", "规模以上")
    upload = [rows["甲"], changed, row(cast, name="丙"), row(cast, uscc=cast.enterprise_y.uscc)]
    response = town_a.post(URL, {"file": workbook_bytes(upload)})

    report = response.context["report"]
    assert (report.total, report.valid, report.unchanged, report.imported, report.updated) == (4, 3, 1, 0, 0)
    assert report.updates == [RowUpdate(3, "乙", [["单位名称", "乙", "乙二"], ["规模", "小型", "中型"]])]
    # Enterprise Y is town B's: still an error that says no more than before.
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "统一社会信用代码", "该统一社会信用代码已由其他辖区登记，不能重复导入。")
    ]
    assert not Enterprise.objects.filter(name__in=["乙二", "丙"]).exists()
    # The file has an error: nothing is imported and the updates wait until it is fixed.
    assert not response.context["confirmable"]
    html = response.content.decode()
    assert 'data-testid="import-diff"' in html and 'data-testid="import-confirm-updates"' not in html


def test_confirming_applies_the_diff_through_the_edit_service_once_with_the_user_as_author(cast, town_a):
    rows = _registered(town_a, cast, "甲", "乙")
    changed = _cell(_cell(rows["乙"], "单位名称*", "乙二"), "生产经营地址", "新地址9号")
    response = town_a.post(URL, {"file": workbook_bytes([rows["甲"], changed, row(cast, name="丙")])})
    first = response.context["job"]
    assert response.context["report"].imported == 1  # 丙, new, goes in as before
    assert response.context["confirmable"] and "确认更新 1 条" in response.content.decode()
    stored = first.params["inputs"][0]
    enterprise = Enterprise.objects.get(name="乙")
    versions = enterprise.history.count()

    # Someone else's job: 404, and nothing changes.
    outsider = Client()
    outsider.force_login(cast["county_office"])
    assert outsider.post(reverse("core:job-confirm-updates", args=[first.pk])).status_code == 404

    page = _confirm(town_a, first)
    confirmed = Job.objects.exclude(pk=first.pk).latest("pk")
    assert page.redirect_chain[-1][0] == reverse("core:job-detail", args=[confirmed.pk])
    report = page.context["report"]
    assert (report.updated, report.imported, report.updates, report.errors) == (1, 0, [], [])
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.address) == ("乙二", "新地址9号")
    latest = enterprise.history.first()
    assert enterprise.history.count() == versions + 1
    assert (latest.history_user, latest.history_change_reason) == (cast["town_a"], "Excel 导入更新")
    assert Enterprise.objects.filter(name="丙").count() == 1  # not imported twice
    # Done: the upload is gone, and a second click finds nothing to confirm.
    first.refresh_from_db()
    confirmed.refresh_from_db()
    assert (first.params["inputs"], confirmed.params["inputs"]) == ([], [])
    assert not default_storage.exists(stored)
    again = _confirm(town_a, first)
    assert "该导入的文件已不可再用" in again.content.decode()
    assert enterprise.history.count() == versions + 1


def test_a_record_changed_before_the_confirmation_is_shown_again_not_overwritten(cast, town_a):
    rows = _registered(town_a, cast, "乙")
    first = _upload(town_a, [_cell(rows["乙"], "单位名称*", "乙二")]).context["job"]
    enterprise = Enterprise.objects.get(name="乙")
    services.update_enterprise(
        actor=cast["county_office"], enterprise_pk=enterprise.pk, data={"name": "乙丙"}
    )

    page = _confirm(town_a, first)
    report = page.context["report"]
    assert report.updated == 0
    assert [(u.row, u.changes) for u in report.updates] == [(2, [["单位名称", "乙丙", "乙二"]])]
    assert "确认前已有变化" in report.updates[0].note
    enterprise.refresh_from_db()
    assert enterprise.name == "乙丙"
    # The new diff may be confirmed in its turn.
    assert page.context["confirmable"]
    _confirm(town_a, page.context["job"])
    enterprise.refresh_from_db()
    assert enterprise.name == "乙二"


def test_blank_cells_keep_the_current_values_of_a_registered_enterprise(cast, town_a):
    rows = _registered(town_a, cast, "乙")
    blank = _cell(_cell(_cell(rows["乙"], "生产经营地址", ""), "规模", None), "重大危险源", "")
    report = town_a.post(URL, {"file": workbook_bytes([blank])}).context["report"]
    assert (report.unchanged, report.updates, report.errors) == (1, [], [])


def test_a_user_who_may_import_but_not_edit_the_enterprise_gets_an_error_and_no_diff(cast, client):
    # Town A's clerk who also leads in the county: sees enterprise Y (town B's) but may not change it.
    clerk = UserFactory()
    MembershipFactory(user=clerk, role=Role.TOWN, region=cast.town_a)
    MembershipFactory(user=clerk, role=Role.LEADER, region=cast.county)
    client.force_login(clerk)
    y = cast.enterprise_y
    upload = _cell(row(cast, uscc=y.uscc), "单位名称*", "改名")
    report = client.post(URL, {"file": workbook_bytes([upload])}).context["report"]
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "统一社会信用代码", f"该统一社会信用代码已登记为“{y.name}”，您无权修改该单位，不能通过导入更新。")
    ]
    assert report.updates == []
    y.refresh_from_db()
    assert y.name != "改名"


def test_a_small_import_offers_the_sheet_with_its_problems_marked_for_download(cast, town_a):
    bad = row(cast, name="坏行", industry_name="不存在的行业")
    response = town_a.post(URL, {"file": workbook_bytes([row(cast, name="好一"), bad])})
    job = response.context["job"]
    assert response.context["repeatable"]
    html = response.content.decode()
    download = reverse("core:job-download", args=[job.pk])
    assert f'href="{download}"' in html and "只导入校验通过的 1 行" in html

    book = load_workbook(io.BytesIO(b"".join(town_a.get(download).streaming_content)))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "错误说明" and header[1:] == TITLES
    message = "行业领域“不存在的行业”不存在，请按模板“行业领域”工作表填写。"
    assert sheet["A2"].value is None and sheet["A3"].value == f"主行业领域：{message}"
    marked = sheet.cell(row=3, column=2 + TITLES.index("主行业领域*"))
    assert marked.fill.fgColor.rgb.endswith("FFC7CE") and marked.comment.text == message
    assert not sheet.cell(row=2, column=2 + TITLES.index("主行业领域*")).fill.fgColor.rgb.endswith("FFC7CE")


def test_kept_uploads_of_small_imports_expire_with_the_job(cast, town_a):
    rows = _registered(town_a, cast, "乙")
    # One with a result file (a faulty row), one with only updates to confirm (no result file).
    faulty_rows = [row(cast, name="好"), row(cast, industry_name="无")]
    faulty = town_a.post(URL, {"file": workbook_bytes(faulty_rows)}).context["job"]
    pending = _upload(town_a, [_cell(rows["乙"], "单位名称*", "乙二")]).context["job"]
    assert pending.result_file == "" and pending.expires_at is not None
    kept = [faulty.params["inputs"][0], faulty.result_file, pending.params["inputs"][0]]
    assert all(default_storage.exists(path) for path in kept)

    jobs.cleanup_job(None)  # not yet expired: kept
    assert all(default_storage.exists(path) for path in kept)
    Job.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    jobs.cleanup_job(None)
    assert not any(default_storage.exists(path) for path in kept)
    pending.refresh_from_db()
    assert pending.params["inputs"] == []
    assert "该导入的文件已不可再用" in _confirm(town_a, pending).content.decode()


def test_a_large_file_lists_and_confirms_its_updates_through_background_jobs(cast, town_a, settings):
    rows = _registered(town_a, cast, "甲", "乙")
    settings.ANLAN_IMPORT_JOB_ROWS = 2
    upload = [rows["甲"], _cell(rows["乙"], "从业人员数", 99), row(cast, name="丙")]
    response = town_a.post(URL, {"file": workbook_bytes(upload)})
    first = Job.objects.latest("pk")
    assert response["Location"] == reverse("core:job-detail", args=[first.pk])
    jobs.work_off()
    page = town_a.get(response["Location"])
    assert page.context["report"].updates == [RowUpdate(3, "乙", [["从业人员数", "10", "99"]])]
    assert page.context["confirmable"]

    queued = _confirm(town_a, first)
    confirmed = Job.objects.latest("pk")
    assert confirmed.status == Job.Status.QUEUED and confirmed.params["confirm"] == {
        "3": [["从业人员数", "10", "99"]]
    }
    assert "排队中" in queued.content.decode()
    assert Enterprise.objects.get(name="乙").employees == 10
    jobs.work_off()
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.result["updated"]) == (Job.Status.SUCCEEDED, 1)
    assert Enterprise.objects.get(name="乙").employees == 99


# ---------------------------------------------------------------- hazards, by 隐患编号

HAZARDS = reverse("hazards:hazard-import")


def _hazard_rows(client, rows: list[list]):
    return client.post(HAZARDS, {"file": sheet(rows)})


def test_a_hazard_number_corrects_its_registration_details_on_confirmation_only(cast, town_a):
    assert _hazard_rows(town_a, [import_row(cast)]).context["report"].imported == 1
    hazard = Hazard.objects.get()
    due_on, versions = hazard.due_on, hazard.history.count()
    # The file's other cells as registered (the deadline left blank: kept), the description corrected.
    fixed = import_row(cast, number=hazard.number, description="消防通道被杂物堵塞", due_on="")
    response = _hazard_rows(town_a, [fixed])
    report = response.context["report"]
    assert (report.errors, report.imported) == ([], 0)
    assert [(u.row, u.changes) for u in report.updates] == [
        (2, [["隐患描述", "消防通道堵塞", "消防通道被杂物堵塞"]])
    ]
    hazard.refresh_from_db()
    assert hazard.description == "消防通道堵塞"

    _confirm(town_a, response.context["job"])
    hazard.refresh_from_db()
    assert (hazard.description, hazard.due_on, hazard.status) == ("消防通道被杂物堵塞", due_on, "registered")
    latest = hazard.history.first()
    assert hazard.history.count() == versions + 1
    assert (latest.history_user, latest.history_change_reason) == (cast["town_a"], "Excel 导入更新")


def test_fields_the_workflow_owns_are_never_changed_by_an_import_and_the_row_says_so(cast, town_a):
    _hazard_rows(town_a, [import_row(cast)])
    hazard = Hazard.objects.get()
    later = on(30).isoformat()
    row = import_row(cast, number=hazard.number, description="改描述", due_on=later, grade="重大事故隐患")
    report = _hazard_rows(town_a, [row]).context["report"]
    assert report.updates == []
    assert [(e.column, e.message) for e in report.errors] == [
        (
            "隐患等级",
            "“隐患等级”由整改流程确定，不能通过导入修改（系统中为“一般事故隐患”）；请与系统一致或留空。",
        ),
        (
            "整改期限",
            f"“整改期限”由整改流程确定，不能通过导入修改（系统中为“{hazard.due_on:%Y-%m-%d}”）；请与系统一致或留空。",
        ),
    ]
    hazard.refresh_from_db()
    assert (hazard.description, hazard.grade) == ("消防通道堵塞", "ordinary")


def test_a_hazard_in_rectification_or_out_of_reach_is_not_updated(cast, town_a):
    _hazard_rows(town_a, [import_row(cast)])
    hazard = Hazard.objects.get()
    Hazard.objects.filter(pk=hazard.pk).update(status=Hazard.Status.RECTIFYING)
    elsewhere = HazardFactory(enterprise=cast.enterprise_y)  # town B's
    rows = [
        import_row(cast, number=hazard.number, description="改描述"),
        import_row(cast, number=hazard.number),  # as registered: unchanged, whatever the state
        import_row(cast, number=elsewhere.number, description="改描述"),
        import_row(cast, number="YH-不存在", description="改描述"),
    ]
    report = _hazard_rows(town_a, rows).context["report"]
    assert report.unchanged == 1
    assert [(e.row, e.message) for e in report.errors] == [
        (2, "该隐患已进入整改流程（当前状态：整改中），登记信息不能再修改。"),
        (4, f"隐患编号“{elsewhere.number}”不存在或不在您的管辖范围内。"),
        (5, "隐患编号“YH-不存在”不存在或不在您的管辖范围内。"),
    ]
    hazard.refresh_from_db()
    assert hazard.description == "消防通道堵塞"
