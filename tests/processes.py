"""The portal's real processes, started by tests: Celery workers, gunicorn web processes and a local
S3-compatible object storage server (moto in server mode), each in a session of its own with its
own environment, stopped whole at the end. Used by the tests that need other processes to share
the test database, the broker and the stored files (tests/test_reports_worker.py,
tests/test_many_processes.py, tests/test_object_storage.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection

WAIT = 120  # seconds for a process to start: a loaded CI machine is slow
BIN = Path(sys.executable).parent
BUCKET = "corett-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, for another process to open."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def shared_cache_url() -> str:
    """An empty Redis database beside the broker's, for processes to share Django's cache as
    production's do (CACHE_URL): sessions are then read from it."""
    url = urlunsplit(urlsplit(settings.CELERY_BROKER_URL)._replace(path="/15"))
    redis.Redis.from_url(url).flushdb()
    return url


def portal_environment(**extra) -> dict:
    """What a portal process of the tests runs with: the test settings, database and broker."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "corett.settings_test",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "STATIC_ROOT": str(settings.STATIC_ROOT),  # the session's collected files (conftest.py)
        **extra,
    }


class Process:
    """A server in a subprocess of its own session, its output in a log file."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, ready, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{what} stopped:\n{self.output()[-3000:]}"
            if ready():
                return
            time.sleep(0.2)
        raise AssertionError(f"{what} did not start:\n{self.output()[-3000:]}")

    def stop(self, timeout: float = 30) -> None:
        """TERM to the main process (a worker finishes the task in hand, gunicorn stops its
        workers), then KILL for its whole session if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with_suppressed_lookup(os.killpg, self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def with_suppressed_lookup(kill, pid, sig) -> None:
    try:
        kill(pid, sig)
    except ProcessLookupError:
        pass


class Worker(Process):
    """`celery -A corett worker` (prefork, one child) with the test database and broker."""

    def __init__(self, log: Path, env: dict | None = None, name: str = "test"):
        self.name = f"{name}-{uuid.uuid4().hex[:8]}@%h"
        super().__init__(
            [str(BIN / "celery"), "-A", "corett", "worker", "--pool=prefork", "--concurrency=1"]
            + ["--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", self.name],
            portal_environment(**(env or {})),
            log,
        )
        self.wait_until(lambda: "ready." in self.output(), "the worker")

    def children(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found += [int(pid) for pid in (task / "children").read_text().split()]
        return found


class Web(Process):
    """gunicorn serving the portal on a port of its own, with production settings but for the
    test database (its accounts use the test settings' password hasher)."""

    def __init__(self, log: Path, env: dict | None = None, workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [str(BIN / "gunicorn"), "corett.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(workers), "--threads", "2", "--timeout", "120"],
            portal_environment(ALLOWED_HOSTS="127.0.0.1", **(env or {})),
            log,
        )
        self.wait_until(lambda: answers(f"{self.base}/healthz"), f"gunicorn on {self.port}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class ObjectStorage:
    """A local S3-compatible server and the settings that point the portal at its bucket."""

    endpoint: str
    bucket: str = BUCKET
    access_key: str = "corett-test"
    secret_key: str = "corett-test-secret"  # noqa: S105 - a local test server's
    region: str = "us-east-1"

    def environment(self, location: str = "") -> dict:
        """For a portal process: MEDIA_STORAGE=s3 and django-storages' own settings."""
        return {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_LOCATION": location,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def keys(self, prefix: str = "") -> list[str]:
        pages = (
            self.client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=self.bucket, Prefix=prefix)
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))


class MotoServer(Process):
    """moto in server mode on a free loopback port, with the portal's bucket created."""

    def __init__(self, log: Path):
        self.port = free_port()
        super().__init__(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            {**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
            log,
        )
        self.storage = ObjectStorage(endpoint=f"http://127.0.0.1:{self.port}")
        self.wait_until(lambda: answers(self.storage.endpoint), "moto_server")
        self.storage.client().create_bucket(Bucket=self.storage.bucket)


def empty_folder(path: Path) -> list[str]:
    """What a process left in a folder that should have stayed empty."""
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))
