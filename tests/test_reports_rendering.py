"""The one PDF helper and its URL fetcher: reports load the project's static files and nothing
else: not other files (file:///etc/passwd), not the network (http, https), not redirects, even
when user-entered text tries to point at them. Checked by reading the PDF back, and by a local web
server that counts the requests it gets."""

import gc
import http.server
import io
import logging
import re
import subprocess
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


def structure(node, seen=None):
    """Every element of a PDF's structure tree under `node`, depth first."""
    seen = set() if seen is None else seen
    node = node.get_object()
    if id(node) in seen or not hasattr(node, "get"):
        return
    seen.add(id(node))
    if node.get("/S") is not None:
        yield node
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get"):
            yield from structure(kid, seen)


@pytest.mark.parametrize("language", ["es", "en"])
def test_reports_are_tagged_pdf_that_screen_readers_can_follow(language, tmp_path, caplog):
    """PDF/UA: a structure tree in reading order, the document's language and title, charts and
    images with alternative text, tables with header cells; poppler agrees it is tagged."""
    report = ReportRequest(
        country=Country.objects.get(code="BZ"),
        period=Period.objects.get(code="2018"),
        language=language,
    )
    with translation.override(language):
        context = content.report_context(report, as_of=None)
        pdf = rendering.render_pdf(content.template_for(report), context)
    reader, text = read(pdf)
    belize = report.country.name_es if language == "es" else report.country.name_en
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == language
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert belize in reader.metadata.title and "2018" in reader.metadata.title
    elements = list(structure(catalog["/StructTreeRoot"]))
    kinds = [element["/S"] for element in elements]
    assert kinds[0] == "/Document"
    assert "/H1" in kinds and "/Table" in kinds and "/TH" in kinds and "/TD" in kinds
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert len(figures) >= 2  # the logo and the victims chart, at least
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)
    alternatives = {str(figure["/Alt"]) for figure in figures}
    with translation.override(language):
        victims = translation.gettext("Identified victims in %(country)s") % {"country": belize}
    assert victims in alternatives
    # Reading order: the cover's heading comes before the contents and the first axis.
    headings = [element for element in elements if element["/S"] in ("/H1", "/H2")]
    assert len(headings) > 3

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors  # WeasyPrint logs what PDF/UA lacks (an image without alt…)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)


def test_the_garbage_collector_is_on_again_after_a_report_even_a_failed_one():
    assert gc.isenabled()
    rendering.html_to_pdf("<!doctype html><title>t</title><p>uno</p>")
    assert gc.isenabled()
    with pytest.raises(RuntimeError), rendering.garbage_collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the layout failed")
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with rendering.garbage_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
