"""Throughput of the bulk value import (monitoring.values.imports) on the database that
DATABASE_URL names: rows per second for N new values, then for the same N values changed (drafts
updated), with full validation (clean_value on every row, breakdowns checked against their
totals) and an audit record per row. For comparison, value_save one row at a time on a sample.

Everything runs inside a transaction that is rolled back: the database is left as it was. The
synthetic indicators (N / 9 of them, a third broken down by sex and age) exist only inside it.

Run: .venv/bin/python benchmarks/value_import.py                  (SQLite, after `make load`)
     createdb -h 127.0.0.1 -U postgres corett_bench
     export DATABASE_URL=postgres://postgres@127.0.0.1:5432/corett_bench
     .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_strategy
     .venv/bin/python benchmarks/value_import.py [--rows 20000]
"""

import argparse
import sys
import time

import standalone  # noqa: E402 - a sibling module: benchmarks/ is on the path

standalone.setup()

from django.db import connection  # noqa: E402

from benchmarks.data import rolled_back  # noqa: E402
from corett.models import User  # noqa: E402
from monitoring.models import Period, Value, ValueAudit  # noqa: E402
from monitoring.values.imports import ValueRow, values_import  # noqa: E402
from monitoring.values.services import value_save  # noqa: E402
from strategy.models import Country, Indicator  # noqa: E402


def open_period() -> Period:
    period = next((p for p in Period.objects.filter(kind="annual") if p.state == "open"), None)
    if period is None:
        sys.exit("No open annual period: run `manage.py load_strategy` first.")
    return period


def synthetic_indicators(count: int, prefix: str = "BENCH-") -> list[Indicator]:
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"{prefix}{n:05d}",
                order=1000 + n + (20_000 if prefix != "BENCH-" else 0),
                name_es=f"Indicador sintético {n}",
                name_en=f"Synthetic indicator {n}",
                kind="count",
                frequency="annual",
                disaggregations=["sex", "age"] if n % 3 == 0 else [],
            )
            for n in range(count)
        ]
    )
    return list(Indicator.objects.filter(code__startswith=prefix).order_by("code"))


def rows_for(indicators, countries, total: int, shift: int, versions: bool) -> list[ValueRow]:
    rows = []
    for indicator in indicators:
        for country in countries:
            if len(rows) == total:
                return rows
            number = 10 + (len(rows) % 50) + shift
            breakdown = None
            if indicator.disaggregations:
                breakdown = {
                    "sex": {"women": number - 3, "men": 2, "not_specified": 1},
                    "age": {"adults": number - 4, "children": 4},
                }
            rows.append(
                ValueRow(
                    indicator=indicator,
                    country=country,
                    number=number,
                    disaggregation=breakdown,
                    comment="benchmark",
                    version=1 if versions else 0,
                    line=len(rows) + 2,
                )
            )
    return rows


def timed(label: str, rows, user, period) -> float:
    queries = []  # counted, not captured: capturing formats every statement's SQL

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = values_import(user=user, period=period, rows=rows)
        seconds = time.perf_counter() - started
    done = result.created + result.updated
    assert done == len(rows)
    rate = len(rows) / seconds
    print(
        f"{label:<34} {len(rows):>7} rows  {seconds:7.2f} s  {rate:>9,.0f} rows/s  "
        f"{len(queries):>4} queries"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=300, help="rows saved with value_save")
    args = parser.parse_args()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    with rolled_back():
        period = open_period()
        countries = list(Country.objects.order_by("code"))
        user = User.objects.create_user("bench-secretariat", role=User.Role.SECRETARIAT)
        indicators = synthetic_indicators(-(-args.rows // len(countries)) + 1)
        extra = synthetic_indicators(args.sample // len(countries) + 1, "BENCH-S")
        new = rows_for(indicators[1:], countries, args.rows, 0, versions=False)
        timed("values_import, new values", new, user, period)
        changed = rows_for(indicators[1:], countries, args.rows, 7, versions=True)
        timed("values_import, drafts updated", changed, user, period)
        assert ValueAudit.objects.filter(value__indicator__code__startswith="BENCH-").count() == (
            2 * args.rows
        )

        # New cells only: on PostgreSQL, value_save's update of an existing value fails
        # (select_for_update over the nullable country join).
        cells = [(i, c) for i in indicators[:1] + extra for c in countries][: args.sample]
        started = time.perf_counter()
        for n, (indicator, country) in enumerate(cells):
            value_save(
                user=user,
                indicator=indicator,
                country=country,
                period=period,
                number=5 + n,
                disaggregation={"sex": {"women": 5 + n}, "age": {"adults": 5 + n}}
                if indicator.disaggregations
                else None,
                path="import",
            )
        seconds = time.perf_counter() - started
        print(
            f"{'value_save, one row at a time':<34} {args.sample:>7} rows  {seconds:7.2f} s  "
            f"{args.sample / seconds:>9,.0f} rows/s"
        )
        assert Value.objects.filter(indicator__code__startswith="BENCH-").exists()


if __name__ == "__main__":
    main()
