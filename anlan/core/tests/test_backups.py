"""Backups: a backup restored into a fresh database and media directory holds every row and file again;
retention keeps the newest; a damaged, tampered or path-climbing archive, a backup of the other database
vendor and a non-empty target are refused before anything changes; the commands say what they did.

Runs on the suite's database: SQLite (the in-memory test database is backed up through Django's own
connection) or PostgreSQL (`pg_dump`/`pg_restore`, the fresh database created on the same cluster)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import tarfile
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from anlan.core import backups, services
from anlan.core.models import Enterprise, Licence

NOW = timezone.make_aware(datetime(2026, 6, 30, 2, 30, 0))
# Tests that change the database run outside a test transaction, which the backup could not read past.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A real MEDIA_ROOT on disk (the test settings keep uploads in memory)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root


@pytest.fixture
def reading_db(django_db_setup, django_db_blocker):
    """The test database as it is (pytest-django runs these after the transactional tests, whose flush may
    have emptied it), without a test transaction or a flush: for tests that only back it up (a backup writes
    nothing), so they pay no serialized reload."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def backup_dir(settings, tmp_path) -> Path:
    settings.ANLAN_BACKUP_DIR = tmp_path / "backups"
    return settings.ANLAN_BACKUP_DIR


def _pg_params(database: dict, **overrides) -> dict:
    params = {
        "dbname": database["NAME"],
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value}


@pytest.fixture
def fresh_database_url(tmp_path):
    """A database nobody has used: a new SQLite file, or a new database on the test cluster (dropped after)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'anlan.sqlite3'}"
        return
    import psycopg

    database = connection.settings_dict
    name = f"anlan_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**_pg_params(database, dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    yield f"postgres://{credentials}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{name}"
    with psycopg.connect(**_pg_params(database, dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _plain_connection(database: dict):
    """A driver connection without Django's type converters, so both sides of a comparison read alike."""
    if "sqlite" in database["ENGINE"]:
        name = str(database["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:"))
    import psycopg

    return psycopg.connect(**_pg_params(database))


def snapshot(database: dict) -> dict[str, tuple[int, str]]:
    """table → (rows, SHA-256 of its sorted rows) for every table of a database."""
    db = _plain_connection(database)
    try:
        cursor = db.cursor()
        if "sqlite" in database["ENGINE"]:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        result = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return result
    finally:
        db.close()


def target_settings(url: str) -> dict:
    import dj_database_url

    return dj_database_url.parse(url)


def files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def build_records(cast) -> None:
    """Registry records through the services (with their history rows) beside the cast's."""
    enterprise = cast.enterprise_x
    services.update_enterprise(
        actor=cast["county_office"],
        enterprise_pk=enterprise.pk,
        data={"employees": 250, "address": "来安县新安镇永阳东路18号"},
        reason="年度核查",
    )
    services.save_licence(
        actor=cast["county_office"],
        enterprise_pk=enterprise.pk,
        data={
            "kind": Licence.Kind.SAFETY_PRODUCTION,
            "number": "（皖）JZ安许证字〔2024〕0007",
            "valid_from": date(2024, 3, 1),
            "valid_until": date(2027, 2, 28),
        },
    )


def upload_files() -> dict[str, bytes]:
    """Uploads as the services store them (default storage), with a nested Chinese name and an empty file."""
    contents = {
        "hazards/2026/06/现场照片.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2048),
        "documents/2026/督办函.docx": os.urandom(5000),
        "imports/empty.xlsx": b"",
    }
    return {default_storage.save(name, ContentFile(data)): data for name, data in contents.items()}


# ---------------------------------------------------------------- the round trip


@TRANSACTIONAL
def test_a_backup_restored_into_a_fresh_database_holds_every_row_and_file_again(
    cast, media, backup_dir, fresh_database_url, tmp_path
):
    build_records(cast)
    uploaded = upload_files()
    (media / "outside-link").symlink_to(tmp_path)  # a link is not an upload: not followed, not kept
    path = backups.create_backup(now=NOW)
    source = snapshot(connection.settings_dict)
    restored_media = tmp_path / "restored-media"

    result = backups.restore_backup(path, database_url=fresh_database_url, media_root=restored_media)

    assert snapshot(target_settings(fresh_database_url)) == source
    assert source["core_enterprise"][0] == Enterprise.objects.count() == 2
    assert source["core_licence"][0] == 1
    assert files_under(restored_media) == uploaded
    assert (result["tables"], result["rows"]) == (len(source), sum(rows for rows, _ in source.values()))
    assert (result["files"], result["bytes"]) == (3, sum(len(data) for data in uploaded.values()))


