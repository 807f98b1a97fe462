"""Type-ahead pickers: pinyin initials (rule and sync on every write path), the scoped search endpoint, the
widget and the fields that validate against the scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from anlan.core import demo, rules, selectors, services
from anlan.core.models import Enterprise
from anlan.core.tests.factories import EnterpriseFactory, industry, next_uscc

SEARCH = "core:enterprise-search"


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        pytest.param("安澜化工有限公司", "alhgyxgs", id="chinese"),
        pytest.param("ABC建材厂", "abcjcc", id="latin-letters-kept-lower-cased"),
        pytest.param("来安县3D打印有限公司", "lax3ddyyxgs", id="digits-and-letters-inside"),
        pytest.param("ＡＢＣ１２３商店", "abc123sd", id="full-width-as-ascii"),
        pytest.param("（安徽）来安 · 化工-有限公司", "ahlahgyxgs", id="punctuation-and-spaces-dropped"),
        pytest.param("重庆银行", "cqyh", id="polyphonic-by-phrase"),
        pytest.param("长丰县", "zfx", id="polyphonic-default-reading"),
        pytest.param("", "", id="empty"),
    ],
)
def test_name_initials_take_one_letter_or_digit_per_character(name, initials):
    assert rules.name_initials(name) == initials


@given(st.text(max_size=200))
def test_name_initials_are_lower_case_letters_and_digits_no_longer_than_a_name(name):
    initials = rules.name_initials(name)
    assert set(initials) <= set("abcdefghijklmnopqrstuvwxyz0123456789")
    assert len(initials) <= rules.NAME_INITIALS_LENGTH


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=120))
def test_the_initials_of_a_latin_name_are_the_name_lower_cased(name):
    assert rules.name_initials(name) == name.lower()


@pytest.mark.parametrize(
    ("prefix", "end"),
    [("9134", "9135"), ("91Y", "92"), ("9", "A"), ("YY", "")],
    ids=["next-digit", "carry-past-the-last-character", "digit-to-letter", "no-end"],
)
def test_a_credit_code_prefix_ends_at_the_next_code_of_the_alphabet(prefix, end):
    assert rules.uscc_prefix_end(prefix) == end


def test_an_initials_prefix_ends_at_the_next_letter_or_digit():
    assert [rules.initials_prefix_end(p) for p in ("lax", "la9", "lz", "zz")] == ["lay", "laa", "m", ""]


@given(st.text(min_size=1, max_size=6), st.text(max_size=12))
def test_every_text_with_a_prefix_lies_in_its_code_point_range(prefix, rest):
    end = rules.text_prefix_end(prefix)
    assert not end or prefix + rest < end
    assert not end or not end.startswith(prefix)


@given(
    st.text(alphabet=rules.USCC_CHARSET, min_size=1, max_size=6),
    st.text(alphabet=rules.USCC_CHARSET, max_size=12),
)
def test_every_code_with_a_prefix_lies_in_its_range(prefix, rest):
    end = rules.uscc_prefix_end(prefix)
    assert prefix <= prefix + rest
    assert not end or prefix + rest < end


@pytest.mark.parametrize(
    ("raw", "query", "initials", "uscc"),
    [
        ("  安澜 ", "安澜", None, None),
        ("ALHG", "ALHG", "alhg", "ALHG"),
        ("ｉｏ", "io", "io", None),  # I and O are not in the credit code's alphabet
        ("", "", None, None),
    ],
)
def test_a_query_is_trimmed_and_read_as_initials_or_a_credit_code_only_when_it_can_be(
    raw, query, initials, uscc
):
    text = rules.picker_query(raw)
    assert text == query
    assert rules.initials_query(text) == initials
    assert rules.uscc_query(text) == uscc


# ---------------------------------------------------------------- sync on every write path


def _enterprise(cast, name, **kwargs):
    defaults = {"region": cast.village_a, "industry": industry("construction")}
    return EnterpriseFactory(name=name, **{**defaults, **kwargs})


def _unsaved(cast, name):
    return Enterprise(
        uscc=next_uscc(), name=name, region=cast.village_a, industry=industry("construction"), principal=None
    )


def test_saving_an_enterprise_sets_its_initials(cast):
    assert cast.enterprise_x.name_initials == "laxjgjtyxgs"
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(name_initials="")
    cast.enterprise_x.name = "安澜化工有限公司"
    cast.enterprise_x.save(update_fields=["name"])
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).name_initials == "alhgyxgs"


def test_renaming_an_enterprise_through_the_service_renames_its_initials(cast):
    services.update_enterprise(
        actor=cast["county_office"], enterprise_pk=cast.enterprise_x.pk, data={"name": "安澜建设有限公司"}
    )
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).name_initials == "aljsyxgs"


def test_bulk_create_sets_the_initials(cast):
    Enterprise.objects.bulk_create([_unsaved(cast, "安澜化工有限公司"), _unsaved(cast, "ABC商店")])
    assert set(
        Enterprise.objects.filter(name__in=["安澜化工有限公司", "ABC商店"]).values_list(
            "name_initials", flat=True
        )
    ) == {
        "alhgyxgs",
        "abcsd",
    }


def test_the_demo_bulk_path_with_history_sets_the_initials(cast):
    demo.bulk(Enterprise, [_unsaved(cast, "安澜化工有限公司")])
    assert Enterprise.objects.get(name="安澜化工有限公司").name_initials == "alhgyxgs"


def test_bulk_update_of_names_updates_the_initials(cast):
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    x.name = "安澜化工有限公司"
    Enterprise.objects.bulk_update([x], ["name"])
    assert Enterprise.objects.get(pk=x.pk).name_initials == "alhgyxgs"


def test_a_queryset_update_of_the_name_updates_the_initials(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(name="安澜化工有限公司")
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).name_initials == "alhgyxgs"


def test_a_queryset_update_of_the_name_by_an_expression_is_refused_and_changes_nothing(cast):
    from django.db.models import F

    with pytest.raises(TypeError):
        Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(name=F("uscc"))
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    assert (x.name, x.name_initials) == ("来安县建工集团有限公司", "laxjgjtyxgs")


def test_the_migration_fills_the_initials_of_existing_enterprises(scratch_migrate):
    before, after = [("core", "0010_licence_change")], [("core", "0011_enterprise_name_initials")]
    old = scratch_migrate(before)
    region = old.get_model("core", "Region").objects.filter(code__startswith="341122").order_by("code").last()
    construction = old.get_model("core", "Industry").objects.get(
        code="construction"
    )  # historical: no section
    common = {"region_id": region.code, "industry_id": construction.pk}
    OldEnterprise = old.get_model("core", "Enterprise")
    first = OldEnterprise.objects.create(uscc=next_uscc(), name="安澜化工有限公司", **common)
    second = OldEnterprise.objects.create(uscc=next_uscc(), name="ＡＢＣ１２３商店", **common)

    migrated = scratch_migrate(after).get_model("core", "Enterprise")
    assert migrated.objects.get(pk=first.pk).name_initials == "alhgyxgs"
    assert migrated.objects.get(pk=second.pk).name_initials == "abc123sd"


# ---------------------------------------------------------------- the search


def _search(client, who, q):
    client.force_login(who)
    response = client.get(reverse(SEARCH), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_name_prefixes_come_before_names_that_only_contain_the_text(cast, client):
    contains = _enterprise(cast, "新安澜建材厂")
    prefix = _enterprise(cast, "安澜化工有限公司")
    results = _search(client, cast["county_office"], "安澜")
    assert [r["value"] for r in results] == [prefix.pk, contains.pk]


def test_initials_find_the_enterprise_and_the_result_tells_namesakes_apart(cast, client):
    here = _enterprise(cast, "安澜化工有限公司")
    there = _enterprise(cast, "安澜化工有限公司", region=cast.village_b)
    results = _search(client, cast["county_office"], "ALHG")
    assert {r["value"] for r in results} == {here.pk, there.pk}
    labels = {r["value"]: r["text"] for r in results}
    assert labels[here.pk] == f"安澜化工有限公司 · {here.uscc} · 新安镇东关社区"
    assert labels[there.pk] == f"安澜化工有限公司 · {there.uscc} · 半塔镇王庄村"


def test_a_credit_code_prefix_finds_the_enterprise(cast, client):
    results = _search(client, cast["county_office"], cast.enterprise_y.uscc[:17].lower())
    assert [r["value"] for r in results] == [cast.enterprise_y.pk]
    assert results[0]["uscc"] == cast.enterprise_y.uscc


def test_the_search_answers_at_most_twenty_choices_by_name(cast, client):
    made = [_enterprise(cast, f"安澜{n:02d}号商店") for n in range(25)]
    results = _search(client, cast["county_office"], "安澜")
    assert [r["value"] for r in results] == [e.pk for e in made[:20]]


@pytest.mark.parametrize(
    ("who", "found"),
    [
        ("county_office", {"x", "y"}),
        ("town_a", {"x"}),
        ("town_b", {"y"}),
        ("dept_housing", {"x"}),
        ("dept_transport", set()),
        ("enterprise_x", {"x"}),
        ("expert", set()),
    ],
)
def test_the_search_answers_only_enterprises_of_the_users_scope(cast, client, who, found):
    named = {"x": cast.enterprise_x.pk, "y": cast.enterprise_y.pk}
    # "来安" begins X's name and is inside Y's; "laxh"/"ahla" are their initials' prefixes.
    seen = set()
    for q in ("来安", "lax", "ahla", cast.enterprise_x.uscc, cast.enterprise_y.uscc):
        seen |= {r["value"] for r in _search(client, cast[who], q)}
    assert seen == {named[key] for key in found}


def test_an_empty_query_answers_nothing_and_a_single_character_is_searched(cast, client):
    assert _search(client, cast["county_office"], "  ") == []
    assert [r["value"] for r in _search(client, cast["county_office"], "建")] == [cast.enterprise_x.pk]


def test_an_anonymous_search_is_sent_to_the_login_page(client):
    response = client.get(reverse(SEARCH), {"q": "来安"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_selector_reads_each_kind_once_and_stops_when_the_prefixes_fill_the_list(
    cast, django_assert_num_queries
):
    for n in range(20):
        _enterprise(cast, f"安澜{n:02d}号商店")
    user = cast["county_office"]
    user.memberships.all()  # memberships are loaded once per user object
    selectors.enterprise_choices(user, "")
    with django_assert_num_queries(3):  # memberships, the name prefixes (20: full), the 20 rows
        assert len(selectors.enterprise_choices(user, "安澜")) == 20
