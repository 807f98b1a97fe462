"""Response pages: the list's filters, the incident page's timeline, the chronicle (order and DOCX content), the
public page by token, the task page's confirmation and the scope of town B."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from docx import Document

from anlan.emergency.models import ControlPoint
from anlan.emergency.selectors import response as selectors
from anlan.emergency.services import chronicle
from anlan.emergency.services import response as services
from anlan.emergency.tests.factories_response import flood, published, release, start, task


def _scene(cast):
    """A flood with 先期处置, a response raised then lowered, a task confirmed, a closure and a release."""
    office = cast["county_office"]
    incident = flood(cast, occurred_at=timezone.now() - timedelta(hours=3))
    now = timezone.now()
    services.record_first_response(
        actor=cast["town_a"],
        incident_pk=incident.pk,
        called_at=now - timedelta(minutes=170),
        dispatched_at=now - timedelta(minutes=165),
        arrived_at=now - timedelta(minutes=140),
        handed_over_at=now - timedelta(minutes=100),
        responders=[{"name": "李镇长", "post": "副镇长"}],
        actions=[{"at": now - timedelta(minutes=130), "text": "疏散沿河群众"}],
    )
    response = services.start_response(
        actor=office,
        incident_pk=incident.pk,
        level=4,
        commander_name="王指挥",
        commander_phone="13900000000",
        post_place="新安镇政府",
        started_at=now - timedelta(minutes=90),
    )
    services.change_level(actor=office, response_pk=response.pk, to_level=3, reason="水位上涨")
    t = task(cast, response)
    services.confirm_task(actor=cast["dept_transport"], task_pk=t.pk)
    services.set_control_point(
        actor=office,
        response_pk=response.pk,
        kind=ControlPoint.Kind.ROAD_CLOSURE,
        place="X012县道",
        unit_pk=t.unit_id,
        set_at=now - timedelta(minutes=60),
    )
    published(cast, incident)
    return incident, response


def test_the_chronicle_runs_in_time_order_from_the_call_to_the_release(cast):
    incident, _response = _scene(cast)
    entries = chronicle.timeline(selectors.incident_detail(cast["county_office"], incident.pk))
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    texts = [str(e.text) for e in entries]
    assert texts[0].startswith("事件发生")
    order = [
        next(i for i, t in enumerate(texts) if key in t)
        for key in (
            "新安镇接警",
            "出动",
            "疏散沿河群众",
            "先期处置移交",
            "启动四级应急响应",
            "道路封闭",
            "响应级别由四级提高为三级",
            "确认接收",
            "发布《",
        )
    ]
    assert order == sorted(order)


def test_the_chronicle_docx_holds_the_title_and_every_entry(cast, client):
    incident, _response = _scene(cast)
    client.force_login(cast["leader"])
    got = client.get(reverse("emergency:response-chronicle", args=[incident.pk]))
    assert got.status_code == 200
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(got.content))
    assert document.paragraphs[0].text == "新安镇东关社区山洪大事记"
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["时间", "类别", "事项"]
    entries = chronicle.timeline(selectors.incident_detail(cast["leader"], incident.pk))
    assert len(rows) == len(entries) + 1
    assert any("启动四级应急响应" in row[2] for row in rows)
    assert any(row[1] == "信息发布" for row in rows)


def test_the_incident_page_shows_the_timeline_and_the_command_forms(cast, client):
    incident, _response = _scene(cast)
    client.force_login(cast["county_office"])
    page = client.get(reverse("emergency:response-incident-detail", args=[incident.pk])).content.decode()
    assert 'data-testid="timeline"' in page and "导出大事记" in page
    assert 'data-testid="task-form"' in page and "三级" in page
    client.force_login(cast["leader"])
    page = client.get(reverse("emergency:response-incident-detail", args=[incident.pk])).content.decode()
    assert 'data-testid="task-form"' not in page and 'data-testid="timeline"' in page


def test_town_b_does_not_see_town_a_incident(cast, client):
    incident = flood(cast)
    client.force_login(cast["town_b"])
    assert client.get(reverse("emergency:response-incident-detail", args=[incident.pk])).status_code == 404
    listing = client.get(reverse("emergency:response-list")).content.decode()
    assert incident.title not in listing and 'data-testid="empty"' in listing


def test_the_list_filters_open_and_closed_and_kind(cast, client):
    open_one = flood(cast, title="未结束的山洪")
    closed = flood(cast, title="已结束的内涝", kind="other")
    services.close_incident(actor=cast["county_office"], incident_pk=closed.pk)
    client.force_login(cast["county_office"])
    url = reverse("emergency:response-list")
    page = client.get(url, {"state": "open"}).content.decode()
    assert open_one.title in page and closed.title not in page
    page = client.get(url, {"state": "closed"}).content.decode()
    assert closed.title in page and open_one.title not in page
    page = client.get(url, {"kind": "other"}).content.decode()
    assert closed.title in page and open_one.title not in page
    page = client.get(url, {"town": cast.town_b.code}).content.decode()
    assert open_one.title not in page
    page = client.get(url, {"q": "内涝"}).content.decode()
    assert closed.title in page and open_one.title not in page


def test_the_town_filter_keeps_its_choices_once_the_schema_has_read_the_filter(cast, client):
    """The OpenAPI schema builds the class's filter fields; the page's town choices are the user's own."""
    from anlan.emergency.forms.response import IncidentFilter

    assert IncidentFilter.base_filters["town"].field is not None  # what the schema generator does
    open_one = flood(cast, title="未结束的山洪")
    client.force_login(cast["county_office"])
    page = client.get(reverse("emergency:response-list"), {"town": cast.town_b.code}).content.decode()
    assert open_one.title not in page and 'data-testid="empty"' in page
    page = client.get(reverse("emergency:response-list"), {"town": cast.town_a.code}).content.decode()
    assert open_one.title in page


