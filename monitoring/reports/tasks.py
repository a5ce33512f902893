"""The Celery task that renders a report: a thin wrapper that takes the request's id and calls
monitoring.reports.generation, so that the work can be tested without Celery. The schedule's
report tasks (the sweep, the reports of closed periods) are in monitoring.tasks."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import generation

logger = logging.getLogger(__name__)


def retry_countdown(retries: int) -> int:
    """Seconds before the next attempt: 2, 4, 8… up to a minute."""
    return get_exponential_backoff_interval(factor=2, retries=retries + 1, maximum=60)


@worker_init.connect
def import_the_renderer(**kwargs) -> None:
    """The main worker process imports WeasyPrint before it forks its pool: every worker process
    (and each one that replaces a process at its task or memory limit) starts with it loaded,
    instead of paying half a second of CPU for it in its first report. Web processes, which
    import this module to dispatch a report, still never load it."""
    from . import rendering  # noqa: F401


# acks_late with reject_on_worker_lost: the message is acknowledged only once the report is done
# or has failed for good; a worker killed mid-report hands it back and another attempt starts.
# report_generate is idempotent (a request already done is left alone), so a second delivery is
# harmless. Attempts are counted on the request (settings.REPORTS_MAX_ATTEMPTS), whichever way
# they come: a retry here, a redelivery, the sweep. Named as before the reports had a package of
# their own, so that requests queued by an older version of the portal are still understood.
@shared_task(
    name="monitoring.tasks.generate_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    serializer="json",
    max_retries=settings.REPORTS_MAX_ATTEMPTS,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT,
)
def generate_report(self, report_id: int) -> str:
    """Renders a report request (generation.report_generate); retried with backoff on transient
    errors, failed with the reason on others."""
    try:
        return generation.report_generate(report_id=report_id)
    except generation.TRANSIENT_ERRORS as error:
        logger.warning("report %s: transient error, retrying: %r", report_id, error)
        try:
            gave_up = generation.report_retry_later(report_id, error)
        except generation.TRANSIENT_ERRORS:  # the database itself is away: the sweep will see
            gave_up = False
        if gave_up:
            return generation.State.FAILED
        if self.request.is_eager:  # in-process (no broker): try again at once, no countdown
            return self.run(report_id)
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
    except SoftTimeLimitExceeded:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The report took longer than %(seconds)s seconds.") % {
                "seconds": settings.REPORTS_SOFT_TIME_LIMIT
            }
        generation.report_fail(report_id, reason)
        return generation.State.FAILED
    except Exception as error:  # noqa: BLE001 — a bug: say so on the request, keep the worker
        logger.exception("report %s failed", report_id)
        generation.report_fail(report_id, generation.describe(error))
        return generation.State.FAILED
