"""The risk register's services: the enterprise keeps its register, supervisors read it, every change audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.risk.models import (
    ControlMeasure,
    GradingSettings,
    HazardCheck,
    RiskAssessment,
    RiskPoint,
    SitePlan,
)
from anlan.risk.selectors import register as selectors
from anlan.risk.services import register as services
from anlan.risk.services.register import RegisterError
from anlan.risk.tests.factories_register import (
    assessed_point,
    check,
    control,
    lec_data,
    ls_data,
    png,
    point,
    point_data,
    site_plan,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)


def history_rows() -> int:
    return sum(
        model.history.count()
        for model in (RiskPoint, RiskAssessment, ControlMeasure, HazardCheck, SitePlan, GradingSettings)
    )


# ---------------------------------------------------------------- points


def test_the_enterprise_registers_a_risk_point_on_its_plan_with_one_history_row(cast):
    made = point(cast, x="0.25", y="0.75")
    assert made.enterprise == cast.enterprise_x
    assert (made.x, made.y) == (Decimal("0.2500"), Decimal("0.7500"))
    assert made.accident_type_codes == ["08", "17"]
    assert made.level == ""
    rows = list(made.history.all())
    assert len(rows) == 1
    assert rows[0].history_user == cast["enterprise_x"]


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing", "leader"])
def test_a_supervisor_in_scope_cannot_register_a_point_and_nothing_is_written(cast, who):
    before = history_rows()
    with pytest.raises(PermissionDenied):
        services.create_point(actor=cast[who], enterprise_pk=cast.enterprise_x.pk, data=point_data())
    assert RiskPoint.objects.count() == 0
    assert history_rows() == before


def test_an_enterprise_user_cannot_register_a_point_of_another_enterprise(cast):
    with pytest.raises(Http404):
        services.create_point(
            actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_y.pk, data=point_data()
        )
    assert RiskPoint.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"name": " "}, RegisterError.NAME_REQUIRED, "name"),
        ({"hazard_factors": ""}, RegisterError.FACTORS_REQUIRED, "hazard_factors"),
        ({"x": "1.2", "y": "0.5"}, RegisterError.POSITION, "x"),
        ({"x": "0.2"}, RegisterError.POSITION, "x"),
        ({"accident_types": ["99"]}, RegisterError.ACCIDENT_TYPE, "accident_types"),
    ],
)
def test_a_point_with_bad_input_is_refused_naming_the_field(cast, overrides, code, field):
    with pytest.raises(DomainError) as refused:
        point(cast, **overrides)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert RiskPoint.objects.count() == 0


def test_two_points_of_one_enterprise_cannot_share_a_name(cast):
    point(cast, name="1号储罐")
    with pytest.raises(DomainError):
        point(cast, name="1号储罐")
    assert RiskPoint.objects.count() == 1


def test_placing_a_point_moves_it_and_leaves_a_history_row(cast):
    made = point(cast)
    services.place_point(actor=cast["enterprise_x"], point_pk=made.pk, x="0.1", y="0.9")
    made.refresh_from_db()
    assert (made.x, made.y) == (Decimal("0.1000"), Decimal("0.9000"))
    assert made.history.count() == 2


# ---------------------------------------------------------------- assessments


def test_an_lec_assessment_sets_the_point_s_level_and_keeps_the_inputs(cast):
    made = point(cast)
    assessment = services.assess_point(
        actor=cast["enterprise_x"], point_pk=made.pk, data=lec_data("6", "6", "15"), today=TODAY
    )
    made.refresh_from_db()
    assert (assessment.score, assessment.band, assessment.level) == (Decimal(540), "extreme", "major")
    assert (assessment.likelihood, assessment.exposure, assessment.consequence) == (6, 6, 15)
    assert (made.level, made.score, made.assessed_on) == ("major", Decimal(540), TODAY)
    assert made.colour == "red"
    assert assessment.history.count() == 1
    assert made.history.count() == 2


def test_a_new_assessment_becomes_current_and_the_old_one_is_kept(cast):
    made = assessed_point(cast, lec_data("6", "6", "15"), today=date(2026, 6, 1))
    services.assess_point(
        actor=cast["enterprise_x"], point_pk=made.pk, data=lec_data("1", "6", "7"), today=TODAY
    )
    made.refresh_from_db()
    assert made.level == "low"
    assert [a.level for a in selectors.assessments_of(cast["county_office"], made)] == ["low", "major"]


def test_an_ls_assessment_uses_the_county_s_variant(cast):
    made = point(cast)
    first = services.assess_point(
        actor=cast["enterprise_x"], point_pk=made.pk, data=ls_data(3, 3), today=TODAY
    )
    assert (first.variant, first.level, first.score) == ("A", "significant", 9)
    services.set_ls_variant(actor=cast["county_office"], region_pk=cast.county.pk, variant="C")
    second = services.assess_point(
        actor=cast["enterprise_x"], point_pk=made.pk, data=ls_data(3, 3), today=TODAY
    )
    assert (second.variant, second.level) == ("C", "general")
    first.refresh_from_db()
    assert first.variant == "A"  # an earlier assessment keeps the variant it was made with


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"method": "xyz"}, RegisterError.METHOD, "method"),
        (lec_data("2"), RegisterError.LEC_VALUE, "likelihood"),
        (lec_data(C=""), RegisterError.LEC_VALUE, "consequence"),
        (ls_data(6, 1), RegisterError.LS_VALUE, "ls_likelihood"),
        (ls_data("x", 1), RegisterError.LS_VALUE, "ls_likelihood"),
        (lec_data(assessed_on=date(2026, 7, 1)), RegisterError.ASSESSED_IN_FUTURE, "assessed_on"),
    ],
)
def test_an_assessment_with_bad_input_is_refused_and_nothing_changes(cast, data, code, field):
    made = point(cast)
    before = history_rows()
    with pytest.raises(DomainError) as refused:
        services.assess_point(actor=cast["enterprise_x"], point_pk=made.pk, data=data, today=TODAY)
    assert (refused.value.code, refused.value.field) == (code, field)
    made.refresh_from_db()
    assert made.level == ""
    assert history_rows() == before


def test_an_assessment_dated_today_is_accepted_and_tomorrow_refused(cast):
    made = point(cast)
    services.assess_point(
        actor=cast["enterprise_x"], point_pk=made.pk, data=lec_data(assessed_on=TODAY), today=TODAY
    )
    with pytest.raises(DomainError):
        services.assess_point(
            actor=cast["enterprise_x"],
            point_pk=made.pk,
            data=lec_data(assessed_on=date(2026, 7, 1)),
            today=TODAY,
        )


def test_an_assessment_cannot_be_dated_before_the_current_one_but_may_share_its_day(cast):
    made = assessed_point(cast, lec_data(assessed_on=date(2026, 6, 10)), today=TODAY)
    with pytest.raises(DomainError) as refused:
        services.assess_point(
            actor=cast["enterprise_x"],
            point_pk=made.pk,
            data=lec_data(assessed_on=date(2026, 6, 9)),
            today=TODAY,
        )
    assert refused.value.code == RegisterError.ASSESSED_BEFORE_LATEST
    services.assess_point(
        actor=cast["enterprise_x"],
        point_pk=made.pk,
        data=lec_data(assessed_on=date(2026, 6, 10)),
        today=TODAY,
    )


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing"])
def test_a_supervisor_cannot_assess_and_nothing_is_written(cast, who):
    made = point(cast)
    before = history_rows()
    with pytest.raises(PermissionDenied):
        services.assess_point(actor=cast[who], point_pk=made.pk, data=lec_data(), today=TODAY)
    assert RiskAssessment.objects.count() == 0
    assert history_rows() == before


@pytest.mark.parametrize("who", ["town_b", "dept_transport", "expert"])
def test_an_outsider_does_not_even_find_the_point(cast, who):
    made = point(cast)
    with pytest.raises(Http404):
        services.assess_point(actor=cast[who], point_pk=made.pk, data=lec_data(), today=TODAY)


# ---------------------------------------------------------------- controls and checks


def test_controls_and_checks_are_added_and_removed_with_history(cast):
    made_check = check(cast)
    made_control = made_check.control
    assert made_control.history.count() == 1
    assert made_check.history.count() == 1
    services.remove_control(actor=cast["enterprise_x"], control_pk=made_control.pk)
    assert not ControlMeasure.objects.exists()
    assert not HazardCheck.objects.exists()
    assert ControlMeasure.history.filter(history_type="-").count() == 1
    assert HazardCheck.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"content": ""}, RegisterError.CONTENT_REQUIRED),
        ({"responsible": ""}, RegisterError.RESPONSIBLE_REQUIRED),
        ({"control_level": "factory"}, RegisterError.CONTROL_LEVEL),
    ],
)
def test_a_control_with_bad_input_is_refused(cast, overrides, code):
    made = point(cast)
    with pytest.raises(DomainError) as refused:
        control(cast, made, **overrides)
    assert refused.value.code == code
    assert not ControlMeasure.objects.exists()


def test_a_check_needs_its_content(cast):
    made_control = control(cast)
    with pytest.raises(DomainError) as refused:
        check(cast, made_control, content=" ")
    assert refused.value.code == RegisterError.CHECK_CONTENT_REQUIRED


def test_a_supervisor_cannot_remove_a_control(cast):
    made_control = control(cast)
    with pytest.raises(PermissionDenied):
        services.remove_control(actor=cast["county_office"], control_pk=made_control.pk)
    assert ControlMeasure.objects.count() == 1


# ---------------------------------------------------------------- site plan and settings


def test_the_site_plan_is_re_encoded_and_its_size_kept_and_a_second_replaces_the_first(cast):
    plan = site_plan(cast)
    assert (plan.width, plan.height) == (400, 300)
    assert plan.image.name.endswith(".png")
    services.upload_site_plan(
        actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, image=png(size=(800, 500))
    )
    plan.refresh_from_db()
    assert (plan.width, plan.height) == (800, 500)
    assert SitePlan.objects.count() == 1
    assert plan.history.count() == 2


def test_a_file_that_is_not_a_picture_is_refused_as_a_site_plan(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("plan.png", b"<svg onload=alert(1)>", "image/png")
    with pytest.raises(DomainError) as refused:
        services.upload_site_plan(actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, image=fake)
    assert refused.value.field == "image"
    assert not SitePlan.objects.exists()


def test_only_the_county_office_sets_the_ls_variant_of_its_county(cast):
    settings = services.set_ls_variant(actor=cast["county_office"], region_pk=cast.county.pk, variant="B")
    assert settings.ls_variant == "B"
    assert selectors.ls_variant_for(cast.enterprise_x) == "B"
    for who in ("town_a", "dept_housing", "enterprise_x", "leader"):
        with pytest.raises(PermissionDenied):
            services.set_ls_variant(actor=cast[who], region_pk=cast.county.pk, variant="C")
    with pytest.raises(DomainError):
        services.set_ls_variant(actor=cast["county_office"], region_pk=cast.county.pk, variant="Z")
    with pytest.raises(DomainError) as refused:
        services.set_ls_variant(actor=cast["county_office"], region_pk=cast.town_a.pk, variant="C")
    assert refused.value.code == RegisterError.NOT_A_COUNTY
    assert GradingSettings.objects.get().ls_variant == "B"


def test_without_a_setting_the_county_uses_variant_a(cast):
    assert selectors.ls_variant_for(cast.enterprise_y) == "A"


# ---------------------------------------------------------------- enterprise attribute and to-do


def test_the_highest_level_attribute_is_the_most_severe_current_level_and_absent_without_assessments(cast):
    assessed_point(cast, lec_data("1", "6", "7"))  # 42: low
    assessed_point(cast, lec_data("3", "6", "15"))  # 270: significant
    point(cast)  # never assessed
    other = cast.enterprise_y
    values = contract.enterprise_attribute("risk.highest_level", [cast.enterprise_x.pk, other.pk])
    assert values == {cast.enterprise_x.pk: "significant", other.pk: None}


def test_the_highest_level_is_one_query_for_many_enterprises(cast, django_assert_num_queries):
    assessed_point(cast, lec_data("6", "6", "15"))
    with django_assert_num_queries(1):
        found = selectors.highest_levels([cast.enterprise_x.pk, *range(10**6, 10**6 + 5000)])
    assert found == {cast.enterprise_x.pk: "major"}


def test_the_to_do_shows_an_enterprise_without_a_register_then_with_an_unassessed_point_then_none(cast):
    user = cast["enterprise_x"]
    assert list(selectors.enterprises_needing_register(user)) == [cast.enterprise_x]
    made = point(cast)
    assert list(selectors.enterprises_needing_register(user)) == [cast.enterprise_x]
    assert selectors.unassessed_counts([cast.enterprise_x.pk]) == {cast.enterprise_x.pk: 1}
    services.assess_point(actor=user, point_pk=made.pk, data=lec_data(), today=TODAY)
    assert list(selectors.enterprises_needing_register(user)) == []
    assert list(selectors.enterprises_needing_register(cast["county_office"])) == []


def test_a_second_user_of_the_enterprise_sees_the_same_register(cast):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Role.ENTERPRISE, enterprise=cast.enterprise_x)
    made = point(cast)
    assert selectors.access_point(colleague, made.pk) == made


def test_counts_by_level_for_the_county(cast):
    assessed_point(cast, lec_data("6", "6", "15"))
    assert selectors.enterprise_level_counts(cast["county_office"]) == {
        "major": 1,
        "significant": 0,
        "general": 0,
        "low": 0,
    }
    assert selectors.enterprise_level_counts(cast["town_b"]) == dict.fromkeys(
        ("major", "significant", "general", "low"), 0
    )
