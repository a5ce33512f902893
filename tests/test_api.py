"""The read-only REST API under /api/: shapes, languages, filters, query bounds, schema and docs.

The tests create their own small data set with codes that do not clash with the reference data
(countries "AA"/"AB", axis numbers from 90, instrument orders from 900, indicator codes "T-…"),
so they pass whether or not the reference fixtures are loaded too.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from strategy.models import (
    Activity,
    Axis,
    Country,
    GlossaryTerm,
    Goal,
    GoverningBody,
    Indicator,
    Instrument,
    OperationalObjective,
    Ratification,
)
from tests.conftest import api_token

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _reset_language():
    """The locale middleware activates the request's language; don't leak it into other tests."""
    yield
    translation.deactivate()


def make_axis(number, *, indicator_code=None):
    axis = Axis.objects.create(
        number=number,
        slug=f"test-axis-{number}",
        name_es=f"Eje {number}",
        name_en=f"Axis {number}",
        specific_objective_es="Objetivo específico",
        specific_objective_en="Specific objective",
        description_es="Descripción",
        description_en="Description",
    )
    objective = OperationalObjective.objects.create(
        axis=axis, number=1, text_es="Objetivo operativo", text_en="Operational objective"
    )
    activity = Activity.objects.create(
        objective=objective,
        code=f"{number}.1",
        order=1,
        text_es="Actividad",
        text_en="Activity",
        responsible_es="Ministerio",
        responsible_en="Ministry",
        timeframe_es="Anual",
        timeframe_en="Yearly",
    )
    goal = Goal.objects.create(
        activity=activity, code=f"{number}.1.1", order=1, text_es="Meta", text_en="Goal"
    )
    indicator = Indicator.objects.create(
        code=indicator_code or f"T-{number}",
        goal=goal,
        order=1,
        name_es="Personas capacitadas",
        name_en="People trained",
        unit_es="personas",
        unit_en="people",
        kind=Indicator.Kind.COUNT,
        disaggregations=["sex", "level"],
        target=Decimal("100.00"),
    )
    return axis, indicator


def make_instrument(order, **kwargs):
    values = {
        "short_name_es": f"Protocolo {order}",
        "short_name_en": f"Protocol {order}",
        "name_es": f"Protocolo de prueba número {order}",
        "name_en": f"Test protocol number {order}",
        "kind": Instrument.Kind.PROTOCOL,
        "system": Instrument.System.UN,
        "year": 2000,
    }
    values.update(kwargs)
    return Instrument.objects.create(order=order, **values)


@pytest.fixture
def data(db):
    aa = Country.objects.create(code="AA", name_es="Tierra Alfa", name_en="Alpha Land")
    ab = Country.objects.create(code="AB", name_es="Tierra Beta", name_en="Beta Land")
    GoverningBody.objects.create(
        country=aa,
        name_es="Comisión Nacional Alfa",
        name_en="Alpha National Commission",
        acronym_es="CNA",
        acronym_en="ANC",
    )
    axis, indicator = make_axis(90)
    context = Indicator.objects.create(
        code="T-CTX",
        order=99,
        name_es="Tasa de contexto",
        name_en="Context rate",
        kind=Indicator.Kind.PERCENTAGE,
    )
    protocol = make_instrument(900)
    covenant = make_instrument(
        901, kind=Instrument.Kind.COVENANT, system=Instrument.System.OAS, year=1969
    )
    ratified = Ratification.objects.create(
        instrument=protocol,
        country=aa,
        date=datetime.date(2004, 5, 2),
        source_text="02/05/2004",
        doubtful=True,
        note_es="Fecha leída del cuadro",
        note_en="Date read from the chart",
    )
    pending = Ratification.objects.create(instrument=protocol, country=ab)
    GlossaryTerm.objects.create(
        slug="test-zorblax",
        term_es="Zorblax migratorio",
        term_en="Migratory zorblax",
        definition_es="Definición de prueba sobre fronterizos glorpos.",
        definition_en="Test definition about glorpborders.",
    )
    GlossaryTerm.objects.create(
        slug="test-quuxo",
        term_es="Quuxo",
        term_en="Quuxo",
        definition_es="Otra definición con la palabra glorpfrontera y zorblax.",
        definition_en="",  # no English: the API falls back to Spanish
    )
    return {
        "countries": (aa, ab),
        "axis": axis,
        "indicator": indicator,
        "context": context,
        "instruments": (protocol, covenant),
        "ratifications": (ratified, pending),
    }


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def all_results(client, url, **kwargs):
    """Every row of a paginated list, following `next`."""
    rows = []
    while url:
        page = get_json(client, url, **kwargs)
        assert set(page) == {"count", "next", "previous", "results"}
        rows += page["results"]
        url = page["next"]
    return rows


def by_key(rows, key):
    return {row[key]: row for row in rows}


# --- countries ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_countries_shape_in_spanish_by_default(client, data):
    rows = by_key(all_results(client, "/api/v1/countries/"), "code")
    assert rows["AA"] == {
        "code": "AA",
        "name": "Tierra Alfa",
        "governing_body": {"name": "Comisión Nacional Alfa", "acronym": "CNA"},
    }
    assert rows["AB"] == {"code": "AB", "name": "Tierra Beta", "governing_body": None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "kwargs"),
    [("/api/v1/countries/AA/", {"headers": EN}), ("/api/v1/countries/AA/?lang=en", {})],
)
def test_country_in_english(client, data, url, kwargs):
    assert get_json(client, url, **kwargs) == {
        "code": "AA",
        "name": "Alpha Land",
        "governing_body": {"name": "Alpha National Commission", "acronym": "ANC"},
    }


@pytest.mark.django_db
def test_country_lookup_by_code_any_case(client, data):
    assert get_json(client, "/api/v1/countries/aa/")["name"] == "Tierra Alfa"
    assert client.get("/api/v1/countries/ZZ/").status_code == 404


# --- axes --------------------------------------------------------------------------------------


def expected_axis_es(axis):
    """Axis 90 of `data` as the API shows it, in Spanish."""
    return {
        "id": axis.pk,
        "version": 1,
        "retired": False,
        "number": 90,
        "slug": "test-axis-90",
        "name": "Eje 90",
        "name_es": "Eje 90",
        "name_en": "Axis 90",
        "specific_objective": "Objetivo específico",
        "specific_objective_es": "Objetivo específico",
        "specific_objective_en": "Specific objective",
        "description": "Descripción",
        "description_es": "Descripción",
        "description_en": "Description",
        "operational_objectives": [
            {
                "number": 1,
                "text": "Objetivo operativo",
                "activities": [
                    {
                        "code": "90.1",
                        "text": "Actividad",
                        "responsible": "Ministerio",
                        "timeframe": "Anual",
                        "goals": [
                            {
                                "code": "90.1.1",
                                "text": "Meta",
                                "indicators": [
                                    {
                                        "code": "T-90",
                                        "name": "Personas capacitadas",
                                        "unit": "personas",
                                        "kind": "count",
                                        "disaggregations": ["sex", "level"],
                                        "target": "100.00",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }


@pytest.mark.django_db
def test_axes_nested_matrix(client, data):
    rows = by_key(all_results(client, "/api/v1/axes/"), "number")
    assert rows[90] == expected_axis_es(data["axis"])
    assert get_json(client, "/api/v1/axes/90/") == expected_axis_es(data["axis"])


@pytest.mark.django_db
def test_axes_in_english(client, data):
    axis = get_json(client, "/api/v1/axes/90/", headers=EN)
    assert axis["name"] == "Axis 90"
    activity = axis["operational_objectives"][0]["activities"][0]
    assert (activity["text"], activity["responsible"], activity["timeframe"]) == (
        "Activity",
        "Ministry",
        "Yearly",
    )
    indicator = activity["goals"][0]["indicators"][0]
    assert (indicator["name"], indicator["unit"]) == ("People trained", "people")


# --- indicators --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicator_shape_and_place_in_the_matrix(client, data):
    indicator = data["indicator"]
    assert get_json(client, "/api/v1/indicators/T-90/") == {
        "id": indicator.pk,
        "version": 1,
        "retired": False,
        "code": "T-90",
        "goal_id": indicator.goal_id,
        "goal": "90.1.1",
        "activity": "90.1",
        "axis": 90,
        "order": 1,
        "name": "Personas capacitadas",
        "name_es": "Personas capacitadas",
        "name_en": "People trained",
        "unit": "personas",
        "unit_es": "personas",
        "unit_en": "people",
        "kind": "count",
        "disaggregations": ["sex", "level"],
        "baseline": None,
        "target": "100.00",
    }
    context = get_json(client, "/api/v1/indicators/T-CTX/?lang=en")
    assert context["name"] == "Context rate"
    assert (context["goal"], context["activity"], context["axis"], context["target"]) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.django_db
def test_indicator_filters(client, data):
    rows = all_results(client, "/api/v1/indicators/?axis=90")
    assert [row["code"] for row in rows] == ["T-90"]
    codes = {row["code"] for row in all_results(client, "/api/v1/indicators/?kind=percentage")}
    assert "T-CTX" in codes
    assert "T-90" not in codes
    assert client.get("/api/v1/indicators/?kind=nonsense").status_code == 400


# --- instruments -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_instruments_shape_and_filters(client, data):
    rows = by_key(all_results(client, "/api/v1/instruments/"), "order")
    assert rows[900] == {
        "order": 900,
        "short_name": "Protocolo 900",
        "name": "Protocolo de prueba número 900",
        "kind": "protocol",
        "system": "un",
        "year": 2000,
    }
    covenants = by_key(all_results(client, "/api/v1/instruments/?kind=covenant"), "order")
    assert 901 in covenants
    assert 900 not in covenants
    assert all(row["kind"] == "covenant" for row in covenants.values())
    oas = by_key(all_results(client, "/api/v1/instruments/?system=oas"), "order")
    assert 901 in oas
    assert 900 not in oas
    english = by_key(all_results(client, "/api/v1/instruments/", headers=EN), "order")
    assert english[900]["short_name"] == "Protocol 900"


# --- ratifications -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["AA", "aa", " Aa "])
def test_ratifications_by_country_any_case(client, data, code):
    protocol = data["instruments"][0]
    rows = all_results(client, "/api/v1/ratifications/", data={"country": code})
    assert rows == [
        {
            "instrument": {
                "id": protocol.pk,
                "short_name": "Protocolo 900",
                "name": "Protocolo de prueba número 900",
            },
            "country": "AA",
            "date": "2004-05-02",
            "accession": False,
            "source_text": "02/05/2004",
            "doubtful": True,
            "note": "Fecha leída del cuadro",
        }
    ]


@pytest.mark.django_db
def test_ratification_dates_are_iso_or_null(client, data):
    rows = by_key(
        all_results(client, f"/api/v1/ratifications/?instrument={data['instruments'][0].pk}"),
        "country",
    )
    assert set(rows) == {"AA", "AB"}
    assert datetime.date.fromisoformat(rows["AA"]["date"]) == datetime.date(2004, 5, 2)
    assert rows["AB"]["date"] is None


@pytest.mark.django_db
def test_ratifications_in_english(client, data):
    rows = all_results(client, "/api/v1/ratifications/?country=AA&lang=en")
    assert rows[0]["note"] == "Date read from the chart"
    assert rows[0]["instrument"]["short_name"] == "Protocol 900"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ZZ", "zz", "HONDURAS"])
def test_ratifications_unknown_country_is_a_clear_400(client, data, code):
    body = get_json(client, "/api/v1/ratifications/", status=400, data={"country": code})
    assert list(body) == ["country"]
    assert code.upper() in body["country"][0]
    assert "ISO" in body["country"][0]


@pytest.mark.django_db
def test_ratifications_ratified_filter(client, data):
    instrument = data["instruments"][0].pk
    url = f"/api/v1/ratifications/?instrument={instrument}&ratified="
    assert [row["country"] for row in all_results(client, url + "true")] == ["AA"]
    assert [row["country"] for row in all_results(client, url + "false")] == ["AB"]
    unknown = Instrument.objects.order_by("-pk").first().pk + 1
    assert client.get(f"/api/v1/ratifications/?instrument={unknown}").status_code == 400


# --- glossary ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_glossary_shape(client, data):
    rows = by_key(all_results(client, "/api/v1/glossary/"), "slug")
    assert rows["test-zorblax"] == {
        "slug": "test-zorblax",
        "term": "Zorblax migratorio",
        "definition": "Definición de prueba sobre fronterizos glorpos.",
    }
    english = get_json(client, "/api/v1/glossary/test-zorblax/", headers=EN)
    assert english["term"] == "Migratory zorblax"
    # No English definition: falls back to Spanish rather than coming out empty.
    assert get_json(client, "/api/v1/glossary/test-quuxo/?lang=en")["definition"].startswith("Otra")


@pytest.mark.django_db
def test_glossary_search_in_the_active_language(client, data):
    def slugs(url, **kwargs):
        return {row["slug"] for row in all_results(client, url, **kwargs)}

    # Term (case-insensitive) and definition, Spanish by default.
    assert slugs("/api/v1/glossary/?search=ZORBLAX") == {"test-zorblax", "test-quuxo"}
    assert slugs("/api/v1/glossary/?search=migratorio") == {"test-zorblax"}
    assert slugs("/api/v1/glossary/?search=fronterizos glorpos") == {"test-zorblax"}
    # English: English words match, Spanish ones do not...
    assert slugs("/api/v1/glossary/?search=glorpborders", headers=EN) == {"test-zorblax"}
    assert slugs("/api/v1/glossary/?search=glorpborders") == set()
    assert slugs("/api/v1/glossary/?search=migratorio&lang=en") == set()
    # ...except where the English text is missing and the reader sees the Spanish fallback.
    assert slugs("/api/v1/glossary/?search=glorpfrontera&lang=en") == {"test-quuxo"}


# --- plan items: objectives, activities, goals; items in force and retired ones ---------------


@pytest.mark.django_db
def test_objective_activity_goal_shapes(client, data):
    objective = OperationalObjective.objects.get(axis=data["axis"])
    activity = Activity.objects.get(objective=objective)
    goal = Goal.objects.get(activity=activity)
    assert get_json(client, f"/api/v1/objectives/{objective.pk}/") == {
        "id": objective.pk,
        "version": 1,
        "retired": False,
        "axis": 90,
        "number": 1,
        "text": "Objetivo operativo",
        "text_es": "Objetivo operativo",
        "text_en": "Operational objective",
    }
    assert get_json(client, f"/api/v1/activities/{activity.pk}/?lang=en") == {
        "id": activity.pk,
        "version": 1,
        "retired": False,
        "objective": objective.pk,
        "axis": 90,
        "code": "90.1",
        "order": 1,
        "text": "Activity",
        "text_es": "Actividad",
        "text_en": "Activity",
        "responsible": "Ministry",
        "responsible_es": "Ministerio",
        "responsible_en": "Ministry",
        "timeframe": "Yearly",
        "timeframe_es": "Anual",
        "timeframe_en": "Yearly",
    }
    assert get_json(client, f"/api/v1/goals/{goal.pk}/") == {
        "id": goal.pk,
        "version": 1,
        "retired": False,
        "activity": activity.pk,
        "axis": 90,
        "code": "90.1.1",
        "order": 1,
        "text": "Meta",
        "text_es": "Meta",
        "text_en": "Goal",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["objectives", "activities", "goals"])
def test_plan_item_lists_filter_by_axis(client, data, endpoint):
    make_axis(91)
    rows = all_results(client, f"/api/v1/{endpoint}/?axis=90")
    assert [row["axis"] for row in rows] == [90]
    assert {row["axis"] for row in all_results(client, f"/api/v1/{endpoint}/")} >= {90, 91}


def retire(item):
    """Retired behind the API's back, as the admin or an import might."""
    type(item).objects.filter(pk=item.pk).update(retired_at=datetime.datetime.now(datetime.UTC))


