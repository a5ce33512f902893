"""Disclosure control (monitoring.disclosure) at the seeded shape of issue 11: several indicators,
nine countries, every dimension, cells of 0-12, threshold 5. No database.

Prints: the time to decide one indicator's pattern (its five dimension tables) and a page-sized
batch of 20 indicators, cold (the cache cleared), with and without the focal-point (insider)
protection; the share of breakdown cells hidden by primary and by secondary suppression; and the
size and solving time of the LP attack over every published figure of one seeded period (outsider
and each focal point), which must find no hidden cell exact.

With --rerun N: the attacker who re-runs the rule (tests/disclosure_attack.rerun_attack) on N
dense small tables (two countries with cells of 0-8, three with cells of 0-6, one dimension of four
categories): how many tables and hidden cells it pins down. Slow: minutes for 30 tables.

Run: .venv/bin/python benchmarks/disclosure.py [--indicators 20] [--runs 5] [--rerun 30]
(The attacks need the dev extra: highspy.)
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings_test")

import django  # noqa: E402

django.setup()

from monitoring import disclosure  # noqa: E402
from strategy.dimensions import DIMENSIONS  # noqa: E402
from tests.disclosure_attack import (  # noqa: E402
    TooManyTables,
    pattern_figures,
    random_reported,
    ranges,
    rerun_attack,
)

CATEGORIES = {key: list(dimension.categories) for key, dimension in DIMENSIONS.items()}
THRESHOLD = 5


def batch(seed: int, indicators: int) -> list[dict]:
    rng = random.Random(seed)
    return [random_reported(rng, categories=CATEGORIES) for _ in range(indicators)]


def timing(batches, *, insiders: bool) -> tuple[float, float]:
    """Median seconds per batch and per indicator, cold each time."""
    per_batch = []
    for tables in batches:
        disclosure._protect.cache_clear()
        start = time.perf_counter()
        for reported in tables:
            disclosure.protect(reported, threshold=THRESHOLD, insiders=insiders)
        per_batch.append(time.perf_counter() - start)
    median = statistics.median(per_batch)
    return median, median / len(batches[0])


def shares(tables, *, insiders: bool) -> dict:
    """Of the countries' non-zero breakdown cells and of the regional ones: how many are small
    (primary), and how many more are hidden (secondary: complementary or withheld)."""
    counts = {"cells": 0, "primary": 0, "secondary": 0, "regional": 0, "regional hidden": 0}
    for reported in tables:
        pattern = disclosure.protect(reported, threshold=THRESHOLD, insiders=insiders)
        for country, dimensions in pattern.countries.items():
            for dimension, breakdown in dimensions.items():
                given = reported[country].breakdown[dimension]
                for category, shown in breakdown.cells.items():
                    count = given.get(category, 0)
                    if not count:
                        continue
                    counts["cells"] += 1
                    if 0 < count < THRESHOLD:
                        counts["primary"] += 1
                    elif isinstance(shown, disclosure.Hidden):
                        counts["secondary"] += 1
        for breakdown in pattern.regional.values():
            counts["regional"] += len(breakdown.cells)
            counts["regional hidden"] += sum(
                isinstance(c, disclosure.Hidden) for c in breakdown.cells.values()
            )
    return counts


def attack(tables) -> None:
    readers = [None, *tables[0]]
    unknowns = equations = exact = 0
    start = time.perf_counter()
    for reported in tables:
        pattern = disclosure.protect(reported, threshold=THRESHOLD)
        for reader in readers:
            published, truth = pattern_figures(
                pattern, reported, categories=CATEGORIES, reader=reader
            )
            found = ranges(published)
            unknowns += len(found)
            equations += len(published.equations)
            exact += sum(
                1
                for cell, (low, high) in found.items()
                # a focal point knows its own row; what matters is another country's cell
                if low == high
                and truth[cell]
                and (reader is None or (cell[0] == "x" and cell[1] != reader))
            )
    seconds = time.perf_counter() - start
    print(
        f"attack: {len(tables)} indicators x {len(readers)} readers (anyone, each focal point): "
        f"{unknowns} hidden cells, {equations} equations, {2 * unknowns} LPs "
        f"in {seconds:.1f} s; cells found exact: {exact}"
    )


def rerun(tables: int) -> None:
    sex = {"sex": CATEGORIES["sex"]}
    for countries, largest in ((2, 8), (3, 6)):
        leaky = hidden = pinned = skipped = 0
        start = time.perf_counter()
        for seed in range(tables):
            rng = random.Random(seed)
            reported = {}
            for country in ("GT", "HN", "SV")[:countries]:
                cells = {c: rng.randint(0, largest) for c in sex["sex"]}
                reported[country] = disclosure.Reported(sum(cells.values()), {"sex": cells})
            pattern = disclosure.protect(reported, threshold=THRESHOLD)
            hidden_here = sum(
                1
                for country, dimensions in pattern.countries.items()
                for k, c in dimensions["sex"].cells.items()
                if isinstance(c, disclosure.Hidden) and reported[country].breakdown["sex"].get(k)
            )
            try:
                found = rerun_attack(
                    lambda r: disclosure.protect(r, threshold=THRESHOLD),
                    reported,
                    categories=sex,
                    limit=200_000,
                )
            except TooManyTables:
                skipped += 1
                continue
            hidden += hidden_here
            pinned += sum(1 for cell in found if cell[0] == "x")
            leaky += bool(found)
        print(
            f"re-run attack, {countries} countries, cells 0-{largest}: {leaky} of "
            f"{tables - skipped} tables give something away ({skipped} too large to enumerate); "
            f"{pinned} of {hidden} hidden non-zero country cells pinned down "
            f"({time.perf_counter() - start:.0f} s)"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rerun", type=int, default=0)
    args = parser.parse_args()
    if args.rerun:
        rerun(args.rerun)
        return
    batches = [batch(seed, args.indicators) for seed in range(args.runs)]
    print(f"{args.indicators} indicators x 9 countries x {len(CATEGORIES)} dimensions, T=5")
    for insiders in (False, True):
        per_batch, per_indicator = timing(batches, insiders=insiders)
        counts = shares([t for b in batches for t in b], insiders=insiders)
        cells = counts["cells"]
        print(
            f"insiders={insiders!s:5}: {per_batch * 1000:6.0f} ms a batch, "
            f"{per_indicator * 1000:5.1f} ms an indicator ({len(CATEGORIES)} tables); "
            f"non-zero country cells {cells}: primary {counts['primary'] / cells:.1%}, "
            f"secondary {counts['secondary'] / cells:.1%}; regional cells hidden "
            f"{counts['regional hidden'] / counts['regional']:.1%}"
        )
    attack(batches[0][:3])


if __name__ == "__main__":
    main()
