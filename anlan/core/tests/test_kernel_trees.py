"""The kernel's trees: region ancestors from codes, subtrees as code ranges, the industry tree in one query."""

import pytest

from anlan.core import rules, trees
from anlan.core.models import Enterprise, Industry, Region
from anlan.core.tests.factories import industry

PROVINCE = "340000000000"  # 安徽省
CITY = "341100000000"  # 滁州市
COUNTY = "341122000000"  # 来安县
TOWN = "341122100000"  # 新安镇 (the cast's town A)
VILLAGE = "341122100001"  # 东关社区 (the cast's village A)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        pytest.param(trees.PROVINCE, PROVINCE, id="province"),
        pytest.param(trees.CITY, CITY, id="city"),
        pytest.param(trees.COUNTY, COUNTY, id="county"),
        pytest.param(trees.TOWN, TOWN, id="town"),
        pytest.param(trees.VILLAGE, VILLAGE, id="village"),
    ],
)
def test_a_village_codes_ancestor_at_each_level_is_its_prefix_padded_with_zeros(level, expected):
    assert trees.ancestor_code(VILLAGE, level) == expected


def test_the_trees_ancestor_code_is_the_pure_rule_for_rules_modules():
    assert trees.ancestor_code is rules.ancestor_code


def test_county_of_and_town_of_name_the_county_and_the_town_of_a_village():
    assert trees.county_of(VILLAGE) == COUNTY
    assert trees.town_of(VILLAGE) == TOWN


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param(PROVINCE, [PROVINCE], id="province"),
        pytest.param(CITY, [PROVINCE, CITY], id="city"),
        pytest.param(COUNTY, [PROVINCE, CITY, COUNTY], id="county"),
        pytest.param(TOWN, [PROVINCE, CITY, COUNTY, TOWN], id="town"),
        pytest.param(VILLAGE, [PROVINCE, CITY, COUNTY, TOWN, VILLAGE], id="village"),
    ],
)
def test_ancestor_codes_list_a_region_and_its_ancestors_province_first(code, expected):
    assert trees.ancestor_codes(code) == expected


def test_ancestors_of_a_village_are_read_in_one_query_province_first(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = trees.ancestors(cast.village_a)
    assert [region.code for region in found] == [PROVINCE, CITY, COUNTY, TOWN, VILLAGE]


def test_ancestors_skip_a_level_absent_from_the_table(cast):
    # Given a village whose town was never registered
    orphan = Region.objects.create(
        code="341122102001", name="无镇村", level=Region.Level.VILLAGE, parent=cast.county
    )
    # Then its ancestors jump from the county to the village
    assert [region.code for region in trees.ancestors(orphan)] == [PROVINCE, CITY, COUNTY, orphan.code]


def test_a_town_subtree_holds_its_villages_enterprises_and_not_the_neighbouring_towns(cast):
    rows = Enterprise.objects.filter(trees.subtree_q("region", cast.town_a))
    assert list(rows) == [cast.enterprise_x]


def test_a_county_subtree_holds_every_town(cast):
    rows = set(Enterprise.objects.filter(trees.subtree_q("region", cast.county)))
    assert rows == {cast.enterprise_x, cast.enterprise_y}


def test_region_at_level_finds_the_town_containing_a_village(cast):
    assert trees.region_at_level(VILLAGE, trees.TOWN) == cast.town_a
    assert trees.region_at_level(VILLAGE, trees.VILLAGE) == cast.village_a


def test_region_at_level_is_none_below_the_codes_own_level(cast):
    assert trees.region_at_level(TOWN, trees.VILLAGE) is None


def test_region_at_level_is_none_for_an_unregistered_ancestor(cast):
    assert trees.region_at_level("341122102001", trees.TOWN) is None


def test_industry_descendants_of_a_section_hold_the_section_and_every_division_in_one_query(
    db, django_assert_num_queries
):
    trade = industry("industry-trade")
    expected = {trade.pk} | set(Industry.objects.filter(parent=trade).values_list("pk", flat=True))
    with django_assert_num_queries(1):
        found = trees.industry_descendants(trade.pk)
    assert found == frozenset(expected)
    assert industry("machinery").pk in found
    assert industry("construction").pk not in found


def test_industry_descendants_of_a_leaf_are_the_leaf_alone(db):
    assert trees.industry_descendants(industry("construction").pk) == frozenset({industry("construction").pk})


def test_industry_descendants_of_several_ids_are_their_union(db):
    found = trees.industry_descendants(industry("hazchem").pk, industry("urban-gas").pk)
    expected = {
        industry(code).pk
        for code in ("hazchem", "hazchem-production", "hazchem-trade", "hazchem-use", "urban-gas")
    }
    assert found == frozenset(expected)


def test_industry_descendants_reach_three_levels_down(db):
    trade = industry("industry-trade")
    grandchild = Industry.objects.create(code="wholesale", name="批发", parent=industry("commerce"))
    assert grandchild.pk in trees.industry_descendants(trade.pk)


def test_industry_lineage_is_the_industry_and_its_ancestors_nearest_first_in_one_query(
    db, django_assert_num_queries
):
    grandchild = Industry.objects.create(code="wholesale", name="批发", parent=industry("commerce"))
    with django_assert_num_queries(1):
        lineage = trees.industry_lineage(grandchild.pk)
    assert lineage == [grandchild.pk, industry("commerce").pk, industry("industry-trade").pk]


def test_a_root_industrys_lineage_is_itself(db):
    assert trees.industry_lineage(industry("construction").pk) == [industry("construction").pk]


def test_the_root_code_of_a_division_is_its_sections_code(db):
    tree = trees.IndustryTree.load()
    assert tree.root_code(industry("machinery").pk) == "industry-trade"
    assert tree.root_code(industry("construction").pk) == "construction"


def test_industry_roots_map_every_industry_to_its_root_code_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        roots = trees.industry_roots()
    assert len(roots) == Industry.objects.count()
    assert roots[industry("hazchem-trade").pk] == "hazchem"
    assert roots[industry("hazchem").pk] == "hazchem"


def test_the_industry_tree_lists_each_child_after_its_parent_one_level_deeper(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        ordered = trees.industry_tree()
    codes = [item.code for item in ordered]
    assert len(ordered) == Industry.objects.count()
    assert codes[codes.index("hazchem") + 1] == "hazchem-production"
    depth = {item.code: item.depth for item in ordered}
    assert (depth["hazchem"], depth["hazchem-production"]) == (0, 1)
