"""`manage.py anlan_backup`: write one backup (database, uploaded files, manifest) and apply retention."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anlan.core import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one tar file, then keep only the newest --keep."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", default=None, help="backup directory (default: ANLAN_BACKUP_DIR)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="backups to keep in the directory, this one included (default: ANLAN_BACKUP_KEEP)",
        )

    def handle(self, *args, directory, keep, **options):
        keep = settings.ANLAN_BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError(f"--keep must be at least 1 (got {keep})")
        try:
            path = backups.create_backup(directory=directory)
            pruned = backups.prune_backups(keep=keep, directory=directory)
            manifest = backups.read_manifest(path)
        except backups.BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written: {path} ({path.stat().st_size} bytes; {manifest['database']['vendor']} database, "
            f"{len(manifest['tables'])} tables, {rows} rows; {len(manifest['media'])} files)"
        )
        for old in pruned:
            self.stdout.write(f"Deleted old backup: {old}")
