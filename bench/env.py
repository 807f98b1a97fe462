"""Set up Django for the benchmarks: production settings, a separate database, no HTTPS redirects."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench.sqlite3"
STATIC_ROOT = ROOT / "var" / "bench-static"


def configure() -> bool:
    """Prepare the environment and call django.setup(). Returns True when the default bench SQLite file is used."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Production settings: DEBUG off (no query log, real template caching), a throwaway key, plain http.
    os.environ["ANLAN_DEBUG"] = "false"
    os.environ["ANLAN_SECRET_KEY"] = "bench-secret-key-not-for-production-" + "b" * 32
    os.environ["ANLAN_HTTPS"] = "false"
    os.environ["ANLAN_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    # The throttle still runs (its cost is part of a request) but never trips during a benchmark.
    os.environ["ANLAN_API_RATE"] = "100000000/hour"
    os.environ.setdefault("ANLAN_LOG_LEVEL", "WARNING")
    os.environ["ANLAN_STATIC_ROOT"] = str(STATIC_ROOT)
    # The `export` section times the streamed download of every size; section `jobs` times the job path.
    os.environ.setdefault("ANLAN_EXPORT_JOB_ROWS", str(10**9))
    default_db = "DATABASE_URL" not in os.environ
    if default_db:
        DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    return default_db


def collect_static_if_stale() -> None:
    """The manifest static storage needs collectstatic; rerun it when a source file is newer than the manifest."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = STATIC_ROOT / "staticfiles.json"
    newest = max(
        (
            path.stat().st_mtime
            for folder in settings.STATICFILES_DIRS
            for path in Path(folder).rglob("*")
            if path.is_file()
        ),
        default=0,
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)
