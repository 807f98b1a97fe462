"""People: the GB 11643-1999 ID number rule and the ID-keyed registry."""

import pytest
from django.db import IntegrityError

from anlan.core import people, rules
from anlan.core.errors import DomainError, ErrorCode
from anlan.core.models import Person

# The worked examples of GB 11643-1999.
VALID = "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("11010519491231002X", "11010519491231002X", id="check-character-X"),
        pytest.param("440524188001010014", "440524188001010014", id="check-digit"),
        pytest.param(" 11010519491231002x ", "11010519491231002X", id="lower-case-x-and-spaces-normalised"),
        pytest.param("110105200002290013", "110105200002290013", id="29-february-of-a-leap-year"),
    ],
)
def test_valid_id_numbers_pass_normalised(raw, expected):
    assert rules.validate_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("11010519491231002", ErrorCode.ID_NUMBER_LENGTH, id="17-characters"),
        pytest.param("11010519491231002XX", ErrorCode.ID_NUMBER_LENGTH, id="19-characters"),
        pytest.param("110105194912310", ErrorCode.ID_NUMBER_LENGTH, id="old-15-digit-form"),
        pytest.param("1101051949123100X2", ErrorCode.ID_NUMBER_CHARSET, id="X-not-last"),
        pytest.param("11010519491231002A", ErrorCode.ID_NUMBER_CHARSET, id="letter-check"),
        pytest.param("１１010519491231002X", ErrorCode.ID_NUMBER_CHARSET, id="full-width-digits"),
        pytest.param("110105190002290017", ErrorCode.ID_NUMBER_BIRTH_DATE, id="29-february-1900"),
        pytest.param("110105194913310015", ErrorCode.ID_NUMBER_BIRTH_DATE, id="month-13"),
        pytest.param("110105194912310021", ErrorCode.ID_NUMBER_CHECK, id="wrong-check-digit"),
        pytest.param("440524188001010015", ErrorCode.ID_NUMBER_CHECK, id="off-by-one-check"),
    ],
)
def test_invalid_id_numbers_name_the_rule_they_break(raw, code):
    with pytest.raises(rules.RuleViolation) as caught:
        rules.validate_id_number(raw)
    assert caught.value.code == code
    assert caught.value.field == "id_number"


def test_the_check_character_follows_iso_7064_mod_11_2():
    assert rules.id_number_check_character("11010519491231002") == "X"
    assert rules.id_number_check_character("44052418800101001") == "4"


def test_a_person_is_found_by_id_number_not_created_twice(cast):
    first = people.find_or_create_person(
        actor=cast["town_a"], id_number=VALID, name="张三", phone="13800000001"
    )
    again = people.find_or_create_person(
        actor=cast["county_office"], id_number=VALID.lower(), name="张三", phone=""
    )
    assert again.pk == first.pk
    assert again.phone == "13800000001"  # an empty phone does not erase the known one
    assert Person.objects.filter(id_number=VALID).count() == 1
    assert first.history.count() == 1


def test_a_new_phone_updates_the_person_with_one_history_row(cast):
    person = people.find_or_create_person(
        actor=cast["town_a"], id_number=VALID, name="张三", phone="13800000001"
    )
    people.find_or_create_person(actor=cast["town_a"], id_number=VALID, name="张三", phone="13900000002")
    person.refresh_from_db()
    assert person.phone == "13900000002"
    assert person.history.count() == 2


def test_an_id_number_registered_under_another_name_is_refused(cast):
    people.find_or_create_person(actor=cast["town_a"], id_number=VALID, name="张三", phone="")
    with pytest.raises(DomainError) as caught:
        people.find_or_create_person(actor=cast["town_a"], id_number=VALID, name="李四", phone="")
    assert (caught.value.code, caught.value.field) == (ErrorCode.PERSON_ID_CONFLICT, "id_number")


def test_an_invalid_id_number_is_refused_on_its_field_and_nothing_is_saved(cast):
    before = Person.objects.count()  # the cast's principals
    with pytest.raises(DomainError) as caught:
        people.find_or_create_person(
            actor=cast["town_a"], id_number="110105194912310021", name="张三", phone=""
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ID_NUMBER_CHECK, "id_number")
    assert Person.objects.count() == before


def test_legacy_people_without_a_number_may_repeat_but_a_number_is_unique(db):
    Person.objects.create(name="王五")
    Person.objects.create(name="王五")
    Person.objects.create(name="张三", id_number=VALID)
    with pytest.raises(IntegrityError):
        Person.objects.create(name="张三", id_number=VALID)
