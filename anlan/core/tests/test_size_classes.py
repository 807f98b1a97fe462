"""The national size classes (大型/中型/小型/微型) replacing 规模以上/小微 (issue #15), and the flag on the rows
whose class was guessed by the migration."""

from __future__ import annotations

from anlan.core import services
from anlan.core.imports import _Lookups
from anlan.core.models import Enterprise
from anlan.core.tests.factories import next_uscc


def test_the_migration_makes_above_size_rows_medium_flagged_and_small_micro_rows_small(scratch_migrate):
    before, after = [("core", "0013_industry_section")], [("core", "0014_enterprise_size_classes")]
    old = scratch_migrate(before)
    region = old.get_model("core", "Region").objects.filter(code__startswith="341122").order_by("code").last()
    construction = old.get_model("core", "Industry").objects.get(code="construction")
    OldEnterprise = old.get_model("core", "Enterprise")
    common = {"region_id": region.code, "industry_id": construction.pk}
    above = OldEnterprise.objects.create(uscc=next_uscc(), name="规模以上建材厂", scale="above", **common)
    small = OldEnterprise.objects.create(uscc=next_uscc(), name="小微商店", scale="small_micro", **common)
    single = OldEnterprise.objects.create(uscc=next_uscc(), name="个体户", scale="individual", **common)

    migrated = scratch_migrate(after).get_model("core", "Enterprise")
    rows = {
        e.pk: (e.scale, e.scale_to_verify)
        for e in migrated.objects.filter(pk__in=[above.pk, small.pk, single.pk])
    }
    assert rows == {
        above.pk: ("medium", True),
        small.pk: ("small", False),
        single.pk: ("individual", False),
    }

    back = scratch_migrate(before).get_model(
        "core", "Enterprise"
    )  # and back: the classes fold into the old pair
    assert dict(back.objects.filter(pk__in=[above.pk, small.pk]).values_list("pk", "scale")) == {
        above.pk: "above",
        small.pk: "small_micro",
    }


def test_a_supervisor_saving_the_form_verifies_the_class_and_the_enterprise_cannot(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(scale="medium", scale_to_verify=True)
    services.update_enterprise(
        actor=cast["enterprise_x"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"safety_manager_phone": "13900000000"},
        reason="更新联系方式",
    )
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.scale_to_verify is True

    services.update_enterprise(
        actor=cast["county_office"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"scale": "large"},
        reason="按划分办法核定",
    )
    cast.enterprise_x.refresh_from_db()
    assert (cast.enterprise_x.scale, cast.enterprise_x.scale_to_verify) == ("large", False)


def test_a_supervisor_may_confirm_the_migrated_class_as_it_is(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(scale="medium", scale_to_verify=True)
    services.update_enterprise(
        actor=cast["county_office"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"scale": "medium"},
        reason="核定",
    )
    cast.enterprise_x.refresh_from_db()
    assert (cast.enterprise_x.scale, cast.enterprise_x.scale_to_verify) == ("medium", False)


def test_the_import_reads_the_old_labels_and_the_new_ones(cast):
    lookups = _Lookups(cast["county_office"])
    for text, expected in [
        ("规模以上", "medium"),
        ("小微企业", "small"),
        ("微型", "micro"),
        ("大型", "large"),
        ("", "small"),
    ]:
        data = lookups.form_data(
            {"scale": text, "has_major_hazard_source": "否", "is_crowded_place": "否"}, []
        )
        assert data["scale"] == expected, text


def test_the_list_filters_the_rows_to_verify(cast, client):
    from django.urls import reverse

    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(scale="medium", scale_to_verify=True)
    client.force_login(cast["county_office"])
    page = client.get(reverse("core:enterprise-list"), {"scale_to_verify": "true"}).content.decode()
    assert cast.enterprise_x.name in page
    assert cast.enterprise_y.name not in page
    detail = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert "规模待核定" in detail
