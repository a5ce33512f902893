"""Server time and size of the data-entry page at the load test's shape (issue 13): a focal point's
page for the open quarter on deadline day, with bench_monitoring's 60 extra count indicators, each
broken down by every dimension (benchmarks/load/seed.py's data set).

Seeds that shape into the database DATABASE_URL names the first time (committed: use a scratch
database), then renders the page N times through Django's test client, the whole middleware stack
included, and prints the median and the size raw and gzipped (as sent to a browser that asks).

    DATABASE_URL=sqlite:////tmp/entry-bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/entry-bench.sqlite3 .venv/bin/python manage.py load_strategy
    DATABASE_URL=sqlite:////tmp/entry-bench.sqlite3 .venv/bin/python benchmarks/entry_page.py
"""

import argparse
import gzip
import random
import statistics
import sys
import time

import standalone  # noqa: E402 - a sibling module: benchmarks/ is on the path

standalone.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.load.seed import open_quarter, seed_values, shape_deadline  # noqa: E402
from corett.models import User  # noqa: E402
from monitoring.models import Period  # noqa: E402
from strategy.models import Country, Frequency, Indicator  # noqa: E402

FOCAL = "entry-bench-fp-hn"


def seeded_period() -> Period:
    """The open quarter of the load test's data set, seeded once."""
    if not Indicator.objects.filter(code__startswith="bench-").exists():
        start = time.perf_counter()
        with transaction.atomic():
            bench = seed_values(60, 36)
            period = open_quarter(bench)
            shape_deadline(period, random.Random(7))
        if connection.vendor == "postgresql":  # the statistics autovacuum would gather in time
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"seeded the load test's data set in {time.perf_counter() - start:.1f} s")
    today = timezone.localdate()
    return (
        Period.objects.filter(kind=Frequency.QUARTER, opens_on__lte=today, closes_on__gte=today)
        .order_by("-starts_on")
        .first()
    )


def focal_point() -> User:
    user = User.objects.filter(username=FOCAL).first()
    if user is None:
        user = User.objects.create_user(
            FOCAL,
            password=None,
            role=User.Role.FOCAL_POINT,
            country=Country.objects.get(code="HN"),
            email=f"{FOCAL}@corett.invalid",
        )
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lang", default="es")
    args = parser.parse_args()
    period = seeded_period()
    client = Client()
    client.force_login(focal_point())
    url = f"/{args.lang}/monitoring/entry/HN/{period.code}/"
    response = client.get(url)  # warm the caches and code paths
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)):
        response = client.get(url)
    html = response.content
    times, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    zipped = client.get(url, headers={"accept-encoding": "gzip"})
    wire = len(zipped.content) if zipped.get("Content-Encoding") == "gzip" else None
    inputs = html.count(b"<input") + html.count(b"<textarea")
    print(f"page {url}: {inputs} inputs, {len(queries)} queries")
    print(
        f"server time: median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f} ms over {args.runs} renders; "
        f"CPU median {statistics.median(cpu):.1f} ms (this process, database included on SQLite)"
    )
    print(
        f"size: {len(html) / 1000:.1f} KB raw, "
        f"{len(gzip.compress(html)) / 1000:.1f} KB gzipped (gzip -6), "
        + (f"{wire / 1000:.1f} KB as sent with Accept-Encoding: gzip" if wire else "not gzipped")
    )


if __name__ == "__main__":
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        sys.argv.remove("--profile")
        cProfile.run("main()", "/tmp/entry_page.prof")
        pstats.Stats("/tmp/entry_page.prof").sort_stats("cumulative").print_stats(40)
    else:
        main()