def test_the_public_page_shows_the_published_text_without_login(cast, client):
    r = published(cast)
    page = client.get(reverse("emergency:response-release-public", args=[r.token]))
    assert page.status_code == 200
    assert "暂无人员伤亡" in page.content.decode()
    assert client.get(reverse("emergency:response-release-public", args=["not-a-token"])).status_code == 404


def test_an_unpublished_release_has_no_public_page(cast, client):
    r = release(cast)
    assert client.get(reverse("emergency:response-release-public", args=[r.token])).status_code == 404


def test_a_superseded_release_says_so_on_its_public_page(cast, client):
    old = published(cast)
    correction = release(
        cast, old.incident, title="更正通报", text="更正：转移群众28人。", supersedes_pk=old.pk
    )
    services.submit_release(actor=cast["county_office"], release_pk=correction.pk)
    from anlan.core.units import unit_for

    for who in ("dept_housing", "dept_transport"):
        review = correction.reviews.get(unit=unit_for(getattr(cast, who)))
        services.review_release(actor=cast[who], review_pk=review.pk, approve=True)
    services.publish_release(actor=cast["county_office"], release_pk=correction.pk)
    page = client.get(reverse("emergency:response-release-public", args=[old.token])).content.decode()
    assert 'data-testid="superseded"' in page and "暂无人员伤亡" in page
    assert reverse("emergency:response-release-public", args=[correction.token]) in page


