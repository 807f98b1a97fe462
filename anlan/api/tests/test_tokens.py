"""API tokens live ANLAN_TOKEN_DAYS days and are revoked by every kind of password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

PASSWORD = "pass-word-2026"


def obtain(client, username="town_a", password=PASSWORD):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password})


def call(client, key):
    return client.get("/api/v1/enterprises/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_works_until_its_last_day_and_is_refused_with_a_message_after(cast, client):
    key = obtain(client).json()["token"]
    lifetime = timedelta(days=settings.ANLAN_TOKEN_DAYS)
    with time_machine.travel(timezone.now() + lifetime - timedelta(minutes=1)):
        assert call(client, key).status_code == 200
    with time_machine.travel(timezone.now() + lifetime + timedelta(minutes=1)):
        response = call(client, key)
        assert response.status_code == 401
        assert response.json()["detail"] == "API 令牌已过期，请用用户名和密码重新获取。"
        renewed = obtain(client).json()["token"]
        assert renewed != key
        assert call(client, renewed).status_code == 200
        assert Token.objects.filter(user=cast["town_a"]).count() == 1


def test_a_token_obtained_again_before_it_expires_is_the_same(cast, client):
    assert obtain(client).json()["token"] == obtain(client).json()["token"]


def test_changing_ones_own_password_revokes_the_token(cast, client):
    key = obtain(client).json()["token"]
    client.force_login(cast["town_a"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another-pass-77", "new_password2": "another-pass-77"},
    )
    assert response.status_code == 302
    assert call(client, key).status_code == 401
    assert not Token.objects.filter(user=cast["town_a"]).exists()


def test_an_administrators_reset_revokes_the_token(cast, client):
    key = obtain(client).json()["token"]
    form = AdminPasswordChangeForm(
        cast["town_a"], {"password1": "reset-pass-88", "password2": "reset-pass-88"}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert call(client, key).status_code == 401


def test_set_password_and_save_anywhere_revokes_the_token(cast, client):
    key = obtain(client).json()["token"]
    user = cast["town_a"]
    user.set_password("service-pass-99")
    user.save()
    assert call(client, key).status_code == 401


def test_saving_the_user_without_a_new_password_keeps_the_token(cast, client):
    key = obtain(client).json()["token"]
    user = cast["town_a"]
    user.first_name = "改名"
    user.save()
    assert call(client, key).status_code == 200


@pytest.mark.parametrize("days", ["0", "-3"])
def test_the_lifetime_comes_from_the_setting(cast, client, settings, days):
    key = obtain(client).json()["token"]
    settings.ANLAN_TOKEN_DAYS = int(days)
    assert call(client, key).status_code == 401
