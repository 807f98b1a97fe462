"""Excel imports through the contract (core/importing.py): up to ANLAN_IMPORT_JOB_ROWS rows are imported in the
request; a larger file becomes a background job that imports it whole or not at all, for the same user, and
leaves the report on the job's page and the uploaded sheet with each problem marked as its result file."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.core import importing, imports, jobs
from anlan.core.models import Enterprise, Job, Membership, Region
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.core.tests.test_views import region_sheet, row, workbook_bytes
from anlan.hazards.models import Hazard
from anlan.hazards.tests.test_views import import_row, sheet
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = reverse("core:enterprise-import")


@pytest.fixture
def small_limit(settings):
    settings.ANLAN_IMPORT_JOB_ROWS = 2
    return settings


def _saved(book, name: str) -> io.BytesIO:
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = name
    return data


def _post(client, url, data, **extra):
    return client.post(url, {"file": data, **extra})


def test_a_file_within_the_limit_is_imported_in_the_request(cast, client, small_limit):
    owner = cast["town_a"]
    client.force_login(owner)
    response = _post(client, URL, workbook_bytes([row(cast, name="甲"), row(cast, name="乙")]))
    assert response.status_code == 200 and response.context["report"].imported == 2
    # Recorded as a finished import job, so it has a page like a large one; a clean file keeps nothing.
    job = Job.objects.get()
    assert response.context["job"] == job
    assert (job.kind, job.owner, job.status) == ("core.import", owner, Job.Status.SUCCEEDED)
    assert (job.params["inputs"], job.result_file, job.expires_at) == ([], "", None)
    assert not Notification.objects.filter(recipient=owner).exists()  # the clerk is looking at the report


def test_a_larger_file_becomes_a_job_that_imports_it_for_its_owner(cast, client, small_limit):
    owner = cast["town_a"]
    client.force_login(owner)
    names = ["一号", "二号", "三号"]
    response = _post(client, URL, workbook_bytes([row(cast, name=n) for n in names]))

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job-detail", args=[job.pk])
    assert (job.kind, job.owner, job.status) == ("core.import", owner, Job.Status.QUEUED)
    assert job.label == "导入生产经营单位：enterprises.xlsx"
    stored = job.params["inputs"][0]
    assert default_storage.exists(stored)
    assert not Enterprise.objects.filter(name__in=names).exists()  # nothing until the worker runs
    page = client.get(response["Location"]).content.decode()
    assert "已转入后台导入" in page and "排队中" in page

    jobs.work_off()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert set(Enterprise.objects.filter(name__in=names).values_list("name", flat=True)) == set(names)
    assert Enterprise.objects.get(name="一号").history.first().history_change_reason == "Excel 导入"
    # A clean import keeps neither the upload nor a result file.
    assert (job.params["inputs"], job.result_file) == ([], "")
    assert not default_storage.exists(stored)
    done = client.get(response["Location"])
    report = done.context["report"]
    assert (report.total, report.valid, report.imported, report.errors) == (3, 3, 3, [])
    assert f'href="{URL}" data-testid="import-again"' in done.content.decode()
    message = Notification.objects.get(recipient=owner)
    assert message.title == "后台任务已完成：导入生产经营单位：enterprises.xlsx"


def test_one_bad_row_imports_nothing_and_the_result_is_the_sheet_with_the_problem_marked(
    cast, client, small_limit
):
    client.force_login(cast["town_a"])
    bad = row(cast, name="坏行", industry_name="不存在的行业")
    upload = load_workbook(workbook_bytes([row(cast, name="好一"), bad, row(cast, name="好二")]))
    typed = upload.active["B3"]  # a name typed as text that reads like a formula
    typed.value, typed.data_type = '=HYPERLINK("http://x")', "s"
    _post(client, URL, _saved(upload, "enterprises.xlsx"))
    jobs.work_off()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert not Enterprise.objects.filter(name__in=["好一", "好二"]).exists()

    page = client.get(reverse("core:job-detail", args=[job.pk]))
    report = page.context["report"]
    assert (report.total, report.valid, report.imported, report.error_rows) == (3, 2, 0, 1)
    assert [(e.row, e.column) for e in report.errors] == [(3, "主行业领域")]
    assert page.context["repeatable"]
    html = page.content.decode()
    assert "只导入校验通过的 2 行" in html and "下载" in html

    assert job.result_name == "enterprises-错误报告.xlsx"
    book = load_workbook(io.BytesIO(default_storage.open(job.result_file).read()))
    marked = book.active
    header = [cell.value for cell in marked[1]]
    assert header[0] == "错误说明" and header[1:] == [title for title, _n in imports.COLUMNS]
    assert marked["A2"].value is None
    assert marked["A3"].value == "主行业领域：行业领域“不存在的行业”不存在，请按模板“行业领域”工作表填写。"
    industry_cell = marked.cell(row=3, column=1 + header[1:].index("主行业领域*") + 1)
    assert industry_cell.value == "不存在的行业"
    assert industry_cell.fill.fgColor.rgb.endswith("FFC7CE") and industry_cell.comment is not None
    name_cell = marked.cell(row=3, column=3)
    # The uploaded text comes back as text, never as a formula.
    assert (name_cell.value, name_cell.data_type) == ('=HYPERLINK("http://x")', "s")
    assert name_cell.fill.fgColor.rgb != industry_cell.fill.fgColor.rgb

    # The clerk fixes the marked cell and uploads the same workbook: the extra column is ignored.
    industry_cell.value = "建筑施工"
    marked.cell(row=3, column=3).value = "修好"
    _post(client, URL, _saved(book, "enterprises-错误报告.xlsx"))
    jobs.work_off()
    second = Job.objects.exclude(pk=job.pk).get()
    assert second.result["imported"] == 3 and second.result["errors"] == []
    assert Enterprise.objects.filter(name__in=["好一", "修好", "好二"]).count() == 3


def _checked_with_one_faulty_row(cast, client) -> Job:
    """Town A's large import of 好一, 坏行 (an unknown industry) and 好二, run by the worker."""
    client.force_login(cast["town_a"])
    bad = row(cast, name="坏行", industry_name="不存在的行业")
    _post(client, URL, workbook_bytes([row(cast, name="好一"), bad, row(cast, name="好二")]))
    jobs.work_off()
    return Job.objects.get()