def test_the_manifest_names_the_vendor_migrations_rows_and_every_file_with_its_digest(
    reading_db, media, backup_dir
):
    uploaded = upload_files()

    path = backups.create_backup(now=NOW)

    manifest = backups.read_manifest(path)
    assert path == backup_dir / "anlan-backup-20260630-023000.tar"  # local time (Asia/Shanghai)
    assert manifest["format"] == backups.FORMAT
    assert manifest["created_at"] == NOW.isoformat()
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"] == dict(
        MigrationRecorder(connection).migration_qs.order_by("applied", "id").values_list("app", "name")
    )
    assert manifest["tables"] == {
        table: rows for table, (rows, _digest) in snapshot(connection.settings_dict).items()
    }
    assert manifest["tables"]["django_migrations"] == MigrationRecorder(connection).migration_qs.count() > 0
    assert {item["name"]: (item["size"], item["sha256"]) for item in manifest["media"]} == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in uploaded.items()
    }
    with tarfile.open(path) as archive:
        names = archive.getnames()
    assert names[0] == f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}"
    assert sorted(names[1:-1]) == sorted(f"media/{name}" for name in uploaded)
    assert names[-1] == backups.MANIFEST


def test_a_backup_file_is_readable_by_its_owner_only_and_leaves_no_work_behind(reading_db, media, backup_dir):
    path = backups.create_backup(now=NOW)

    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in backup_dir.iterdir()] == [path.name]


def test_a_backup_that_fails_half_way_leaves_no_file_behind(reading_db, media, backup_dir, monkeypatch):
    upload_files()

    def broken(root):
        raise OSError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(backups, "_media_files", broken)
    with pytest.raises(OSError, match="disk full"):
        backups.create_backup(now=NOW)
    assert list(backup_dir.iterdir()) == []


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused_rather_than_left_waiting(media, backup_dir):
    with pytest.raises(backups.BackupError, match="a backup runs outside a transaction"):
        backups.create_backup(now=NOW)
    assert not backup_dir.exists()


@TRANSACTIONAL
def test_a_non_empty_target_is_refused_without_force_and_replaced_with_it(
    cast, media, backup_dir, fresh_database_url, tmp_path
):
    path = backups.create_backup(now=NOW)
    source = snapshot(connection.settings_dict)
    backups.restore_backup(path, database_url=fresh_database_url, media_root=tmp_path / "m1")
    target = target_settings(fresh_database_url)
    with _plain_connection(target) as db:
        db.cursor().execute("DELETE FROM core_licence")
        db.cursor().execute("UPDATE core_enterprise SET employees = 1")
        db.commit()
    changed = snapshot(target)

    with pytest.raises(backups.TargetNotEmpty, match="already holds tables"):
        backups.restore_backup(path, database_url=fresh_database_url, media_root=tmp_path / "m2")
    assert snapshot(target) == changed
    assert not (tmp_path / "m2").exists()

    backups.restore_backup(path, database_url=fresh_database_url, media_root=tmp_path / "m2", force=True)
    assert snapshot(target) == source


def test_a_backup_is_not_restored_into_a_database_of_the_other_vendor(
    reading_db, media, backup_dir, tmp_path
):
    path = backups.create_backup(now=NOW)
    other = (
        "postgres://anlan@127.0.0.1:1/never"
        if connection.vendor == "sqlite"
        else f"sqlite:///{tmp_path / 'x.sqlite3'}"
    )
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    mine, theirs = names[connection.vendor], names[backups.restore_target(other).vendor]

    with pytest.raises(backups.BackupError, match=f"holds a {mine} database and the target is {theirs}"):
        backups.restore_backup(path, database_url=other, media_root=tmp_path / "m")
    assert not (tmp_path / "x.sqlite3").exists()
    assert not (tmp_path / "m").exists()


# ---------------------------------------------------------------- retention and the schedule


def _touch_backups(directory: Path, stamps: list[str]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"anlan-backup-{stamp}.tar" for stamp in stamps]
    for path in paths:
        path.write_bytes(b"")
    return paths


