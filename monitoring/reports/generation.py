"""The worker's side of a report request: start an attempt, render and write the file (or reuse
the same report on the same data), and record a retry or a failure. The Celery task
(monitoring.reports.tasks.generate_report) calls these with the request's id."""

import time

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from corett.storages import transient_errors as transient_storage_errors

from . import content, storage
from .models import ReportRequest, scope_code
from .versions import data_version

State = ReportRequest.State

# Worth trying again: the database, the broker or the disk was briefly unavailable.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    OSError,  # ConnectionError, a full or unreachable disk…
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    *transient_storage_errors(),  # the disk or the object storage
)


def _progress(report_id: int, percent: int) -> None:
    ReportRequest.objects.filter(pk=report_id, status=State.RUNNING).update(progress=percent)


@transaction.atomic
def _start(report_id: int) -> ReportRequest | None:
    """The request marked running for one more attempt; None if there is nothing to do (done,
    failed, deleted) or it has been tried too often (then marked failed)."""
    report = (
        ReportRequest.objects.select_for_update(of=("self",))
        .filter(pk=report_id)
        .select_related("country", "period", "requested_by")
        .first()
    )
    if report is None or report.is_finished:
        return None
    if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
        with translation.override(report.language):
            fail(report, gave_up_reason(report))
        return None
    report.status, report.progress = State.RUNNING, 5
    report.attempts += 1
    report.started_at = timezone.now()
    report.save(update_fields=["status", "progress", "attempts", "started_at"])
    return report


def gave_up_reason(report: ReportRequest) -> str:
    reason = _("Tried %(attempts)s times without finishing.") % {"attempts": report.attempts}
    if report.error:
        reason += " " + _("Last problem: %(error)s") % {"error": report.error}
    return reason


def fail(report: ReportRequest, reason: str) -> None:
    report.status, report.error, report.finished_at = State.FAILED, reason[:2000], timezone.now()
    report.file = ""  # the name it claimed while running (_rendered_by_an_earlier_request)
    report.save(update_fields=["status", "error", "finished_at", "file"])


def report_generate(*, report_id: int) -> str:
    """Renders the request's report and writes its file, or reuses the file of the same report on
    the same data. Returns the request's final state. Transient errors (database, disk) propagate
    for the task to retry; the request then says so (`report_retry_later`)."""
    report = _start(report_id)
    if report is None:
        return ReportRequest.objects.filter(pk=report_id).values_list("status", flat=True).first()
    with translation.override(report.language):
        version = data_version(
            country=report.country,
            period=report.period,
            language=report.language,
            draft=report.draft,
        )
        name = storage.file_name(
            scope=scope_code(report.country),
            period=report.period.code,
            language=report.language,
            draft=report.draft,
            version=version.digest,
        )
        if _rendered_by_an_earlier_request(report_id, name):
            pages = (
                ReportRequest.objects.filter(file=name, pages__isnull=False)
                .values_list("pages", flat=True)
                .first()
            )
        else:
            _progress(report_id, 20)
            context = content.report_context(report, as_of=version.as_of)
            _progress(report_id, 50)
            # Imported here: loading WeasyPrint costs 0.5-1 s, which only the workers that render
            # should pay, not every web process that asks for a report or sends a notice.
            from . import rendering

            rendered = rendering.render_document(content.template_for(report), context)
            _progress(report_id, 90)
            storage.write_atomically(name, rendered.pdf)
            pages = rendered.pages
    ReportRequest.objects.filter(pk=report_id).update(
        status=State.DONE,
        progress=100,
        error="",
        file=name,
        pages=pages,
        size=storage.size(name),
        data_version=version.digest,
        data_as_of=version.as_of,
        finished_at=timezone.now(),
    )
    return State.DONE


def _rendered_by_an_earlier_request(report_id: int, name: str) -> bool:
    """Is the file there, or made by an earlier request for the same report on the same data?

    A burst of requests for one report (a period just closed, many readers at once) renders it
    once: this request claims the file's name while it runs; if an earlier request is rendering
    the same name, it waits for that file (up to settings.REPORTS_COALESCE_WAIT seconds, then
    renders itself: the earlier worker may have died) instead of rendering it again beside it."""
    ReportRequest.objects.filter(pk=report_id).update(file=name)
    earlier = ReportRequest.objects.filter(pk__lt=report_id, file=name, status=State.RUNNING)
    deadline = time.monotonic() + settings.REPORTS_COALESCE_WAIT
    while not storage.exists(name):
        if time.monotonic() >= deadline or not earlier.exists():
            return False
        time.sleep(REPORTS_COALESCE_POLL)
    return True


REPORTS_COALESCE_POLL = 0.25  # seconds between looks at the earlier request's file


def report_retry_later(report_id: int, error: BaseException) -> bool:
    """A transient error stopped this attempt: back to queued with the reason, or failed if that
    was the last attempt allowed. Returns True when it gave up."""
    report = ReportRequest.objects.filter(pk=report_id).first()
    if report is None or report.is_finished:
        return True
    with translation.override(report.language):
        report.error = _("Temporary problem (%(error)s); trying again.") % {
            "error": describe(error)
        }
        if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
            fail(report, gave_up_reason(report))
            return True
    report.status, report.progress, report.dispatched_at = State.QUEUED, 0, timezone.now()
    report.file = ""
    report.save(update_fields=["status", "progress", "error", "dispatched_at", "file"])
    return False


def report_fail(report_id: int, reason: str) -> None:
    report = ReportRequest.objects.filter(pk=report_id).first()
    if report is not None and not report.is_finished:
        fail(report, reason)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]
