"""PDF progress reports: what they say (read back from the PDF), the files, the requests' life
(reuse, retries, the sweep, the schedule), and the pages and API that ask for them.

Tasks run in-process here (tests/conftest.py); tests/test_reports_worker.py runs them on a real
Celery worker. Reports are written under a temporary REPORTS_ROOT."""

import datetime
import io
import os
import re
import signal
import threading
from pathlib import Path

import pypdf
import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from corett.celery import app
from monitoring.models import Narrative, Period, Qualification, ReportRequest, Status, Value
from monitoring.reports import generation, services, storage
from monitoring.reports.tasks import generate_report
from monitoring.reports.versions import data_version
from strategy.models import Axis, Country, Indicator
from tests.conftest import api_token, signed_in

pytestmark = pytest.mark.django_db
State = ReportRequest.State

# Chart 3 (fixtures/monitoring/01_identified_victims.yaml): Guatemala's and Mexico's figures.
GT_VICTIMS = {"2017": "316", "2018": "371", "2019": "434"}
MX_VICTIMS = {"2017": "1,080", "2018": "706", "2019": "662"}


@pytest.fixture(autouse=True)
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def flat(data: bytes) -> str:
    """The whole text on one line: table cells wrap wherever their column ends."""
    return " ".join(" ".join(pdf_text(data)).split())


def report_file(report: ReportRequest) -> bytes:
    report.refresh_from_db()
    assert report.status == State.DONE, (report.status, report.error)
    return stored(report.file)


def stored(name: str) -> bytes:
    with storage.open_report(name) as handle:
        return handle.read()


def ask(user, code="GT", period="2019", language="en", draft=False, capture=None):
    """A report request through the service, its task run in-process once committed."""
    country = None if code == "regional" else Country.objects.get(code=code)
    with capture(execute=True):
        report = services.report_request(
            user=user,
            country=country,
            period=Period.objects.get(code=period),
            language=language,
            draft=draft,
        )
    report.refresh_from_db()
    return report


@pytest.fixture
def request_report(django_capture_on_commit_callbacks):
    def run(user, code="GT", **kwargs):
        return ask(user, code, capture=django_capture_on_commit_callbacks, **kwargs)

    return run


def gt_value(code, number, status=Status.VALIDATED, **extra):
    return Value.objects.create(
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code="GT"),
        period=Period.objects.get(code="2019"),
        number=number,
        status=status,
        **extra,
    )


# --- What a report says -------------------------------------------------------------------------


def test_guatemala_report_has_its_own_victims_and_not_another_countrys(observer, request_report):
    report = request_report(observer, "GT")
    text = flat(report_file(report))
    assert "Guatemala" in text
    for figure in GT_VICTIMS.values():
        assert figure in text
    for figure in MX_VICTIMS.values():
        assert figure not in text
    assert report.pages >= 8 and report.size > 10_000


def test_report_reads_well_with_sparse_data_and_has_contents_and_page_numbers(
    observer, request_report
):
    pages = pdf_text(report_file(request_report(observer, "GT")))
    text = "\n".join(pages)
    # Only Chart 3 is validated for Guatemala in 2019: the tables say so rather than stay empty.
    assert "no validated value" in text
    assert "No targets were set for this axis in 2019" in text
    assert "The secretariat has not qualified this axis for 2019 yet." in text
    assert f"Page 3 of {len(pages)}" in pages[2]
    # The table of contents points at the pages its sections start on.
    contents = pages[1]
    for title in ("Summary", "Compliance with the monitoring matrix", "Notes on the data"):
        number = int(re.search(rf"{title}[ .]*?(\d+)\s*$", contents, re.M).group(1))
        assert pages[number - 1].lstrip().splitlines()[0:3], title
        assert title in pages[number - 1], (title, number)


def test_report_in_spanish_uses_the_spanish_plan(observer, request_report):
    text = flat(report_file(request_report(observer, "GT", language="es")))
    spanish = Axis.objects.get(number=1).name_es
    english = Axis.objects.get(number=1).name_en
    assert spanish in text and english not in text


