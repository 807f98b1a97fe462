"""Permission-matrix rows of the accidents module (see tests/matrix.py and tests/test_permission_matrix.py).

The accident of the rows is enterprise X's (construction, village A): out of town B's scope (404); the grid
worker sees it through enterprise X's grid; the leader reads only.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.matrix import Route, api, page


def _accident(c, **overrides):
    from anlan.accidents import services
    from anlan.accidents.tests.factories import accident_data

    return services.report_accident(actor=c["enterprise_x"], data=accident_data(c, **overrides))


def accident(c):
    return {"pk": _accident(c).pk}


def _investigation(c, conclude=False, done_measure=False, received=False, **accident_overrides):
    from anlan.accidents import services

    office = c["county_office"]
    pk = _accident(c, **accident_overrides).pk
    opened = services.open_investigation(
        actor=office, accident_pk=pk, data={"lead_organ": "县政府", "team_leader": "张"}
    )
    if conclude:
        services.conclude_investigation(actor=office, accident_pk=pk, direct_cause="未系安全带")
    measure = services.add_measure(
        actor=office,
        accident_pk=pk,
        description="排查",
        responsible_party="建工",
        due_on=timezone.localdate(),
    )
    if done_measure:
        services.complete_measure(
            actor=office,
            accident_pk=pk,
            measure_pk=measure.pk,
            completed_on=timezone.localdate(),
            note="完成",
        )
    if received:
        services.record_report_received(actor=office, accident_pk=pk, received_on=timezone.localdate())
    return {"pk": pk, "investigation_pk": opened.pk, "measure_pk": measure.pk}


def concluded(c):
    """kwargs of an accident whose investigation report is concluded (to be sent to the government)."""
    return {"pk": _investigation(c, conclude=True)["pk"]}


def awaiting_reply(c):
    """kwargs of an accident whose investigation report the government received, without a 批复 yet."""
    return {"pk": _investigation(c, conclude=True, received=True)["pk"]}


def extraordinary_awaiting_reply(c):
    """The same for a 特别重大 accident, whose 批复 may be extended once."""
    return {"pk": _investigation(c, conclude=True, received=True, deaths=30)["pk"]}


def investigation(c):
    """kwargs of the accident's investigation pages (the accident's id)."""
    return {"pk": _investigation(c)["pk"]}


def investigation_transition(c):
    """kwargs of an investigation transition (`investigations/<pk>/<name>/`: the investigation's own id)."""
    return {"pk": _investigation(c)["investigation_pk"]}


def measure_transition(c):
    return {"pk": _investigation(c)["measure_pk"]}


def closable(c):
    """kwargs of the page's close transition (the investigation's own id)."""
    return {"pk": _investigation(c, conclude=True, done_measure=True)["investigation_pk"]}


def closable_accident(c):
    """kwargs of the API's close action (`accidents/<pk>/investigation/close/`: the accident's id)."""
    return {"pk": _investigation(c, conclude=True, done_measure=True)["pk"]}


def new_accident(c):
    from anlan.core.tests.factories import industry

    return {
        "occurred_at": (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "kind": "industrial",
        "type_code": "09",
        "region": c.village_a.code,
        "place": "东关社区工地",
        "enterprise": c.enterprise_x.pk,
        "industry": industry("construction").pk,
        "deaths": 1,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss_yuan": "150000.00",
        "description": "高处坠落",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }


def new_event(c):
    from anlan.core.tests.factories import industry

    return {
        "kind": "near_miss",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "region": c.village_a.code,
        "enterprise": c.enterprise_x.pk,
        "industry": industry("construction").pk,
        "minor_injuries": 0,
        "description": "吊物险些坠落",
    }


def new_near_miss(c):
    from anlan.core.tests.factories import industry

    return {
        "occurred_at": (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "region": c.village_a.code,
        "place": "东关社区工地",
        "enterprise": c.enterprise_x.pk,
        "industry": industry("construction").pk,
        "people_at_risk": 12,
        "trapped_or_missing": 0,
        "evacuated": 0,
        "description": "脚手架局部坍塌，12名工人涉险，无人员伤亡",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }


def injured(c):
    """kwargs of an accident with one injured person recorded by lost work days (its row's id as person_pk)."""
    from anlan.accidents import services

    pk = _accident(c).pk
    person = services.add_injured_person(
        actor=c["county_office"], accident_pk=pk, data={"name": "张某", "lost_work_days": "180"}
    )
    return {"pk": pk, "person_pk": person.pk}


def injured_person(c):
    return {"name": "李某", "lost_work_days": "30", "note": "手部挫伤"}


def follow_up(c):
    return {
        "kind": "follow_up",
        "deaths": 2,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss_yuan": "150000",
        "description": "一名伤员经抢救无效死亡",
    }


ALL = page(200)
REPORTERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, enterprise_x=200
)
EXPORTERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
READ = page(200, town_b=404, dept_transport=404, expert=404)
REPORT_ON = page(200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
REPORT_DONE = page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
RECEIVERS = page(403, county_office=302, dept_housing=302, town_b=404, dept_transport=404, expert=404)
OFFICE = page(403, county_office=302, town_b=404, dept_transport=404, expert=404)
# A write refused on a field (outside the reporter's scope) re-renders the form: 200 and no audit row.
CREATE = page(
    403, county_office=302, town_a=302, town_b=200, dept_housing=302, dept_transport=200, enterprise_x=302
)


def _post(name, expected, data=None, kwargs=None, **kw):
    return Route(
        name,
        expected,
        kwargs=kwargs or (lambda c: {}),
        method="post",
        data=data or (lambda c: {}),
        writes=True,
        **kw,
    )


ROUTES = [
    Route("accidents:accident-list", ALL),
    Route("accidents:accident-create", REPORTERS),
    _post(
        "accidents:accident-create",
        CREATE,
        new_accident,
        label="(enterprise X's; town B refused on the field)",
    ),
    Route("accidents:accident-export", EXPORTERS),
    Route("accidents:statistics", ALL),
    Route("accidents:statistics-export", EXPORTERS),
    Route("accidents:economy-list", ALL),
    _post(
        "accidents:economy-list",
        page(403, county_office=302),
        lambda c: {
            "region": c.county.code,
            "year": 2025,
            "gdp_yi": "320.5",
            "industrial_employment": 80000,
            "motor_vehicles": 190000,
            "raw_coal_wan_tonnes": "",
        },
    ),
    Route("accidents:minor-event-list", ALL),
    _post(
        "accidents:minor-event-list",
        page(
            403,
            county_office=302,
            town_a=302,
            town_b=200,
            dept_housing=302,
            dept_transport=200,
            enterprise_x=302,
        ),
        new_event,
    ),
    Route("accidents:near-miss-list", ALL),
    _post(
        "accidents:near-miss-list",
        CREATE,
        new_near_miss,
        label="(enterprise X's; town B refused on the field)",
    ),
    Route("accidents:accident-detail", READ, kwargs=accident),
    Route("accidents:accident-report", REPORT_ON, kwargs=accident),
    _post("accidents:accident-report", REPORT_DONE, follow_up, accident),
    _post("accidents:accident-forward", RECEIVERS, lambda c: {"level": "county"}, accident),
    _post("accidents:injured-create", REPORT_DONE, injured_person, accident),
    _post("accidents:injured-update", REPORT_DONE, injured_person, injured),
    _post("accidents:injured-remove", REPORT_DONE, None, injured),
    _post(
        "accidents:accident-finding",
        OFFICE,
        lambda c: {
            "reported": "0",
            "deadline_passed": "on",
            "concealment_verified": "on",
            "found_on": timezone.localdate().isoformat(),
            "description": "经查证属实",
        },
        accident,
    ),
    _post(
        "accidents:investigation-create",
        RECEIVERS,
        lambda c: {
            "lead_organ": "来安县人民政府",
            "team_leader": "张组长",
            "started_on": timezone.localdate().isoformat(),
        },
        accident,
    ),
    _post(
        "accidents:investigation-extend",
        RECEIVERS,
        lambda c: {"days": 30, "approved_by": "来安县人民政府", "reason": "技术鉴定"},
        investigation_transition,
    ),
    _post(
        "accidents:investigation-conclude",
        RECEIVERS,
        lambda c: {"direct_cause": "违章作业"},
        investigation_transition,
    ),
    _post("accidents:investigation-close", RECEIVERS, None, closable),
    _post(
        "accidents:responsibility-create",
        RECEIVERS,
        lambda c: {
            "party": "unit",
            "enterprise": c.enterprise_x.pk,
            "finding": "安全管理不到位",
            "recommended_handling": "行政处罚",
            "fine_wan": "50",
        },
        investigation,
    ),
    _post(
        "accidents:measure-create",
        RECEIVERS,
        lambda c: {
            "description": "全面排查",
            "responsible_party": "建工集团",
            "due_on": timezone.localdate().isoformat(),
        },
        investigation,
    ),
    _post(
        "accidents:report-received",
        RECEIVERS,
        lambda c: {"received_on": timezone.localdate().isoformat()},
        concluded,
    ),
    _post(
        "accidents:reply-extend",
        RECEIVERS,
        lambda c: {"days": 30, "reason": "需补充调查"},
        extraordinary_awaiting_reply,
    ),
    _post(
        "accidents:reply-record",
        RECEIVERS,
        lambda c: {
            "replied_on": timezone.localdate().isoformat(),
            "authority": "来安县人民政府",
            "number": "来政复〔2026〕1号",
        },
        awaiting_reply,
    ),
    _post(
        "accidents:measure-complete",
        RECEIVERS,
        lambda c: {"completed_on": timezone.localdate().isoformat(), "note": "已完成"},
        measure_transition,
    ),
]


def measure_of(c):
    """kwargs for the API's complete-measure action; the measure id travels in the body."""
    found = _investigation(c)
    c.measure_pk = found["measure_pk"]
    return {"pk": found["pk"]}


def api_accident(c):
    data = new_accident(c)
    data["occurred_at"] = (timezone.now() - timedelta(minutes=20)).isoformat()
    return data


def _api_post(name, expected, data=None, kwargs=None, **kw):
    return Route(
        name,
        expected,
        kwargs=kwargs or (lambda c: {}),
        method="post",
        data=data or (lambda c: {}),
        json=True,
        writes=True,
        **kw,
    )


API_RECEIVERS = api(403, county_office=200, dept_housing=200, town_b=404, dept_transport=404, expert=404)
API_CREATED = api(403, county_office=201, dept_housing=201, town_b=404, dept_transport=404, expert=404)

ROUTES += [
    Route("api:accident-list", api(200)),
    _api_post(
        "api:accident-list",
        api(
            403,
            county_office=201,
            town_a=201,
            town_b=400,
            dept_housing=201,
            dept_transport=400,
            enterprise_x=201,
        ),
        api_accident,
        label="(初报)",
    ),
    Route("api:accident-detail", api(200, town_b=404, dept_transport=404, expert=404), kwargs=accident),
    Route("api:accident-reports", api(200, town_b=404, dept_transport=404, expert=404), kwargs=accident),
    _api_post(
        "api:accident-reports",
        api(201, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        follow_up,
        accident,
        label="(续报)",
    ),
    _api_post("api:accident-forward", API_RECEIVERS, lambda c: {"level": "county"}, accident),
    _api_post(
        "api:accident-findings",
        api(403, county_office=201, town_b=404, dept_transport=404, expert=404),
        lambda c: {
            "reported": True,
            "omission": True,
            "omission_by_negligence": True,
            "found_on": timezone.localdate().isoformat(),
            "description": "漏报伤亡人数",
        },
        accident,
    ),
    Route(
        "api:accident-investigation",
        api(200, town_b=404, dept_transport=404, expert=404),
        kwargs=investigation,
    ),
    _api_post(
        "api:accident-investigation",
        API_CREATED,
        lambda c: {"lead_organ": "来安县人民政府", "team_leader": "张组长"},
        accident,
    ),
    _api_post(
        "api:accident-extend",
        API_RECEIVERS,
        lambda c: {"days": 20, "approved_by": "来安县人民政府", "reason": "技术鉴定"},
        investigation,
    ),
    _api_post("api:accident-conclude", API_RECEIVERS, lambda c: {"direct_cause": "违章作业"}, investigation),
    _api_post("api:accident-close", API_RECEIVERS, None, closable_accident),
    _api_post(
        "api:accident-responsibilities",
        API_CREATED,
        lambda c: {
            "party": "person",
            "name": "李四",
            "is_principal": True,
            "last_year_income_wan": "30",
            "finding": "违章指挥",
            "recommended_handling": "处分",
        },
        investigation,
    ),
    _api_post(
        "api:accident-measures",
        API_CREATED,
        lambda c: {
            "description": "全面排查",
            "responsible_party": "建工集团",
            "due_on": timezone.localdate().isoformat(),
        },
        investigation,
    ),
    _api_post(
        "api:accident-report-received",
        API_RECEIVERS,
        lambda c: {"received_on": timezone.localdate().isoformat()},
        concluded,
    ),
    _api_post(
        "api:accident-reply-extend",
        API_RECEIVERS,
        lambda c: {"days": 10, "reason": "需补充调查"},
        extraordinary_awaiting_reply,
    ),
    _api_post(
        "api:accident-reply",
        API_RECEIVERS,
        lambda c: {"replied_on": timezone.localdate().isoformat(), "authority": "来安县人民政府"},
        awaiting_reply,
    ),
    _api_post(
        "api:accident-complete-measure",
        API_RECEIVERS,
        lambda c: {
            "measure": c.measure_pk,
            "completed_on": timezone.localdate().isoformat(),
            "note": "已完成",
        },
        measure_of,
    ),
    Route("api:accident-statistics", api(200)),
]


def _audited():
    from anlan.accidents.models import (
        Accident,
        AccidentReport,
        InjuredPerson,
        Investigation,
        MinorEvent,
        NearMissIncident,
        PreventiveMeasure,
        RegionEconomy,
        ReportingFinding,
        ReportStep,
        Responsibility,
    )

    return [
        InjuredPerson,
        Accident,
        AccidentReport,
        ReportStep,
        ReportingFinding,
        Investigation,
        Responsibility,
        PreventiveMeasure,
        MinorEvent,
        NearMissIncident,
        RegionEconomy,
    ]


AUDITED = _audited()
