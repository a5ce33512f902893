"""PDF progress reports in the browser: ask for one, watch it (the page refreshes itself until the
report is done or has failed), download it, and the archive of every report you may see.

Access: corett.access (can_use_reports, can_request_report, can_download_report,
reports_visible_to). Files are read only here and in the API, never through a static or media
URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from corett import access

from .models import ReportRequest
from .reports import services, storage
from .reports.forms import ReportFilter, ReportRequestForm

ARCHIVE_PAGE = 25
REFRESH_SECONDS = 3

reports_pages = access.requires(access.can_use_reports)


def report_for(user, pk) -> ReportRequest:
    """The request if this user may see it; 404 otherwise (not even its existence is told)."""
    report = (
        ReportRequest.objects.select_related("country", "period", "requested_by__country")
        .filter(pk=pk)
        .first()
    )
    if report is None or not access.can_download_report(user, report):
        raise Http404
    return report


def download_name(report: ReportRequest) -> str:
    scope = services.scope_code(report.country).lower()
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


@reports_pages
def archive(request):
    reports = access.reports_visible_to(
        request.user,
        ReportRequest.objects.select_related("country", "period", "requested_by__country"),
    )
    filters = ReportFilter(request.GET or None, reports, user=request.user)
    rows = filters.qs if filters.is_bound and filters.is_valid() else reports
    page = Paginator(rows.order_by("-created_at", "-pk"), ARCHIVE_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "monitoring/reports/archive.html",
        {"filter": filters, "page": page, "query": _query_without_page(request)},
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@reports_pages
def request_report(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(
                user=request.user,
                country=form.chosen_country,
                period=form.chosen_period,
                language=form.cleaned_data["language"],
                draft=form.cleaned_data.get("draft", False),
            )
        except PermissionDenied:
            form.add_error("scope", _("You may not ask for this report."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if report.status == ReportRequest.State.DONE:
                messages.success(request, _("The report is ready."))
            elif not services.was_sent(report):
                messages.warning(
                    request,
                    _(
                        "Your request is saved and queued. The report service cannot be reached "
                        "right now: the report will start as soon as it is back."
                    ),
                )
            return redirect("monitoring:report", pk=report.pk)
    return render(request, "monitoring/reports/request.html", {"form": form})


@reports_pages
def report(request, pk):
    report = report_for(request.user, pk)
    return render(
        request,
        "monitoring/reports/status.html",
        {
            "report": report,
            "refresh": None if report.is_finished else REFRESH_SECONDS,
            "download_url": reverse("monitoring:report_download", kwargs={"pk": report.pk})
            if report.status == ReportRequest.State.DONE
            else "",
        },
    )


@reports_pages
def download(request, pk):
    report = report_for(request.user, pk)
    if report.status != ReportRequest.State.DONE:
        return redirect("monitoring:report", pk=report.pk)
    return file_response(report)
