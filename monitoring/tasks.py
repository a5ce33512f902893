"""Celery tasks of monitoring: thin wrappers that take ids and call the functions that do the work
(in monitoring.notices), so that the work can be tested without Celery."""

import logging
import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import notices
from .reports import services as reports

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_value_notice(value_id: int, action: str) -> int:
    """The notice to a country's focal points that the secretariat returned or validated a
    value; retried when the mail server is unreachable."""
    return notices.send_value_notice_now(value_id, action)


# Not retried as a whole: a retry would remind again the countries already reminded.
# send_reminders logs a country it could not reach and goes on with the others.
@shared_task(soft_time_limit=600, time_limit=660)
def send_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): reminders 14 and 3 days before a period closes."""
    return notices.send_reminders(timezone.localdate())


# --- PDF reports ---------------------------------------------------------------------------------


def retry_countdown(retries: int) -> int:
    """Seconds before the next attempt: 2, 4, 8… up to a minute."""
    return get_exponential_backoff_interval(factor=2, retries=retries + 1, maximum=60)


# acks_late with reject_on_worker_lost: the message is acknowledged only once the report is done
# or has failed for good; a worker killed mid-report hands it back and another attempt starts.
# report_generate is idempotent (a request already done is left alone), so a second delivery is
# harmless. Attempts are counted on the request (settings.REPORTS_MAX_ATTEMPTS), whichever way
# they come: a retry here, a redelivery, the sweep.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    serializer="json",
    max_retries=settings.REPORTS_MAX_ATTEMPTS,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT,
)
def generate_report(self, report_id: int) -> str:
    """Renders a report request (monitoring.reports.services.report_generate); retried with
    backoff on transient errors, failed with the reason on others."""
    try:
        return reports.report_generate(report_id=report_id)
    except reports.TRANSIENT_ERRORS as error:
        logger.warning("report %s: transient error, retrying: %r", report_id, error)
        try:
            gave_up = reports.report_retry_later(report_id, error)
        except reports.TRANSIENT_ERRORS:  # the database itself is away: the sweep will see
            gave_up = False
        if gave_up:
            return reports.State.FAILED
        if self.request.is_eager:  # in-process (no broker): try again at once, no countdown
            return self.run(report_id)
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
    except SoftTimeLimitExceeded:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The report took longer than %(seconds)s seconds.") % {
                "seconds": settings.REPORTS_SOFT_TIME_LIMIT
            }
        reports.report_fail(report_id, reason)
        return reports.State.FAILED
    except Exception as error:  # noqa: BLE001 — a bug: say so on the request, keep the worker
        logger.exception("report %s failed", report_id)
        reports.report_fail(report_id, reports.describe(error))
        return reports.State.FAILED


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_reports() -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE): requests never sent or whose worker died."""
    return reports.reports_sweep()


@shared_task(soft_time_limit=120, time_limit=150)
def generate_period_reports() -> list[int]:
    """Daily (CELERY_BEAT_SCHEDULE): every report of the periods that just closed."""
    return [report.pk for report in reports.reports_for_closed_periods()]
