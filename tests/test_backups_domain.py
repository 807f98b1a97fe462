"""A backup of real domain records comes back whole: a hazard registered with a photo and an accident
reported through their services (with their history rows, notifications and the photo file in MEDIA_ROOT),
restored into a fresh database and media directory.

Here rather than in anlan/core/tests: the kernel's tests import no module (import-linter,
`core-imports-no-app`), and this one files hazards and accidents."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from anlan.accidents.tests.factories import report
from anlan.core import backups
from anlan.core.tests import test_backups as kernel
from anlan.core.tests.factories import industry
from anlan.hazards import services as hazards
from anlan.hazards.models import Hazard, Photo
from anlan.hazards.tests.factories import photo, png_bytes

# The kernel's backup fixtures and helpers.
media, backup_dir, fresh_database_url = kernel.media, kernel.backup_dir, kernel.fresh_database_url
snapshot, files_under, target_settings = kernel.snapshot, kernel.files_under, kernel.target_settings


@kernel.TRANSACTIONAL
def test_hazards_with_photos_and_accidents_come_back_whole_from_a_backup(
    cast, media, backup_dir, fresh_database_url, tmp_path
):
    today = timezone.localdate()
    hazard = hazards.register_hazard(
        actor=cast["dept_housing"],
        data={
            "enterprise": cast.enterprise_x,
            "source": Hazard.Source.DEPARTMENT_INSPECTION,
            "category": Hazard.Category.UNSAFE_CONDITION,
            "grade": Hazard.Grade.ORDINARY,
            "description": "塔吊限位装置失效",
            "found_on": today - timedelta(days=1),
            "due_on": today + timedelta(days=14),
        },
        photos=[photo("塔吊.png")],
    )
    report(cast, industry=industry("construction"))
    stored = Photo.objects.get(hazard=hazard).file.name
    path = backups.create_backup()
    source = snapshot(connection.settings_dict)
    restored_media = tmp_path / "restored-media"

    backups.restore_backup(path, database_url=fresh_database_url, media_root=restored_media)

    assert snapshot(target_settings(fresh_database_url)) == source
    assert files_under(restored_media) == {stored: png_bytes()}
    assert (source["hazards_hazard"][0], source["accidents_accident"][0]) == (1, 1)
    assert source["hazards_historicalhazard"][0] >= 1
    assert source["notifications_notification"][0] >= 1
