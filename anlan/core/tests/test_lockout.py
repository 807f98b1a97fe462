"""The lockout after failed logins (django-axes with anlan.core.account.LockoutHandler): per user name and
address, per address across names, token-endpoint failures apart, the client address behind a trusted proxy."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from anlan.core.tests.factories import UserFactory

PASSWORD = "pass-word-2026"


@pytest.fixture
def users(db):
    return UserFactory(username="zhangsan"), UserFactory(username="lisi")


def page_login(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def token_login(client, username, password, **meta):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, **meta)


def fail(login, client, username, times, **meta):
    for _ in range(times):
        login(client, username, "wrong", **meta)


def test_a_user_locked_out_at_one_address_still_signs_in_from_another(users, client):
    fail(page_login, client, "zhangsan", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="198.51.100.1")
    assert page_login(client, "zhangsan", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert page_login(client, "zhangsan", PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_failures_for_one_name_do_not_lock_another_name_at_the_same_address(users, client):
    fail(page_login, client, "zhangsan", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="198.51.100.1")
    assert page_login(client, "lisi", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_an_address_guessing_many_names_is_locked_out_at_the_address_limit(users, client, settings):
    settings.ANLAN_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        page_login(client, f"guess{n}", "wrong", REMOTE_ADDR="198.51.100.9")
    assert page_login(client, "lisi", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
    client.logout()
    page_login(client, "guess7", "wrong", REMOTE_ADDR="198.51.100.9")
    assert page_login(client, "zhangsan", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 429
    assert page_login(client, "zhangsan", PASSWORD, REMOTE_ADDR="198.51.100.10").status_code == 302


def test_token_endpoint_failures_count_apart_from_the_login_page(users, client):
    fail(token_login, client, "zhangsan", settings.AXES_FAILURE_LIMIT)
    assert token_login(client, "zhangsan", PASSWORD).status_code != 200
    assert page_login(client, "zhangsan", PASSWORD).status_code == 302


def test_login_page_failures_do_not_lock_the_token_endpoint(users, client):
    fail(page_login, client, "zhangsan", settings.AXES_FAILURE_LIMIT)
    assert page_login(client, "zhangsan", PASSWORD).status_code == 429
    assert token_login(client, "zhangsan", PASSWORD).status_code == 200


def test_without_trusted_proxies_a_forwarded_header_is_ignored(users, client):
    for n in range(settings.AXES_FAILURE_LIMIT):
        page_login(
            client, "zhangsan", "wrong", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"
        )
    response = page_login(
        client, "zhangsan", PASSWORD, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="10.1.1.1"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(users, client, settings):
    settings.ANLAN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(
        page_login,
        client,
        "zhangsan",
        settings.AXES_FAILURE_LIMIT,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    locked = page_login(client, "zhangsan", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert locked.status_code == 429
    # The proxy appends the address it saw: a value the client forged stands to its left and is not read.
    other = page_login(client, "zhangsan", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8", **proxy)
    assert other.status_code == 302
