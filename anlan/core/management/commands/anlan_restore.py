"""`manage.py anlan_restore FILE`: restore a backup made by `anlan_backup` into a database and a media
directory (by default the configured ones; an existing non-empty database only with --force)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from anlan.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup (database and uploaded files). Every file is checked against the backup's manifest "
        "before anything changes; a database that already holds tables is replaced only with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup file (anlan-backup-YYYYmmdd-HHMMSS.tar)")
        parser.add_argument(
            "--database-url",
            default=None,
            help="target database, e.g. sqlite:////srv/anlan/restored.sqlite3 (default: the configured one)",
        )
        parser.add_argument("--media-root", default=None, help="target media directory (default: MEDIA_ROOT)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that already holds tables",
        )

    def handle(self, *args, file, database_url, media_root, force, **options):
        connections.close_all()  # hold no connection to the database being replaced
        try:
            result = backups.restore_backup(
                file, database_url=database_url, media_root=media_root, force=force
            )
        except backups.TargetNotEmpty as exc:
            raise CommandError(f"restore refused: {exc}, or add --force to replace its contents") from exc
        except backups.BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        self.stdout.write(
            f"Restored {file} (made {result['created_at']} by Anlan {result['anlan_version']}) into "
            f"{result['database']}: {result['tables']} tables, {result['rows']} rows; "
            f"{result['files']} files ({result['bytes']} bytes) into {result['media_root']}."
        )
        self.stdout.write(
            "Next: manage.py migrate (if this code is newer than the backup), then start the site."
        )
