"""Prometheus metrics at /metrics, for the IT unit's monitoring, never for the public.

- requests, responses, latencies (django-prometheus' middlewares) and database queries and their
  time (its database backends, settings.DATABASES);
- Celery, read when scraped from where the truth is kept, so that any web process gives the
  same answer whichever worker did the work: the queue's length (the broker), report requests
  by state and their rendering time (PostgreSQL), task failures and retries (counted by the
  workers in the broker's Redis: corett/task_events.py).

Access: settings.METRICS_TOKEN unset, /metrics does not exist (404); set, a scraper sends
`Authorization: Bearer <token>` and anyone else gets 403. With several gunicorn workers,
PROMETHEUS_MULTIPROC_DIR makes the answer add up all of them (gunicorn.conf.py).
"""

import datetime
import logging
import os

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from kombu.exceptions import ChannelError
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from . import task_events

logger = logging.getLogger(__name__)
RENDER_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300)  # seconds


class PortalCollector:
    """Metrics computed at each scrape from the database and the broker."""

    def describe(self):
        """The names only: the registry asks at start-up, before any database is there."""
        return [
            GaugeMetricFamily("corett_celery_queue_length", ""),
            GaugeMetricFamily("corett_reports", ""),
            HistogramMetricFamily("corett_report_render_seconds", ""),
            CounterMetricFamily("corett_celery_task_failures", ""),
            CounterMetricFamily("corett_celery_task_retries", ""),
        ]

    def collect(self):
        yield from self._queue()
        yield from self._reports()
        yield from self._task_counters()

    def _queue(self):
        if not settings.CELERY_BROKER_URL:
            return
        from corett.celery import app

        queue = app.conf.task_default_queue
        gauge = GaugeMetricFamily(
            "corett_celery_queue_length", "Messages waiting in a Celery queue", labels=["queue"]
        )
        try:
            with app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                try:
                    waiting = connection.default_channel.queue_declare(queue, passive=True)
                    gauge.add_metric([queue], waiting.message_count)
                except ChannelError:  # no such queue yet: Redis keeps none while it is empty
                    gauge.add_metric([queue], 0)
        except Exception as error:  # noqa: BLE001 - the broker is away: say so, keep the rest
            logger.warning("queue length unavailable: %s", type(error).__name__)
            return
        yield gauge

    def _reports(self):
        reports = apps.get_model("monitoring", "ReportRequest").objects
        by_state = GaugeMetricFamily("corett_reports", "Report requests by state", labels=["state"])
        for state, count in reports.values_list("status").annotate(n=Count("pk")).order_by():
            by_state.add_metric([state], count)
        yield by_state

        took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        rendered = reports.filter(
            status="done", attempts__gt=0, started_at__isnull=False, finished_at__isnull=False
        ).annotate(took=took)
        figures = rendered.aggregate(
            total=Sum("took"),
            **{
                f"le{limit}": Count("pk", filter=Q(took__lte=datetime.timedelta(seconds=limit)))
                for limit in RENDER_BUCKETS
            },
            count=Count("pk"),
        )
        buckets = [(str(float(limit)), figures[f"le{limit}"]) for limit in RENDER_BUCKETS]
        buckets.append(("+Inf", figures["count"]))
        total = figures["total"].total_seconds() if figures["total"] else 0.0
        yield HistogramMetricFamily(
            "corett_report_render_seconds",
            "Time from a report's last start to its file, for the reports rendered",
            buckets=buckets,
            sum_value=total,
        )

    def _task_counters(self):
        for outcome in ("failures", "retries"):
            family = CounterMetricFamily(
                f"corett_celery_task_{outcome}",
                f"Celery task {outcome}, counted by the workers",
                labels=["task"],
            )
            try:
                for task, count in sorted(task_events.counters(outcome).items()):
                    family.add_metric([task], count)
            except Exception as error:  # noqa: BLE001
                logger.warning("task %s unavailable: %s", outcome, type(error).__name__)
                continue
            yield family


PORTAL = PortalCollector()
REGISTRY.register(PORTAL)


def registry():
    """The process's own metrics, or with PROMETHEUS_MULTIPROC_DIR every gunicorn worker's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    combined.register(PORTAL)
    return combined


@never_cache
def metrics(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
