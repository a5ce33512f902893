"""The one PDF helper and its URL fetcher: reports load the project's static files and nothing
else: not other files (file:///etc/passwd), not the network (http, https), not redirects, even
when user-entered text tries to point at them. Checked by reading the PDF back, and by a local web
server that counts the requests it gets."""

import http.server
import io
import threading

import pypdf
import pytest
from django.utils import translation

from monitoring.models import Narrative, Period, ReportRequest, Status
from monitoring.reports import content, rendering, services, storage
from strategy.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def web_server():
    """A web server on this machine that records every path asked of it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def read(pdf: bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def test_fetcher_refuses_files_outside_static_and_every_network_address(web_server, settings):
    base, hits = web_server
    hostile = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <style>
        @import url("{base}/imported.css");
        body {{ background: url("{base}/background.png"); }}
        @font-face {{ font-family: X; src: url("file:///etc/passwd"); }}
      </style></head><body>
      <p>Visible text</p>
      <img src="file:///etc/passwd">
      <img src="file:///etc/../etc/passwd">
      <img src="file://localhost/etc/hostname">
      <img src="{base}/pixel.png">
      <img src="https://127.0.0.1:1/pixel.png">
      <img src="ftp://127.0.0.1/pixel.png">
      <img src="file://{settings.BASE_DIR}/manage.py">
      <img src="file://{settings.BASE_DIR}/static/../corett/settings.py">
      <img src="img/logo.svg">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
    </body></html>"""
    fetcher = rendering.StaticFilesOnly()
    rendered = rendering.html_to_pdf(hostile, fetcher=fetcher)

    reader, text = read(rendered.pdf)
    assert "Visible text" in text
    assert "root:" not in text
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert all("/Annots" not in page for page in reader.pages)  # no attachment annotations
    assert hits == []  # nothing asked of the network, not even once
    refused = set(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert f"{base}/pixel.png" in refused and f"{base}/background.png" in refused
    assert f"{base}/imported.css" in refused and f"{base}/style.css" in refused
    assert f"file://{settings.BASE_DIR}/manage.py" in refused
    assert not any(url.endswith("img/logo.svg") or url.startswith("data:") for url in refused)


def test_static_files_are_served(settings):
    fetcher = rendering.StaticFilesOnly()
    logo = (settings.BASE_DIR / "static" / "img" / "logo.svg").as_uri()
    response = fetcher.fetch(logo)
    assert b"<svg" in response.read()
    response.close()
    with pytest.raises(rendering.RefusedResource):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:1/x.png")


def test_render_pdf_is_the_one_helper():
    report = ReportRequest(
        country=Country.objects.get(code="BZ"),
        period=Period.objects.get(code="2018"),
        language="en",
    )
    with translation.override("en"):
        context = content.report_context(report, as_of=None)
        pdf = rendering.render_pdf(content.template_for(report), context)
    assert pdf.startswith(b"%PDF")
    _reader, text = read(pdf)
    assert "Belize" in text and "17" in text


def test_links_in_a_narrative_are_never_fetched(
    web_server, observer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_ROOT = tmp_path
    base, hits = web_server
    country, period = Country.objects.get(code="GT"), Period.objects.get(code="2019")
    Narrative.objects.create(
        country=country,
        period=period,
        progress=f'<img src="{base}/narrative.png"> and <img src=file:///etc/passwd>',
        obstacles=f'<style>body{{background:url("{base}/style.png")}}</style>',
        adjustments=f'<link rel="attachment" href="{base}/attach">',
        status=Status.VALIDATED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            user=observer, country=country, period=period, language="en"
        )
    report.refresh_from_db()
    assert report.status == ReportRequest.State.DONE, report.error
    with storage.open_report(report.file) as stored:
        reader, text = read(stored.read())
    assert hits == []
    assert f'<img src="{base}/narrative.png">' in text  # shown as the text it is
    assert "root:" not in text
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
