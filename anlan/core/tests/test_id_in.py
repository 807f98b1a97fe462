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


def test_dense_ids_are_sent_as_their_range_and_holes_and_find_the_same_rows(cast):
    """A keyset chunk's ids (few missing in their span) go as BETWEEN and the holes; the rows are exactly the
    listed ones, negated too."""
    six = sorted(e.pk for e in _enterprises(cast, 6))
    assert six == list(range(six[0], six[0] + 6))  # consecutive ids, as a keyset chunk's mostly are
    listed = [pk for pk in six if pk != six[2]]
    rows = Enterprise.objects.filter(pk__in=six)
    with CaptureQueriesContext(connection) as queries:
        found = set(rows.filter(IdIn("pk", listed)).values_list("pk", flat=True))
        negated = set(rows.exclude(IdIn("pk", listed)).values_list("pk", flat=True))
        whole = set(rows.filter(IdIn("pk", reversed(six))).values_list("pk", flat=True))
    assert found == set(listed)
    assert negated == {six[2]}
    assert whole == set(six)
    assert all("BETWEEN" in query["sql"] for query in queries.captured_queries)


def test_sparse_ids_are_sent_as_a_list(cast):
    first, second = _enterprises(cast, 2)
    far = second.pk + 1_000
    with CaptureQueriesContext(connection) as queries:
        found = set(Enterprise.objects.filter(IdIn("pk", [first.pk, far])).values_list("pk", flat=True))
    assert found == {first.pk}
    assert "BETWEEN" not in queries.captured_queries[0]["sql"]
