"""Many processes, one truth (issue 16): two gunicorn web processes on different ports and two
Celery workers, each with an empty MEDIA_ROOT of its own, files in an S3-compatible bucket (moto on
loopback), sharing only PostgreSQL, Redis and the bucket, as machines behind a load balancer do.
A person's requests land on either web process: the observer's report journey, an evidence file,
a spreadsheet import's preview and the sign-in throttle must not care which.

Needs PostgreSQL and Redis (CI's); skipped, saying why, on SQLite or without a broker."""

import importlib.util
import io
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from corett.celery import app
from monitoring.models import ReportRequest, Value
from strategy.models import Indicator
from tests.conftest import PASSWORD
from tests.processes import WAIT, Web, Worker, empty_folder, shared_cache_url

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="no broker: set CELERY_BROKER_URL (CI uses redis://127.0.0.1:6379/0) to run the "
        "portal as several processes",
    ),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="other processes cannot open the test's SQLite database (in memory): run with "
        "DATABASE_URL=postgres://… (CI does) to test the portal as several processes",
    ),
]

METRICS_TOKEN = "the-scraper-token-of-the-it-unit-0123456789"
_spec = importlib.util.spec_from_file_location(
    "load_browser", Path(__file__).resolve().parent.parent / "benchmarks/load/browser.py"
)
browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser)


@pytest.fixture(scope="module")
def cluster(django_db_setup, object_storage, tmp_path_factory):
    """Two web processes and two workers, every one with an empty MEDIA_ROOT of its own, all
    pointed at one prefix of the bucket. Yields (webs, workers, their media folders, prefix)."""
    prefix = f"cluster-{time.time_ns()}"
    app.control.purge()  # nothing left over from an earlier run on this broker
    started, folders = [], []

    def env():
        media = tmp_path_factory.mktemp("media")
        folders.append(media)
        return {**object_storage.environment(prefix), "MEDIA_ROOT": str(media)}

    logs = tmp_path_factory.mktemp("logs")
    shared = {"CACHE_URL": shared_cache_url()}
    try:
        workers = [Worker(logs / f"worker-{n}.log", env(), name=f"w{n}") for n in (1, 2)]
        started += workers
        # The first with two gunicorn workers whose metrics add up, as the image runs it.
        metrics = {"METRICS_TOKEN": METRICS_TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(logs / "m")}
        webs = [Web(logs / "web-1.log", {**env(), **metrics, **shared}, workers=2)]
        webs.append(Web(logs / "web-2.log", {**env(), **shared}))
        started += webs
        yield webs, workers, folders, prefix
    finally:
        for process in started:
            process.stop()


class Visitor:
    """A person's browser: one cookie jar, whichever web process answers. Redirects are not
    followed, so that each step says where it was sent."""

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar(policy=browser.LoopbackIsSecure())),
            self._Stay,
        )

    def open(self, url, data=None, content_type=None):
        request = urllib.request.Request(url, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=WAIT) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return answer.code, answer.headers, answer.read()

    def get(self, url):
        return self.open(url)

    def post(self, url, fields, files=()):
        body, content_type = browser.multipart(fields, files)
        return self.open(url, body, content_type)

    def submit(self, web, page_url, pick, changes=(), files=()):
        """Opens a page on one web process and posts its form (the first POST form that
        pick(form) accepts) to `web`, with some fields changed or added."""
        status, _headers, html = self.get(page_url)
        assert status == 200, (page_url, status)
        form = next(
            (f for f in browser.forms(html.decode()) if f.method == "post" and pick(f)), None
        )
        assert form is not None, f"no such form on {page_url}"
        for name, value in changes:
            form.set(name, value) if name in form.names() else form.fields.append((name, value))
        path = form.action or urllib.parse.urlsplit(page_url).path
        return self.post(web.base + path, form.fields, files)

    def sign_in(self, web, username, password=PASSWORD):
        return self.submit(
            web,
            f"{web.base}/en/accounts/login/",
            lambda form: "username" in form.names(),
            [("username", username), ("password", password)],
        )


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def wait_until_finished(pk: int) -> ReportRequest:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        report = ReportRequest.objects.get(pk=pk)
        if report.is_finished:
            return report
        time.sleep(0.2)
    raise AssertionError(f"report {pk} still {report.status} ({report.progress}%)")


def report_id(location: str) -> int:
    return int(re.search(r"/reports/(\d+)/$", location).group(1))