def test_report_embeds_only_the_shipped_font(observer, request_report):
    reader = pypdf.PdfReader(io.BytesIO(report_file(request_report(observer, "GT"))))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Source-Sans-3" in name for name in fonts), fonts


def test_regional_report_sums_the_countries(observer, request_report):
    text = flat(report_file(request_report(observer, "regional")))
    assert "1,582" in text  # 2019: the sum of the nine countries' validated figures
    assert "662" in text and "434" in text


def test_each_report_says_what_its_summary_figures_count(observer, request_report):
    """The four summary figures are one piece of markup; each report names its own measures."""
    country = flat(report_file(request_report(observer, "GT")))
    regional = flat(report_file(request_report(observer, "regional")))
    assert "indicators of the matrix with a validated value" in country
    assert "values of the matrix validated (countries × indicators)" in regional
    assert "regional targets on track or ahead" in regional
    assert "regional targets" not in country
    for text in (country, regional):
        assert "identified victims of trafficking in" in text
        assert "axes qualified by the secretariat" in text


def test_only_validated_values_except_in_a_focal_points_draft(
    observer, request_report, focal_points
):
    gt_value("SEN-1.1.1-a", 4321, status=Status.SUBMITTED)
    gt_value("SEN-1.2.1-a", 8765)
    public = flat(report_file(request_report(observer, "GT")))
    assert "8,765" in public and "4,321" not in public
    draft = request_report(focal_points["GT"], "GT", draft=True)
    text = flat(report_file(draft))
    assert "4,321" in text and "8,765" in text
    assert "DRAFT" in text and "SUBMITTED" in text.upper()


def test_small_cells_are_protected_in_public_reports_not_in_the_focal_points_draft(
    observer, request_report, focal_points, settings
):
    settings.SMALL_CELL_THRESHOLD = 5
    gt_value("SEN-1.2.1-a", 13, disaggregation={"sex": {"women": 3, "men": 10}})
    public = flat(report_file(request_report(observer, "GT")))
    # the lone small cell takes its neighbour with it, or the total would give it away
    assert "Women <5" in public and "Men n.p." in public and "Women 3" not in public
    draft = flat(report_file(request_report(focal_points["GT"], "GT", draft=True)))
    assert "Women 3" in draft


def test_narrative_and_qualification_appear_and_user_text_stays_text(
    observer, request_report, secretariat
):
    period, country = Period.objects.get(code="2019"), Country.objects.get(code="GT")
    Narrative.objects.create(
        country=country,
        period=period,
        progress="Two shelters opened <b>in Petén</b>.",
        status=Status.VALIDATED,
    )
    Qualification.objects.create(
        axis=Axis.objects.get(number=1),
        period=period,
        country=country,
        rating=Qualification.Rating.AT_RISK,
        reason="Campaigns started late.",
        updated_by=secretariat,
    )
    text = flat(report_file(request_report(observer, "GT")))
    assert "Two shelters opened <b>in Petén</b>." in text
    assert "At risk" in text and "Campaigns started late." in text


# --- Files: reuse and atomic writes ------------------------------------------------------------


def test_same_inputs_on_the_same_data_reuse_the_file(observer, secretariat, request_report):
    first = request_report(observer, "GT")
    second = request_report(secretariat, "GT")
    assert second.status == State.DONE and second.attempts == 0  # never rendered
    assert second.file == first.file
    gt_value("SEN-1.2.1-a", 12)  # the data changed: a new file
    third = request_report(observer, "GT")
    assert third.attempts == 1 and third.file != first.file
    assert storage.exists(first.file) and storage.exists(third.file)


class BreaksHalfWay(File):
    """Content whose reading fails after its first chunk, as a disk or a connection that gives
    out mid-write."""

    def __init__(self, first: bytes):
        super().__init__(io.BytesIO(first), name="report.pdf")
        self.size = len(first) * 2

    def chunks(self, chunk_size=None):
        yield self.file.read()
        raise OSError("the disk gave out")