def test_the_tasked_unit_confirms_on_its_page(cast, client):
    t = task(cast)
    client.force_login(cast["dept_transport"])
    url = reverse("emergency:response-task-detail", args=[t.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="task-confirm"' in page and "待确认" in page
    client.post(reverse("emergency:response-task-confirm", args=[t.pk]))
    page = client.get(url).content.decode()
    assert "已确认" in page and 'data-testid="task-confirm"' not in page


def test_a_tasked_department_finds_its_task_on_its_list_and_its_to_do_until_it_reports_it_done(cast, client):
    from anlan.core.contract import registry

    t = task(cast)
    provider = next(p for p in registry().todos if p.key == "emergency.response_tasks")
    assert list(provider.rows(cast["dept_transport"])) == [t]
    (item,) = provider.first_items(provider.rows(cast["dept_transport"]), 5)
    assert item.url == reverse("emergency:response-task-detail", args=[t.pk]) and item.note == "待确认接收"
    # Not the county office's task, nor the other department's: their lists and to-dos stay empty.
    for other in ("county_office", "dept_housing", "town_a"):
        assert not provider.rows(cast[other]).exists()
    client.force_login(cast["dept_transport"])
    listed = client.get(reverse("emergency:response-task-list") + "?state=open").content.decode()
    assert "封闭X012县道东关段" in listed and "待确认接收" in listed
    services.confirm_task(actor=cast["dept_transport"], task_pk=t.pk)
    (item,) = provider.first_items(provider.rows(cast["dept_transport"]), 5)
    assert item.note == "待报告完成"
    services.complete_task(actor=cast["dept_transport"], task_pk=t.pk, note="已封闭，设置绕行标志")
    assert not provider.rows(cast["dept_transport"]).exists()
    listed = client.get(reverse("emergency:response-task-list") + "?state=open").content.decode()
    assert "本单位没有应急任务" in listed
    assert "已完成" in client.get(reverse("emergency:response-task-list")).content.decode()
    client.force_login(cast["dept_housing"])
    assert "封闭X012县道东关段" not in client.get(reverse("emergency:response-task-list")).content.decode()


def test_ending_an_accident_response_says_why_the_incident_stays_open(cast, client):
    from anlan.accidents.tests.factories import report
    from anlan.emergency.services.incident import incident_for_accident

    incident = incident_for_accident(report(cast))
    response = start(cast, incident)
    client.force_login(cast["county_office"])
    got = client.post(reverse("emergency:response-end", args=[response.pk]), {"note": ""}, follow=True)
    assert "事故调查尚未闭环" in got.content.decode()
    page = client.get(reverse("emergency:response-incident-detail", args=[incident.pk])).content.decode()
    assert f"生产安全事故 · {incident.grade_label}" in page and incident.grade_label.endswith("事故")


def test_first_response_form_parses_people_and_actions(cast, client):
    incident = flood(cast)
    client.force_login(cast["town_a"])
    when = timezone.localtime() - timedelta(minutes=50)
    fmt = "%Y-%m-%dT%H:%M"
    got = client.post(
        reverse("emergency:response-first", args=[incident.pk]),
        {
            "called_at": when.strftime(fmt),
            "dispatched_at": (when + timedelta(minutes=5)).strftime(fmt),
            "arrived_at": (when + timedelta(minutes=4)).strftime(fmt),
            "responders": "李镇长 副镇长 13800000001",
            "actions": "",
        },
    )
    assert got.status_code == 200 and "到达时间不能早于出动时间" in got.content.decode()
    got = client.post(
        reverse("emergency:response-first", args=[incident.pk]),
        {
            "called_at": when.strftime(fmt),
            "dispatched_at": (when + timedelta(minutes=5)).strftime(fmt),
            "arrived_at": (when + timedelta(minutes=20)).strftime(fmt),
            "responders": "李镇长 副镇长 13800000001\n张干事",
            "actions": f"{(when + timedelta(minutes=25)):%H:%M} 疏散群众",
        },
    )
    assert got.status_code == 302
    first = incident.first_response
    assert [r.name for r in first.responders.all()] == ["李镇长", "张干事"]
    assert first.responders.first().phone == "13800000001"
    assert [a.text for a in first.actions.all()] == ["疏散群众"]


def test_the_demo_step_builds_the_flood_with_its_response(cast):
    from types import SimpleNamespace

    from anlan.core.tests.factories import DepartmentFactory
    from anlan.emergency.demo import response as demo_response
    from anlan.emergency.models import Incident, PublicRelease, Response, ResponseTask

    publicity = DepartmentFactory(name="中共来安县委宣传部", region=cast.county)
    demo = SimpleNamespace(
        users={
            "anweiban": cast["county_office"],
            "yingji": cast["county_office"],
            "xinan": cast["town_a"],
            "jiaotong": cast["dept_transport"],
        },
        towns={"新安镇": cast.town_a},
        villages={cast.village_a.code: cast.village_a, cast.village_b.code: cast.village_b},
        departments={"交通运输局": cast.dept_transport, "住建局": cast.dept_housing, "县委宣传部": publicity},
        county=cast.county,
        counts={},
    )
    demo_response.step(demo)
    incident = Incident.objects.get()
    assert incident.kind == Incident.Kind.NATURAL_DISASTER and incident.region == cast.village_a
    response = Response.objects.get()
    assert response.level == 4 and response.is_active
    assert sorted(t.confirmed for t in ResponseTask.objects.all()) == [False, True]
    assert response.control_points.filter(kind="road_closure", lifted_at__isnull=True).count() == 1
    assert incident.first_response.responders.count() == 3
    assert PublicRelease.objects.get().status == PublicRelease.Status.PUBLISHED


def test_the_incident_ledger_exports_the_scoped_list(cast, client):
    from openpyxl import load_workbook

    response = start(cast, level=3)
    flood(cast, title="另一事件")
    client.force_login(cast["leader"])
    got = client.get(reverse("emergency:response-export"))
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v]
    assert response.incident.title in flat and "另一事件" in flat and "三级" in flat
    client.force_login(cast["town_b"])
    got = client.get(reverse("emergency:response-export"))
    sheet = load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    assert response.incident.title not in [c.value for row in sheet.iter_rows() for c in row]


def test_an_action_time_after_midnight_belongs_to_the_next_day():
    """A 先期处置 called in at 23:45 whose action is written "00:10 疏散群众" happened ten past midnight the next day
    (the time of day alone, earlier than the call, cannot be before it); "23:50" stays on the day of the call."""
    from datetime import datetime

    from anlan.emergency.forms.response import FirstResponseForm

    form = FirstResponseForm(
        {
            "called_at": "2026-11-30T23:45",
            "dispatched_at": "2026-11-30T23:50",
            "responders": "李镇长 副镇长 13800000001",
            "actions": "23:50 出动\n00:10 疏散群众",
        }
    )
    assert form.is_valid(), form.errors
    at = [timezone.localtime(row["at"]).replace(tzinfo=None) for row in form.cleaned_data["actions"]]
    assert at == [datetime(2026, 11, 30, 23, 50), datetime(2026, 12, 1, 0, 10)]
