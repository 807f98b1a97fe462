"""Industry.section: the GB/T 4754-2017 门类 derived from gb4754 on every save path, and by migration for the rows
already there (regulations.md §10)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from anlan.core import rules
from anlan.core.data.industries import INDUSTRIES
from anlan.core.errors import ErrorCode
from anlan.core.models import Industry
from anlan.core.tests.factories import UserFactory, industry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, section",
    [
        ("coal-mine", "B"),
        ("construction", "E"),
        ("road-transport", "G"),
        ("hazchem", "C"),  # C25,C26,F5162: spans sections, its first (main) code's
        ("hazchem-trade", "F"),  # F5162,G5941
        ("culture-tourism", "R"),  # R86…,N786
        ("fishing-vessel", "A"),
        ("fire-key", ""),  # no code: 未归类
        ("special-equipment", ""),
    ],
)
def test_the_reference_industries_carry_their_section(code, section):
    assert industry(code).section == section


def test_every_reference_industry_has_valid_codes_and_the_section_the_rule_gives():
    sections = dict(Industry.objects.values_list("code", "section"))
    assert sections == {code: rules.industry_section_of(gb4754) for code, _n, _p, gb4754 in INDUSTRIES}


def test_saving_an_industry_derives_its_section_and_follows_a_change_of_codes():
    made = Industry.objects.create(code="wholesale", name="批发", gb4754="F51")
    assert made.section == "F"
    made.gb4754 = "G54,G58"
    made.save()
    made.gb4754 = "H61"
    made.save(update_fields=["gb4754"])
    assert Industry.objects.get(pk=made.pk).section == "H"
    assert made.get_section_display() == "H 住宿和餐饮业"


def test_an_industry_without_codes_has_no_section():
    assert Industry.objects.create(code="misc", name="其他", gb4754="").section == ""


def test_a_code_that_is_not_gb4754_is_refused_on_save_and_in_the_form_check():
    with pytest.raises(ValidationError) as caught:
        Industry.objects.create(code="bad", name="错误", gb4754="C26,X99")
    assert caught.value.error_dict["gb4754"][0].code == ErrorCode.INDUSTRY_CODE
    assert "X99" in caught.value.error_dict["gb4754"][0].messages[0]
    assert not Industry.objects.filter(code="bad").exists()
    with pytest.raises(ValidationError) as caught:
        Industry(code="bad", name="错误", gb4754="98").full_clean()
    assert "gb4754" in caught.value.error_dict


def test_the_bulk_paths_derive_the_section_too():
    made = Industry.objects.bulk_create(
        [Industry(code="bulk-a", name="甲", gb4754="K70"), Industry(code="bulk-b", name="乙", gb4754="")]
    )
    assert [i.section for i in made] == ["K", ""]
    assert dict(Industry.objects.filter(code__startswith="bulk-").values_list("code", "section")) == {
        "bulk-a": "K",
        "bulk-b": "",
    }
    made[1].gb4754 = "P83"
    Industry.objects.bulk_update(made, ["gb4754"])
    assert Industry.objects.get(code="bulk-b").section == "P"
    Industry.objects.filter(code="bulk-a").update(gb4754="Q84")
    assert Industry.objects.get(code="bulk-a").section == "Q"
    with pytest.raises(ValidationError):
        Industry.objects.filter(code="bulk-a").update(gb4754="Z1")


def test_the_migration_fills_the_sections_of_existing_rows_and_leaves_a_bad_code_unclassified():
    bad = Industry.objects.create(code="legacy", name="旧数据", gb4754="")
    QuerySet.update(Industry.objects.filter(pk=bad.pk), gb4754="XX")  # a row written before the check
    QuerySet.update(Industry.objects.all(), section="")
    migration = importlib.import_module("anlan.core.migrations.0013_industry_section")
    migration.fill_sections(django_apps, None)
    migration.fill_sections(django_apps, None)  # idempotent
    assert industry("hazchem").section == "C"
    assert industry("coal-mine").section == "B"
    assert industry("fire-key").section == ""
    assert Industry.objects.get(pk=bad.pk).section == ""


def test_the_admin_lists_and_filters_by_section_and_refuses_a_bad_code(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:core_industry_changelist"), {"section__exact": "B"})
    body = page.content.decode()
    assert "B 采矿业" in body and "煤矿" in body and "建筑施工" not in body
    change = reverse("admin:core_industry_change", args=[industry("campus").pk])
    assert "P 教育" in client.get(change).content.decode()
    data = {"code": "campus", "name": "校园", "parent": "", "gb4754": "P83,Y1", "sort": 5}
    refused = client.post(change, data)
    assert refused.status_code == 200 and "Y1" in refused.content.decode()
    assert industry("campus").gb4754 == "P83"
    client.post(change, data | {"gb4754": "Q84"})
    assert industry("campus").section == "Q"


def test_the_api_gives_each_industry_its_section(cast, client):
    client.force_login(cast["county_office"])
    rows = {row["code"]: row for row in client.get(reverse("api:industry-list")).json()}
    assert (rows["coal-mine"]["section"], rows["coal-mine"]["section_display"]) == ("B", "B 采矿业")
    assert rows["fire-key"]["section"] == ""