def token_headers(user):
    return {"Authorization": f"Token {api_token(user)}"}


# Each plan endpoint, with the retired item it should hide and how to look it up.
RETIRED_CASES = {
    "axes": lambda d: (d["axis"], "number"),
    "objectives": lambda d: (OperationalObjective.objects.get(axis=d["axis"]), "pk"),
    "activities": lambda d: (Activity.objects.get(objective__axis=d["axis"]), "pk"),
    "goals": lambda d: (Goal.objects.get(activity__objective__axis=d["axis"]), "pk"),
    "indicators": lambda d: (d["indicator"], "code"),
}


def _key(endpoint):
    return {"axes": "number", "indicators": "code"}.get(endpoint, "id")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(RETIRED_CASES))
def test_lists_show_items_in_force_only(client, data, endpoint, secretariat):
    item, lookup = RETIRED_CASES[endpoint](data)
    key = getattr(item, lookup)
    url = f"/api/v1/{endpoint}/"
    assert key in by_key(all_results(client, url), _key(endpoint))
    retire(item)
    assert key not in by_key(all_results(client, url), _key(endpoint))
    assert key not in by_key(
        all_results(client, url, headers=token_headers(secretariat)), _key(endpoint)
    )
    # Its own URL is gone for the public, not for the secretariat.
    assert client.get(f"{url}{key}/").status_code == 404
    assert get_json(client, f"{url}{key}/", headers=token_headers(secretariat))["retired"] is True
    # The secretariat lists the retired items with ?retired=true, and only those.
    retired = all_results(client, f"{url}?retired=true", headers=token_headers(secretariat))
    assert [row[_key(endpoint)] for row in retired] == [key]
    assert all(row["retired"] for row in retired)
    in_force = all_results(client, f"{url}?retired=false", headers=token_headers(secretariat))
    assert key not in by_key(in_force, _key(endpoint))


