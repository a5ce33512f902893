"""Reports on a real Celery worker (a subprocess) and a real broker (Redis), against the test
database: the integration test CI runs, and the faults a worker meets in production: a transient
error, a worker killed mid-report, a broker down when the request is made.

Needs settings.CELERY_BROKER_URL (CI sets redis://127.0.0.1:6379/0) and a database another process
can open (PostgreSQL): skipped, saying why, otherwise. The tests commit for real (the worker must
see their rows), so they are transactional and put the reference data back afterwards."""

import io
import os
import signal
import time
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from corett.celery import app
from monitoring.models import Period, ReportRequest
from monitoring.reports import services, storage
from strategy.models import Country
from tests.conftest import api_token, signed_in
from tests.processes import WAIT, Worker

State = ReportRequest.State

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="no broker: set CELERY_BROKER_URL (CI uses redis://127.0.0.1:6379/0) to run "
        "reports on a real Celery worker",
    ),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="a worker process cannot open the test's SQLite database (in memory): run with "
        "DATABASE_URL=postgres://… (CI does) to test reports on a real worker",
    ),
]


@pytest.fixture(scope="module")
def reports_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-reports")


@pytest.fixture(scope="module")
def worker(django_db_setup, reports_folder, tmp_path_factory):
    app.control.purge()  # nothing left over from an earlier run on this broker
    started = Worker(
        tmp_path_factory.mktemp("worker") / "worker.log",
        env={"REPORTS_ROOT": str(reports_folder)},
        name="reports-test",
    )
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def same_reports_folder(settings, reports_folder):
    settings.REPORTS_ROOT = reports_folder


def wait_for(report: ReportRequest, done, what: str, timeout: float = WAIT, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if done(report):
            return report
        time.sleep(every)
    raise AssertionError(f"{what}: still {report.status} ({report.progress}%, {report.error})")


def finished(report):
    return report.is_finished


def stored(name: str) -> bytes:
    with storage.open_report(name) as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_worker_writes_guatemalas_report_with_its_figures_and_not_another_countrys(
    worker, client, observer
):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token(observer)}"}
    response = client.post(
        "/api/v1/reports/",
        {"scope": "GT", "period": "2019", "language": "es"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 202, response.content
    report = ReportRequest.objects.get(pk=response.json()["id"])
    wait_for(report, finished, "the Guatemala report")
    assert (report.status, report.attempts) == (State.DONE, 1), report.error

    detail = client.get(f"/api/v1/reports/{report.pk}/", **auth).json()
    pdf = client.get(detail["download_url"], **auth)
    assert pdf.status_code == 200
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "Guatemala" in text
    assert "434" in text and "371" in text  # Guatemala, 2019 and 2018 (Chart 3)
    assert "662" not in text and "1,080" not in text  # Mexico's


def test_a_task_that_crashes_once_is_retried_and_succeeds(worker, observer, reports_folder):
    blocker = reports_folder / "2018"
    blocker.write_text("a file where the folder should be: the disk refuses the write")
    report = services.report_request(
        user=observer,
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2018"),
        language="en",
    )
    wait_for(report, lambda r: r.attempts == 1 and r.status == State.QUEUED, "the first failure")
    assert "Temporary problem" in report.error
    blocker.unlink()  # the disk is back before the retry (in a few seconds)
    wait_for(report, finished, "the retry")
    assert (report.status, report.attempts, report.error) == (State.DONE, 2, "")
    assert "85" in pdf_text(stored(report.file))  # Honduras, 2018


def test_a_worker_killed_mid_report_leaves_it_to_be_retried_and_it_completes_once(
    worker, observer, reports_folder
):
    report = services.report_request(
        user=observer, country=None, period=Period.objects.get(code="2017"), language="es"
    )
    wait_for(report, lambda r: r.progress >= 50 or r.is_finished, "rendering", every=0.01)
    assert report.status == State.RUNNING, "rendered before it could be killed"
    for child in worker.children():
        os.kill(child, signal.SIGKILL)  # the pool process writing the report
    wait_for(report, finished, "the report after the kill")
    assert (report.status, report.attempts) == (State.DONE, 2), report.error
    written = list((reports_folder / "2017").iterdir())
    assert [path.name for path in written] == [Path(report.file).name]  # one whole file
    assert "1,791" in pdf_text(stored(report.file))  # 2017's regional sum


@pytest.fixture
def broker_down():
    from tests.test_reports import use_broker

    original = app.conf.get("broker_write_url")
    app.conf.broker_connection_timeout = 1
    use_broker("redis://127.0.0.1:6390/0")  # nothing listens there
    yield lambda: use_broker(original)
    use_broker(original)
    app.conf.broker_connection_timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT


def test_a_request_made_while_the_broker_is_down_waits_and_the_sweep_sends_it(
    worker, client, observer, broker_down
):
    signed_in(client, observer)
    started = time.monotonic()
    response = client.post(
        "/en/monitoring/reports/new/",
        {"scope": "SV", "period": "2019", "language": "en"},
        follow=True,
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 15  # answered at once, not after endless retries
    report = ReportRequest.objects.get()
    assert "cannot be reached" in response.content.decode()
    assert (report.status, report.dispatched_at) == (State.QUEUED, None)

    broker_down()  # the broker is back
    assert services.reports_sweep(grace=0)["sent"] == 1
    wait_for(report, finished, "the swept report")
    assert report.status == State.DONE, report.error
    assert "124" in pdf_text(stored(report.file))  # El Salvador, 2019


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_the_worker_renders_at_a_lower_cpu_priority_than_the_web_processes(worker):
    children = worker.children()
    assert children, "the worker has no pool process"
    expected = min(19, niceness(os.getpid()) + settings.CELERY_WORKER_NICE)
    assert {niceness(pid) for pid in children} == {expected}


def test_the_workers_session_yields_to_the_web_sessions_too(worker):
    """Linux weighs sessions against each other before nice values (autogroup): a worker in a
    session of its own (as the tests, the load test and service managers start it) lowers that
    session's group, or its nice value would not count against gunicorn's session."""
    if not Path("/proc/self/autogroup").exists():
        pytest.skip("this kernel has no autogroup scheduling")
    assert session_nice(worker.process.pid) == settings.CELERY_WORKER_NICE
    assert session_nice("self") == 0  # ours is untouched


def session_nice(pid) -> int:
    """A process in the default group (a session never given one, like init's) reads an empty
    file: that group's weight is the default, nice 0."""
    shown = Path(f"/proc/{pid}/autogroup").read_text().split()
    return int(shown[-1]) if shown else 0