def test_a_write_that_fails_leaves_no_file_and_no_leftover(reports_root):
    name = "2019/corett-gt-2019-en-0123456789abcdef.pdf"
    with pytest.raises(OSError):
        storage.write_atomically(name, BreaksHalfWay(b"%PDF-1.7 half"))
    assert not storage.exists(name)
    assert os.listdir(reports_root / "2019") == []  # not even a temporary file
    storage.write_atomically(name, b"%PDF-1.7 whole")
    assert stored(name) == b"%PDF-1.7 whole"


def test_a_report_killed_mid_write_leaves_only_a_temporary_file_the_sweep_removes(reports_root):
    name = "2019/corett-gt-2019-en-0123456789abcdef.pdf"
    child = os.fork()
    if child == 0:  # a worker that dies (SIGKILL) in the middle of writing the file

        class Dies(BreaksHalfWay):
            def chunks(self, chunk_size=None):
                yield self.file.read()
                os.kill(os.getpid(), signal.SIGKILL)

        storage.write_atomically(name, Dies(b"%PDF-1.7 half"))
        os._exit(0)
    os.waitpid(child, 0)
    assert not storage.exists(name)  # so the next attempt renders it, never reuses half of it
    (leftover,) = os.listdir(reports_root / "2019")
    assert storage.backend().listdir("2019") == ([], [])  # listings never show it
    assert storage.remove_leftovers(older_than=3600) == 0  # too recent: may still be written
    assert storage.remove_leftovers(older_than=0) == 1
    assert os.listdir(reports_root / "2019") == []


def test_stored_names_cannot_leave_the_reports_folder():
    with pytest.raises(SuspiciousOperation):
        storage.exists("../../etc/passwd")
    with pytest.raises(SuspiciousOperation):
        storage.open_report("../../etc/passwd")
    with pytest.raises(SuspiciousOperation):
        storage.write_atomically("../escaped.pdf", b"%PDF-1.7")


def test_reports_are_not_reachable_as_media_or_static(observer, request_report, client, settings):
    report = request_report(observer, "GT")
    root = Path(storage.backend().location).resolve()
    assert not root.is_relative_to(settings.STATIC_ROOT.resolve())
    for folder in settings.STATICFILES_DIRS:
        assert not root.is_relative_to(folder.resolve())
    signed_in(client, observer)
    assert client.get(settings.MEDIA_URL + "reports/" + report.file).status_code == 404
    assert client.get(settings.MEDIA_URL + report.file).status_code == 404
    assert client.get(settings.STATIC_URL + report.file).status_code == 404


# --- Failures, retries, the sweep --------------------------------------------------------------


def block_the_reports_folder(reports_root, period="2019"):
    """A file where the period's folder should be: creating the folder fails (OSError), as on a
    disk that refuses writes."""
    reports_root.mkdir(parents=True, exist_ok=True)
    (reports_root / period).write_text("in the way")


def queued(code="GT", period="2019", **extra):
    country = None if code == "regional" else Country.objects.get(code=code)
    return ReportRequest.objects.create(
        country=country, period=Period.objects.get(code=period), language="en", **extra
    )


def test_a_transient_error_is_retried_and_the_next_attempt_succeeds(reports_root):
    report = queued()
    block_the_reports_folder(reports_root)
    with pytest.raises(OSError):
        generation.report_generate(report_id=report.pk)
    assert generation.report_retry_later(report.pk, FileExistsError("in the way")) is False
    report.refresh_from_db()
    assert (report.status, report.attempts) == (State.QUEUED, 1)
    assert "in the way" in report.error

    (reports_root / "2019").unlink()  # the disk is back
    assert generate_report.apply((report.pk,)).get() == State.DONE
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (State.DONE, 2, "")
    assert pdf_text(stored(report.file))


def test_repeated_failures_end_failed_with_the_reason(observer, request_report, reports_root):
    block_the_reports_folder(reports_root)
    report = request_report(observer, "GT")
    assert report.status == State.FAILED
    assert report.attempts == 3
    assert "Tried 3 times without finishing." in report.error
    assert "FileExistsError" in report.error or "NotADirectoryError" in report.error
    assert report.file == ""


