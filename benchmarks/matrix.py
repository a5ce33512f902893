"""Benchmark of the monitoring matrix at scale (issue 4): builds a synthetic data set, measures the
pages and the API, and the import throughput; everything is rolled back at the end.

    make bench    (PostgreSQL at DATABASE_URL; see the Makefile), or manage.py bench_monitoring

By default 9 countries × 60 indicators × 36 quarterly periods, each value broken down by every
dimension (about 19,000 values holding about a million numbers); --scale multiplies the indicators
(--scale 52 gives about a million values). Prints p50/p95 of the matrix page (public and
secretariat), the dashboard and the values API for each role, unfiltered and by period;
--explain adds the plans of every query on the values (PostgreSQL's EXPLAIN ANALYZE).
"""

import gc
import itertools
import random
import statistics
import time
from datetime import date

from django.core.management import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.data import breakdown, rolled_back
from corett.models import User
from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import imports
from strategy.dimensions import DIMENSIONS
from strategy.models import Country, Frequency, Goal, Indicator


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=60)
        parser.add_argument("--periods", type=int, default=36, help="quarters from 2019-Q1")
        parser.add_argument("--scale", type=int, default=1, help="multiply the indicators")
        parser.add_argument("--runs", type=int, default=30, help="requests per page measured")
        parser.add_argument("--import-rows", type=int, default=20000)
        parser.add_argument(
            "--explain", action="store_true", help="print the plans of the queries on the values"
        )

    def handle(self, *args, **options):
        self.rng = random.Random(2026)
        self.stdout.write(f"database: {connection.vendor}")
        with rolled_back():
            self.seed(options["indicators"] * options["scale"], options["periods"])
            self.analyze()
            # What this process holds by now, set aside from the garbage collector as a web
            # process does once loaded (corett/wsgi.py): else a full collection walking it
            # lands in one of the timed requests, as it would not on the server.
            gc.collect()
            gc.freeze()
            self.measure_pages(options["runs"], options["explain"])
            self.measure_import(options["import_rows"])
        self.stdout.write("rolled back: the database is as it was")

    def seed(self, indicator_count: int, period_count: int) -> None:
        start = time.perf_counter()
        goals = list(Goal.objects.all())
        dimensions = list(DIMENSIONS)
        self.indicators = Indicator.objects.bulk_create(
            Indicator(
                code=f"bench-{n:05d}",
                goal=goals[n % len(goals)],
                order=10000 + n,
                name_es=f"Indicador de prueba {n}",
                name_en=f"Benchmark indicator {n}",
                kind=Indicator.Kind.COUNT,
                frequency=Frequency.QUARTER,
                disaggregations=dimensions,
            )
            for n in range(indicator_count)
        )
        self.periods = Period.objects.bulk_create(
            Period(
                code=f"{2019 + q // 4}-Q{q % 4 + 1}",
                kind=Frequency.QUARTER,
                starts_on=date(2019 + q // 4, 3 * (q % 4) + 1, 1),
                ends_on=date(2019 + q // 4, 3 * (q % 4) + 3, 28),
                opens_on=date(2019 + q // 4, 3 * (q % 4) + 1, 1),
                closes_on=date(2019 + q // 4 + 1, 3, 31),
            )
            for q in range(period_count)
        )
        self.countries = list(Country.objects.all())
        statuses = [Status.VALIDATED] * 6 + [Status.SUBMITTED, Status.DRAFT, Status.RETURNED]
        batch, created = [], 0
        for period in self.periods:
            for indicator in self.indicators:
                for country in self.countries:
                    total = self.rng.randint(0, 500)
                    batch.append(
                        Value(
                            indicator=indicator,
                            country=country,
                            period=period,
                            number=total,
                            disaggregation=breakdown(total, self.rng),
                            status=self.rng.choice(statuses),
                        )
                    )
                    if len(batch) == 5000:
                        Value.objects.bulk_create(batch)
                        created += len(batch)
                        batch = []
        Value.objects.bulk_create(batch)
        created += len(batch)
        numbers = created * (1 + sum(len(d.categories) for d in DIMENSIONS.values()))
        self.stdout.write(
            f"seeded {created:,} values ({numbers:,} numbers): {len(self.indicators)} indicators "
            f"× {len(self.periods)} periods × {len(self.countries)} countries "
            f"in {time.perf_counter() - start:.1f} s"
        )

    def analyze(self) -> None:
        """Statistics of the seeded tables, as autovacuum keeps them on a live database (it
        cannot see rows not yet committed): without them PostgreSQL plans for empty tables."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE monitoring_value, strategy_indicator, monitoring_period")

    def timed_get(self, client, url, runs):
        client.get(url)  # warm caches and code paths
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        return statistics.median(samples), percentile(samples, 0.95)

    def readers(self) -> dict:
        """A client per role: the public, an observer, a focal point (of one country), the
        secretariat."""
        users = {
            "observer": User.objects.create_user("bench-observer", role=User.Role.OBSERVER),
            "focal point": User.objects.create_user(
                "bench-focal", role=User.Role.FOCAL_POINT, country=self.countries[0]
            ),
            "secretariat": User.objects.create_user(
                "bench-secretariat", role=User.Role.SECRETARIAT
            ),
        }
        clients = {"anonymous": Client(SERVER_NAME="localhost")}
        for role, user in users.items():
            clients[role] = Client(SERVER_NAME="localhost")
            clients[role].force_login(user)
        return clients

    def measure_pages(self, runs: int, explain: bool = False) -> None:
        """The figures of issue 13: the matrix page (public, secretariat), the dashboard, and the
        values API per role, unfiltered (the whole table) and filtered by period."""
        period = self.periods[len(self.periods) // 2].code
        readers = self.readers()
        matrix = reverse("monitoring:matrix") + f"?period={period}"
        pages = [
            ("matrix page (public)", "anonymous", matrix),
            ("matrix page (secretariat)", "secretariat", matrix),
            (
                "dashboard (public)",
                "anonymous",
                reverse("monitoring:dashboard") + f"?period={period}",
            ),
        ]
        for role in readers:
            pages.append((f"values API list ({role})", role, "/api/v1/values/"))
        for role in readers:
            pages.append(
                (f"values API ?period= ({role})", role, f"/api/v1/values/?period={period}")
            )
        self.stdout.write(
            f"{'page':36s} {'p50 ms':>8s} {'p95 ms':>8s}   (period {period}, {runs} runs)"
        )
        for label, role, url in pages:
            p50, p95 = self.timed_get(readers[role], url, runs)
            self.stdout.write(f"{label:36s} {p50:8.1f} {p95:8.1f}")
        if explain:
            for label, role, url in pages:
                self.explain(label, readers[role], url)

    def explain(self, label: str, client, url: str) -> None:
        """The plan of every query a request runs on the values, with its timings."""
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for query in queries:
            if '"monitoring_value"' not in query["sql"] or not query["sql"].startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN ANALYZE {query['sql']}")
                plan = "\n    ".join(row[0] for row in cursor.fetchall())
            self.stdout.write(f"\n{label}: {query['sql'][:300]}\n    {plan}")

    def measure_import(self, rows: int) -> None:
        user = User.objects.create_user("bench-importer", role=User.Role.SECRETARIAT)
        period = Period.objects.create(
            code="bench-imp",
            kind=Frequency.QUARTER,
            starts_on=date(2026, 7, 1),
            ends_on=date(2026, 9, 30),
            opens_on=date(2026, 7, 1),
            closes_on=date(2027, 3, 31),
        )
        # One period: cells are countries × indicators, so add indicators until there are enough.
        needed = -(-rows // len(self.countries)) - len(self.indicators)
        extra = Indicator.objects.bulk_create(
            Indicator(
                code=f"bench-import-{n:05d}",
                goal=self.indicators[0].goal,
                order=20000 + n,
                name_es=f"Importación {n}",
                name_en=f"Import {n}",
                kind=Indicator.Kind.COUNT,
                frequency=Frequency.QUARTER,
                disaggregations=["sex"],
            )
            for n in range(max(needed, 0))
        )
        cells = list(itertools.product(self.countries, [*self.indicators, *extra]))[:rows]

        def rows_for(offset):
            for country, indicator in cells:
                total = self.rng.randint(0, 500) + offset
                yield {
                    "country": country,
                    "indicator": indicator,
                    "number": total,
                    "disaggregation": {"sex": {"women": total, "men": 0}},
                }

        for label, offset in (("new", 0), ("updated", 1)):
            batch = list(rows_for(offset))
            audits_before = ValueAudit.objects.count()
            start = time.perf_counter()
            imports.values_import(user=user, period=period, rows=batch, path="import")
            seconds = time.perf_counter() - start
            audits = ValueAudit.objects.count() - audits_before
            self.stdout.write(
                f"import, {label} rows: {len(batch):,} in {seconds:.2f} s = "
                f"{len(batch) / seconds:,.0f} rows/s (audit records written: {audits:,})"
            )
