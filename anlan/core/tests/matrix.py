"""The core registry's rows of the permission matrix (collected through core's contribution)."""

from __future__ import annotations

from anlan.core.models import Department, Enterprise, Grid, Licence, LicenceChange, Region
from anlan.core.tests.factories import GridFactory, LicenceFactory
from tests.matrix import Route, api, expect, page

AUDITED = [Enterprise, Licence, LicenceChange, Region, Grid, Department]


def x(c):
    return {"pk": c.enterprise_x.pk}


def new_enterprise(c):
    from anlan.core.tests.factories import industry, next_id_number, next_uscc

    return {
        "uscc": next_uscc(),
        "name": "来安县新登记建筑有限公司",
        "region": c.village_a.code,
        "industry": industry("construction").pk,
        "scale": "small",
        "employees": 12,
        "principal": "王五",
        "principal_id_number": next_id_number(),
    }


def enterprise_form(c):
    e = c.enterprise_x
    return {
        "uscc": e.uscc,
        "name": e.name,
        "region": e.region_id,
        "grid": e.grid_id or "",
        "industry": e.industry_id,
        "scale": e.scale,
        "employees": e.employees,
        "principal": e.principal.name,
        "principal_id_number": e.principal.id_number,
        "principal_phone": e.principal_phone,
        "address": "新安镇新址路8号",
    }


def _finished_job_of_county_office(c, **fields):
    from django.utils import timezone

    from anlan.core.models import Job

    now = timezone.now()
    return Job.objects.create(
        owner=c["county_office"], status=Job.Status.SUCCEEDED, created_at=now, finished_at=now, **fields
    )


def job_of_county_office(c):
    """A finished export of the county office's, with its file: its owner's alone."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    job = _finished_job_of_county_office(
        c,
        kind="core.export",
        label="导出生产经营单位台账",
        expires_at=timezone.now() + timedelta(hours=1),
        result_name="enterprises.xlsx",
        result_size=4,
    )
    job.result_file = default_storage.save(f"jobs/{job.pk}/matrix.xlsx", ContentFile(b"xlsx"))
    job.save(update_fields=["result_file"])
    return {"pk": job.pk}


def _kept_import_of_county_office(c, result: dict):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = default_storage.save("imports/matrix.xlsx", ContentFile(b"xlsx"))
    job = _finished_job_of_county_office(
        c,
        kind="core.import",
        label="导入生产经营单位：matrix.xlsx",
        params={"importer": "enterprises", "inputs": [stored], "filename": "matrix.xlsx", "extra": {}},
        result=result,
    )
    return {"pk": job.pk}


def import_of_county_office(c):
    """A checked import of the county office's with one faulty row and its file kept: its owner's alone."""
    return _kept_import_of_county_office(
        c, {"total": 2, "valid": 1, "imported": 0, "error_rows": 1, "errors": [[3, "单位名称", "必填"]]}
    )


def updates_of_county_office(c):
    """A checked import of the county office's listing one update to confirm, its file kept."""
    name = c.enterprise_x.name
    update = [2, name, [["单位名称", name, "新名称"]], ""]
    return _kept_import_of_county_office(
        c, {"total": 1, "valid": 1, "imported": 0, "error_rows": 0, "errors": [], "updates": [update]}
    )


def licence_of_x(c):
    return {"pk": c.enterprise_x.pk, "licence_pk": LicenceFactory(enterprise=c.enterprise_x).pk}


def licence_form(c):
    return {
        "kind": "safety_production",
        "number": "（皖）JZ安许证字〔2026〕000001",
        "valid_until": "2099-12-31",
    }


def licence_change_of_x(c):
    """A pending proposal of enterprise X to push its licence's validity to 2099."""
    from datetime import date

    from anlan.core import services

    licence = LicenceFactory(enterprise=c.enterprise_x)
    change = services.propose_licence_change(
        actor=c["enterprise_x"],
        enterprise_pk=c.enterprise_x.pk,
        licence_pk=licence.pk,
        data={"action": "change", "valid_until": date(2099, 12, 31), "reason": "已换发新证"},
    )
    return {"pk": change.pk}


