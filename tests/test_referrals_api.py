"""The directory's API: actors with the directory's filters (contact persons only for signed-in
requests), complaint lines, routes with ordered steps; clear 400s; bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.models import Actor, ContactPerson, Hotline, Route, RouteStep
from strategy.models import Country
from tests.conftest import api_token

pytestmark = pytest.mark.django_db


def results(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def contact():
    actor = Actor.objects.get(acronym_es="CICESCT")
    return ContactPerson.objects.create(actor=actor, name="Luis Enlace", phone="+504 1111-2222")


def test_contact_persons_are_absent_for_anonymous_requests(client, contact):
    for actor in results(client, "/api/v1/actors/?country=HN"):
        assert "contact_persons" not in actor
    detail = client.get(f"/api/v1/actors/{contact.actor_id}/").json()
    assert "contact_persons" not in detail and "Luis Enlace" not in str(detail)


def test_contact_persons_are_present_for_signed_in_requests(client, contact, observer):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token(observer)}"}
    detail = client.get(f"/api/v1/actors/{contact.actor_id}/", **auth).json()
    assert detail["contact_persons"] == [
        {"name": "Luis Enlace", "position": "", "phone": "+504 1111-2222", "email": ""}
    ]


def test_actor_shape(client):
    actor = next(
        a for a in results(client, "/api/v1/actors/?country=hn") if a["acronym"] == "CICESCT"
    )
    assert actor["country"] == "HN" and actor["is_governing_body"] is True
    assert actor["roles"] == ["coordination", "hotline"] and actor["stale"] is True
    assert actor["to_be_verified"] is True and actor["verified_at"] is None
    english = client.get(f"/api/v1/actors/{actor['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"].startswith("Interinstitutional Commission")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("country=regional", {"CORETT", "OIM / IOM", "UNODC", "CRM / RCM"}),
        ("country=HN&role=protection", {"DINAF"}),
        ("population=children&country=PA", {""}),
        ("q=ninez&country=HN", {"DINAF"}),
        ("q=NIÑEZ&country=HN", {"DINAF"}),
        ("sector=international&q=migracion", {"OIM / IOM", "CRM / RCM"}),
    ],
)
def test_actor_filters(client, query, expected):
    assert {a["acronym"] for a in results(client, f"/api/v1/actors/?{query}")} == expected


BAD = ["/api/v1/actors/?country=XX", "/api/v1/actors/?role=rescue", "/api/v1/routes/?country=ZZ"]


@pytest.mark.parametrize("url", [*BAD, "/api/v1/hotlines/?country=Q"])
def test_bad_filters_are_a_clear_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()


def test_hotlines_by_country(client):
    lines = results(client, "/api/v1/hotlines/?country=hn")
    assert [line["number"] for line in lines] == ["145", "3399-4699"]
    assert lines[0]["source_url"].startswith("https://") and lines[0]["to_be_verified"] is True
    assert results(client, "/api/v1/hotlines/?country=SV") == []


def test_routes_with_ordered_steps(client):
    (route,) = results(client, "/api/v1/routes/?country=HN")
    assert route["country"] == "HN"
    assert [step["order"] for step in route["steps"]] == [1, 2, 3, 4, 5, 6]
    assert "DINAF" in {a["acronym"] for a in route["steps"][1]["actors"]}
    (regional,) = results(client, "/api/v1/routes/?country=regional")
    assert regional["country"] is None
    assert any(step["links_national_routes"] for step in regional["steps"])


@pytest.mark.parametrize("signed", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("endpoint", ["actors", "hotlines", "routes"])
def test_lists_run_in_bounded_queries(
    client, observer, endpoint, signed, django_assert_max_num_queries
):
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token(observer)}"} if signed else {}
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/{endpoint}/", **auth)
    honduras = Country.objects.get(code="HN")
    route = Route.objects.get(country=honduras)
    for number in range(30):
        actor = Actor.objects.create(name_es=f"Org {number}", sector="media", country=honduras)
        ContactPerson.objects.create(actor=actor, name=f"Persona {number}")
        Hotline.objects.create(country=honduras, number=str(1000 + number))
        RouteStep.objects.create(
            route=route, order=20 + number, title_es="x", action_es="x"
        ).actors.add(actor)
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"/api/v1/{endpoint}/", **auth).status_code == 200
