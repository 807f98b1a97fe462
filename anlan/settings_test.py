"""Settings for the test suite: the production settings with fast, isolated services."""

import os
import tempfile

os.environ.setdefault("ANLAN_DEBUG", "false")
os.environ.setdefault("ANLAN_SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("ANLAN_HTTPS", "false")

from anlan.settings import *  # noqa: E402,F403  (the one place a star import is the idiom)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served from the apps' folders (finders); an empty root keeps whitenoise quiet.
STATIC_ROOT = Path(tempfile.gettempdir()) / "anlan-test-static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
AXES_ENABLED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Backups the scheduler starts in tests go to a scratch folder, never under var/.
ANLAN_BACKUP_DIR = Path(tempfile.gettempdir()) / "anlan-test-backups"  # noqa: F405
# ANLAN_TEST_DB_FILE keeps the SQLite test database in a file so `pytest --reuse-db` skips the migrations
# (≈ 150 s, the region tree) on the next run; development only. With xdist each worker gets its own file.
if os.environ.get("ANLAN_TEST_DB_FILE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["ANLAN_TEST_DB_FILE"]}  # noqa: F405
