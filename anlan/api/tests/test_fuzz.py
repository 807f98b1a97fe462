"""The API fuzzed against its own OpenAPI schema (schemathesis), as the county office and as an enterprise user,
on the test database (writes included): no answer is a server error, every answer matches the schema.

Runs once, on SQLite (`make test-sqlite`; marker `fuzz`), with a fixed seed (derandomized examples)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.fuzz

# Examples per operation and user: 80 operations x 2 users, about 5 minutes of one CPU in all.
EXAMPLES = 10

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def same_connection():
    """The app runs in this thread on the test's connection: keep Django from closing it after each request
    (as its test client does), or the test's transaction would go with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["county_office", "enterprise_x"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, cast, same_connection, who):
    token = Token.objects.get_or_create(user=cast[who])[0]
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
