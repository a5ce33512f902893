"""HTML to PDF: every report goes through `render_pdf` (WeasyPrint ≥ 68).

Rendering reads nothing from outside the portal: a report's stylesheet, fonts and images are the
project's static files, served to WeasyPrint by `StaticFilesOnly`, which refuses every other
address (other files, http(s), ftp…) and follows no redirect. Charts are inline SVG and data: URIs.
Whatever a person typed (a narrative, a reason) reaches the HTML escaped by Django's templates;
even if markup got through, the fetcher would not fetch what it points at.
"""

import gc
import logging
import ssl
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint narrates every step at INFO (from its import on) and fontTools every subset: only
# their warnings matter.
for noisy in ("weasyprint.progress", "fontTools"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

logger = logging.getLogger(__name__)


def static_roots() -> list[Path]:
    """The folders whose files a report may use: the project's static folders (and the collected
    ones, where collectstatic has run)."""
    roots = [Path(folder) for folder in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class RefusedResource(ValueError):
    """A report tried to load something other than a static file of the project."""


class StaticFilesOnly(URLFetcher):
    """Serves WeasyPrint the project's static files (file: URLs under static_roots()) and data:
    URIs; refuses anything else. `refused` lists what was turned away, for logs and tests."""

    def __init__(self):
        super().__init__(
            allowed_protocols={"file", "data"},
            allow_redirects=False,
            timeout=2,
            # https is refused before any connection: a bare context spares the 25 ms of loading
            # the system's certificates that WeasyPrint's default one costs for every report.
            ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
        )
        self.roots = static_roots()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            if url.split(":", 1)[0].lower() == "file":
                self._check_file(url)
            return super().fetch(url, headers)
        except Exception:
            self.refused.append(url)
            logger.warning("report rendering refused to load %s", url[:200])
            raise

    def _check_file(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedResource(f"not a local file: {url}")
        path = Path(url2pathname(parts.path)).resolve()  # symbolic links and ".." resolved
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"not a static file of the portal: {url}")


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


STYLESHEET = "css/reports-pdf.css"
_cache = threading.local()  # per thread: Pango's font objects are not shared across threads


def static_base_url() -> str:
    """Relative addresses in the report templates ("img/logo.svg") are static files."""
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


def report_style() -> tuple[CSS, FontConfiguration]:
    """The reports' stylesheet and its fonts, parsed and loaded once per process and thread: both
    cost as much as laying out a page or two, every time."""
    key = (static_base_url(), Path(settings.STATICFILES_DIRS[0], STYLESHEET).stat().st_mtime)
    if getattr(_cache, "key", None) != key:
        fonts = FontConfiguration()
        css = CSS(
            url=static_base_url() + STYLESHEET, url_fetcher=StaticFilesOnly(), font_config=fonts
        )
        _cache.key, _cache.style = key, (css, fonts)
    return _cache.style


@contextmanager
def garbage_collector_paused():
    """Python's cyclic garbage collector off for the duration, on again after (unless it was off
    already, or another thread turned it off first and will turn it on).

    Laying out a report keeps hundreds of thousands of objects alive at once: the collector would
    walk them, and the whole process's heap, again and again while they pile up, for nothing (up
    to a fifth of a 30-page report's rendering). Their cycles are collected once, after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def html_to_pdf(html: str, *, fetcher: StaticFilesOnly | None = None, styled=False) -> Rendered:
    """The PDF of a complete HTML document, its resources fetched only by `fetcher`; `styled`
    applies the reports' stylesheet."""
    stylesheets, fonts = [], None
    if styled:
        css, fonts = report_style()
        stylesheets = [css]
    with garbage_collector_paused():
        document = HTML(
            string=html, base_url=static_base_url(), url_fetcher=fetcher or StaticFilesOnly()
        ).render(stylesheets=stylesheets, font_config=fonts)
        # Tagged PDF (PDF/UA-1): structure tree, language, title and reading order for screen
        # readers.
        rendered = Rendered(
            pdf=document.write_pdf(pdf_variant="pdf/ua-1"), pages=len(document.pages)
        )
        del document  # garbage before the collector runs again, or its first pass would keep it
    return rendered


def render_document(template: str, context: dict) -> Rendered:
    """A report template (templates/reports/…) rendered to PDF, with its page count."""
    return html_to_pdf(render_to_string(template, context), styled=True)


def render_pdf(template: str, context: dict) -> bytes:
    """The one way the portal turns a template into a PDF."""
    return render_document(template, context).pdf
