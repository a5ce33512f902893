"""PDF progress reports in the browser: ask for one, watch it (the page refreshes itself until the
report is done or has failed), download it, and the archive of every report you may see.

Access: corett.access (can_use_reports, can_request_report, get_report_for_download,
reports_visible_to). Files are read only here and in the API, never through a static or media
URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from corett import access

from . import services
from .downloads import file_response
from .forms import ReportFilter, ReportRequestForm
from .models import ReportRequest

ARCHIVE_PAGE = 25
REFRESH_SECONDS = 3

reports_pages = access.requires(access.can_use_reports)


def report_for(user, pk) -> ReportRequest:
    return access.get_report_for_download(
        user, ReportRequest.objects.select_related("country", "period", "requested_by__country"), pk
    )


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
