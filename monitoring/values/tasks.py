"""The Celery task of the workflow's notices, and queueing it: thin, so that the work (in
monitoring.values.notices) can be tested without Celery. The reminders' daily task is in
monitoring.tasks with the other tasks beat runs."""

import logging
import smtplib

from celery import shared_task

from . import notices

logger = logging.getLogger(__name__)


# Named as before the values had a package of their own, so that messages queued by an older
# version of the portal are still understood.
@shared_task(
    name="monitoring.tasks.send_value_notice",
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


def value_reviewed(value_id: int, action: str) -> None:
    """Called by the workflow once a return or a validation is committed: queues the notice. A
    notice that cannot be queued (broker down) is sent right away; one that cannot be sent either
    is logged, never turned into an error for the secretariat, whose review is already saved."""
    try:
        send_value_notice.delay(value_id, str(action))
    except Exception:  # noqa: BLE001 — see the docstring
        logger.warning("could not queue the notice for value %s; sending it now", value_id)
        try:
            notices.send_value_notice_now(value_id, str(action))
        except Exception:  # noqa: BLE001
            logger.exception("could not send the notice for value %s", value_id)
