"""Starts Django for a benchmark run as a script (`python benchmarks/entry_page.py`): the checkout
on the import path and production-like settings (DEBUG off, hashed static files, request logs
silenced, plain HTTP from the test client). Whatever the environment already sets wins, and a
script passes what it needs differently."""

import os
import sys
from pathlib import Path

PRODUCTION_LIKE = {
    "DJANGO_SETTINGS_MODULE": "corett.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret-0123456789abcdef",
    "LOG_LEVEL": "WARNING",
}


def setup(**different: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for name, value in {**PRODUCTION_LIKE, **different}.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
