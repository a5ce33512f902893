"""What Celery tasks tell the logs and the metrics, from Celery's signals (connected by
corett/celery.py in every process that loads the app):

- a task sent while handling a request carries the request's id (a message header), so that the
  task's log lines can be found with the request's;
- one JSON log line per task run: name, id, outcome, duration (Celery's own per-task lines are
  turned down to warnings in settings.LOGGING);
- failures and retries counted per task in the broker's Redis (`corett:tasks:<outcome>`), where
  the web process's /metrics reads them: a counter in a worker's memory would die with the
  worker and could not be seen from the web machines.
"""

import logging
import time

from celery import signals

from . import logs

logger = logging.getLogger("corett.tasks")
HEADER = "corett_request_id"
COUNTERS = "corett:tasks:{outcome}"
_started: dict[str, float] = {}


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    if headers is not None and logs.request_id.get():
        headers[HEADER] = logs.request_id.get()


@signals.task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    _started[task_id] = time.perf_counter()
    logs.request_id.set(getattr(task.request, HEADER, None) or task_id)
    logs.user_id.set(None)


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    logger.info(
        "task %s %s",
        task.name,
        state,
        extra={
            "event": "task",
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "retries": task.request.retries,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )
    if state in ("FAILURE", "RETRY"):
        count(task.name, "failures" if state == "FAILURE" else "retries")


def count(task_name: str, outcome: str) -> None:
    """Adds one to the task's counter in the broker's Redis; a broker that is not Redis (or
    none: tasks run in-process) keeps no counters. Never lets a metric fail a task."""
    redis = broker_redis()
    if redis is None:
        return
    try:
        redis.hincrby(COUNTERS.format(outcome=outcome), task_name, 1)
    except Exception:  # noqa: BLE001 - the broker is away: the task's own handling says so
        logger.warning("could not count the %s of %s", outcome, task_name)


def counters(outcome: str) -> dict[str, int]:
    redis = broker_redis()
    if redis is None:
        return {}
    raw = redis.hgetall(COUNTERS.format(outcome=outcome))
    return {name.decode(): int(value) for name, value in raw.items()}


def broker_redis():
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
