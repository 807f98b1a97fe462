"""The audit timeline shows stored values formatted for the reader, and jobs act as the system actor."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from anlan.core import audit
from anlan.core.audit import record_text, system_actor
from anlan.core.models import Enterprise
from anlan.core.tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def change(obj, actor, reason: str = "", **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()
    return obj


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {c.label: (c.old, c.new) for c in entry.changes}


UTC_EVENING = dt.datetime(2027, 12, 1, 20, 38, 22, 999337, tzinfo=dt.UTC)  # 2027-12-02 04:38 in Shanghai


def test_a_stored_datetime_is_shown_in_local_time_to_the_minute():
    assert audit.display_value(Enterprise, "created_at", UTC_EVENING) == "2027-12-02 04:38"


def test_the_timeline_shows_when_a_change_was_made_in_local_time(cast):
    enterprise = cast.enterprise_x
    with time_machine.travel(UTC_EVENING, tick=False):
        change(enterprise, cast["county_office"], employees=25)

    html = render_to_string("components/timeline.html", {"timeline": audit.timeline(enterprise)[:1]})

    assert ">2027-12-02 04:38</time>" in html
    assert 'datetime="2027-12-02T04:38:22.999337+08:00"' in html
    assert "20:38" not in html


def test_choices_relations_and_booleans_are_shown_as_labels_names_and_yes_no(cast):
    enterprise = cast.enterprise_x
    change(
        enterprise,
        cast["county_office"],
        status=Enterprise.Status.SUSPENDED,
        region=cast.town_b,
        has_major_hazard_source=True,
    )

    shown = changes_of(audit.timeline(enterprise)[0])

    assert shown["经营状态"] == ("正常生产经营", "停产停业")
    assert shown["所属区划"] == ("东关社区", "半塔镇")
    assert shown["重大危险源"] == ("否", "是")


def test_a_changed_date_is_shown_as_a_date(cast):
    licence = LicenceFactory(enterprise=cast.enterprise_x, valid_until=dt.date(2026, 6, 30))
    change(licence, cast["county_office"], valid_until=dt.date(2027, 3, 1))

    assert changes_of(audit.timeline(licence)[0])["有效期至"] == ("2026-06-30", "2027-03-01")


def test_a_system_reason_is_stored_as_its_source_and_shown_in_the_readers_language(cast):
    enterprise = cast.enterprise_x
    with translation.override("en"):  # the acting user reads English
        change(enterprise, cast["county_office"], record_text(gettext_lazy("Excel 导入")), employees=30)

    assert enterprise.history.latest().history_change_reason == "Excel 导入"
    with translation.override("en"):
        assert audit.timeline(enterprise)[0].reason == "Excel import"
    with translation.override("zh-hans"):
        assert audit.timeline(enterprise)[0].reason == "Excel 导入"


def test_a_reason_typed_by_a_user_is_shown_as_typed(cast):
    enterprise = cast.enterprise_x
    change(enterprise, cast["county_office"], "核实后更正人数", employees=31)

    with translation.override("en"):
        assert audit.timeline(enterprise)[0].reason == "核实后更正人数"


def test_record_text_formats_its_parameters_in_the_site_language_whatever_the_actors():
    with translation.override("en"):
        text = record_text(
            gettext_lazy("%(kind)s：等级由%(old)s调整为%(new)s"),
            kind=gettext_lazy("初报"),
            old="一般",
            new="较大",
        )

    assert text == "初报：等级由一般调整为较大"


def test_the_system_actor_is_one_stable_user_named_system():
    first = system_actor()
    second = system_actor()

    assert first.pk == second.pk
    assert get_user_model().objects.filter(username="system").count() == 1
    assert first.display_name == "系统"


def test_the_system_actor_cannot_log_in(client):
    user = system_actor()

    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.check_password("")
    response = client.post(reverse("login"), {"username": "system", "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_timeline_shows_the_system_actor_as_system_in_the_readers_language(cast):
    enterprise = cast.enterprise_x
    change(enterprise, system_actor(), record_text(gettext_lazy("系统")), employees=40)

    with translation.override("zh-hans"):
        entry = audit.timeline(enterprise)[0]
        html = render_to_string("components/timeline.html", {"timeline": [entry]})
    assert (entry.actor, entry.is_system) == ("系统", True)
    assert 'data-testid="timeline-actor" class="fst-italic">系统<' in html
    with translation.override("en"):
        assert audit.timeline(enterprise)[0].actor == "System"
