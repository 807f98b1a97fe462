"""Permission-matrix rows of the warnings part (see tests/matrix.py and tests/test_permission_matrix.py).

The scene: a county-wide warning to the 安委办, the towns, the enterprises and the grid workers (so town A, town
B, enterprise X and the grid worker receive it; the departments, the leader and the expert do not). Drafts are
the county's: only the 安委办 (and a department, which may draft) sees them; only the 安委办 issues, adjusts
and lifts. A recipient opens an issued warning, confirms and reports as themselves; the list and the board
are for the warning's own scope (the 安委办, the leader). The confirmation link needs no login.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.warnings.tests import factories

    return factories


def draft(c):
    return {"pk": _f().draft(c).pk}


def built(c):
    return {"pk": _f().built(c).pk}


def issued(c):
    return {"pk": _f().issued(c).pk}


def link(c):
    from anlan.core import receipts
    from anlan.warnings.models import WarningRecipient

    warning = _f().issued(c)
    row = WarningRecipient.objects.filter(warning=warning, user=c["town_a"]).select_related("task").get()
    return {"token": receipts.link_token(row.task)}


def create_post(c):
    return {
        "kind": "emergency",
        "category": "natural_disaster",
        "hazard": "rainstorm",
        "level": "3",
        "title": "新安镇暴雨黄色预警",
        "region": c.town_a.code,
        "area": "新安镇沿河村组",
        "matters": "强降雨",
        "measures": "加强巡查",
        "groups": ["towns"],
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


def cap_post(c):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    sample = Path(__file__).parent / "samples" / "geohazard_risk.xml"
    return {"file": SimpleUploadedFile("alert.xml", sample.read_bytes()), "region": c.county.code}


ALL = page(200)
SUPERVISORS_AND_LEADER = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
DRAFTERS = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
# Town B may not file under town A: the form comes back with the error (200, nothing written).
CREATE_IN_TOWN_A = page(403, county_office=302, town_a=302, town_b=200, dept_housing=302, dept_transport=302)
# An issued warning: its scope (the 安委办, the leader) and its recipients open it.
READ_ISSUED = page(200, expert=404)
# A draft: the county's scope only — the 安委办 and the departments (气象、水利 … draft too); the leader reads
# it but may not draft.
# A county-wide draft: the towns may not file under the county (the form comes back, nothing written).
CAP_IMPORT = page(403, county_office=302, town_a=200, town_b=200, dept_housing=302, dept_transport=302)
DRAFT_EDIT = page(404, county_office=200, dept_housing=200, dept_transport=200, leader=403)
DRAFT_WRITE = page(404, county_office=302, dept_housing=302, dept_transport=302, leader=403)
ISSUE = page(404, county_office=302, dept_housing=403, dept_transport=403, leader=403)
# Issue, adjust, lift: the 安委办 alone; recipients who see the warning are refused.
ISSUER_ON_ISSUED = page(403, county_office=302, expert=404)
RECIPIENTS_CONFIRM = page(404, county_office=302, town_a=302, town_b=302, enterprise_x=302, grid_worker=302)
OWN_SCOPE = page(404, county_office=200, dept_housing=200, dept_transport=200, leader=200)
LINK = page(200, anonymous=200)
LINK_POST = page(302, anonymous=302)
# The link's POST is a write by nobody signed in (the matrix counts anonymous writes as refused): its audit
# row (the receipt task's history) is asserted in test_warnings_views instead.

ROUTES = [
    Route("warnings:warning-list", ALL),
    Route("warnings:received", ALL),
    Route("warnings:warning-export", SUPERVISORS_AND_LEADER),
    Route("warnings:warning-create", DRAFTERS),
    _post("warnings:warning-create", CREATE_IN_TOWN_A, create_post, label="(town A's)"),
    Route("warnings:warning-detail", READ_ISSUED, kwargs=issued),
    Route("warnings:warning-edit", DRAFT_EDIT, kwargs=draft),
    _post(
        "warnings:warning-edit",
        DRAFT_WRITE,
        lambda c: {
            **_f().values(c),
            "region": c.county.code,
            "level": "2",
            "groups": ["towns"],
            "targets": "",
        },
        draft,
    ),
    _post("warnings:warning-build", DRAFT_WRITE, None, draft),
    _post("warnings:warning-issue", ISSUE, None, built),
    _post("warnings:warning-withdraw", DRAFT_WRITE, lambda c: {"reason": "重复登记"}, draft),
    _post("warnings:warning-level", ISSUER_ON_ISSUED, lambda c: {"level": "1", "reason": "雨势加强"}, issued),
    _post("warnings:warning-lift", ISSUER_ON_ISSUED, lambda c: {"reason": "降雨结束"}, issued),
    _post("warnings:warning-confirm", RECIPIENTS_CONFIRM, None, issued),
    _post(
        "warnings:warning-report", RECIPIENTS_CONFIRM, lambda c: {"m_plan": "on", "note": "已启动"}, issued
    ),
    Route("warnings:warning-recipients", OWN_SCOPE, kwargs=issued),
    Route("warnings:warning-board", OWN_SCOPE, kwargs=issued),
    Route("warnings:warning-confirm-link", LINK, kwargs=link),
    Route("warnings:warning-cap", READ_ISSUED, kwargs=issued),
    Route("warnings:warning-cap", OWN_SCOPE, kwargs=draft, label="a draft"),
    Route("warnings:cap-import", DRAFTERS),
    Route(
        "warnings:cap-import",
        CAP_IMPORT,
        method="post",
        data=cap_post,
        writes=True,
        label="import a CAP file",
    ),
    Route("api:warnings-warning-list", api(200)),
    Route("api:warnings-warning-detail", api(200, expert=404), kwargs=issued),
    Route(
        "api:warnings-warning-board",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=issued,
    ),
    Route(
        "warnings:warning-confirm-link",
        LINK_POST,
        kwargs=link,
        method="post",
        data=lambda c: {},
        label="(no login)",
    ),
]


def _audited():
    from anlan.core.models import ReceiptTask
    from anlan.warnings.models import Warning, WarningRecipient

    return [Warning, WarningRecipient, ReceiptTask]


AUDITED = _audited()