def test_an_error_that_is_not_transient_fails_the_request_at_once_with_its_reason(
    settings, tmp_path
):
    report = queued()
    settings.TEMPLATES = [  # the report's templates cannot be found: a fault no retry mends
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    assert generate_report.apply((report.pk,)).get() == State.FAILED
    report.refresh_from_db()
    assert (report.status, report.attempts, report.file) == (State.FAILED, 1, "")
    assert report.error.startswith("TemplateDoesNotExist")


def test_a_burst_of_the_same_report_renders_it_once(reports_root):
    """A second request for the report an earlier request is rendering waits for that file."""
    first, second = queued(), queued()
    version = data_version(country=first.country, period=first.period, language="en", draft=False)
    name = storage.file_name(
        scope="GT", period="2019", language="en", draft=False, version=version.digest
    )
    ReportRequest.objects.filter(pk=first.pk).update(status=State.RUNNING, file=name)
    earlier_render = b"%PDF-1.7 the earlier request's file"
    finishing = threading.Timer(0.6, storage.write_atomically, (name, earlier_render))
    finishing.start()
    try:
        assert generation.report_generate(report_id=second.pk) == State.DONE
    finally:
        finishing.join()
    second.refresh_from_db()
    assert second.file == name
    assert stored(name) == earlier_render  # not rendered again over it


def test_a_request_does_not_wait_for_an_earlier_one_that_never_finishes(settings, reports_root):
    settings.REPORTS_COALESCE_WAIT = 0
    first, second = queued(), queued()
    version = data_version(country=first.country, period=first.period, language="en", draft=False)
    name = storage.file_name(
        scope="GT", period="2019", language="en", draft=False, version=version.digest
    )
    ReportRequest.objects.filter(pk=first.pk).update(status=State.RUNNING, file=name)
    assert generation.report_generate(report_id=second.pk) == State.DONE
    assert pdf_text(stored(name))  # rendered by the second request itself


def test_a_stuck_request_is_swept_and_completes_once(reports_root):
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    report = queued(status=State.RUNNING, attempts=1, started_at=long_ago, dispatched_at=long_ago)
    counts = services.reports_sweep()
    assert counts["restarted"] == 1 and counts["sent"] == 1
    report.refresh_from_db()
    assert (report.status, report.attempts) == (State.DONE, 2)
    assert services.reports_sweep()["sent"] == 0  # nothing left to do


def test_a_request_stuck_after_its_last_attempt_is_marked_failed():
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    report = queued(status=State.RUNNING, attempts=3, started_at=long_ago)
    assert services.reports_sweep()["failed"] == 1
    report.refresh_from_db()
    assert report.status == State.FAILED
    assert "The worker stopped before finishing" in report.error


def test_the_sweep_leaves_a_request_just_saved_to_its_own_commit():
    report = queued()
    assert services.reports_sweep()["sent"] == 0
    report.refresh_from_db()
    assert report.status == State.QUEUED


def test_the_sweep_removes_what_dead_workers_left(reports_root):
    (reports_root / "2019").mkdir(parents=True)
    leftover = reports_root / "2019" / ".partial-abc"
    leftover.write_bytes(b"%PDF half")
    old = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(leftover, (old, old))
    assert services.reports_sweep()["leftovers"] == 1
    assert not leftover.exists()


def use_broker(url):
    """Points the Celery app's publishing at another broker (its connection pools start afresh).
    broker_write_url, because the CELERY_BROKER_URL variable CI sets outranks broker_url."""
    app.conf.broker_write_url = url
    app._pool = None  # kombu keeps a pool per address: the other one stays open for later
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """No broker listens on this port: publishing fails at once with a connection error."""
    original = app.conf.get("broker_write_url")
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_connection_timeout", 1)
    use_broker("redis://127.0.0.1:6390/0")
    yield
    use_broker(original)


def test_a_request_made_while_the_broker_is_down_is_saved_queued_and_sent_by_the_sweep(
    client, observer, broker_down, django_capture_on_commit_callbacks
):
    signed_in(client, observer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/monitoring/reports/new/",
            {"scope": "GT", "period": "2019", "language": "en"},
            follow=True,
        )
    assert response.status_code == 200
    report = ReportRequest.objects.get()
    assert (report.status, report.dispatched_at) == (State.QUEUED, None)
    assert "cannot be reached" in response.content.decode()

    app.conf.task_always_eager = True  # the broker is back (here: in-process)
    services.reports_sweep(grace=0)
    report.refresh_from_db()
    assert report.status == State.DONE


def test_api_request_while_the_broker_is_down_answers_202_queued(
    client, observer, broker_down, django_capture_on_commit_callbacks
):
    token = api_token(observer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/",
            {"scope": "GT", "period": "2019", "language": "en"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


# --- The schedule: every report when a period closes --------------------------------------------


def test_when_a_period_closes_every_country_and_the_region_get_their_reports():
    today = timezone.localdate()
    period = Period.objects.create(
        code="2016",
        starts_on=datetime.date(2016, 1, 1),
        ends_on=datetime.date(2016, 12, 31),
        opens_on=datetime.date(2016, 1, 1),
        closes_on=today - datetime.timedelta(days=1),
    )
    created = services.reports_for_closed_periods(today=today)
    countries = Country.objects.count()
    assert len(created) == (countries + 1) * 2
    assert {(r.period_id, r.scheduled, r.requested_by_id) for r in created} == {
        (period.pk, True, None)
    }
    assert {r.language for r in created} == {"es", "en"}
    spanish = [r.country_id for r in sorted(created, key=lambda r: r.pk) if r.language == "es"]
    assert spanish[0] is None  # the regional report first: the longest, the most read
    assert services.reports_for_closed_periods(today=today) == []  # once per period


def test_periods_closed_long_ago_are_not_generated_again():
    assert services.reports_for_closed_periods(today=timezone.localdate()) == []


# --- Pages -------------------------------------------------------------------------------------


def test_observer_asks_watches_and_downloads_a_report(
    client, observer, django_capture_on_commit_callbacks
):
    signed_in(client, observer)
    form = client.get(reverse("monitoring:report_request"))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="regional"' in html and 'value="GT"' in html
    assert 'name="draft"' not in html  # observers see no drafts
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:report_request"),
            {"scope": "GT", "period": "2019", "language": "es"},
        )
    report = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:report", kwargs={"pk": report.pk})
    status = client.get(response["Location"])
    assert 'http-equiv="refresh"' not in status.content.decode()
    download = reverse("monitoring:report_download", kwargs={"pk": report.pk})
    assert download in status.content.decode()
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "corett-gt-2019-es.pdf" in pdf["Content-Disposition"]
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF") and "434" in flat(data)
    archive = client.get(reverse("monitoring:reports")).content.decode()
    assert download in archive


def test_status_page_refreshes_itself_while_the_report_is_unfinished(client, observer):
    report = queued(status=State.RUNNING, progress=50, attempts=1, started_at=timezone.now())
    html = signed_in(client, observer).get(reverse("monitoring:report", args=[report.pk]))
    html = html.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress max="100" value="50"' in html
    download = client.get(reverse("monitoring:report_download", args=[report.pk]))
    assert download.status_code == 302  # not ready: back to its page


def test_failed_report_shows_the_reason(client, observer):
    report = queued(status=State.FAILED, error="Tried 3 times without finishing.")
    html = signed_in(client, observer).get(reverse("monitoring:report", args=[report.pk]))
    assert "Tried 3 times without finishing." in html.content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"scope": "XX", "period": "2019", "language": "en"}, "scope"),
        ({"scope": "GT", "period": "1999", "language": "en"}, "period"),
        ({"scope": "GT", "period": "2019", "language": "fr"}, "language"),
        ({"scope": "GT", "period": "2027", "language": "en"}, "period"),
        ({"period": "2019", "language": "en"}, "scope"),
    ],
)
def test_bad_requests_show_errors_beside_the_fields(client, observer, data, field):
    response = signed_in(client, observer).post(reverse("monitoring:report_request"), data)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_archive_filters_and_stays_within_a_few_queries(
    client, observer, django_assert_max_num_queries
):
    for code in ("GT", "HN", "SV"):
        queued(code)
    queued("regional")
    signed_in(client, observer)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("monitoring:reports")).content.decode()
    assert html.count('<th scope="row">') == 4
    filtered = client.get(reverse("monitoring:reports"), {"scope": "HN"}).content.decode()
    assert filtered.count('<th scope="row">') == 1 and "Honduras" in filtered
    for _ in range(30):
        queued("CR")
    with django_assert_max_num_queries(12):
        client.get(reverse("monitoring:reports"))
    bad = client.get(reverse("monitoring:reports"), {"period": "1900", "status": "lost"})
    assert bad.status_code == 200