def test_the_owner_may_then_import_the_valid_rows_once(cast, client, small_limit):
    first = _checked_with_one_faulty_row(cast, client)
    stored = first.params["inputs"][0]
    url = reverse("core:job-import-valid-rows", args=[first.pk])

    outsider = Client()
    outsider.force_login(cast["county_office"])
    assert outsider.post(url).status_code == 404  # someone else's job
    response = client.post(url)
    second = Job.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("core:job-detail", args=[second.pk])
    assert second.params["valid_only"] and second.params["inputs"] == [stored]
    assert second.label.endswith("（只导入校验通过的行）")
    assert second.params["page"] == URL  # the way back to the import page is kept
    first.refresh_from_db()
    assert first.params["inputs"] == []  # handed over: a second click finds nothing to import
    again = client.post(url, follow=True)
    assert "该导入的文件已不可再用" in again.content.decode()
    assert Job.objects.count() == 2

    jobs.work_off()
    second.refresh_from_db()
    assert (second.result["imported"], second.result["error_rows"]) == (2, 1)
    assert set(
        Enterprise.objects.filter(name__in=["好一", "坏行", "好二"]).values_list("name", flat=True)
    ) == {
        "好一",
        "好二",
    }
    assert not client.get(reverse("core:job-detail", args=[second.pk])).context["repeatable"]


def test_a_job_whose_owner_lost_the_right_fails_and_imports_nothing(cast, client, small_limit):
    owner = cast["town_a"]
    client.force_login(owner)
    _post(client, URL, workbook_bytes([row(cast, name=n) for n in ("一", "二", "三")]))
    Membership.objects.filter(user=owner).delete()
    jobs.work_off()
    job = Job.objects.get()
    assert (job.status, job.error) == (Job.Status.FAILED, "您已没有该导入的权限，导入未进行。")
    assert not Enterprise.objects.filter(name__in=["一", "二", "三"]).exists()


