import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")

app = Celery("corett")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from . import task_events  # noqa: E402, F401 - connects the logs' and metrics' signal handlers

SESSION_GROUP = Path("/proc/self/autogroup")


@worker_process_init.connect
def render_at_a_lower_priority(**kwargs) -> None:
    """Each worker process yields the CPU to the web processes (settings.CELERY_WORKER_NICE).

    A nice value only weighs against processes of the same scheduling group. Linux makes each
    session a group of its own (autogroup), so a worker started in a session of its own (setsid,
    a service manager, a container's init) would still get as much of the CPU as the web
    processes' session: the worker lowers its session's group too, when the session holds the
    worker alone (its main process leads it). Between containers or systemd services the CPU
    weight of their cgroups decides instead (docker-compose.yml's cpu_shares)."""
    from django.conf import settings

    os.nice(settings.CELERY_WORKER_NICE)
    if os.getsid(0) == os.getppid() and SESSION_GROUP.exists():
        try:
            SESSION_GROUP.write_text(str(settings.CELERY_WORKER_NICE))
        except OSError:  # rate-limited (a sibling process just set it) or not permitted
            pass