def test_the_observers_report_journey_across_two_web_processes_and_two_workers(cluster, observer):
    (a, b), workers, folders, _prefix = cluster
    person = Visitor()
    assert person.sign_in(a, "observer")[0] == 302
    assert person.get(f"{b.base}/en/monitoring/reports/")[0] == 200  # the session, on the other

    asked = []
    for page, to, scope in ((a, b, "GT"), (b, a, "regional")):  # the page from one, the post to
        status, headers, _ = person.submit(  # the other
            to,
            f"{page.base}/en/monitoring/reports/new/",
            lambda form: "scope" in form.names(),
            [("scope", scope), ("period", "2019"), ("language", "en")],
        )
        assert status == 302, status
        asked.append((report_id(headers["Location"]), headers["X-Request-ID"]))
    reports = [wait_until_finished(pk) for pk, _request in asked]
    assert [r.status for r in reports] == ["done", "done"], [r.error for r in reports]

    # Each report is watched and downloaded from the web process that did not take its request.
    for report, web in zip(reports, (a, b), strict=True):
        status, _headers, page = person.get(f"{web.base}/en/monitoring/reports/{report.pk}/")
        assert status == 200 and f"/reports/{report.pk}/download/" in page.decode()
        status, headers, pdf = person.get(f"{web.base}/en/monitoring/reports/{report.pk}/download/")
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        text = pdf_text(pdf)
        if report.country_id:  # the same figures the single-worker test reads
            assert "Guatemala" in text and "434" in text and "371" in text
            assert "662" not in text and "1,080" not in text  # Mexico's
        else:
            assert "434" in text and "662" in text  # the region: Guatemala's and Mexico's 2019
    task_lines = [task_log(worker, "monitoring.tasks.generate_report") for worker in workers]
    assert [len(found) for found in task_lines] == [1, 1], "each worker renders one"
    # The task's log line carries the id of the request that asked for it, from the other process.
    assert {line["request_id"] for found in task_lines for line in found} == {
        request for _pk, request in asked
    }
    assert [empty_folder(folder) for folder in folders] == [[]] * 4  # nothing on any local disk

    # What the IT unit's scraper reads, from either gunicorn worker of the first web process.
    scraper = urllib.request.Request(
        f"{a.base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    for _ in range(2):
        with urllib.request.urlopen(scraper, timeout=WAIT) as answer:  # noqa: S310 - loopback
            metrics = answer.read().decode()
        assert 'corett_reports{state="done"} 2.0' in metrics
        assert "corett_report_render_seconds_count 2.0" in metrics
        assert 'corett_celery_queue_length{queue="celery"} 0.0' in metrics
        assert 'django_http_responses_total_by_status_total{status="302"}' in metrics
    assert person.get(f"{a.base}/metrics")[0] == 403  # a signed-in observer is not the scraper


def task_log(worker, name: str) -> list[dict]:
    """The worker's JSON log lines for runs of the task `name`."""
    lines = [json.loads(line) for line in worker.output().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "task" and line["task"] == name]


def test_evidence_uploaded_through_one_web_process_is_downloaded_through_the_other(
    cluster, focal_hn
):
    (a, b), _workers, folders, prefix = cluster
    person = Visitor()
    assert person.sign_in(b, "focal-hn")[0] == 302
    row = f"v{Indicator.objects.get(code='SEN-1.1.1-a').pk}"
    evidence = b"%PDF-1.4\n%the minutes of the national committee\n"
    status, _headers, _body = person.submit(
        a,
        f"{a.base}/en/monitoring/entry/HN/2026/",
        lambda form: any(name.endswith("-seen") for name in form.names()),
        [(f"{row}-number", "3"), ("action", "save")],
        files=[(f"{row}-evidence", "acta.pdf", "application/pdf", evidence)],
    )
    assert status == 302
    value = Value.objects.get(
        indicator__code="SEN-1.1.1-a", country__code="HN", period__code="2026"
    )
    status, headers, body = person.get(f"{b.base}/en/monitoring/values/{value.pk}/evidence/")
    assert (status, body) == (200, evidence)
    assert "attachment" in headers["Content-Disposition"]
    assert [empty_folder(folder) for folder in folders] == [[]] * 4


def test_an_import_previewed_on_one_web_process_is_confirmed_on_the_other(cluster, focal_hn):
    (a, b), _workers, _folders, _prefix = cluster
    person = Visitor()
    assert person.sign_in(a, "focal-hn")[0] == 302
    status, _headers, template = person.get(
        f"{b.base}/en/monitoring/spreadsheets/2026/HN/template.csv"
    )
    assert status == 200
    codes = {"SEN-1.1.1-a", "SEN-2.1.1-a"}
    sheet = browser.small_sheet(template, codes)
    status, headers, _ = person.submit(
        a,
        f"{a.base}/en/monitoring/spreadsheets/import/",
        lambda form: "file" in form.files,
        files=[("file", "HN.csv", "text/csv", sheet)],
    )
    assert status == 302, status
    preview = urllib.parse.urljoin(a.base, headers["Location"])
    status, headers, _ = person.submit(
        b, preview.replace(a.base, b.base), lambda form: "/confirm/" in form.action
    )
    assert status == 302, status
    assert Value.objects.filter(country__code="HN", period__code="2026").exists()


def test_failed_sign_ins_count_across_web_processes(cluster, observer):
    (a, b), _workers, _folders, _prefix = cluster
    for web in (a, b, a, b):  # four failures, spread over both processes
        assert Visitor().sign_in(web, "observer", "not-the-password")[0] == 200
    assert Visitor().sign_in(a, "observer", "not-the-password")[0] == 429  # the fifth locks
    assert Visitor().sign_in(b, "observer")[0] == 429  # everywhere, right password or not
