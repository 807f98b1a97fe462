"""Backups: one tar file with the database, the uploaded files and a manifest; retention; restore.

`anlan-backup-YYYYmmdd-HHMMSS.tar` (local time) in `ANLAN_BACKUP_DIR` holds

- `database.sqlite3`: a consistent copy taken with SQLite's online backup API through the site's own
  connection (safe while the site writes: WAL readers see one snapshot), or `database.pgdump`:
  `pg_dump --format=custom`, taken in a snapshot exported by the connection that counts the rows;
- `media/<path>`: every regular file under `MEDIA_ROOT`;
- `manifest.json` (last): format, time, Anlan version, database vendor, last migration per app, rows per
  table, and the size and SHA-256 of the database member and of every file.

The archive is written under a hidden work directory beside it and renamed into place when complete, so a
file with the final name is always whole. `restore_backup` checks every member against the manifest before
it changes anything, then restores the database and the files and re-counts the rows. The scheduler calls
`scheduled()`; `manage.py anlan_backup` and `anlan_restore` are the commands (docs/operations.md, "Backups").
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
BACKUP_NAME = re.compile(r"^anlan-backup-\d{8}-\d{6}\.tar$")
WORK_PREFIX = ".anlan-backup-"  # a half-made backup; removed by retention once a day old
RESTORE_PREFIX = ".anlan-restore-"  # files being restored, staged inside MEDIA_ROOT
STALE_WORK = timedelta(days=1)
LOCKED_FOR = 60  # seconds a SQLite copy may wait on another connection's lock before it gives up
CHUNK = 1024 * 1024
# libpq connection keywords Django's OPTIONS may carry; the others (pool, isolation_level …) are Django's own.
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslpassword",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "passfile",
    "service",
    "gssencmode",
    "channel_binding",
}


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


class TargetNotEmpty(BackupError):
    """The restore's target database already holds tables (and force was not given)."""


