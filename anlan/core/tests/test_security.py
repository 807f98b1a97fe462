"""Security basics: lockout, hashing, strict settings, deploy checks, session timeout."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from anlan.core.tests.factories import UserFactory


@pytest.fixture
def locked_user(db):
    return UserFactory(username="zhangsan")


def test_five_failed_logins_lock_the_account_even_with_the_right_password_then(locked_user, client):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "zhangsan", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post(url, {"username": "zhangsan", "password": "pass-word-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failed_logins_do_not_lock(locked_user, client):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "zhangsan", "password": "wrong"})
    response = client.post(url, {"username": "zhangsan", "password": "pass-word-2026"})
    assert response.status_code == 302


def run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("ANLAN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='anlan.settings'; {code}",
        ],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def test_production_settings_require_a_secret_key():
    result = run_settings({"ANLAN_DEBUG": "false"}, "django.setup()")
    assert result.returncode != 0
    assert "ANLAN_SECRET_KEY is required" in result.stderr


def test_a_malformed_boolean_stops_start_up():
    result = run_settings({"ANLAN_DEBUG": "maybe"}, "django.setup()")
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


def test_production_uses_argon2_and_secure_cookies():
    result = run_settings(
        {"ANLAN_DEBUG": "false", "ANLAN_SECRET_KEY": "k" * 60},
        "from django.conf import settings as s; django.setup(); "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)",
    )
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
        "True",
        "True",
    ]


def test_deploy_check_is_clean_in_production_settings():
    env = {"ANLAN_DEBUG": "false", "ANLAN_SECRET_KEY": "x7!" + "k9Qz" * 15, "ANLAN_HTTPS": "true"}
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("ANLAN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sessions_expire_after_the_idle_timeout():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 120 * 60


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("core:enterprise-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_needs_post(client, db):
    user = UserFactory(username="lisi")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
