"""Queries and render time of each public page and API list, on the database DATABASE_URL names.

Run: .venv/bin/python benchmarks/pages.py   (after `make load`; prints one line per page)
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PATHS = [
    "/es/",
    "/es/strategy/",
    "/es/axes/sensitization/",
    "/es/countries/",
    "/es/countries/HN/",
    "/es/normative-framework/",
    "/es/conceptual-framework/",
    "/es/glossary/?q=migración",
    "/api/v1/axes/",
    "/api/v1/ratifications/?country=HN",
    "/api/v1/countries/",
    "/api/v1/indicators/",
    "/api/v1/instruments/",
    "/api/v1/glossary/",
]
RUNS = 20


def main():
    client = Client()
    print(f"{'page':42s} {'status':>6s} {'queries':>7s} {'median ms':>9s}")
    for path in PATHS:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        query_count = len(queries)  # read now: each later request resets the query log
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{path:42s} {status:6d} {query_count:7d} {statistics.median(times):9.1f}")


if __name__ == "__main__":
    main()