@pytest.mark.django_db
def test_retired_children_leave_the_axis_matrix(client, data):
    retire(Goal.objects.get(activity__objective__axis=data["axis"]))
    activity = get_json(client, "/api/v1/axes/90/")["operational_objectives"][0]["activities"][0]
    assert activity["goals"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(RETIRED_CASES))
def test_only_the_secretariat_lists_retired_items(client, data, endpoint, observer, focal_hn):
    url = f"/api/v1/{endpoint}/?retired=true"
    assert client.get(url).status_code == 401
    for user in (observer, focal_hn):
        response = client.get(url, headers=token_headers(user) | EN)
        assert response.status_code == 403
        assert response.json() == {"detail": "Only the secretariat may list retired items."}
    response = client.get(f"/api/v1/{endpoint}/?retired=maybe")
    assert response.status_code == 400
    assert list(response.json()) == ["retired"]


# --- query bounds ------------------------------------------------------------------------------


def make_rows(endpoint, n):
    """n more rows for the endpoint's list, each with everything its serializer reads."""
    if endpoint == "countries":
        for i in range(n):
            country = Country.objects.create(code=_code(i), name_es=f"País {i}")
            GoverningBody.objects.create(country=country, name=f"Body {i}", acronym=f"B{i}")
    elif endpoint in ("axes", "objectives", "activities", "goals", "indicators"):
        for i in range(n):
            make_axis(100 + i)
    elif endpoint == "instruments":
        for i in range(n):
            make_instrument(1000 + i)
    elif endpoint == "ratifications":
        country = Country.objects.create(code="QQ", name_es="País Q")
        for i in range(n):
            Ratification.objects.create(
                instrument=make_instrument(1000 + i),
                country=country,
                date=datetime.date(2000, 1, 1),
            )
    elif endpoint == "glossary":
        for i in range(n):
            GlossaryTerm.objects.create(
                slug=f"bound-{i}", term_es=f"Término {i}", term_en=f"Term {i}", definition_es="D"
            )


