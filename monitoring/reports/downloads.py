"""A report's PDF as a download, for the pages and the API alike, once they have checked who asks
(corett.access.get_report_for_download). Files are read only through here, never through a static
or media URL."""

from django.core.exceptions import SuspiciousOperation
from django.http import FileResponse, Http404

from . import storage
from .models import ReportRequest, scope_code


def download_name(report: ReportRequest) -> str:
    scope = scope_code(report.country).lower()
    draft = "-draft" if report.draft else ""
    return f"corett-{scope}-{report.period.code}-{report.language}{draft}.pdf"


def file_response(report: ReportRequest) -> FileResponse:
    """The report's PDF, for whoever the caller has let through. 404 if the file is gone."""
    try:
        handle = storage.open_report(report.file)
    except (OSError, SuspiciousOperation):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", filename=download_name(report))
    response["Cache-Control"] = "private, no-store"
    return response