def test_a_large_file_with_a_missing_column_is_reported_on_the_job_page(cast, client, small_limit):
    client.force_login(cast["town_a"])
    _post(client, URL, workbook_bytes([["x"], ["y"], ["z"]], header=["名称"]))
    jobs.work_off()
    job = Job.objects.get()
    page = client.get(reverse("core:job-detail", args=[job.pk]))
    assert "缺少必填列" in page.context["report"].file_error
    assert not page.context["repeatable"] and job.params["inputs"] == []


def test_a_large_hazard_ledger_is_imported_by_a_job(cast, client, small_limit):
    client.force_login(cast["town_a"])
    rows = [import_row(cast, description=f"隐患{n}") for n in range(3)]
    response = _post(client, reverse("hazards:hazard-import"), sheet(rows))
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job-detail", args=[job.pk])
    jobs.work_off()
    job.refresh_from_db()
    assert (job.status, job.result["imported"]) == (Job.Status.SUCCEEDED, 3)
    assert Hazard.objects.filter(description__startswith="隐患").count() == 3


def test_a_large_region_import_checks_the_root_again_in_the_job(cast, client, small_limit):
    client.force_login(cast["county_office"])
    rows = [
        ["341122102000", "水口镇", "镇", ""],
        ["341122102001", "水口村", "村", ""],
        ["341122102002", "二村", "村", ""],
    ]
    _post(client, reverse("core:region-import", args=[cast.county.code]), region_sheet(rows))
    job = Job.objects.get()
    assert job.params["extra"] == {"root": cast.county.code}
    jobs.work_off()
    job.refresh_from_db()
    assert job.result["imported"] == 3 and Region.objects.filter(pk__startswith="341122102").count() == 3

    _post(client, reverse("core:region-import", args=[cast.county.code]), region_sheet(rows))
    Membership.objects.filter(user=cast["county_office"]).update(region=cast.town_b)
    jobs.work_off()
    refused = Job.objects.exclude(pk=job.pk).get()
    assert refused.status == Job.Status.FAILED


def test_a_superseded_run_rolls_the_whole_file_back(cast, client, small_limit, monkeypatch):
    client.force_login(cast["town_a"])
    _post(client, URL, workbook_bytes([row(cast, name=n) for n in ("一", "二", "三")]))
    job = Job.objects.get()
    original = jobs.JobRun.progress

    def reaped_after_two(run, done, total=None, *, force=False):
        if done == 2:  # the reaper gave this attempt up: the row's attempt moved on
            Job.objects.filter(pk=run.job.pk).update(attempt=run.job.attempt + 1)
        return original(run, done, total, force=True)

    monkeypatch.setattr(jobs.JobRun, "progress", reaped_after_two)
    assert jobs.execute(job.pk, worker_id="w")["superseded"] == 1
    assert not Enterprise.objects.filter(name__in=["一", "二", "三"]).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_of_an_import_is_visible_to_others_while_it_runs(cast, client, small_limit, monkeypatch):
    """The import is one transaction; its progress still reaches the job's page before it commits."""
    client.force_login(cast["town_a"])
    _post(client, URL, workbook_bytes([row(cast, name=n) for n in ("一", "二", "三")]))
    job = Job.objects.get()
    seen = []
    original = jobs.JobRun.progress

    def watched(run, done, total=None, *, force=False):
        original(run, done, total, force=True)
        if done == 2 and connection.in_atomic_block:
            shown = jobs.live(Job.objects.get(pk=run.job.pk)).progress_done
            if connection.vendor != "postgresql":
                seen.append(
                    shown
                )  # SQLite has one writer: the page reads the progress from beside the database
                return
            other = connections.create_connection("default")  # another process's view: committed rows only
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT progress_done FROM core_job WHERE id = %s", [run.job.pk])
                    in_database = cursor.fetchone()[0]
                    cursor.execute("SELECT COUNT(*) FROM core_enterprise WHERE name = %s", ["一"])
                    committed = cursor.fetchone()[0]
            finally:
                other.close()
            seen.append((in_database, shown, committed))

    monkeypatch.setattr(jobs.JobRun, "progress", watched)
    jobs.execute(job.pk, worker_id="w")
    # On PostgreSQL written through a second connection while the rows are not yet committed.
    # (SQLite reaches row 2 twice: the file is checked, then imported, in chunks.)
    assert seen == ([(2, 2, 0)] if connection.vendor == "postgresql" else [2, 2])
    assert Enterprise.objects.filter(name__in=["一", "二", "三"]).count() == 3
    assert not jobs._live_path(job.pk).exists()


