"""Fixtures of core's tests."""

from __future__ import annotations

import pytest

from anlan.core.tests.migrating import scratch_database


@pytest.fixture
def scratch_migrate(django_db_setup, django_db_blocker):
    """`scratch_migrate(targets)`: an empty database beside the test database migrated to `targets` (core's
    data migrations are tested there), returning the models as of them. The test database is not touched."""
    with django_db_blocker.unblock(), scratch_database() as migrate:
        yield migrate
