"""Record tags: only taggable models, the owner unit's members, the actor's scope; `tagged` is one query."""

import pytest

from anlan.core import contract, tags, units
from anlan.core.errors import Code, DomainError, ErrorCode
from anlan.core.models import Enterprise, RecordTag, TaggedRecord


@pytest.fixture
def taggable():
    """Enterprises taggable for these tests (no installed module declares a taggable model yet)."""
    registry = contract.registry()
    registry.taggable.add("core.enterprise")
    yield
    registry.taggable.discard("core.enterprise")


@pytest.fixture
def campaign(db):
    return RecordTag.objects.create(code="flood-2026", label="2026年汛期专项整治")


def test_a_tag_is_put_on_listed_and_taken_off(cast, taggable, campaign):
    tags.tag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_x)
    assert list(tags.tagged(Enterprise.objects.all(), campaign)) == [cast.enterprise_x]
    assert list(tags.tagged(Enterprise.objects.all(), "flood-2026")) == [cast.enterprise_x]
    tags.untag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_x, reason="误标")
    assert not tags.tagged(Enterprise.objects.all(), campaign).exists()
    assert TaggedRecord.history.count() == 2  # tagged, untagged


def test_tagged_is_one_query_and_composes_with_the_scope(cast, taggable, campaign, django_assert_num_queries):
    for enterprise in (cast.enterprise_x, cast.enterprise_y):
        tags.tag(actor=cast["county_office"], tag=campaign, record=enterprise)
    scoped = tags.tagged(Enterprise.objects.for_user(cast["town_a"]), campaign)
    with django_assert_num_queries(1):
        assert list(scoped) == [cast.enterprise_x]


def test_a_model_not_declared_taggable_is_refused(cast, campaign):
    with pytest.raises(DomainError) as caught:
        tags.tag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_x)
    assert caught.value.code == ErrorCode.TAG_MODEL_NOT_TAGGABLE
    assert not TaggedRecord.objects.exists()


def test_a_record_is_tagged_once(cast, taggable, campaign):
    tags.tag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_x)
    with pytest.raises(DomainError) as caught:
        tags.tag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_x)
    assert caught.value.code == ErrorCode.TAG_ALREADY_SET
    with pytest.raises(DomainError) as caught:
        tags.untag(actor=cast["county_office"], tag=campaign, record=cast.enterprise_y)
    assert caught.value.code == ErrorCode.TAG_NOT_SET


def test_a_record_outside_the_actors_scope_is_refused(cast, taggable, campaign):
    with pytest.raises(DomainError) as caught:
        tags.tag(actor=cast["town_a"], tag=campaign, record=cast.enterprise_y)
    assert caught.value.code == Code.OUT_OF_SCOPE
    assert not TaggedRecord.objects.exists()


def test_an_owned_tag_is_used_by_its_units_members_only(cast, taggable):
    owned = RecordTag.objects.create(
        code="housing-check", label="住建专项检查", owner_unit=units.unit_for(cast.dept_housing)
    )
    with pytest.raises(DomainError) as caught:
        tags.tag(actor=cast["town_a"], tag=owned, record=cast.enterprise_x)
    assert caught.value.code == ErrorCode.TAG_OWNER_ONLY
    tags.tag(actor=cast["dept_housing"], tag=owned, record=cast.enterprise_x)
    assert tags.tagged(Enterprise.objects.all(), owned).count() == 1