def test_cleanup_deletes_a_kept_upload_with_the_expired_result(cast, client, small_limit):
    job = _checked_with_one_faulty_row(cast, client)
    stored, result = job.params["inputs"][0], job.result_file
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    jobs.cleanup_job(None)
    job.refresh_from_db()
    assert (job.result_file, job.params["inputs"]) == ("", [])
    assert not default_storage.exists(stored) and not default_storage.exists(result)
    assert not client.get(reverse("core:job-detail", args=[job.pk])).context["repeatable"]


def test_count_rows_stops_past_the_limit():
    rows = [["a"]] * 50
    data = workbook_bytes(rows, header=["x"])
    assert imports.count_rows(data, limit=10) == 11
    assert imports.count_rows(data, limit=100) == 50
    assert importing.LISTED_PROBLEMS > 0


# ---------------------------------------------------------------- chunks (what a job does on SQLite)


def _chunked(cast, names, *, valid_only=False, chunk=2, fail_late=None):
    """Import enterprises `names` (None: a faulty row) through run_rows in chunks; `fail_late` is a row
    number that passes its check and fails when imported (a concurrent change)."""
    calls: dict[int, int] = {}
    rows = [(n, {"name": name}) for n, name in enumerate(names, start=2)]
    progress: list[int] = []

    def import_row(number, raw):
        calls[number] = calls.get(number, 0) + 1
        if raw["name"] is None:
            return [("name", "必填")]
        if number == fail_late and calls[number] == 2:
            return [("uscc", "已存在")]
        EnterpriseFactory(name=raw["name"], region=cast.village_a, industry=industry("construction"))
        return []

    report = imports.run_rows(
        rows,
        import_row,
        {"name": "单位名称*", "uscc": "统一社会信用代码*"},
        valid_only,
        lambda done, total: progress.append(done),
        chunk=chunk,
    )
    return report, progress


def _imported(names):
    return sorted(Enterprise.objects.filter(name__in=[n for n in names if n]).values_list("name", flat=True))


def test_in_chunks_a_clean_file_is_checked_then_imported_whole(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_PAUSE_SECONDS", 0)
    names = ["甲", "乙", "丙", "丁", "戊"]
    report, progress = _chunked(cast, names)
    assert (report.total, report.valid, report.imported, report.errors) == (5, 5, 5, [])
    assert _imported(names) == sorted(names)
    assert progress == sorted(progress) and progress[-1] == 5 and len(set(progress)) >= 5


def test_in_chunks_one_faulty_row_imports_nothing(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_PAUSE_SECONDS", 0)
    names = ["甲", "乙", "丙", None, "戊"]
    report, _progress = _chunked(cast, names)
    assert (report.valid, report.imported, [(e.row, e.column) for e in report.errors]) == (
        4,
        0,
        [(5, "单位名称")],
    )
    assert _imported(names) == []


def test_in_chunks_the_valid_rows_only_skip_the_faulty_one(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_PAUSE_SECONDS", 0)
    names = ["甲", "乙", "丙", None, "戊"]
    report, progress = _chunked(cast, names, valid_only=True)
    assert (report.valid, report.imported, report.error_rows) == (4, 4, 1)
    assert _imported(names) == sorted(["甲", "乙", "丙", "戊"])
    assert progress[-1] == 5


def test_in_chunks_a_row_failing_only_when_imported_stops_there_and_says_so(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_PAUSE_SECONDS", 0)
    names = ["甲", "乙", "丙", "丁", "戊"]
    report, _progress = _chunked(cast, names, fail_late=5)  # the 4th row, in the second chunk
    # The first chunk (甲, 乙) is committed; the second (丙, 丁) rolled back; nothing after it is tried.
    assert _imported(names) == sorted(["甲", "乙"])
    assert report.imported == 2
    [error] = report.errors
    assert (error.row, error.column) == (5, "统一社会信用代码")
    assert error.message == "导入时失败（校验后数据已有变化）：已存在 此前已导入 2 行，其余未导入。"


# ---------------------------------------------------------------- strict parsing, plain messages (issue #13)


def test_yes_no_columns_take_only_yes_or_no(cast, client):
    client.force_login(cast["town_a"])
    rows = [row(cast, name="是否一"), row(cast, name="是否二"), row(cast, name="是否三")]
    flag = [title for title, _n in imports.COLUMNS].index("重大危险源")
    rows[0][flag], rows[1][flag], rows[2][flag] = "有", "Y", "是"
    report = _post(client, URL, workbook_bytes(rows)).context["report"]
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "重大危险源", "“有”无效：只能填写“是”或“否”。"),
        (3, "重大危险源", "“Y”无效：只能填写“是”或“否”。"),
    ]


def test_phones_are_checked_and_kept_in_one_form(cast, client):
    client.force_login(cast["town_a"])
    phone = [title for title, _n in imports.COLUMNS].index("主要负责人电话")
    good, bad = row(cast, name="电话好"), row(cast, name="电话坏")
    good[phone], bad[phone] = "0550 1234567", "12345"
    report = _post(client, URL, workbook_bytes([good, bad])).context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(3, "主要负责人电话")]
    assert "0550-1234567" in report.errors[0].message
    report = _post(client, URL, workbook_bytes([good]), valid_only="on").context["report"]
    assert report.imported == 1
    assert Enterprise.objects.get(name="电话好").principal_phone == "0550-1234567"


def test_a_code_of_another_jurisdiction_and_a_missing_cell_are_said_in_plain_chinese(cast, client):
    client.force_login(cast["town_a"])
    name = [title for title, _n in imports.COLUMNS].index("单位名称*")
    empty = row(cast)
    empty[name] = ""
    report = _post(client, URL, workbook_bytes([row(cast, name="新单位"), empty])).context["report"]
    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "单位名称", "必填，不能为空。")]
    # Enterprise Y is town B's: town A learns the code is taken, not by whom.
    report = _post(client, URL, workbook_bytes([row(cast, uscc=cast.enterprise_y.uscc)])).context["report"]
    assert [e.message for e in report.errors] == ["该统一社会信用代码已由其他辖区登记，不能重复导入。"]


