"""gunicorn's settings for the portal, read from the working folder (the image's /app, or the
checkout): the command line (docker-compose.yml, Dockerfile) adds the address and worker count.

With several workers, Prometheus metrics are kept in files under PROMETHEUS_MULTIPROC_DIR and
added up at /metrics (corett/metrics.py): the folder is emptied at start and a worker's files are
marked dead when it exits."""

import os
from pathlib import Path

# The portal logs one JSON line per request itself (corett/logs.py).
accesslog = None


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
