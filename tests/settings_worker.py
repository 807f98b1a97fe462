"""Settings of the worker processes the job tests start: the test settings plus the test job module, a file
storage (the in-memory one does not cross processes)."""

import os

from anlan.settings_test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.job_module"]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
MEDIA_ROOT = os.environ.get("ANLAN_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
