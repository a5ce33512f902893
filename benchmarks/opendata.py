"""The open data's catalogue zip at the monitoring benchmark's size (issue 14): bench_monitoring's
data set (9 countries × 60 count indicators × 36 quarters, every value broken down by every
dimension, two thirds validated), seeded once and committed into the database DATABASE_URL names
(use a database of its own), beside the strategy's own indicators.

Prints the time to build /es/data/corett-open-data.zip through Django's test client, the whole
middleware stack included: cold (the disclosure patterns computed afresh: Django's cache and the
process's pattern cache emptied) and warm (patterns cached, the zip built again); the kept zip
served again for its ETag, and the answer to a harvester that sends the ETag back (304); the CPU
seconds of a warm build (which a busy machine does not inflate); the zip's size, its rows and
the SQL queries of a build; and the load average.

    createdb -h 127.0.0.1 -U postgres corett_opendata_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corett_opendata_bench \\
        nice -n 19 .venv/bin/python benchmarks/opendata.py [--runs 3]
"""

import argparse
import io
import os
import statistics
import time
import zipfile

import standalone  # noqa: E402 - a sibling module: benchmarks/ is on the path

standalone.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from monitoring import disclosure  # noqa: E402
from monitoring.models import Status, Value  # noqa: E402
from monitoring.opendata import selectors  # noqa: E402
from strategy.models import Country, Indicator  # noqa: E402

URL = "/es/data/corett-open-data.zip"


def seeded() -> None:
    """The schema, the strategy and bench_monitoring's data set, the first time only."""
    call_command("migrate", verbosity=0)
    if not Country.objects.exists():
        call_command("load_strategy", verbosity=0)
    if Indicator.objects.filter(code__startswith="bench-").exists():
        return
    from benchmarks.load.seed import seed_values

    start = time.perf_counter()
    with transaction.atomic():
        seed_values(60, 36)
        # bulk-created values have no date; a validated one has the date it was validated
        Value.objects.filter(status=Status.VALIDATED, updated_at__isnull=True).update(
            updated_at=timezone.now()
        )
    print(f"seeded bench_monitoring's data set in {time.perf_counter() - start:.1f} s")


def cold() -> None:
    cache.clear()
    disclosure._protect.cache_clear()


def rebuilt() -> None:
    """The zip built again with the disclosure patterns cached: the kept zip forgotten."""
    with translation.override("es"):
        cache.delete(selectors.zip_cache_key(selectors.freshness(), "http://testserver/es/data/"))


def timed(client, headers=None) -> tuple[float, object]:
    start = time.perf_counter()
    response = client.get(URL, headers=headers or {})
    return time.perf_counter() - start, response


def cpu(client) -> float:
    """This process's CPU seconds for one warm build: what a busy machine does not inflate (the
    database's own work not included)."""
    rebuilt()
    start = time.process_time()
    client.get(URL)
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seeded()
    load = os.getloadavg()
    validated = Value.objects.validated().filter(indicator__retired_at__isnull=True).count()
    print(
        f"database: {connection.vendor}; {Indicator.objects.current().count()} indicators, "
        f"{validated:,} validated values; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    client = Client()
    colds, warms = [], []
    for _ in range(args.runs):
        cold()
        seconds, response = timed(client)
        assert response.status_code == 200, response.status_code
        colds.append(seconds)
        rebuilt()
        warms.append(timed(client)[0])
    queries = []
    rebuilt()
    with connection.execute_wrapper(lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)):
        response = client.get(URL)
    content = response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        rows = sum(archive.read(m).count(b"\n") - 1 for m in members if m.filename.endswith(".csv"))
        raw = sum(m.file_size for m in members)
    cpus = [cpu(client) for _ in range(args.runs)]
    not_modified = statistics.median(
        timed(client, {"If-None-Match": response["ETag"]})[0] for _ in range(5)
    )
    kept = statistics.median(timed(client)[0] for _ in range(5))
    print(
        f"catalogue zip {URL}: {len(content) / 1e6:.1f} MB ({raw / 1e6:.1f} MB unzipped), "
        f"{len(members)} files, {rows:,} CSV rows, {len(queries)} SQL queries"
    )
    print(
        f"build: cold median {statistics.median(colds):.2f} s (min {min(colds):.2f}), "
        f"warm median {statistics.median(warms):.2f} s (min {min(warms):.2f}) over {args.runs}"
        f" runs; the kept zip (same ETag): {kept * 1000:.1f} ms; 304 with If-None-Match:"
        f" {not_modified * 1000:.1f} ms"
    )
    print(f"CPU of this process per warm build: median {statistics.median(cpus):.2f} s")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
