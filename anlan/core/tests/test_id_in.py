"""`selectors.IdIn`: many ids in one bound parameter, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anlan.core.models import Enterprise
from anlan.core.selectors import IdIn
from anlan.core.tests.factories import EnterpriseFactory, industry

pytestmark = pytest.mark.django_db


def _enterprises(cast, n: int) -> list[Enterprise]:
    return [
        EnterpriseFactory(name=f"来安县编号单位{i}", region=cast.village_a, industry=industry("machinery"))
        for i in range(n)
    ]


def test_it_finds_exactly_the_listed_ids_beyond_sqlites_parameter_limit(cast):
    first, second, third = _enterprises(cast, 3)
    absent = third.pk + 1_000_000
    ids = [absent + n for n in range(40_000)] + [second.pk, first.pk, first.pk]
    with CaptureQueriesContext(connection) as queries:
        found = set(Enterprise.objects.filter(IdIn("pk", ids)).values_list("pk", flat=True))
    assert found == {first.pk, second.pk}
    assert len(queries) == 1


def test_it_combines_with_other_conditions_and_negates(cast):
    kept, other = _enterprises(cast, 2)
    assert list(Enterprise.objects.filter(IdIn("pk", [kept.pk, other.pk]), name=kept.name)) == [kept]
    assert list(Enterprise.objects.exclude(IdIn("pk", [kept.pk])).filter(pk__in=[kept.pk, other.pk])) == [
        other
    ]


def test_no_ids_find_nothing(cast):
    _enterprises(cast, 1)
    assert not Enterprise.objects.filter(IdIn("pk", [])).exists()
