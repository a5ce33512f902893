import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")

app = Celery("corett")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from . import task_events  # noqa: E402, F401 - connects the logs' and metrics' signal handlers


@worker_process_init.connect
def render_at_a_lower_priority(**kwargs) -> None:
    """Each worker process yields the CPU to the web processes (settings.CELERY_WORKER_NICE)."""
    from django.conf import settings

    os.nice(settings.CELERY_WORKER_NICE)
