"""A data migration tested on a database of its own.

Taking the test database back to an old migration unapplies every later migration of every app (all of
them depend on core), then applies them again: minutes a pass, and more with each app. A test of a core
data migration needs only core's own migrations, so it runs them on an empty database of the same engine
beside the test database, every query routed there, and drops it afterwards.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

ALIAS = "migration_scratch"


class _Everything:
    """A database router sending every model to one database."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model, **hints):
        return self.alias

    def db_for_write(self, model, **hints):
        return self.alias

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return True


@contextmanager
def scratch_database():
    """An empty database beside the test database (SQLite: a file; PostgreSQL: a database of the test
    cluster), every query routed to it. Yields a `migrate(targets)` that migrates it to `targets` and
    returns the models as of them."""
    settings_dict = {**connection.settings_dict}
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.TemporaryDirectory()
        settings_dict["NAME"] = str(Path(folder.name) / "scratch.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_scratch"
        with connection._nodb_cursor() as cursor:  # outside the test's transaction, as Django's own creation
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings_dict['NAME']}")
    connections.settings[ALIAS] = settings_dict
    scratch = connections[ALIAS]

    def migrate(targets):
        executor = MigrationExecutor(scratch)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    try:
        with override_settings(DATABASE_ROUTERS=[_Everything(ALIAS)]):
            yield migrate
    finally:
        scratch.close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        if folder is not None:
            folder.cleanup()
        else:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