def test_retention_keeps_the_newest_backups_and_touches_no_other_file(tmp_path):
    oldest, older, newer, newest = _touch_backups(
        tmp_path, ["20260627-020000", "20260628-020000", "20260629-020000", "20260630-020000"]
    )
    others = [tmp_path / "notes.txt", tmp_path / "anlan-backup-20260601-000000.tar.bak", tmp_path / "x.tar"]
    for path in others:
        path.write_text("keep me")
    killed = tmp_path / ".anlan-backup-20260627-020000-abcd"  # work of a backup killed two days ago
    running = tmp_path / ".anlan-backup-20260630-020000-efgh"  # work of a backup running now
    for path in (killed, running):
        path.mkdir()
        (path / "archive.tar").write_bytes(b"partial")
    two_days_ago = (NOW - timedelta(days=2)).timestamp()
    os.utime(killed, (two_days_ago, two_days_ago))

    pruned = backups.prune_backups(keep=2, directory=tmp_path, now=NOW)

    assert pruned == [oldest, older]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [newer.name, newest.name, running.name, *(path.name for path in others)]
    )


@pytest.mark.parametrize("keep", [0, -1])
def test_retention_refuses_to_keep_no_backup_at_all(tmp_path, keep):
    paths = _touch_backups(tmp_path, ["20260630-020000"])

    with pytest.raises(backups.BackupError, match="keep must be at least 1"):
        backups.prune_backups(keep=keep, directory=tmp_path)
    assert paths[0].exists()


def test_the_scheduled_backup_writes_one_backup_and_applies_the_configured_retention(
    reading_db, media, backup_dir, settings
):
    settings.ANLAN_BACKUP_KEEP = 2
    old, previous = _touch_backups(backup_dir, ["20260628-023000", "20260629-023000"])
    uploaded = upload_files()
    out = io.StringIO()

    counts = backups.scheduled(today=NOW.date(), now=NOW, stdout=OutputWrapper(out))  # as the sweeps get it

    written = backup_dir / "anlan-backup-20260630-023000.tar"
    assert sorted(backup_dir.iterdir()) == [previous, written]
    manifest = backups.read_manifest(written)
    assert counts == {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(uploaded),
        "bytes": written.stat().st_size,
        "pruned": 1,
    }
    assert out.getvalue() == f"backup written: {written}\n"


def test_a_sqlite_copy_kept_waiting_on_locks_gives_up_instead_of_waiting_for_ever(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(backups.time, "monotonic", lambda: clock[0])
    progress = backups._give_up_after(60)

    progress(sqlite3.SQLITE_LOCKED, 10, 10)
    clock[0] = 59.0
    progress(sqlite3.SQLITE_BUSY, 10, 10)
    progress(sqlite3.SQLITE_OK, 5, 10)  # progress made: the wait starts again
    clock[0] = 100.0
    progress(sqlite3.SQLITE_LOCKED, 5, 10)
    clock[0] = 160.0
    progress(sqlite3.SQLITE_LOCKED, 5, 10)
    clock[0] = 160.5
    with pytest.raises(backups.BackupError, match="stayed locked for 60 s; the backup gave up"):
        progress(sqlite3.SQLITE_LOCKED, 5, 10)


def test_a_missing_postgresql_client_is_named_with_how_to_install_it(settings, tmp_path):
    settings.ANLAN_PG_BIN_DIR = str(tmp_path)

    with pytest.raises(backups.BackupError) as caught:
        backups.pg_binary("pg_dump")
    assert str(caught.value) == (
        f"pg_dump not found in ANLAN_PG_BIN_DIR ({tmp_path}): install the PostgreSQL client programs of your "
        "server's version (Debian: apt-get install postgresql-client) or set ANLAN_PG_BIN_DIR to their directory"
    )


# ---------------------------------------------------------------- the commands


def test_the_backup_command_prints_the_file_it_wrote_and_the_backups_it_deleted(reading_db, media, tmp_path):
    directory = tmp_path / "elsewhere"
    upload_files()
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("anlan_backup", "--dir", str(directory), "--keep", "1", stdout=out)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        call_command("anlan_backup", "--dir", str(directory), "--keep", "1", stdout=out)

    first, second = (
        directory / "anlan-backup-20260630-023000.tar",
        directory / "anlan-backup-20260630-033000.tar",
    )
    assert list(directory.iterdir()) == [second]
    manifest = backups.read_manifest(second)
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        f"Backup written: {second} ({second.stat().st_size} bytes; {connection.vendor} database, "
        f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows; 3 files)",
        f"Deleted old backup: {first}",
    ]


