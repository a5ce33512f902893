"""Seeds the load test's database (issue 7): the monitoring benchmark's data set, the open quarter
shaped like a reporting deadline, and one account per simulated user. Writes a manifest (JSON)
that the locustfile reads: usernames, the password, the secretariat's TOTP keys, the period.

The data set is bench_monitoring's own seeding (9 countries × 60 indicators × 36 quarters, every
value broken down by every dimension), committed here instead of rolled back. Then the open quarter
is made a deadline day: per country a third of the indicators still have no value, the rest are
mostly drafts, some returned or submitted, a few validated.

Accounts (the password is the same for all, hashed once):
- focal points: --focal-per-country per country, `load-fp-<iso>-NN`;
- secretariat: --secretariat, `load-sec-NN`, each with a confirmed TOTP device whose key the
  locustfile derives from the username (totp_key below): outside demo mode the secretariat must
  give a code at sign-in, and the load test signs in the way people do;
- observers: --observers, `load-obs-NN`.

Run on an empty, migrated database with the strategy loaded (benchmarks/load/run.sh does it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corett_load \
        .venv/bin/python benchmarks/load/seed.py --manifest /tmp/load/manifest.json
"""

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from benchmarks.matrix import Command as BenchMonitoring  # noqa: E402
from corett.models import User  # noqa: E402
from monitoring.models import Period, Status, Value  # noqa: E402
from strategy.models import Country  # noqa: E402

PASSWORD = "load-test-password-2026"
PREFIX = "load-"


def totp_key(username: str) -> str:
    """The secretariat account's TOTP key (40 hex digits), derived from its username: the
    locustfile computes the same key to produce codes. A benchmark database only."""
    return hashlib.sha1(f"corett-load-test:{username}".encode()).hexdigest()


def seed_values(indicators: int, periods: int) -> BenchMonitoring:
    """bench_monitoring's data set, committed."""
    bench = BenchMonitoring()
    bench.rng = random.Random(2026)
    bench.seed(indicators, periods)
    return bench


def open_quarter(bench: BenchMonitoring) -> Period:
    today = timezone.localdate()
    quarters = [p for p in bench.periods if p.opens_on <= today <= p.closes_on]
    if not quarters:
        sys.exit("No seeded quarter is open today: adjust --periods.")
    return max(quarters, key=lambda p: p.starts_on)


def shape_deadline(period: Period, rng: random.Random) -> dict:
    """The open quarter on deadline day: per country a third of the cells empty, the rest mostly
    drafts. Seeded values have no audit records yet, so removing some is safe."""
    values = list(Value.objects.filter(period=period).order_by("pk"))
    missing = [v.pk for v in values if rng.random() < 1 / 3]
    Value.objects.filter(pk__in=missing).delete()
    kept = [v for v in values if v.pk not in set(missing)]
    now = timezone.now()
    by_status = {Status.DRAFT: [], Status.RETURNED: [], Status.SUBMITTED: [], Status.VALIDATED: []}
    for value in kept:
        roll = rng.random()
        status = (
            Status.DRAFT
            if roll < 0.55
            else Status.RETURNED
            if roll < 0.65
            else Status.SUBMITTED
            if roll < 0.9
            else Status.VALIDATED
        )
        by_status[status].append(value.pk)
    for status, pks in by_status.items():
        Value.objects.filter(pk__in=pks).update(
            status=status,
            submitted_at=now if status in (Status.SUBMITTED, Status.VALIDATED) else None,
            review_comment="Revise the breakdown by age." if status == Status.RETURNED else "",
        )
    counts = {status.value: len(pks) for status, pks in by_status.items()}
    counts["missing"] = len(missing)
    return counts


def seed_accounts(focal_per_country: int, secretariat: int, observers: int) -> dict:
    hashed = make_password(PASSWORD)  # once: PBKDF2 costs ~0.6 s per call here
    countries = list(Country.objects.order_by("code"))
    focal = [
        (f"{PREFIX}fp-{country.code.lower()}-{n:02d}", User.Role.FOCAL_POINT, country)
        for n in range(1, focal_per_country + 1)
        for country in countries
    ]
    others = [
        *((f"{PREFIX}sec-{n:02d}", User.Role.SECRETARIAT, None) for n in range(1, secretariat + 1)),
        *((f"{PREFIX}obs-{n:02d}", User.Role.OBSERVER, None) for n in range(1, observers + 1)),
    ]
    users = User.objects.bulk_create(
        User(
            username=username,
            role=role,
            country=country,
            email=f"{username}@corett.invalid",
            password=hashed,
        )
        for username, role, country in [*focal, *others]
    )
    sec_users = [u for u in users if u.role == User.Role.SECRETARIAT]
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="Load test", key=totp_key(u.username), confirmed=True)
        for u in sec_users
    )
    # Focal points in round-robin order of countries, so that N users cover the countries evenly.
    return {
        "focal_points": [
            {"username": username, "country": country.code} for username, _r, country in focal
        ],
        "secretariat": [
            {"username": u.username, "totp_key": totp_key(u.username)} for u in sec_users
        ],
        "observers": [{"username": u.username} for u in users if u.role == User.Role.OBSERVER],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--periods", type=int, default=36, help="quarters from 2019-Q1")
    parser.add_argument("--focal-per-country", type=int, default=12)
    parser.add_argument("--secretariat", type=int, default=16)
    parser.add_argument("--observers", type=int, default=32)
    args = parser.parse_args()
    if User.objects.filter(username__startswith=PREFIX).exists():
        sys.exit(
            "This database is already seeded: seed a fresh one (run.sh drops and recreates it)."
        )

    start = time.perf_counter()
    with transaction.atomic():
        bench = seed_values(args.indicators, args.periods)
        period = open_quarter(bench)
        shape = shape_deadline(period, random.Random(7))
        accounts = seed_accounts(args.focal_per_country, args.secretariat, args.observers)
    manifest = {
        "password": PASSWORD,
        "period": period.code,
        "earlier_periods": [
            p.code
            for p in sorted(bench.periods, key=lambda p: p.starts_on)
            if p.starts_on < period.starts_on
        ][-2:],
        "indicators": {i.code: i.pk for i in bench.indicators},
        "focal_per_country": args.focal_per_country,
        "countries": [c.code for c in bench.countries],
        "open_quarter": shape,
        "values": Value.objects.count(),
        **accounts,
    }
    args.manifest.parent.mkdir(parents=True, exist_ok=True)
    args.manifest.write_text(json.dumps(manifest, indent=1))
    print(
        f"open quarter {period.code}: {shape}; accounts: {len(accounts['focal_points'])} focal "
        f"points, {len(accounts['secretariat'])} secretariat (TOTP), "
        f"{len(accounts['observers'])} observers; {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
