"""Bulk loading for the benchmark generators: one INSERT/COPY target per model, the bench_meta markers, and
secondary indexes (and, on PostgreSQL, foreign keys) set aside around a large load.

SQLite takes `executemany` of one INSERT per batch; PostgreSQL takes `COPY … FROM STDIN` (psycopg 3's
`cursor.copy`), several times faster than an INSERT per row. An index or foreign key set aside is first saved
in bench_meta, so a load that is interrupted puts it back at the next run (`restore_all`).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

META_TABLE = "bench_meta"


# ---------------------------------------------------------------- markers


def _ensure_meta(cursor) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR(50) PRIMARY KEY, value TEXT)")


def read_marker(key: str):
    """The JSON value stored under key in bench_meta, or None."""
    with connection.cursor() as cursor:
        _ensure_meta(cursor)
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", [key])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(key: str, value) -> None:
    """Store value (JSON) under key; None deletes the key."""
    with connection.cursor() as cursor:
        _ensure_meta(cursor)
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", [key])
        if value is not None:
            cursor.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [key, json.dumps(value)])


# ---------------------------------------------------------------- targets


class Table:
    """The INSERT (SQLite) or COPY (PostgreSQL) of every concrete column of a model but `exclude`.

    `row(values)` orders a dict of attname → value into the column order; a column the generator does
    not fill takes the field's default ("" for text), so a field added later does not break the benchmark.
    """

    def __init__(self, model, exclude: tuple[str, ...] = ()):
        fields = [f for f in model._meta.concrete_fields if f.attname not in exclude]
        self.model = model
        self.name = model._meta.db_table
        self.columns = []
        for f in fields:  # get_default: the field's default, "" for a text field, else None
            self.columns.append((f.attname, f.get_db_prep_save(f.get_default(), connection)))
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.insert = f"INSERT INTO {self.name} ({names}) VALUES ({marks})"
        self.copy = f"COPY {self.name} ({names}) FROM STDIN"

    def row(self, values: dict) -> tuple:
        return tuple(values.get(column, default) for column, default in self.columns)

    @contextmanager
    def writer(self):
        """A function writing batches of rows, each committed (SQLite), or all in one COPY (PostgreSQL).

        One COPY for the whole load, sent by a thread of psycopg (QueuedLibpqWriter), lets the server store
        one batch while this process generates the next, instead of waiting at the end of each batch.
        """
        if connection.vendor != "postgresql":

            def write(rows: list[tuple]) -> None:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(self.insert, rows)

            yield write
            return
        from psycopg.copy import QueuedLibpqWriter

        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(self.copy, writer=QueuedLibpqWriter(raw)) as copy:

                def write(rows: list[tuple]) -> None:
                    for row in rows:
                        copy.write_row(row)

                yield write

    def write(self, cursor, rows: list[tuple]) -> None:
        """Write one batch of rows (tuples in column order) on the caller's cursor and transaction."""
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(self.copy) as copy:  # the psycopg cursor under Django's wrapper
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.insert, rows)


@dataclass
class Load:
    """What one table's load took: rows written, seconds writing them (generation included), index rebuild."""

    table: str
    rows: int = 0
    seconds: float = 0.0
    rebuild_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def load(table: Table, batches, *, n: int, label: str, log, every: int = 100_000) -> Load:
    """Write the batches (lists of row tuples) through table.writer(), logging progress every `every` rows."""
    started = time.perf_counter()
    done = 0
    with table.writer() as write:
        for rows in batches:
            write(rows)
            done += len(rows)
            if done % every == 0 or done == n:
                log(f"  {done:>10,} {label} ({done / (time.perf_counter() - started):,.0f}/s)")
    return Load(table.name, done, time.perf_counter() - started)


# ---------------------------------------------------------------- indexes and foreign keys


def _secondary(cursor, table: str) -> dict:
    """The definitions of the table's secondary indexes (and PostgreSQL foreign keys), as the database has them.

    Indexes behind a primary key or UNIQUE constraint stay: SQLite's autoindexes have no SQL, and on
    PostgreSQL they belong to a constraint.
    """
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        return {"indexes": cursor.fetchall(), "foreign_keys": []}
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass"
        " AND contype = 'f'",
        [table],
    )
    return {"indexes": indexes, "foreign_keys": cursor.fetchall()}


def set_aside(table: str) -> None:
    """Drop the table's secondary indexes (and PostgreSQL foreign keys), saving them in bench_meta first."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        saved = _secondary(cursor, table)
    key = f"restore:{table}"
    if read_marker(key):
        return  # already set aside by an interrupted run: the saved definitions are the complete ones
    write_marker(key, saved)
    with connection.cursor() as cursor:
        for name, _definition in saved["foreign_keys"]:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _sql in saved["indexes"]:
            cursor.execute(f"DROP INDEX {qn(name)}")


def restore(table: str) -> float:
    """Recreate what set_aside dropped, exactly as it was defined; returns the seconds it took."""
    key = f"restore:{table}"
    saved = read_marker(key)
    if not saved:
        return 0.0
    qn = connection.ops.quote_name
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            if connection.vendor == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [table],
        )
        present = {name for (name,) in cursor.fetchall()}
        for name, sql in saved["indexes"]:
            if name not in present:
                cursor.execute(sql)
        if saved["foreign_keys"]:
            cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [table])
            present = {name for (name,) in cursor.fetchall()}
        for name, definition in saved["foreign_keys"]:  # validated here, in one pass over the table
            if name not in present:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
    write_marker(key, None)
    return time.perf_counter() - started


def restore_all() -> None:
    """Put back whatever an interrupted load left set aside."""
    with connection.cursor() as cursor:
        _ensure_meta(cursor)
        cursor.execute(f"SELECT key FROM {META_TABLE} WHERE key LIKE %s", ["restore:%"])
        keys = [key for (key,) in cursor.fetchall()]
    for key in keys:
        restore(key.removeprefix("restore:"))


# ---------------------------------------------------------------- session


def is_bench_file() -> bool:
    """A benchmark SQLite file: var/bench*.sqlite3 (var/bench.sqlite3 is the default), never another database."""
    from pathlib import Path

    from bench.env import DEFAULT_DB

    if connection.vendor != "sqlite":
        return False
    name = Path(str(connection.settings_dict["NAME"])).resolve()
    return name.parent == DEFAULT_DB.parent and name.name.startswith("bench") and name.suffix == ".sqlite3"


@contextmanager
def fast_session():
    """Loading settings for this connection, undone at the end.

    SQLite (only a bench file, `is_bench_file`): no fsync, the rollback journal in memory instead of the WAL (a WAL
    would grow by the whole load before its checkpoint), a 256 MiB page cache for the index rebuilds, and
    foreign-key enforcement off (the generators draw every key from existing rows; it also lets a DELETE of
    a whole table truncate it). PostgreSQL: the indexes and foreign keys are set aside per table instead.
    """
    tuned = is_bench_file()
    if tuned:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = MEMORY")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -262144")
            cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if tuned:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode = WAL")
            connection.close()  # the next connection gets the settings' own pragmas again


def database_size() -> int:
    """Bytes on disk of the benchmark database."""
    if connection.vendor == "sqlite":
        from pathlib import Path

        name = Path(str(connection.settings_dict["NAME"]))
        return sum(p.stat().st_size for p in (name, name.with_name(name.name + "-wal")) if p.exists())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]