def test_nav_shows_reports_to_accounts_and_not_to_visitors(client, observer):
    url = "/en/monitoring/reports/"
    assert url not in client.get("/en/").content.decode()
    assert url in signed_in(client, observer).get("/en/").content.decode()


# --- API ---------------------------------------------------------------------------------------


def api(client, user, method="post", url="/api/v1/reports/", **data):
    token = api_token(user)
    call = getattr(client, method)
    if method == "post":
        return call(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    return call(url, HTTP_AUTHORIZATION=f"Token {token}")


def test_api_request_answers_202_then_gives_the_download_url(
    client, observer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(client, observer, scope="GT", period="2019", language="en")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status"}
    detail = api(client, observer, "get", f"/api/v1/reports/{body['id']}/").json()
    assert detail["status"] == "done" and detail["scope"] == "GT" and detail["period"] == "2019"
    assert detail["download_url"].endswith(f"/api/v1/reports/{body['id']}/download/")
    pdf = api(client, observer, "get", detail["download_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("accept", ["application/pdf", "application/json", "*/*"])
def test_api_download_answers_whatever_the_accept_header_names(
    client, observer, django_capture_on_commit_callbacks, accept
):
    with django_capture_on_commit_callbacks(execute=True):
        report = api(client, observer, scope="GT", period="2019", language="en").json()
    token = api_token(observer)
    pdf = client.get(
        f"/api/v1/reports/{report['id']}/download/",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT=accept,
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_api_download_before_done_is_409_in_json_even_when_a_pdf_is_asked_for(client, observer):
    report = queued()
    response = client.get(
        f"/api/v1/reports/{report.pk}/download/",
        HTTP_AUTHORIZATION=f"Token {api_token(observer)}",
        HTTP_ACCEPT="application/pdf",
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json" and "detail" in response.json()


def test_api_download_before_done_is_409(client, observer):
    report = queued()
    response = api(client, observer, "get", f"/api/v1/reports/{report.pk}/download/")
    assert response.status_code == 409
    assert (
        api(client, observer, "get", f"/api/v1/reports/{report.pk}/").json()["download_url"] is None
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"period": "2019"}, "scope"),
        ({"scope": "ZZ", "period": "2019"}, "scope"),
        ({"scope": "GT", "period": "20x9"}, "period"),
        ({"scope": "GT", "period": "2019", "language": "fr"}, "language"),
        ({"scope": "regional", "period": "2019", "draft": True}, "draft"),
        ({"scope": "GT", "period": "2027"}, "period"),
        ({"scope": ["GT"], "period": "2019"}, "scope"),
    ],
)
def test_api_bad_payloads_are_400_with_field_messages(client, secretariat, data, field):
    response = api(client, secretariat, **data)
    assert response.status_code == 400
    assert field in response.json()
    assert not ReportRequest.objects.exists()


def test_api_refuses_anonymous_callers_and_other_countries(client, focal_sv):
    anonymous = client.post(
        "/api/v1/reports/", {"scope": "GT", "period": "2019"}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert api(client, focal_sv, scope="HN", period="2019").status_code == 403
    assert api(client, focal_sv, scope="regional", period="2019").status_code == 403
    assert not ReportRequest.objects.exists()


def test_api_bounds_numbers(client, observer):
    assert api(client, observer, "get", "/api/v1/reports/99999999999999/").status_code == 404
    assert client.get("/api/v1/reports/").status_code in {401, 405}


def test_report_request_model_keeps_its_invariants():
    with pytest.raises(IntegrityError), transaction.atomic():
        queued("regional", draft=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        queued(status=State.DONE)  # done without a file
