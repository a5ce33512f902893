"""The Celery tasks of monitoring that beat runs (settings.CELERY_BEAT_SCHEDULE names them here):
thin wrappers that call the functions that do the work, so that the work can be tested without
Celery. The tasks the portal queues itself live beside their work and are imported here so that
a worker, which looks for the tasks of each app in its `tasks` module, knows them too:
monitoring.values.tasks.send_value_notice and monitoring.reports.tasks.generate_report."""

from celery import shared_task
from django.utils import timezone

from .reports import services as reports
from .reports.tasks import generate_report
from .values import notices
from .values.tasks import send_value_notice

__all__ = [
    "generate_period_reports",
    "generate_report",
    "send_reminders",
    "send_value_notice",
    "sweep_reports",
]


# Not retried as a whole: a retry would remind again the countries already reminded.
# send_reminders logs a country it could not reach and goes on with the others.
@shared_task(soft_time_limit=600, time_limit=660)
def send_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): reminders 14 and 3 days before a period closes."""
    return notices.send_reminders(timezone.localdate())


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_reports() -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE): requests never sent or whose worker died."""
    return reports.reports_sweep()


@shared_task(soft_time_limit=120, time_limit=150)
def generate_period_reports() -> list[int]:
    """Daily (CELERY_BEAT_SCHEDULE): every report of the periods that just closed."""
    return [report.pk for report in reports.reports_for_closed_periods()]
