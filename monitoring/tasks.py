"""Celery tasks of monitoring: thin wrappers that take ids and call the functions that do the work
(in monitoring.notices), so that the work can be tested without Celery."""

import smtplib

from celery import shared_task
from django.utils import timezone

from . import notices


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