def test_hazard_dates_in_chinese_spellings(cast, client):
    client.force_login(cast["town_a"])
    good = import_row(cast, description="日期好", found_on="2026年11月1日", due_on="2099/1/31")
    bad = import_row(cast, description="日期坏", due_on="2026-02-30")
    report = _post(client, reverse("hazards:hazard-import"), sheet([good, bad])).context["report"]
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "整改期限", "日期“2026-02-30”不存在，请检查月份和日。")
    ]
    report = _post(client, reverse("hazards:hazard-import"), sheet([good])).context["report"]
    assert report.imported == 1
    hazard = Hazard.objects.get(description="日期好")
    assert (hazard.found_on.isoformat(), hazard.due_on.isoformat()) == ("2026-11-01", "2099-01-31")


def _validations(sheet) -> dict[str, str]:
    return {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}


def test_the_templates_offer_drop_downs_for_every_coded_column_and_a_notes_sheet(cast, client):
    client.force_login(cast["town_a"])
    book = load_workbook(io.BytesIO(client.get(reverse("core:enterprise-import-template")).content))
    sheet = book.worksheets[0]
    drops = _validations(sheet)
    assert drops["D2"].startswith("'行业领域'!$A$2:$A$")  # 主行业领域
    assert drops["F2"].startswith("'规模'!$A$2:$A$")
    assert drops["N2"] == drops["O2"] == '"是,否"'  # 重大危险源, 人员密集场所
    notes = book["填表说明"]
    rows = list(notes.iter_rows(values_only=True))
    assert rows[0] == ("列名", "是否必填", "填写说明")
    assert [r[0] for r in rows[1:]] == [title.rstrip("*") for title, _n in imports.COLUMNS]
    assert rows[1][:2] == ("统一社会信用代码", "必填") and rows[5][1] is None  # 生产经营地址 is optional

    book = load_workbook(io.BytesIO(client.get(reverse("hazards:hazard-import-template")).content))
    drops = _validations(book.worksheets[0])
    assert {drops[cell].split("!")[0] for cell in ("G2", "H2", "K2")} == {"'选项'"}  # 类别, 等级, 来源
    assert drops["I2"].startswith("'判定标准条款'!$A$2:")
    assert "填表说明" in book.sheetnames
