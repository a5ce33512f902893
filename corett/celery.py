import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")

app = Celery("corett")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from . import task_events  # noqa: E402, F401 - connects the logs' and metrics' signal handlers