def region_sheet(rows):
    import io

    from openpyxl import Workbook

    from anlan.core.imports import REGION_COLUMNS

    workbook = Workbook()
    workbook.active.append([title for title, _f in REGION_COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "regions.xlsx"
    return buffer


def empty_grid_b(c):
    return {"pk": GridFactory(region=c.village_b).pk}


ALL_PAGES = page(200)
SUPERVISORS_ONLY = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
COUNTY_ONLY = page(403, county_office=200)
X_READ = page(200, town_b=404, dept_transport=404, expert=404)
X_WRITE = page(200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
X_WRITE_DONE = page(302, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403)
# Town A's own region: visible to town A, housing (county) and the leader, who lack the right.
TOWN_A_REGION = page(403, county_office=200, town_b=404, enterprise_x=404, expert=404, grid_worker=404)
GRID_A = page(403, county_office=200, town_b=404, enterprise_x=404, expert=404)
# Another department reads the registry entry of housing (departments are public bodies) without the right.
HOUSING = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403)

# Out of enterprise X's scope: town B, the transport bureau (X is construction) and the expert (no case of X's).
X_OUTSIDERS = {"town_b": 404, "dept_transport": 404, "expert": 404}
LICENCE_KEEPERS = {**page(403, county_office=200, dept_housing=200), **X_OUTSIDERS}
LICENCE_KEEPERS_DONE = {**page(403, county_office=302, dept_housing=302), **X_OUTSIDERS}

ROUTES: list[Route] = [
    Route("core:home", ALL_PAGES),
    Route("core:enterprise-list", ALL_PAGES),
    # Every signed-in user may search; the answer holds only their scope (core/tests/test_pickers.py).
    Route("core:enterprise-search", ALL_PAGES, data=lambda c: {"q": "来安"}),
    Route("core:enterprise-create", SUPERVISORS_ONLY),
    Route(
        "core:enterprise-create",
        page(403, county_office=302, town_a=302, town_b=200, dept_housing=302, dept_transport=200),
        method="post",
        data=new_enterprise,
        writes=True,
        label="(village A construction; town B and transport are refused on the field)",
    ),
    Route("core:enterprise-detail", X_READ, kwargs=x),
    Route(
        "core:enterprise-edit",
        page(200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        kwargs=x,
    ),
    Route(
        "core:enterprise-edit",
        X_WRITE_DONE,
        kwargs=x,
        method="post",
        data=enterprise_form,
        writes=True,
        label="(an enterprise user's form carries only the contact fields it may change)",
    ),
    Route(
        "core:enterprise-status",
        page(
            403, county_office=302, town_a=302, dept_housing=302, town_b=404, dept_transport=404, expert=404
        ),
        kwargs=x,
        method="post",
        data=lambda c: {"status": "suspended", "reason": "责令停产整顿"},
        writes=True,
    ),
    Route(
        "core:enterprise-export",
        page(
            403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
        ),
    ),
    Route("core:enterprise-import", SUPERVISORS_ONLY),
    # Background jobs: everyone has a list of their own; a job is its owner's alone (404 for anyone else).
    Route("core:job-list", page(200)),
    # The header's 待办 badge: each user's own count (the home page's items are checked in tests/test_home.py).
    Route("core:todo-count", page(200)),
    Route("core:job-detail", page(404, county_office=200), kwargs=job_of_county_office),
    Route("core:job-download", page(404, county_office=200), kwargs=job_of_county_office),
    Route(
        "core:job-import-valid-rows",
        page(404, county_office=302),
        kwargs=import_of_county_office,
        method="post",
    ),
    Route(
        "core:job-confirm-updates",
        page(404, county_office=302),
        kwargs=updates_of_county_office,
        method="post",
    ),
    Route("core:enterprise-import-template", SUPERVISORS_ONLY),
    # Licences are kept by the supervising bodies (安委办, the supervising department); the enterprise proposes.
    Route("core:licence-create", LICENCE_KEEPERS, kwargs=x),
    Route(
        "core:licence-create",
        LICENCE_KEEPERS_DONE,
        kwargs=x,
        method="post",
        data=licence_form,
        writes=True,
        label="(the enterprise cannot add its own)",
    ),
    Route("core:licence-edit", LICENCE_KEEPERS, kwargs=licence_of_x),
    Route(
        "core:licence-edit",
        LICENCE_KEEPERS_DONE,
        kwargs=licence_of_x,
        method="post",
        data=licence_form,
        writes=True,
        label="(the enterprise cannot push its validity to 2099)",
    ),
    Route(
        "core:licence-delete",
        LICENCE_KEEPERS_DONE,
        kwargs=licence_of_x,
        method="post",
        data=lambda c: {"reason": "证照注销"},
        writes=True,
    ),
    Route("core:licence-propose", {**page(403, enterprise_x=200), **X_OUTSIDERS}, kwargs=x),
    Route(
        "core:licence-propose",
        {**page(403, enterprise_x=302), **X_OUTSIDERS},
        kwargs=x,
        method="post",
        data=lambda c: licence_form(c) | {"reason": "新取得许可证"},
        writes=True,
    ),
    Route(
        "core:licence-change-accept",
        LICENCE_KEEPERS_DONE,
        kwargs=licence_change_of_x,
        method="post",
        writes=True,
    ),
    Route("core:licence-change-refuse", LICENCE_KEEPERS, kwargs=licence_change_of_x),
    Route(
        "core:licence-change-refuse",
        LICENCE_KEEPERS_DONE,
        kwargs=licence_change_of_x,
        method="post",
        data=lambda c: {"reason": "未见换发的新证"},
        writes=True,
    ),
    Route("core:region-list", page(403, county_office=302)),
    Route("core:region-detail", TOWN_A_REGION, kwargs=lambda c: {"code": c.town_a.code}),
    Route("core:region-create", TOWN_A_REGION, kwargs=lambda c: {"code": c.town_a.code}),
    Route(
        "core:region-create",
        {**TOWN_A_REGION, "county_office": 302},
        kwargs=lambda c: {"code": c.town_a.code},
        method="post",
        data=lambda c: {"code": "341122100002", "name": "西关社区", "kind": "社区"},
        writes=True,
    ),
    Route("core:region-edit", TOWN_A_REGION, kwargs=lambda c: {"code": c.town_a.code}),
    Route(
        "core:region-edit",
        {**TOWN_A_REGION, "county_office": 302},
        kwargs=lambda c: {"code": c.town_a.code},
        method="post",
        data=lambda c: {"name": "新安镇（更名）", "kind": "镇"},
        writes=True,
    ),
    Route(
        "core:region-delete",
        page(403, county_office=302, town_a=404, enterprise_x=404, expert=404, grid_worker=404),
        kwargs=lambda c: {"code": c.village_b.code},
        method="post",
        data=lambda c: {"reason": "撤并"},
        writes=True,
    ),
    Route("core:region-import", TOWN_A_REGION, kwargs=lambda c: {"code": c.town_a.code}),
    Route(
        "core:region-import",
        TOWN_A_REGION,
        kwargs=lambda c: {"code": c.town_a.code},
        method="post",
        data=lambda c: {"file": region_sheet([["341122100007", "北关社区", "社区", "111"]])},
        writes=True,
        success=frozenset({200}),
        label="(county office: one village imported, page shows the report)",
    ),
    Route("core:grid-list", COUNTY_ONLY),
    Route("core:grid-create", COUNTY_ONLY),
    Route(
        "core:grid-create",
        page(403, county_office=302),
        method="post",
        writes=True,
        data=lambda c: {"region": c.village_a.code, "code": "G09", "name": "东关社区第9网格"},
    ),
    Route("core:grid-edit", GRID_A, kwargs=lambda c: {"pk": c.grid_a.pk}),
    Route(
        "core:grid-delete",
        page(403, county_office=302, town_a=404, enterprise_x=404, expert=404, grid_worker=404),
        kwargs=empty_grid_b,
        method="post",
        data=lambda c: {"reason": "合并"},
        writes=True,
    ),
    Route("core:department-list", COUNTY_ONLY),
    Route("core:department-create", COUNTY_ONLY),
    Route(
        "core:department-create",
        page(403, county_office=302),
        method="post",
        writes=True,
        data=lambda c: {"region": c.county.code, "name": "来安县测试局", "kind": "member", "is_active": "on"},
    ),
    Route("core:department-detail", HOUSING, kwargs=lambda c: {"pk": c.dept_housing.pk}),
    Route("core:department-edit", HOUSING, kwargs=lambda c: {"pk": c.dept_housing.pk}),
    Route(
        "core:department-edit",
        {**HOUSING, "county_office": 302},
        kwargs=lambda c: {"pk": c.dept_housing.pk},
        method="post",
        writes=True,
        data=lambda c: {
            "region": c.county.code,
            "name": "来安县住房和城乡建设局",
            "kind": "industry",
            "is_active": "on",
            "industries": [i.pk for i in c.dept_housing.industries.all()],
            "phone": "0550-5600000",
        },
    ),
    # the installable app: public, the same for everyone (core.pwa)
    Route("core:service-worker", expect(200)),
    Route("core:manifest", expect(200)),
    Route("core:offline", expect(200)),
    # accounts
    Route("login", expect(302, anonymous=200)),
    Route("logout", expect(302), method="post"),
    Route("password_change", page(200)),
    Route("password_change_done", page(200)),
    Route("set_language", expect(302), method="post", data=lambda c: {"language": "en", "next": "/"}),
    # API
    Route("api:api-root", api(200)),
    Route("api:me", api(200)),
    Route("api:region-list", api(200)),
    Route(
        "api:region-detail",
        api(200, town_b=404, enterprise_x=404, expert=404, grid_worker=404),
        kwargs=lambda c: {"code": c.town_a.code},
    ),
    Route("api:industry-list", api(200)),
    Route("api:industry-detail", api(200), kwargs=lambda c: {"pk": c.enterprise_x.industry_id}),
    Route("api:department-list", api(200)),
    Route(
        "api:department-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=lambda c: {"pk": c.dept_housing.pk},
    ),
    Route("api:enterprise-list", api(200)),
    Route(
        "api:enterprise-list",
        api(403, county_office=201, town_a=201, town_b=400, dept_housing=201, dept_transport=400),
        method="post",
        json=True,
        data=new_enterprise,
        writes=True,
        label="(create)",
    ),
    Route("api:enterprise-detail", api(200, town_b=404, dept_transport=404, expert=404), kwargs=x),
    Route(
        "api:enterprise-detail",
        api(200, town_b=404, dept_transport=404, expert=404, grid_worker=403, leader=403),
        kwargs=x,
        method="patch",
        json=True,
        data=lambda c: {"address": "新安镇新址路9号"},
        writes=True,
    ),
    Route(
        "api:enterprise-status",
        api(403, county_office=200, town_a=200, dept_housing=200, town_b=404, dept_transport=404, expert=404),
        kwargs=x,
        method="post",
        json=True,
        data=lambda c: {"status": "suspended", "reason": "停产整顿"},
        writes=True,
    ),
    Route("api:licence-change-list", api(200)),
    Route(
        "api:licence-change-list",
        api(403, enterprise_x=201),
        method="post",
        json=True,
        data=lambda c: {
            "enterprise": c.enterprise_x.pk,
            "kind": "safety_production",
            "number": "（皖）JZ安许证字〔2026〕000002",
            "valid_until": "2099-12-31",
            "reason": "新取得许可证",
        },
        writes=True,
        label="(propose)",
    ),
    Route("api:licence-change-detail", api(200, **X_OUTSIDERS), kwargs=licence_change_of_x),
    Route(
        "api:licence-change-accept",
        {**api(403, county_office=200, dept_housing=200), **X_OUTSIDERS},
        kwargs=licence_change_of_x,
        method="post",
        json=True,
        writes=True,
    ),
    Route(
        "api:licence-change-refuse",
        {**api(403, county_office=200, dept_housing=200), **X_OUTSIDERS},
        kwargs=licence_change_of_x,
        method="post",
        json=True,
        data=lambda c: {"reason": "未见换发的新证"},
        writes=True,
    ),
    Route("api:token", expect(200, anonymous=400), method="post", label="(own credentials)"),
    Route("api:schema", api(200)),
    Route("api:docs", page(200)),
    Route("api:redoc", page(200)),
]
