"""Faults the portal must survive: two people saving the same value at the same moment, and the
database going away between requests. (Broker and worker faults are in tests/test_reports*.py.)

These tests commit for real, from several connections at once, so they need PostgreSQL, which CI
runs them on; SQLite serialises writers and has no server to lose."""

import threading
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client

from monitoring.models import Narrative, Period, Value
from monitoring.values import narratives, services
from strategy.models import Country, Indicator
from tests.conftest import api_token, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (CI runs it there)"
    ),
]

TRAINERS = "TRA-2.1.1-a"


def cell():
    return {
        "indicator": Indicator.objects.get(code=TRAINERS),
        "country": Country.objects.get(code="HN"),
        "period": Period.objects.get(code="2026"),
    }


def at_once(*calls):
    """Runs the calls in threads released together, each on its own database connection;
    returns what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[i] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def saving(user, number, version):
    return lambda: services.value_save(
        user=user, **cell(), number=number, path="form", version=version
    )


def assert_one_won_and_the_other_was_told(outcomes):
    saved = [o for o in outcomes if isinstance(o, Value)]
    refused = [o for o in outcomes if isinstance(o, services.StaleValue)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].current.number == saved[0].number  # the loser is shown what won
    value = Value.objects.get(**cell())
    assert value.number == saved[0].number
    chain = list(value.audits.order_by("pk"))
    assert chain[0].before is None
    for previous, audit in zip(chain, chain[1:], strict=False):
        assert audit.before == previous.after
    assert chain[-1].after["number"] == f"{saved[0].number:.2f}"
    return value, chain


def test_two_people_changing_the_same_value_at_once():
    focal, secretariat = make_user("focal-hn", "focal_point", "HN"), make_user("sec", "secretariat")
    first = services.value_save(user=focal, **cell(), number=10, path="form")
    outcomes = at_once(saving(focal, 11, first.version), saving(secretariat, 12, first.version))
    value, chain = assert_one_won_and_the_other_was_told(outcomes)
    assert len(chain) == 2 and value.version == first.version + 1


def test_two_people_entering_a_value_nobody_had_entered_yet():
    focal, secretariat = make_user("focal-hn", "focal_point", "HN"), make_user("sec", "secretariat")
    outcomes = at_once(saving(focal, 11, 0), saving(secretariat, 12, 0))  # both saw it empty
    _, chain = assert_one_won_and_the_other_was_told(outcomes)
    assert len(chain) == 1


def test_two_people_writing_the_first_narrative_at_once():
    focal, secretariat = make_user("focal-hn", "focal_point", "HN"), make_user("sec", "secretariat")
    where = {"country": Country.objects.get(code="HN"), "period": Period.objects.get(code="2026")}

    def writing(user, text):
        return lambda: narratives.narrative_save(user=user, **where, progress=text, version=0)

    outcomes = at_once(writing(focal, "Ours"), writing(secretariat, "Theirs"))
    saved = [o for o in outcomes if isinstance(o, Narrative)]
    refused = [o for o in outcomes if isinstance(o, narratives.StaleNarrative)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].current.progress == saved[0].progress
    assert Narrative.objects.get(**where).progress == saved[0].progress


def test_two_first_saves_through_the_api_at_once(client):
    """Whichever request reaches the database second is told about the first one's value (409),
    whether it noticed before writing or only when the database refused the duplicate."""
    focal, secretariat = make_user("focal-hn", "focal_point", "HN"), make_user("sec", "secretariat")
    body = {"country": "HN", "indicator": TRAINERS, "period": "2026"}

    def posting(user, number):
        token = api_token(user)
        return lambda: Client().post(
            "/api/v1/values/",
            body | {"value": number},
            content_type="application/json",
            headers={"Authorization": f"Token {token}"},
        )

    first, second = at_once(posting(focal, 11), posting(secretariat, 12))
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    created, refused = (first, second) if first.status_code == 201 else (second, first)
    assert refused.json()["current"]["value"] == created.json()["value"]
    assert Value.objects.get(**cell()).audits.count() == 1


def served(path):
    """A GET through Django's WSGI handler, as a real server makes it: unlike the test client, it
    runs Django's per-request connection checks (CONN_HEALTH_CHECKS), which are what is tested."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    status = []
    response = get_wsgi_application()(environ, lambda line, headers, exc=None: status.append(line))
    try:
        b"".join(response)
    finally:
        response.close()
    return int(status[0].split()[0])


def test_the_first_request_after_the_database_dropped_its_connections_succeeds():
    assert served("/es/monitoring/") == 200
    assert connection.connection is not None, "the connection is kept between requests"
    backend = connection.connection.info.backend_pid

    # What a database restart does to the portal's open connections.
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])

    assert served("/es/monitoring/") == 200
    assert connection.connection.info.backend_pid != backend
    assert served("/es/") == 200
