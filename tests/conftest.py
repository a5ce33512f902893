"""One shared world: the strategy document's content, loaded once per test session, and one account
per role, including a focal point for every member country."""

import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from corett.access import must_use_second_factor
from corett.api_tokens import issue_api_token
from corett.models import User
from strategy.models import Country

PASSWORD = "a-test-password-of-enough-length"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data, loaded once. Tests that need other threads or processes to see what they
    write (live server, real worker, concurrent saves) commit for real and so end with Django
    emptying every table: they are marked `django_db(transaction=True, serialized_rollback=True)`,
    which puts this snapshot back before each of them (pytest-django runs them after the others)."""
    with django_db_blocker.unblock():
        call_command("load_strategy", verbosity=0)
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session", autouse=True)
def static_files_collected(tmp_path_factory):
    """Static files as production serves them (corett/settings.py, STORAGES): collected under
    hashed names with compressed copies, in a folder of this session's own. Pages name their
    stylesheets through the manifest this writes, so it comes before any page is rendered."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture(autouse=True)
def tasks_run_in_process(request, monkeypatch):
    """Celery tasks run in the test's own process and transaction, whatever broker CI configures,
    so that no test leaves a task queued in Redis. Tests marked `real_worker` opt out."""
    if "real_worker" not in request.keywords:
        from corett.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)
        monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Sign-in delays and form limits live in Django's cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


def api_token(user) -> str:
    """A new API token of user, as the sign-in endpoint hands it out."""
    return issue_api_token(user=user)[1]


def make_user(username, role, country_code=None, **extra):
    country = Country.objects.get(code=country_code) if country_code else None
    return User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, role=role, country=country, **extra
    )


@pytest.fixture
def secretariat(db):
    return make_user("secretariat", User.Role.SECRETARIAT)


@pytest.fixture
def observer(db):
    return make_user("observer", User.Role.OBSERVER)


@pytest.fixture
def focal_hn(db):
    return make_user("focal-hn", User.Role.FOCAL_POINT, "HN")


@pytest.fixture
def focal_sv(db):
    return make_user("focal-sv", User.Role.FOCAL_POINT, "SV")


@pytest.fixture
def focal_points(db):
    """A focal point for each of the nine member countries, by ISO code."""
    return {
        c.code: make_user(f"focal-{c.code.lower()}", User.Role.FOCAL_POINT, c.code)
        for c in Country.objects.all()
    }


def signed_in(client, user):
    """The client, signed in as user, past two-factor too (tests of sign-in itself do not use this).

    A user who must use two-factor (the secretariat outside demo mode), or has a device, gets a
    confirmed TOTP device if none yet, and the session is marked as verified with it.
    """
    client.force_login(user)
    if must_use_second_factor(user) or any(devices_for_user(user)):
        device = next(devices_for_user(user), None) or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- Stored files in object storage (issue 16) ----------------------------------------------------


@pytest.fixture(scope="session")
def object_storage(tmp_path_factory):
    """A local S3-compatible server (moto in server mode, on a free loopback port) for the whole
    session, with the portal's bucket (tests.processes.ObjectStorage)."""
    from tests.processes import MotoServer

    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server.storage
    server.stop(timeout=10)


@pytest.fixture
def in_object_storage(settings, object_storage, tmp_path):
    """This test's files in the bucket (MEDIA_STORAGE=s3), under a prefix of its own, and an empty
    MEDIA_ROOT and REPORTS_ROOT that must stay empty. Returns (object storage, prefix)."""
    from corett.storages import S3, file_storages

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    for name, value in object_storage.environment(prefix).items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_ROOT = tmp_path / "media" / "reports"
    settings.STORAGES = {**settings.STORAGES, **file_storages(S3, location=prefix)}
    return object_storage, prefix
