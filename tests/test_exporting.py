"""Ledger exports through the contract (core/exporting.py): up to ANLAN_EXPORT_JOB_ROWS rows download at
once; more become a background job that writes the same file for the same user and filters."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core import jobs
from anlan.core.models import Job, Membership, Role
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = reverse("core:enterprise-export")


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _without_time(rows: list[tuple]) -> list[tuple]:
    """The sheet without its info row (export time and count): two writes a minute apart differ there."""
    return rows[:1] + rows[2:]


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_ledger_within_the_limit_downloads_at_once(cast, client, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 5
    client.force_login(cast["county_office"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_rows(_download(response))) == 3 + 2  # title, info, header, enterprises X and Y
    assert not Job.objects.exists()


def test_a_ledger_over_the_limit_becomes_a_job_with_the_same_file(cast, client, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 1
    owner = cast["county_office"]
    client.force_login(owner)
    response = client.get(URL, {"status": "operating"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job-detail", args=[job.pk])
    assert (job.kind, job.owner, job.status) == ("core.export", owner, Job.Status.QUEUED)
    assert job.params == {"ledger": "enterprises", "query": "status=operating", "rows": 2}
    assert job.label == "导出生产经营单位台账（2 行）"
    page = client.get(response["Location"]).content.decode()
    assert "共 2 行，已转入后台导出" in page and "排队中" in page

    jobs.work_off()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.result) == (2, 2, {"rows": 2})
    assert job.result_name.startswith("enterprises-") and job.result_name.endswith(".xlsx")
    in_background = _rows(default_storage.open(job.result_file).read())
    assert in_background[0] == ("生产经营单位台账　来安县　经营状态：正常生产经营",)
    assert in_background[1][0].endswith("共 2 条")

    settings.ANLAN_EXPORT_JOB_ROWS = 5
    at_once = _rows(_download(client.get(URL, {"status": "operating"})))
    assert _without_time(in_background) == _without_time(at_once)
    downloaded = _rows(_download(client.get(reverse("core:job-download", args=[job.pk]))))
    assert downloaded == in_background
    message = Notification.objects.get(recipient=owner)
    assert message.title == "后台任务已完成：导出生产经营单位台账（2 行）"


def test_the_job_applies_the_saved_filters_for_its_owner(cast, client, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 0
    EnterpriseFactory(name="来安县建工二公司", region=cast.village_a, industry=industry("construction"))
    client.force_login(cast["town_a"])
    client.get(URL, {"q": "建工"})
    jobs.work_off()
    job = Job.objects.get()
    names = [row[2] for row in _rows(default_storage.open(job.result_file).read())[3:]]
    # Town A's scope (village A) holds both 建工 enterprises; the chemicals firm of town B is out of scope.
    assert sorted(names) == ["来安县建工二公司", "来安县建工集团有限公司"]


def test_a_job_whose_owner_lost_the_right_fails_with_a_clear_message(cast, client, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 0
    owner = cast["town_a"]
    client.force_login(owner)
    client.get(URL)
    Membership.objects.filter(user=owner).update(role=Role.GRID_WORKER, region=None, grid=cast.grid_a)
    jobs.work_off()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error == "您已没有导出该台账的权限，导出未进行。"
    assert not job.result_file


def test_without_the_export_right_nothing_is_queued(cast, client, settings):
    settings.ANLAN_EXPORT_JOB_ROWS = 0
    client.force_login(cast["grid_worker"])
    assert client.get(URL).status_code == 403
    assert not Job.objects.exists()


# ---------------------------------------------------------------- every list's export link keeps its query


def _export_query(body: str) -> QueryDict:
    tag = re.search(r'<a [^>]*id="export-link"[^>]*>', body).group(0)
    return QueryDict(html.unescape(re.search(r'href="[^"?]*\?([^"]*)"', tag).group(1)))


@pytest.mark.parametrize(
    ("list_name", "query", "kept"),
    [
        (
            "core:enterprise-list",
            "q=建工&status=operating&scale=small&sort=-name&page=2",
            [("scale", "small"), ("sort", "-name")],
        ),
        (
            "accidents:accident-list",
            "late=false&type_code=01&pending=receive&sort=-deaths&page=3",
            [("type_code", "01"), ("pending", "receive"), ("sort", "-deaths")],
        ),
        (
            "hazards:hazard-list",
            "status=rectifying&category=unsafe_condition&to=verify&sort=-due&page=2",
            [("category", "unsafe_condition"), ("to", "verify"), ("sort", "-due")],
        ),
    ],
    ids=["enterprises", "accidents", "hazards"],
)
def test_a_lists_export_link_and_filter_form_keep_its_filters_and_sort_across_pages(
    cast, client, list_name, query, kept
):
    client.force_login(cast["county_office"])
    without_page = QueryDict(query).copy()
    without_page.pop("page")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page, and the table fragment htmx swaps in
        body = client.get(f"{reverse(list_name)}?{query}", **headers).content.decode()
        assert _export_query(body) == without_page
        hidden = re.search(r'<span id="kept-filters"[^>]*>(.*?)</span>', body).group(1)
        assert re.findall(r'name="(\w+)" value="([^"]*)"', hidden) == kept
