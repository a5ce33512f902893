"""Schemathesis against the API's own OpenAPI schema: no 500s, and every answer (status code,
content type, body) is one the schema documents.

The schema is drf-spectacular's, generated in-process exactly as /api/schema/ serves it, and the
requests go to the Django WSGI application in this process, inside each test's transaction: what
generated writes change is rolled back after every operation's test (pytest-django's `db`), and
nothing leaks into the next. Every run is deterministic (`derandomize`) and bounded: a few random
examples per operation and role, valid and invalid (both of schemathesis' generation modes), and
for the public reads also the coverage phase (boundary and invalid values of every query and path
parameter). The hostile corpus itself goes through every write in tests/hostile/test_api.py.

Roles: anonymous, the secretariat and a focal point of Honduras, each with an API token. Writes
are sent to existing items (a path parameter guessed at random would only ever get a 404 and never
reach a serializer); reads also get random path parameters.

schemathesis.pytest.from_fixture() cannot be used: with pytest 9 it fails on a renamed private
attribute of pytest's items (`_nodeid`), so the schema is built when this module is imported.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corett.models import User
from monitoring.models import Period
from monitoring.values import services
from strategy.models import Activity, Country, Goal, Indicator, OperationalObjective
from tests.conftest import api_token, make_user

from .api import openapi

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_dict(openapi())
schema.app = get_wsgi_application()
READS = schema.include(method="GET")
WRITES = schema.exclude(method="GET")
VALUES = schema.include(path_regex=r"^/api/v1/values/")
PLAN_WRITES = WRITES.exclude(path_regex=r"^/api/v1/(values|auth)/")


# Hypothesis' explicit phase carries schemathesis' coverage cases (boundary values, wrong types,
# missing fields: a few hundred per write operation, too many here); generate, random ones.
def examples(count, *, coverage=False):
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate] if coverage else [Phase.generate],
    )


@pytest.fixture(autouse=True)
def in_the_test_transaction(settings):
    """The WSGI handler signals request_started/finished, on which Django closes a connection whose
    autocommit differs from its settings: the test's own, inside its transaction. Django's test
    client disconnects the same handler for the same reason."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis, the test client
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_header(user) -> dict:
    return {"Authorization": f"Token {api_token(user)}"}


@pytest.fixture
def secretariat_token(db):
    return token_header(make_user("secretariat", User.Role.SECRETARIAT))


@pytest.fixture
def focal_point_token(db):
    return token_header(make_user("focal-hn", User.Role.FOCAL_POINT, "HN"))


@pytest.fixture
def existing(db):
    """{path parameter: value} of existing items, per path prefix, for the writes."""
    focal = User.objects.filter(username="focal-hn").first() or make_user(
        "focal-hn-writer", User.Role.FOCAL_POINT, "HN"
    )
    draft = services.value_save(
        user=focal,
        indicator=Indicator.objects.get(code="TRA-2.1.1-a"),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        number=4,
        path="api",
    )
    return {
        "/api/v1/axes/": {"number": 1},
        "/api/v1/objectives/": {"id": OperationalObjective.objects.current().first().pk},
        "/api/v1/activities/": {"id": Activity.objects.current().first().pk},
        "/api/v1/goals/": {"id": Goal.objects.current().first().pk},
        "/api/v1/indicators/": {"code": "SEN-1.1.1-a"},
        "/api/v1/values/": {"id": draft.pk},
    }


def call(case, headers, existing=None):
    if existing and case.path_parameters:
        prefix = case.path.split("{")[0]
        case.path_parameters = dict(existing[prefix])
    # The test transport hands over the bytes as sent; a real client undoes the compression.
    case.call_and_validate(headers={"Accept-Encoding": "identity", **headers}, checks=CHECKS)


@READS.parametrize()
@examples(8, coverage=True)
def test_reads_anonymous(case, db):
    call(case, {})


@READS.parametrize()
@examples(3)
def test_reads_secretariat(case, secretariat_token):
    call(case, secretariat_token)


@WRITES.parametrize()
@examples(3)
def test_writes_anonymous(case, db):
    call(case, {})


@WRITES.parametrize()
@examples(10)
def test_writes_secretariat(case, secretariat_token, existing):
    call(case, secretariat_token, existing)


@VALUES.parametrize()
@examples(10)
def test_values_focal_point(case, focal_point_token, existing):
    call(case, focal_point_token, existing)


@PLAN_WRITES.parametrize()
@examples(3)
def test_plan_writes_focal_point(case, focal_point_token, existing):
    call(case, focal_point_token, existing)


def test_the_schema_tested_is_the_one_served(client, db):
    served = client.get("/api/schema/?format=json").json()
    generated = openapi()
    assert {path: sorted(ops) for path, ops in served["paths"].items()} == {
        path: sorted(ops) for path, ops in generated["paths"].items()
    }