def _code(i):
    """The i-th code of the user-assigned ISO ranges XA–XZ and QM–QZ, which no country has."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "X" + letters[i] if i < 26 else "Q" + letters[12 + i - 26]


# Largest number of queries each list may take: pagination's COUNT, the rows, and for the axes
# one query per level of the prefetched matrix. The country filter adds its validation lookup.
QUERY_BOUNDS = {
    "countries": ("/api/v1/countries/", 2),
    "axes": ("/api/v1/axes/", 6),
    "objectives": ("/api/v1/objectives/", 2),
    "activities": ("/api/v1/activities/", 2),
    "goals": ("/api/v1/goals/", 2),
    "indicators": ("/api/v1/indicators/", 2),
    "instruments": ("/api/v1/instruments/", 2),
    "ratifications": ("/api/v1/ratifications/?country=qq", 3),
    "glossary": ("/api/v1/glossary/?search=m", 2),
}


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("endpoint", list(QUERY_BOUNDS))
def test_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, endpoint, n):
    make_rows(endpoint, n)
    url, bound = QUERY_BOUNDS[endpoint]
    with django_assert_max_num_queries(bound):
        page = get_json(client, url)
    assert page["count"] >= n
    assert len(page["results"]) >= n


# --- schema and docs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_is_openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
        "/api/v1/axes/",
        "/api/v1/indicators/{code}/",
        "/api/v1/instruments/",
        "/api/v1/ratifications/",
        "/api/v1/glossary/",
        "/api/v1/objectives/{id}/",
        "/api/v1/activities/{id}/retire/",
        "/api/v1/goals/",
    ):
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/ratifications/"]["get"]["parameters"]}
    assert {"country", "instrument", "ratified", "page"} <= parameters


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.mark.django_db
def test_docs_page_has_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    tags = SCRIPT_TAG.findall(html)
    assert tags, "the docs page loads Swagger UI through script tags"
    for attributes in tags:
        assert re.search(r"\ssrc=", attributes) or re.search(r"\snonce=", attributes), attributes
    # The page is served under a CSP that forbids inline scripts.
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src
    # The init script lives at its own URL, on this site.
    sources = [re.search(r'src="([^"]*)"', tag).group(1).replace("&amp;", "&") for tag in tags]
    init = [src for src in sources if src.startswith("/api/docs/") and "script" in src]
    assert len(init) == 1, sources
    script = client.get(init[0])
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_schema_documents_token_sign_in_and_plan_writes(client):
    schema = client.get("/api/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    token = schema["paths"]["/api/v1/auth/token/"]
    assert list(token) == ["post"]
    assert token["post"]["security"] == [{}]
    assert {"200", "400", "429"} <= set(token["post"]["responses"])
    plan = {
        "/api/v1/axes/{number}/": {"get", "patch"},
        "/api/v1/objectives/": {"get", "post"},
        "/api/v1/objectives/{id}/": {"get", "patch"},
        "/api/v1/objectives/{id}/retire/": {"post"},
        "/api/v1/activities/": {"get", "post"},
        "/api/v1/activities/{id}/": {"get", "patch"},
        "/api/v1/goals/{id}/": {"get", "patch"},
        "/api/v1/indicators/": {"get", "post"},
        "/api/v1/indicators/{code}/": {"get", "patch"},
        "/api/v1/indicators/{code}/retire/": {"post"},
    }
    for path, methods in plan.items():
        operations = schema["paths"][path]
        assert set(operations) - {"parameters"} == methods, path
        for method, operation in operations.items():
            security = operation["security"]
            assert {"tokenAuth": []} in security
            # Reading is public; writing needs credentials.
            assert ({} in security) == (method == "get"), (path, method)
            if method == "patch" or path.endswith("/retire/"):
                assert "409" in operation["responses"], (path, method)
    assert "/api/v1/axes/{number}/retire/" not in schema["paths"]
    assert "post" not in schema["paths"]["/api/v1/axes/"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]}
    assert {"retired", "axis", "objective", "page"} <= parameters


def test_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi:")
