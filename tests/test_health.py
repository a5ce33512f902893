import os

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_fails_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="no broker configured (CI sets one)"
)
def test_healthz_reports_a_running_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
