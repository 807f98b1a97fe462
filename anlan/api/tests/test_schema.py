"""The OpenAPI schema says what the API answers (two mismatches the fuzzing found)."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from anlan.inspections.tests.factories import planned


def operation(path: str, method: str = "get") -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"][path][method]


def test_the_accident_reports_list_is_declared_as_the_plain_list_it_is():
    content = operation("/api/v1/accidents/{id}/reports/")["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["type"] == "array"


def test_an_unrecorded_inspection_has_a_null_result_never_an_empty_string(cast, as_user):
    inspection = planned(cast.dept_housing, cast.enterprise_x, [], created_by=cast["dept_housing"])
    response = as_user(cast["county_office"]).get(f"/api/v1/inspections/{inspection.pk}/")
    assert response.status_code == 200
    assert response.json()["result"] is None