@dataclass(frozen=True)
class Target:
    """Where a restore goes: the vendor and the Django-style settings of the database."""

    vendor: str
    database: dict[str, Any]

    def describe(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite file {self.database['NAME']}"
        host = self.database.get("HOST") or "localhost"
        port = self.database.get("PORT") or 5432
        return f"PostgreSQL database {self.database['NAME']} on {host}:{port}"


# --- Making a backup ---


def backup_directory(directory: str | os.PathLike | None = None) -> Path:
    """The backup directory (ANLAN_BACKUP_DIR unless given), created readable by the owner only."""
    path = Path(directory or settings.ANLAN_BACKUP_DIR)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
    return path


def create_backup(*, directory: str | os.PathLike | None = None, now: datetime | None = None) -> Path:
    """Write one backup of the default database and MEDIA_ROOT and return its path."""
    connection = connections["default"]
    vendor = connection.vendor
    if connection.in_atomic_block:
        # SQLite's backup API cannot read past its own connection's open write transaction (it would wait
        # for ever), and pg_dump would not see the caller's uncommitted rows: back up committed data only.
        raise BackupError("a backup runs outside a transaction (it saves committed data only)")
    if vendor not in DATABASE_FILES:
        raise BackupError(f"cannot back up a {vendor} database (SQLite and PostgreSQL only)")
    now = now or timezone.now()
    directory = backup_directory(directory)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    final = directory / f"anlan-backup-{stamp}.tar"
    if final.exists():
        raise BackupError(f"{final} already exists; one backup per second at most")
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{stamp}-", dir=directory))
    try:
        dump = work / DATABASE_FILES[vendor]
        if vendor == "sqlite":
            tables, migrations = _dump_sqlite(connection, dump)
        else:
            tables, migrations = _dump_postgresql(dict(connection.settings_dict), dump)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime(now).isoformat(),
            "anlan_version": _anlan_version(),
            "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
            "migrations": migrations,
            "tables": tables,
            "media": [],
        }
        archive_path = work / "archive.tar"
        descriptor = os.open(archive_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                with dump.open("rb") as stream:
                    size, digest = _add(archive, DATABASE_FILES[vendor], stream)
                manifest["database"].update(size=size, sha256=digest)
                for relative, path in _media_files(Path(settings.MEDIA_ROOT)):
                    try:
                        stream = path.open("rb")
                    except FileNotFoundError:  # deleted since the walk: nothing to keep
                        continue
                    with stream:
                        size, digest = _add(archive, f"{MEDIA_DIR}/{relative}", stream)
                    manifest["media"].append({"name": relative, "size": size, "sha256": digest})
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = _member(MANIFEST, len(body), now.timestamp())
                archive.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(archive_path, final)
        _fsync_directory(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def _dump_sqlite(connection, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the live database with the online backup API, then count its rows in the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # Through Django's own connection: the configured file (WAL and all) or the in-memory test database.
        connection.connection.backup(copy, progress=_give_up_after(LOCKED_FOR))
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _inventory(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _give_up_after(seconds: float):
    """A backup progress callback that stops a copy kept waiting on locks (Python's loop retries for ever)."""
    waiting_since = None

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal waiting_since
        if status not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            waiting_since = None
            return
        if waiting_since is None:
            waiting_since = time.monotonic()
        if time.monotonic() - waiting_since > seconds:
            raise BackupError(
                f"the database stayed locked for {seconds:.0f} s; the backup gave up (try again)"
            )

    return progress


def _dump_postgresql(database: dict, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump in the snapshot the rows are counted in, so the manifest describes exactly the dump."""
    import psycopg

    pg_dump = pg_binary("pg_dump")
    conninfo, env = _pg_conninfo(database)
    with _pg_connect(database) as raw:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables, migrations = _inventory(cursor, "postgresql")
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
            )
        raw.rollback()
    return tables, migrations


def _media_files(root: Path):
    """(posix relative name, path) of every regular file under root, sorted; links are not followed."""
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith(RESTORE_PREFIX))
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _add(archive: tarfile.TarFile, name: str, stream) -> tuple[int, str]:
    """Add an open file to the archive under `name`; return the size and SHA-256 of what was written."""
    status = os.fstat(stream.fileno())
    reader = _Reader(stream)
    archive.addfile(_member(name, status.st_size, status.st_mtime), reader)
    return status.st_size, reader.hexdigest()


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


class _Reader:
    """A file wrapper that hashes what is read through it."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _anlan_version() -> str:
    try:
        return metadata.version("anlan")
    except metadata.PackageNotFoundError:
        return "unknown"


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- Retention and the schedule ---


def prune_backups(
    *, keep: int, directory: str | os.PathLike | None = None, now: datetime | None = None
) -> list[Path]:
    """Delete all but the newest `keep` backups (and work left by a backup killed over a day ago).

    Only files named like a backup are touched; anything else in the directory stays."""
    if keep < 1:
        raise BackupError(f"keep must be at least 1 (got {keep}): retention never deletes every backup")
    directory = backup_directory(directory)
    backups = sorted(path for path in directory.iterdir() if BACKUP_NAME.match(path.name) and path.is_file())
    pruned = backups[:-keep]
    for path in pruned:
        path.unlink()
    stale_before = (now or timezone.now()).timestamp() - STALE_WORK.total_seconds()
    for path in directory.iterdir():
        if path.name.startswith(WORK_PREFIX) and path.is_dir() and path.stat().st_mtime < stale_before:
            shutil.rmtree(path, ignore_errors=True)
    return pruned


def scheduled(*, today, now, stdout=None) -> dict[str, int]:
    """The scheduled backup: one backup, then retention (ANLAN_BACKUP_KEEP); counts for the log."""
    path = create_backup(now=now)
    pruned = prune_backups(keep=settings.ANLAN_BACKUP_KEEP, now=now)
    manifest = read_manifest(path)
    if stdout is not None:
        stdout.write(f"backup written: {path}")
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(manifest["media"]),
        "bytes": path.stat().st_size,
        "pruned": len(pruned),
    }


# --- Reading and restoring ---


def read_manifest(path: str | os.PathLike) -> dict:
    """The manifest of a backup, checked for its format (not yet against the members)."""
    with _open_archive(path) as archive:
        return _manifest(archive, path)


def restore_target(database_url: str | None = None) -> Target:
    """The database a restore writes into: `database_url`, or the configured default database."""
    if database_url:
        try:
            database = dj_database_url.parse(database_url)
        except Exception as exc:
            raise BackupError(f"cannot read the database URL: {exc}") from exc
    else:
        database = dict(connections["default"].settings_dict)
    database.setdefault("OPTIONS", {})
    engine = database.get("ENGINE", "")
    vendor = ENGINES.get(engine)
    if vendor is None:
        raise BackupError(f"cannot restore into {engine or 'this database'} (SQLite and PostgreSQL only)")
    return Target(vendor, database)


def restore_backup(
    path: str | os.PathLike,
    *,
    database_url: str | None = None,
    media_root: str | os.PathLike | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Restore a backup into a database (default: the configured one) and a media directory.

    Every member is checked against the manifest (names, sizes, SHA-256) before anything is changed. A
    target database that already holds tables is refused unless `force`. Returns what was restored."""
    path = Path(path)
    target = restore_target(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with _open_archive(path) as archive:
        manifest = _manifest(archive, path)
        source_vendor = manifest["database"]["vendor"]
        if source_vendor != target.vendor:
            raise BackupError(
                f"this backup holds a {VENDOR_NAMES[source_vendor]} database and the target is "
                f"{VENDOR_NAMES[target.vendor]}: restore it into a {VENDOR_NAMES[source_vendor]} database "
                "(--database-url), then move the data with dumpdata/loaddata (docs/operations.md)"
            )
        members = _checked_members(archive, manifest)
        if not force and not _is_empty(target):
            raise TargetNotEmpty(
                f"the target ({target.describe()}) already holds tables; restore into an empty database"
            )
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=RESTORE_PREFIX, dir=media_root))
        try:
            staged = {
                name: _extract(archive, member, staging, expected)
                for name, (member, expected) in members.items()
            }
            database_file = staged.pop(manifest["database"]["file"])
            if target.vendor == "sqlite":
                _restore_sqlite(database_file, target)
            else:
                _restore_postgresql(database_file, target)
            for name, staged_path in staged.items():
                destination = media_root.joinpath(*PurePosixPath(name).relative_to(MEDIA_DIR).parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged_path, destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    counts = _count_rows(target, list(manifest["tables"]))
    differences = [
        f"{table}: {counts.get(table)} rows, the backup had {rows}"
        for table, rows in manifest["tables"].items()
        if counts.get(table) != rows
    ]
    if differences:
        raise BackupError("the restored database differs from the backup: " + "; ".join(differences))
    return {
        "created_at": manifest["created_at"],
        "anlan_version": manifest["anlan_version"],
        "database": target.describe(),
        "tables": len(counts),
        "rows": sum(counts.values()),
        "files": len(manifest["media"]),
        "bytes": sum(item["size"] for item in manifest["media"]),
        "media_root": str(media_root),
        "migrations": manifest["migrations"],
    }


def _open_archive(path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable Anlan backup: {exc}") from exc


def _manifest(archive: tarfile.TarFile, path) -> dict:
    try:
        member = archive.getmember(MANIFEST)  # reads every header: a truncated archive fails here
    except KeyError:
        raise BackupError(f"{path} is not an Anlan backup: it has no {MANIFEST}") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    if not member.isreg():
        raise BackupError(f"{path}: {MANIFEST} is not a regular file")
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except ValueError as exc:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(
            f"{path}: backup format {found!r} is not supported (this Anlan reads format {FORMAT})"
        )
    database = manifest.get("database") or {}
    if (
        database.get("vendor") not in DATABASE_FILES
        or database.get("file") != DATABASE_FILES[database["vendor"]]
    ):
        raise BackupError(f"{path}: the manifest names no known database ({database!r})")
    return manifest


def _checked_members(archive: tarfile.TarFile, manifest: dict) -> dict[str, tuple[tarfile.TarInfo, dict]]:
    """name → (member, expected size and digest) for every member but the manifest; refuses an archive
    with a member that is not a regular file, is not in the manifest, comes twice or is missing."""
    expected = {manifest["database"]["file"]: manifest["database"]}
    for item in manifest["media"]:
        expected[f"{MEDIA_DIR}/{_safe_name(item['name'])}"] = item
    found: dict[str, tuple[tarfile.TarInfo, dict]] = {}
    manifests = 0
    for member in archive.getmembers():
        if member.name == MANIFEST:
            manifests += 1
            continue
        if not member.isreg():
            raise BackupError(f"the backup holds {member.name!r}, which is not a regular file; refused")
        if member.name not in expected:
            raise BackupError(f"the backup holds {member.name!r}, which its manifest does not list; refused")
        if member.name in found:
            raise BackupError(f"the backup holds {member.name!r} twice; refused")
        if member.size != expected[member.name]["size"]:
            raise BackupError(
                f"{member.name!r} has {member.size} bytes, the manifest says {expected[member.name]['size']}"
            )
        found[member.name] = (member, expected[member.name])
    missing = sorted(set(expected) - set(found))
    if missing or manifests != 1:
        raise BackupError(f"the backup is incomplete: missing {', '.join(missing) or MANIFEST}")
    return found


def _safe_name(name: str) -> str:
    """A media file's relative name, refused if it is absolute or climbs out of the media directory."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise BackupError(f"the manifest names a file {name!r} outside the media directory; refused")
    return name


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, staging: Path, expected: dict) -> Path:
    """Write one member into the staging directory, checking its SHA-256."""
    destination = staging.joinpath(*PurePosixPath(member.name).parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    with destination.open("xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        raise BackupError(
            f"{member.name!r} does not match its SHA-256 in the manifest: the backup is damaged"
        )
    return destination


def _is_empty(target: Target) -> bool:
    """Whether the target database has no tables yet (a missing SQLite file is empty)."""
    if target.vendor == "sqlite":
        path = _sqlite_path(target)
        if not path.exists() or path.stat().st_size == 0:
            return True
        try:
            with _closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                return not _table_names(db.cursor(), "sqlite")
        except sqlite3.DatabaseError:
            return False  # not a database: never overwritten without force
    with _pg_connect(target.database) as db, db.cursor() as cursor:
        return not _table_names(cursor, "postgresql")


def _restore_sqlite(database_file: Path, target: Target) -> None:
    """Copy the backup into the target file with the backup API: it writes through SQLite (journal, locks),
    so a WAL database is never left with a stale -wal file beside a replaced main file."""
    path = _sqlite_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    live = connections["default"]
    if live.vendor == "sqlite" and str(live.settings_dict["NAME"]) == str(target.database["NAME"]):
        live.close()  # restoring over the configured file: let go of it first
    with (
        _closing(sqlite3.connect(database_file)) as source,
        _closing(sqlite3.connect(path, timeout=20)) as copy,
    ):
        source.backup(copy)


def _restore_postgresql(database_file: Path, target: Target) -> None:
    pg_restore = pg_binary("pg_restore")
    conninfo, env = _pg_conninfo(target.database)
    # No owners or grants: the target's roles need not match the source cluster's. One transaction: a
    # failed restore leaves the target as it was.
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(database_file),
        ],
        env,
    )


def _count_rows(target: Target, tables: list[str]) -> dict[str, int]:
    if target.vendor == "sqlite":
        with _closing(sqlite3.connect(_sqlite_path(target))) as db:
            return _counts(db.cursor(), tables, _table_names(db.cursor(), "sqlite"))
    with _pg_connect(target.database) as db, db.cursor() as cursor:
        return _counts(cursor, tables, _table_names(cursor, "postgresql"))


def _sqlite_path(target: Target) -> Path:
    name = str(target.database.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("cannot restore into an in-memory SQLite database: give a file (--database-url)")
    if name.startswith("file:"):
        raise BackupError(f"cannot restore into the SQLite URI {name!r}: give a file path")
    return Path(name)


# --- Database helpers shared by backup and restore ---


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.relname"
        )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, tables: list[str], present: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _inventory(cursor, vendor: str) -> tuple[dict[str, int], dict[str, str]]:
    """Rows per table and the last applied migration per app."""
    tables = _table_names(cursor, vendor)
    counts = _counts(cursor, tables, tables)
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    return counts, dict(sorted(migrations.items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _closing:
    """`with` for sqlite3 connections (whose own context manager commits but does not close)."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()


def pg_binary(name: str) -> str:
    """The path of a PostgreSQL client program (ANLAN_PG_BIN_DIR, else the PATH)."""
    directory = settings.ANLAN_PG_BIN_DIR
    found = shutil.which(name, path=directory) if directory else shutil.which(name)
    if found is None:
        where = f"in ANLAN_PG_BIN_DIR ({directory})" if directory else "on the PATH"
        raise BackupError(
            f"{name} not found {where}: install the PostgreSQL client programs of your server's version "
            "(Debian: apt-get install postgresql-client) or set ANLAN_PG_BIN_DIR to their directory"
        )
    return found


def _pg_conninfo(database: dict) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries the password."""
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": database.get("NAME"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
    }
    params.update({k: v for k, v in (database.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS})
    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v not in (None, "")})
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return conninfo, env


def _pg_connect(database: dict):
    import psycopg

    conninfo, _env = _pg_conninfo(database)
    password = database.get("PASSWORD")
    return psycopg.connect(conninfo, **({"password": str(password)} if password else {}))


def _run(command: list[str], env: dict[str, str]) -> None:
    program = Path(command[0]).name
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{program} could not run: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")
