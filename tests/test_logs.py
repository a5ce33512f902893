"""Structured logs (issue 16): one JSON line per request and per task, with the request id and the
user id; never a password, a token or a secret, whatever path they come by."""

import json
import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from corett.logs import JsonLinesFormatter, redact
from monitoring.tasks import send_reminders
from tests.conftest import PASSWORD, api_token, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(caplog):
    """Every line logged during the test, as the JSON formatter writes it."""
    caplog.set_level(logging.INFO)
    formatter = JsonLinesFormatter()
    return lambda: [json.loads(formatter.format(record)) for record in caplog.records]


def requests(lines):
    return [line for line in lines() if line.get("event") == "request"]


def test_one_line_per_request_with_its_id_and_the_user(client, observer, lines):
    signed_in(client, observer)
    response = client.get("/en/monitoring/reports/")
    (line,) = requests(lines)
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["status"]) == ("GET", "/en/monitoring/reports/", 200)
    assert line["user_id"] == observer.pk
    assert line["duration_ms"] >= 0


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client, lines):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")["X-Request-ID"] == (
        "lb-0123456789abcdef"
    )
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"} injected\n{"level": "ERROR')
    assert response["X-Request-ID"].isalnum()
    assert [line["request_id"] for line in requests(lines)][0] == "lb-0123456789abcdef"
    assert all(line["user_id"] is None for line in requests(lines))


def test_passwords_never_reach_the_logs(client, observer, lines):
    client.post("/en/accounts/login/", {"username": "observer", "password": "wrong-" + PASSWORD})
    client.post("/en/accounts/login/", {"username": "observer", "password": PASSWORD})
    client.post(
        "/api/v1/auth/token/",
        {"username": "observer", "password": PASSWORD},
        content_type="application/json",
    )
    logged = json.dumps(lines())
    assert PASSWORD not in logged
    assert [line["status"] for line in requests(lines)] == [200, 302, 200]


def test_tokens_never_reach_the_logs(client, observer, lines):
    token = api_token(observer)
    client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Token {token}")
    reset = default_token_generator.make_token(observer)
    uid = urlsafe_base64_encode(force_bytes(observer.pk))
    client.get(f"/en/accounts/password/reset/{uid}/{reset}/")
    client.get(f"/en/accounts/reset/{uid}/{reset}/")  # a link mistyped: no route
    logged = json.dumps(lines())
    assert token not in logged
    assert reset not in logged
    paths = [line["path"] for line in requests(lines)]
    assert paths[1] == "/en/accounts/password/reset/[redacted]/[redacted]/"
    assert paths[2] == f"/en/accounts/reset/{uid}/[redacted]/"
    assert requests(lines)[0]["user_id"] == observer.pk  # the API's token user, too


def test_secrets_inside_messages_are_replaced():
    text = redact('password=hunter2 Authorization: Bearer abc.def, "token": "xyz", api_key=k1')
    for secret in ("hunter2", "abc.def", "xyz", "k1"):
        assert secret not in text


def test_one_line_per_task(lines):
    send_reminders.delay()
    (line,) = [line for line in lines() if line.get("event") == "task"]
    assert (line["task"], line["state"]) == ("monitoring.tasks.send_reminders", "SUCCESS")
    assert line["request_id"] == line["task_id"]
    assert line["duration_ms"] >= 0
