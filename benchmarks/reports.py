"""Benchmark of the PDF reports (issue 6): renders each country's report and the regional one for
a period full of data, and prints seconds per report, pages, size and the worker's peak memory;
then the ten together on a Celery worker with two processes (needs CELERY_BROKER_URL).

    createdb -h 127.0.0.1 -U postgres corett_reportsbench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/corett_reportsbench
    manage.py migrate && manage.py load_strategy
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 manage.py bench_reports

Seeds the period (default 2025) once, for good, in that database: a validated value of every
indicator of the plan for every country (counts broken down by their dimensions, small cells
included), targets, the secretariat's qualifications, each country's account, and identified
victims for every year up to the period. Never run it against a database people use.
"""

import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from benchmarks.data import breakdown
from monitoring.matrix.selectors import VICTIMS
from monitoring.models import Narrative, Period, Qualification, ReportRequest, Status, Target, Value
from monitoring.reports import generation, services, storage
from strategy.models import Axis, Country, Indicator

PARAGRAPH = (
    "The national committee met {n} times during the year and coordinated the work of the "
    "institutions responsible for prevention, detection and referral. Campaigns reached schools, "
    "border crossings and bus terminals, and the training plan covered labour inspectors, "
    "consular staff and the police in the departments with the most cases."
)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--period", default="2025")
        parser.add_argument("--language", default="es")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (0: skip)")

    def handle(self, *args, **options):
        self.rng = random.Random(2026)
        period = Period.objects.filter(code=options["period"]).first()
        if period is None:
            raise CommandError(f"no period {options['period']}: run load_strategy first")
        self.stdout.write(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        self.seed(period)
        scopes = services.report_scopes()  # in the order a closed period's set is sent
        with tempfile.TemporaryDirectory(prefix="bench-reports-") as root:
            settings.REPORTS_ROOT = Path(root)
            self.sequential(period, scopes, options["language"])
        if options["workers"]:
            self.parallel(period, scopes, options["language"], options["workers"])

    # --- Data ---------------------------------------------------------------------------------

    @transaction.atomic
    def seed(self, period: Period) -> None:
        if Value.objects.filter(period=period, country__isnull=False).exists():
            self.stdout.write(f"period {period} already has values: not seeded again")
            return
        start = time.perf_counter()
        rng = self.rng
        countries = list(Country.objects.all())
        indicators = list(Indicator.objects.current().filter(goal__isnull=False))
        values, targets = [], []
        for country, indicator in itertools.product(countries, indicators):
            number, text, split = None, "", {}
            if indicator.kind == Indicator.Kind.COUNT:
                number = rng.randint(3, 900)
                split = breakdown(number, rng, list(indicator.disaggregations))
            elif indicator.kind == Indicator.Kind.PERCENTAGE:
                number = rng.randint(10, 100)
            elif indicator.kind == Indicator.Kind.YES_NO:
                number = rng.randint(0, 1)
            else:
                text = "Approved by decree; budget assigned for two years."
            values.append(
                Value(
                    indicator=indicator,
                    country=country,
                    period=period,
                    number=number,
                    text=text,
                    disaggregation=split,
                    status=Status.VALIDATED,
                    source="Bench data",
                    updated_at=timezone.now(),
                )
            )
            if number is not None:
                target = max(1, round(number * rng.uniform(0.7, 1.3)))
                if indicator.kind == Indicator.Kind.PERCENTAGE:
                    target = min(target, 100)
                if indicator.kind == Indicator.Kind.YES_NO:
                    target = 1
                targets.append(
                    Target(indicator=indicator, country=country, period=period, value=target)
                )
        Value.objects.bulk_create(values)
        Target.objects.bulk_create(targets, ignore_conflicts=True)
        ratings = list(Qualification.Rating.values)
        for axis, place in itertools.product(Axis.objects.all(), [*countries, None]):
            Qualification.objects.get_or_create(
                axis=axis,
                period=period,
                country=place,
                defaults={
                    "rating": rng.choice(ratings),
                    "reason": "Most activities of the axis started on time; two were delayed "
                    "by budget cuts and are planned again for next year.",
                },
            )
        for country in countries:
            Narrative.objects.get_or_create(
                country=country,
                period=period,
                defaults={
                    "progress": "\n\n".join(PARAGRAPH.format(n=n) for n in (4, 6, 8)),
                    "obstacles": PARAGRAPH.format(n=2),
                    "adjustments": PARAGRAPH.format(n=3),
                    "status": Status.VALIDATED,
                },
            )
        victims = Indicator.objects.get(code=VICTIMS)
        for year_period in Period.objects.filter(
            kind=period.kind, starts_on__lte=period.starts_on, starts_on__year__gte=2020
        ):
            Value.objects.bulk_create(
                [
                    Value(
                        indicator=victims,
                        country=country,
                        period=year_period,
                        number=rng.randint(5, 1200),
                        status=Status.VALIDATED,
                        source="Bench data",
                    )
                    for country in countries
                ],
                ignore_conflicts=True,
            )
        self.stdout.write(
            f"seeded {len(values)} values, {len(targets)} targets in {period} "
            f"in {time.perf_counter() - start:.1f} s"
        )

    def request(self, period, country, language) -> ReportRequest:
        return ReportRequest.objects.create(country=country, period=period, language=language)

    # --- One process ---------------------------------------------------------------------------

    def sequential(self, period, scopes, language) -> None:
        self.stdout.write(
            f"\none process, end to end (request row → data → charts → PDF → file), {language}:"
        )
        self.stdout.write(
            f"{'report':10s} {'seconds':>8s} {'cpu s':>6s} {'pages':>6s} {'KB':>7s} {'peak MB':>8s}"
        )
        # A first report loads the fonts and warms the caches; its file is then removed, or the
        # measured one would reuse it.
        warm_up = self.request(period, scopes[-1], language)
        generation.report_generate(report_id=warm_up.pk)
        warm_up.refresh_from_db()
        storage.backend().delete(warm_up.file)
        total = total_cpu = 0.0
        for country in scopes:
            report = self.request(period, country, language)
            start, cpu = time.perf_counter(), time.process_time()
            generation.report_generate(report_id=report.pk)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            total += seconds
            total_cpu += cpu
            report.refresh_from_db()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            name = country.code if country else "regional"
            self.stdout.write(
                f"{name:10s} {seconds:8.2f} {cpu:6.2f} {report.pages or 0:6d} "
                f"{report.size / 1024:7.0f} {peak:8.0f}"
            )
        self.stdout.write(
            f"{'all 10':10s} {total:8.2f} {total_cpu:6.2f}   (one process, one after the other; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )

    # --- Two worker processes --------------------------------------------------------------------

    def parallel(self, period, scopes, language, workers: int) -> None:
        broker = settings.CELERY_BROKER_URL
        if not broker:
            self.stdout.write("\nno CELERY_BROKER_URL: the run with worker processes is skipped")
            return
        from corett.celery import app

        app.control.purge()
        with tempfile.TemporaryDirectory(prefix="bench-reports-") as root:
            settings.REPORTS_ROOT = Path(root)
            log = Path(root) / "worker.log"
            env = {**os.environ, "REPORTS_ROOT": root, "CELERY_BROKER_URL": broker}
            env.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
            env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
            celery = Path(sys.executable).with_name("celery")
            worker = subprocess.Popen(
                [str(celery), "-A", "corett", "worker", f"--concurrency={workers}"]
                + ["--pool=prefork", "--without-gossip", "--without-mingle", "-n", "bench@%h"]
                + ["--loglevel=INFO"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = time.monotonic() + 120
                while "ready." not in log.read_text(errors="replace"):
                    if worker.poll() is not None or time.monotonic() > deadline:
                        raise CommandError("the worker did not start:\n" + log.read_text()[-2000:])
                    time.sleep(0.2)
                reports = [self.request(period, country, language) for country in scopes]
                children = [
                    int(pid)
                    for task in Path(f"/proc/{worker.pid}/task").iterdir()
                    for pid in (task / "children").read_text().split()
                ]
                cpu_before = sum(self.cpu_seconds(pid) for pid in children)
                start = time.perf_counter()
                for report in reports:
                    services.report_dispatch(report.pk)
                pending = {report.pk for report in reports}
                while pending and time.perf_counter() - start < 600:
                    done = ReportRequest.objects.filter(
                        pk__in=pending, status__in=["done", "failed"]
                    ).values_list("pk", flat=True)
                    pending -= set(done)
                    time.sleep(0.05)
                seconds = time.perf_counter() - start
                cpu = sum(self.cpu_seconds(pid) for pid in children) - cpu_before
                peaks = [self.peak_mb(pid) for pid in children]
                failed = ReportRequest.objects.filter(
                    pk__in=[r.pk for r in reports], status="failed"
                ).count()
                self.stdout.write(
                    f"\n{workers} worker processes (celery -c {workers}, Redis), all 10 reports "
                    f"from dispatch to the last file: {seconds:.2f} s ({cpu:.2f} CPU s in the "
                    f"workers; load average {os.getloadavg()[0]:.1f}); failed: {failed}; peak "
                    f"memory per worker process: {', '.join(f'{p:.0f} MB' for p in peaks)}"
                )
            finally:
                worker.terminate()
                worker.wait(timeout=60)

    @staticmethod
    def cpu_seconds(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def peak_mb(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0