@pytest.mark.parametrize("keep", ["0", "-3"])
def test_the_backup_command_refuses_to_keep_no_backup(tmp_path, keep):
    with pytest.raises(CommandError, match=f"--keep must be at least 1 \\(got {keep}\\)"):
        call_command("anlan_backup", "--dir", str(tmp_path), "--keep", keep)
    assert list(tmp_path.iterdir()) == []


def test_the_restore_command_restores_into_the_database_and_directory_it_is_given(
    reading_db, media, backup_dir, fresh_database_url, tmp_path
):
    upload_files()
    path = backups.create_backup(now=NOW)
    manifest = backups.read_manifest(path)
    target = backups.restore_target(fresh_database_url).describe()
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()

    call_command(
        "anlan_restore",
        str(path),
        "--database-url",
        fresh_database_url,
        "--media-root",
        str(restored_media),
        stdout=out,
    )

    assert out.getvalue().splitlines() == [
        f"Restored {path} (made {NOW.isoformat()} by Anlan {manifest['anlan_version']}) into {target}: "
        f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows; "
        f"3 files ({sum(item['size'] for item in manifest['media'])} bytes) into {restored_media}.",
        "Next: manage.py migrate (if this code is newer than the backup), then start the site.",
    ]
    assert files_under(restored_media) == files_under(media)


def test_the_restore_command_will_not_overwrite_the_live_database(reading_db, media, backup_dir):
    path = backups.create_backup(now=NOW)
    # The live test database: in memory on SQLite (nothing to write into), full of tables on PostgreSQL.
    reason = {
        "sqlite": "cannot restore into an in-memory SQLite database: give a file (--database-url)",
        "postgresql": "already holds tables; restore into an empty database, or add --force to replace its contents",
    }[connection.vendor]

    before = snapshot(connection.settings_dict)

    with pytest.raises(CommandError, match=re.escape(reason)):
        call_command("anlan_restore", str(path))
    assert snapshot(connection.settings_dict) == before


def test_the_restore_command_names_a_file_that_is_no_backup(tmp_path):
    path = tmp_path / "notes.tar"
    path.write_text("not a tar file")

    with pytest.raises(
        CommandError, match=f"restore refused: {re.escape(str(path))} is not a readable Anlan backup"
    ):
        call_command("anlan_restore", str(path), "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}")


# ---------------------------------------------------------------- archives that must be refused


