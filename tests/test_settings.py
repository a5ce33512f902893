"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-4f9c2e7a1b3d5f6a8c0e2b4d6f8a0c2e",
    "ALLOWED_HOSTS": "portal.corett.example",
    "DATABASE_URL": "sqlite:////tmp/corett-deploy-check.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "corett.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_web_process_sets_what_it_loaded_aside_from_the_garbage_collector():
    """corett/wsgi.py freezes what is loaded at start (gc.freeze): full collections then walk only
    what requests make, not the 200,000 objects of the loaded code (a pause of ~0.1 s each)."""
    script = "import gc, corett.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "corett.settings", **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked = map(int, result.stdout.split())
    assert frozen > 10 * tracked, result.stdout


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_without_debug_is_refused():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DEBUG", "maybe", "DEBUG must be one of"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL is not a usable database address"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number"),
        ("API_TOKEN_TTL", "a month", "API_TOKEN_TTL must be a whole number"),
        ("API_TOKEN_TTL", "0", "API_TOKEN_TTL must be a number of days, 1 or more"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(name, value, message):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_token_lifetime_and_cache_come_from_the_environment():
    code = (
        "from django.conf import settings; from knox.settings import knox_settings; "
        "print(knox_settings.TOKEN_TTL.days, settings.CACHES['default']['BACKEND'])"
    )
    result = manage("shell", "-c", code, **PRODUCTION, API_TOKEN_TTL="7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "7",
        "django.core.cache.backends.redis.RedisCache",
    ]
    result = manage("shell", "-c", code, **{**PRODUCTION, "CACHE_URL": ""})
    assert result.stdout.splitlines()[-1].split() == [
        "30",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


# --- Stored files, logs and metrics (issue 16) ---------------------------------------------------


@pytest.mark.parametrize(
    "env, message",
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be one of filesystem, s3"),
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be json or text"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN must be at least 24 characters"),
    ],
)
def test_bad_operations_values_are_refused(env, message):
    result = manage("check", **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert message in result.stderr


SHOW_STORAGES = (
    "from django.core.files.storage import storages; "
    "print([type(storages[a]).__name__ for a in ('default', 'reports')], "
    "storages['reports'].location)"
)


def test_files_are_on_the_file_system_by_default_and_in_object_storage_with_s3():
    local = manage("shell", "-c", SHOW_STORAGES, **PRODUCTION, MEDIA_ROOT="/srv/media")
    assert local.returncode == 0, local.stderr
    atomic = "['AtomicFileSystemStorage', 'AtomicFileSystemStorage']"
    assert f"{atomic} /srv/media/reports" in local.stdout
    s3 = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "corett-media", "AWS_LOCATION": "p"}
    remote = manage("shell", "-c", SHOW_STORAGES, **PRODUCTION, **s3)
    assert remote.returncode == 0, remote.stderr
    assert "['S3Storage', 'S3Storage'] p/reports" in remote.stdout
    deploy = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **s3)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
