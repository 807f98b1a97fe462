"""Permission-matrix rows of 考核.

The scene: the county 安委办's scheme for the year (draft, or published with one indicator of each kind), a
manual score the 安委办 entered, a run computed (not published) or published. Work in progress is the 安委办's
(it edits, enters, scores, publishes) and the leader's (reads; 403 on every write); everyone else gets 404.
The enterer's own confirm or return is refused by the guard (302, nothing written). After publication the
towns and departments read the ranking, and town A its own result (town B: 404); enterprises, grid workers and
experts never see a ranking.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def draft(c):
    from anlan.governance.tests.factories_assessment import scheme_with_indicators

    return {"pk": scheme_with_indicators(c).pk}


def published(c):
    from anlan.governance.tests.factories_assessment import published_scheme

    return {"pk": published_scheme(c).pk}


def draft_indicator(c):
    from anlan.governance.tests.factories_assessment import scheme_with_indicators

    return {"pk": scheme_with_indicators(c).indicators.first().pk}


def entered(c):
    from anlan.governance.tests.factories_assessment import manual_score

    return {"pk": manual_score(c).pk}


def computed(c):
    from anlan.governance.tests.factories_assessment import computed_run

    return {"pk": computed_run(c).pk}


def published_run(c):
    from anlan.governance.tests.factories_assessment import published_run as make

    return {"pk": make(c).pk}


def town_a_result(c, run_factory):
    from anlan.governance.tests.factories_assessment import result_of, unit_of

    return {"pk": result_of(run_factory(c), unit_of(c.town_a)).pk}


def computed_result(c):
    from anlan.governance.tests.factories_assessment import computed_run

    return town_a_result(c, computed_run)


def published_result(c):
    from anlan.governance.tests.factories_assessment import published_run as make

    return town_a_result(c, make)


def scheme_post(c):
    from anlan.governance.tests.factories_assessment import cast_units

    cast_units(c)
    return {"region": c.county.pk, "year": 2030, "title": "2030年度安全生产工作考核方案", "base": "100"}


def indicator_post(c):
    return {
        "name": "发生较大生产安全事故",
        "kind": "deduction",
        "category": "result",
        "applies_to": "all",
        "provider": "accidents.relatively_major",
        "points": "10",
        "cap": "30",
    }


def manual_post(c):
    from anlan.governance.models import AssessmentScheme, Indicator
    from anlan.governance.tests.factories_assessment import unit_of

    scheme = AssessmentScheme.objects.get()
    return {
        "indicator": Indicator.objects.get(scheme=scheme, kind="manual").pk,
        "unit": unit_of(c.town_a).pk,
        "amount": "3",
        "evidence": "隐患排查台账不全",
    }


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


OFFICE_ONLY = page(403, county_office=200)
OFFICE_ONLY_POST = page(403, county_office=302)
LIST = page(403, county_office=200, leader=200)
READ = page(404, county_office=200, leader=200)
EDIT = page(404, county_office=200, leader=403)
EDIT_POST = page(404, county_office=302, leader=403)
GOVERNMENT = dict(county_office=200, leader=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
PUBLISHED = page(404, **GOVERNMENT)
OWN = page(404, county_office=200, leader=200, town_a=200)

ROUTES = [
    Route("governance:assessment-scheme-list", LIST),
    Route("governance:assessment-scheme-create", OFFICE_ONLY),
    _post("governance:assessment-scheme-create", OFFICE_ONLY_POST, scheme_post),
    Route("governance:assessment-scheme-detail", READ, kwargs=draft),
    Route("governance:assessment-scheme-edit", EDIT, kwargs=draft),
    _post("governance:assessment-scheme-edit", EDIT_POST, scheme_post, kwargs=draft),
    Route("governance:assessment-indicator-create", EDIT, kwargs=draft),
    _post("governance:assessment-indicator-create", EDIT_POST, indicator_post, kwargs=draft),
    Route("governance:assessment-indicator-edit", EDIT, kwargs=draft_indicator),
    _post("governance:assessment-indicator-edit", EDIT_POST, indicator_post, kwargs=draft_indicator),
    _post("governance:assessment-indicator-delete", EDIT_POST, kwargs=draft_indicator),
    _post("governance:assessment-scheme-publish", EDIT_POST, kwargs=draft),
    Route("governance:assessment-manual", READ, kwargs=published),
    _post("governance:assessment-manual", EDIT_POST, manual_post, kwargs=published),
    _post(
        "governance:assessment-manual-confirm",
        EDIT_POST,
        kwargs=entered,
        refused=frozenset({"county_office"}),
    ),
    Route("governance:assessment-manual-return", page(404, county_office=302, leader=403), kwargs=entered),
    _post(
        "governance:assessment-manual-return",
        EDIT_POST,
        lambda c: {"reason": "依据不足"},
        kwargs=entered,
        refused=frozenset({"county_office"}),
    ),
    _post("governance:assessment-scheme-score", EDIT_POST, kwargs=published),
    Route("governance:assessment-run-list", page(200)),
    Route("governance:assessment-run-detail", READ, kwargs=computed, label="computed"),
    Route("governance:assessment-run-detail", PUBLISHED, kwargs=published_run, label="published"),
    Route("governance:assessment-run-export", READ, kwargs=computed, label="computed"),
    Route("governance:assessment-run-export", PUBLISHED, kwargs=published_run, label="published"),
    _post("governance:assessment-run-publish", EDIT_POST, kwargs=computed),
    Route("governance:assessment-result-detail", READ, kwargs=computed_result, label="computed"),
    Route("governance:assessment-result-detail", OWN, kwargs=published_result, label="published"),
    Route("api:governance-assessment-run-list", api(200)),
    Route("api:governance-assessment-run-detail", api(404, county_office=200, leader=200), kwargs=computed),
    Route(
        "api:governance-assessment-run-detail",
        api(404, **GOVERNMENT),
        kwargs=published_run,
        label="published",
    ),
    Route("api:governance-assessment-result-list", api(200)),
    Route(
        "api:governance-assessment-result-detail",
        api(404, county_office=200, leader=200),
        kwargs=computed_result,
    ),
    Route(
        "api:governance-assessment-result-detail",
        api(404, county_office=200, leader=200, town_a=200),
        kwargs=published_result,
        label="published",
    ),
]


def _audited():
    from anlan.governance.models import AssessmentRun, AssessmentScheme, Indicator, ManualScore

    return [AssessmentScheme, Indicator, ManualScore, AssessmentRun]


AUDITED = _audited()