def _tiny_backup(tmp_path: Path, **changes) -> Path:
    """A hand-made SQLite backup (two rows, two files), changed as a test asks; needs no test database.

    changes: manifest=fn(manifest), members=fn(list of (TarInfo, bytes)) → list."""
    db_path = tmp_path / "tiny.sqlite3"
    with backups._closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO things (name) VALUES (?)", [("塔吊",), ("脚手架",)])
        db.commit()
    files = {
        "database.sqlite3": db_path.read_bytes(),
        "media/a/photo.png": b"png" * 100,
        "media/b.txt": b"hello",
    }
    manifest = {
        "format": backups.FORMAT,
        "created_at": NOW.isoformat(),
        "anlan_version": "test",
        "database": {
            "vendor": "sqlite",
            "file": "database.sqlite3",
            "size": len(files["database.sqlite3"]),
            "sha256": hashlib.sha256(files["database.sqlite3"]).hexdigest(),
        },
        "migrations": {},
        "tables": {"things": 2},
        "media": [
            {
                "name": name.removeprefix("media/"),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in files.items()
            if name.startswith("media/")
        ],
    }
    manifest = changes.get("manifest", lambda m: m)(manifest)
    members = []
    for name, data in files.items():
        info = tarfile.TarInfo(name)
        info.size = len(data)
        members.append((info, data))
    body = json.dumps(manifest).encode()
    info = tarfile.TarInfo(backups.MANIFEST)
    info.size = len(body)
    members.append((info, body))
    members = changes.get("members", lambda m: m)(members)
    path = tmp_path / "anlan-backup-20260630-023000.tar"
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def _replace(name: str, data: bytes):
    def change(members):
        result = []
        for info, old in members:
            if info.name == name:
                info.size = len(data)
                old = data
            result.append((info, old))
        return result

    return change


def _flip(name: str):
    """Change one byte of a member, keeping its size."""

    def change(members):
        return [
            (info, bytes([data[0] ^ 1]) + data[1:] if info.name == name else data) for info, data in members
        ]

    return change


def _add_member(name: str, data: bytes = b"x", kind=tarfile.REGTYPE, manifest_too: bool = False):
    def change(members):
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind == tarfile.SYMTYPE:
            info.linkname = "/etc/passwd"
        else:
            info.size = len(data)
        return [*members, (info, data)]

    return change


def _list_in_manifest(name: str, data: bytes = b"x"):
    def change(manifest):
        manifest["media"].append(
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
        return manifest

    return change


def _drop(name: str):
    return lambda members: [(info, data) for info, data in members if info.name != name]


def test_the_hand_made_archive_of_these_tests_restores(tmp_path):
    """The refusals below are meaningful only because the unchanged archive is accepted."""
    target = tmp_path / "target.sqlite3"

    result = backups.restore_backup(
        _tiny_backup(tmp_path), database_url=f"sqlite:///{target}", media_root=tmp_path / "media"
    )

    assert (result["tables"], result["rows"], result["files"]) == (1, 2, 2)
    assert files_under(tmp_path / "media") == {"a/photo.png": b"png" * 100, "b.txt": b"hello"}
    with backups._closing(sqlite3.connect(target)) as db:
        assert db.execute("SELECT name FROM things ORDER BY id").fetchall() == [("塔吊",), ("脚手架",)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"members": _flip("media/b.txt")}, "does not match its SHA-256", id="file-tampered"),
        pytest.param(
            {"members": _flip("database.sqlite3")}, "does not match its SHA-256", id="database-tampered"
        ),
        pytest.param(
            {"members": _replace("media/b.txt", b"hello!")},
            "has 6 bytes, the manifest says 5",
            id="file-grown",
        ),
        pytest.param(
            {"manifest": _list_in_manifest("../escaped.txt"), "members": _add_member("media/../escaped.txt")},
            "outside the media directory",
            id="dot-dot",
        ),
        pytest.param(
            {
                "manifest": _list_in_manifest("/tmp/escaped.txt"),
                "members": _add_member("media//tmp/escaped.txt"),
            },
            "outside the media directory",
            id="absolute",
        ),
        pytest.param(
            {"members": _add_member("../escaped.txt")}, "its manifest does not list", id="unlisted-dot-dot"
        ),
        pytest.param(
            {"members": _add_member("/etc/cron.d/x")}, "its manifest does not list", id="unlisted-absolute"
        ),
        pytest.param(
            {"members": _add_member("media/link", kind=tarfile.SYMTYPE)}, "not a regular file", id="symlink"
        ),
        pytest.param(
            {"members": _add_member("media/a", kind=tarfile.DIRTYPE)}, "not a regular file", id="directory"
        ),
        pytest.param({"members": _drop("media/b.txt")}, "incomplete: missing media/b.txt", id="file-missing"),
        pytest.param({"members": _drop("manifest.json")}, "has no manifest.json", id="no-manifest"),
        pytest.param(
            {"manifest": lambda m: {**m, "format": 2}}, "format 2 is not supported", id="newer-format"
        ),
        pytest.param(
            {"manifest": lambda m: {**m, "database": {**m["database"], "vendor": "oracle"}}},
            "names no known database",
            id="unknown-vendor",
        ),
        pytest.param(
            {"members": lambda members: [*members, members[1]]}, "'media/a/photo.png' twice", id="duplicate"
        ),
    ],
)
def test_an_archive_that_does_not_match_its_manifest_is_refused_before_anything_changes(
    tmp_path, changes, message
):
    path = _tiny_backup(tmp_path, **changes)
    target = tmp_path / "target.sqlite3"
    media = tmp_path / "media"
    media.mkdir()

    with pytest.raises(backups.BackupError, match=message):
        backups.restore_backup(path, database_url=f"sqlite:///{target}", media_root=media)
    assert not target.exists()
    assert list(media.iterdir()) == []


def test_a_truncated_archive_is_refused_as_damaged(tmp_path):
    path = _tiny_backup(tmp_path)
    with path.open("r+b") as archive:
        archive.truncate(path.stat().st_size // 2)
    target = tmp_path / "target.sqlite3"

    with pytest.raises(backups.BackupError, match="is damaged: unexpected end of data"):
        backups.restore_backup(path, database_url=f"sqlite:///{target}", media_root=tmp_path / "media")
    assert not target.exists()
