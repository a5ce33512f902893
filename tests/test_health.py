"""Liveness (/healthz: the process answers, nothing else), readiness (/readyz: the database, the
broker and the file storages), and the Prometheus metrics kept from the public (/metrics)."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Period, ReportRequest
from strategy.models import Country
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TOKEN = "a-scraper-token-of-enough-length-0123456789"


def test_healthz_answers_without_touching_the_database_or_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # unreachable: no matter
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_readyz_reports_the_database_and_both_storages(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"  # not created yet: it will be, so it is ready
    settings.REPORTS_ROOT = tmp_path / "media" / "reports"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "storage_default": "ok",
        "storage_reports": "ok",
    }


def test_readyz_fails_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_readyz_fails_when_the_reports_folder_cannot_be_made(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    (tmp_path / "in-the-way").write_text("a file where a folder should be")
    settings.REPORTS_ROOT = tmp_path / "in-the-way" / "reports"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage_reports"].startswith("error")


def test_readyz_checks_the_bucket(client, settings, in_object_storage):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/readyz").json()["storage_default"] == "ok"
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"
    settings.STORAGES = {**settings.STORAGES}  # made again with the wrong bucket
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage_default"].startswith("error")


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="no broker configured (CI sets one)"
)
def test_readyz_reports_a_running_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


# --- Metrics -------------------------------------------------------------------------------------


def test_metrics_do_not_exist_without_a_token(client, settings, secretariat):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert signed_in(client, secretariat).get("/metrics").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    ["", f"Bearer {TOKEN}x", f"Token {TOKEN}", f"bearer {TOKEN[:-1]}", "Bearer ", TOKEN],
)
def test_metrics_are_refused_to_anyone_without_the_token(client, settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 403
    assert b"django_http" not in response.content


def test_metrics_are_refused_to_a_signed_in_superuser(client, settings, secretariat):
    settings.METRICS_TOKEN = TOKEN
    secretariat.is_superuser = secretariat.is_staff = True
    secretariat.save()
    assert signed_in(client, secretariat).get("/metrics").status_code == 403


def test_metrics_give_requests_database_time_and_reports_to_the_scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN
    period = Period.objects.get(code="2019")
    ReportRequest.objects.create(country=None, period=period, language="es")
    ReportRequest.objects.create(
        country=Country.objects.get(code="GT"), period=period, language="es", status="failed"
    )
    client.get("/es/")  # a page, with database queries
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'django_http_requests_total_by_view_transport_method_total{method="GET"' in text
    assert "django_db_execute_total{" in text  # queries, per database and vendor
    assert "django_db_query_duration_seconds_bucket{" in text  # and their time
    assert 'corett_reports{state="queued"} 1.0' in text
    assert 'corett_reports{state="failed"} 1.0' in text
    assert "corett_report_render_seconds_count 0.0" in text


def test_probes_answer_over_plain_http_while_pages_go_to_https(client, settings):
    """Load balancers and orchestrators probe inside the network, over HTTP: a redirect to HTTPS
    would read as "not ready" (the load test's start-up check was caught by it)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/es/").status_code == 301
