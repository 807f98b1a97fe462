"""factory-boy factories for the core registry (Faker zh_CN)."""

import itertools

import factory
from factory.django import DjangoModelFactory

from anlan.core import rules
from anlan.core.models import (
    Department,
    Enterprise,
    Grid,
    Industry,
    Licence,
    Membership,
    Person,
    Region,
    User,
)

_org_serial = itertools.count(1)
_person_serial = itertools.count(1)


def next_uscc() -> str:
    """A valid, unique 统一社会信用代码 for the demo county's division code."""
    return rules.make_uscc("9", "1", "341122", f"MA{next(_org_serial):06d}")


def next_id_number() -> str:
    """A valid, unique 居民身份证号码 (GB 11643-1999) of the demo county (1000 people per birth year)."""
    n = next(_person_serial)
    first17 = f"341122{1960 + n // 1000:04d}0101{n % 1000:03d}"
    return first17 + rules.id_number_check_character(first17)


def industry(code: str) -> Industry:
    return Industry.objects.get(code=code)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Faker("city_name", locale="zh_CN")
    level = Region.Level.TOWN
    kind = "镇"


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid

    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}网格")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = Department.Kind.INDUSTRY

    @factory.post_generation
    def industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.industries.set(extracted)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(next_uscc)
    name = factory.Sequence(lambda n: f"来安县测试{n}有限公司")
    principal = factory.SubFactory("anlan.core.tests.factories.PersonFactory")
    principal_phone = factory.Sequence(lambda n: f"138{n:08d}")
    safety_manager = factory.Faker("name", locale="zh_CN")
    safety_manager_phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = factory.Faker("street_address", locale="zh_CN")
    employees = 20


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.LazyFunction(next_id_number)
    name = factory.Faker("name", locale="zh_CN")


class LicenceFactory(DjangoModelFactory):
    class Meta:
        model = Licence

    kind = Licence.Kind.SAFETY_PRODUCTION
    number = factory.Sequence(lambda n: f"（皖）WH安许证字〔2024〕{n:04d}")
    valid_until = factory.Faker("date_between", start_date="-1y", end_date="+3y")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("pass-word-2026")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
