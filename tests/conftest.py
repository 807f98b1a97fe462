"""Fixtures of the cross-app tests: a module added to INSTALLED_APPS for one test."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, set_urlconf

from anlan.core import contract


def _reload_urls() -> None:
    import anlan.api.urls
    import anlan.urls

    importlib.reload(anlan.api.urls)
    importlib.reload(anlan.urls)
    clear_url_caches()
    set_urlconf(None)


@contextmanager
def installed(settings, app: str):
    """The suite's settings plus `app` in INSTALLED_APPS — nothing else changes."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, app]):
        contract.reset()
        _reload_urls()
        yield contract.registry()
    contract.reset()
    _reload_urls()


@pytest.fixture
def example_module(settings):
    with installed(settings, "tests.example_module") as registry:
        yield registry


@pytest.fixture
def job_module(settings):
    with installed(settings, "tests.job_module") as registry:
        yield registry
