"""Every write operation of the API against the hostile corpus, found in the OpenAPI schema
(tests/hostile/api.py): each writable property gets the bad values of its JSON type, the rest of
the body valid, each request in a savepoint rolled back afterwards. Refused: a 4xx in JSON and
nothing written. Taken: stored as given. Never a 500. Then bodies that are not JSON objects,
query parameters of every list, and the Authorization header."""

import json
from decimal import Decimal

import pytest
from django.conf import settings

from tests.conftest import api_token

from .api import RAW_BODIES, WRITES, body_properties, must_refuse, openapi, values_for
from .api import write_operations as schema_writes
from .corpus import (
    FORMULAS,
    INJECTIONS,
    LONG,
    NON_ASCII_DIGITS,
    NUL,
    RTL,
    SCRIPT,
    Unchanged,
    assert_no_server_error,
    rolled_back,
    short,
)

SCHEMA = openapi()
OPERATIONS = {(method, path): operation for method, path, operation in schema_writes(SCHEMA)}


def headers_for(world, role) -> dict:
    if role == "anonymous":
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {api_token(world[role])}"}


def send(client, method, path, body, headers, *, raw=False):
    data = body if raw else json.dumps(body)
    return client.generic(method, path, data, content_type="application/json", **headers)


def prepare(world, operation):
    write = WRITES[operation]
    made = write.setup(world)
    path = operation[1].format(**write.path(world, made))
    return write, made, path, headers_for(world, write.role)


def assert_json_answer(response):
    assert_no_server_error(response)
    if response.content:
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]


def test_every_write_operation_has_a_valid_request():
    assert set(OPERATIONS) - set(WRITES) == set(), "add a valid request to tests/hostile/api.py"
    assert set(WRITES) - set(OPERATIONS) == set(), "these operations are no longer in the schema"


@pytest.mark.parametrize("operation", list(WRITES), ids=" ".join)
def test_the_valid_request_is_taken(client, world, operation):
    write, made, path, headers = prepare(world, operation)
    response = send(client, operation[0], path, write.body(world, made), headers)
    assert 200 <= response.status_code < 300, response.content


def _properties(operation):
    properties = body_properties(SCHEMA, OPERATIONS[operation])
    method, path = operation
    # Fields that the creation of the same kind of item takes are tried there (one serializer).
    created = ("POST", path.split("{")[0])
    tried = (
        body_properties(SCHEMA, OPERATIONS[created])
        if method == "PATCH" and created in OPERATIONS
        else {}
    )
    return [
        name
        for name in properties
        # The English twin of a Spanish text is the same kind of field.
        if not (name.endswith("_en") and name.removesuffix("_en") + "_es" in properties)
        and (name == "version" or name not in tried)
    ]


CASES = [
    pytest.param(operation, name, id=f"{' '.join(operation)} {name}")
    for operation in WRITES
    if operation in OPERATIONS
    for name in _properties(operation)
]


@pytest.mark.parametrize("operation, name", CASES)
def test_hostile_values(client, world, operation, name):
    write, made, path, headers = prepare(world, operation)
    body_schema = OPERATIONS[operation]["requestBody"]["content"]["application/json"]["schema"]
    required = name in SCHEMA["components"]["schemas"].get(
        body_schema.get("$ref", "/").rsplit("/", 1)[-1], body_schema
    ).get("required", [])
    prop = body_properties(SCHEMA, OPERATIONS[operation])[name]
    unchanged = Unchanged()
    for value in values_for(prop):
        with rolled_back():
            body = write.body(world, made) | {name: value}
            with unchanged.watch():
                response = send(client, operation[0], path, body, headers)

            assert_json_answer(response)
            if must_refuse(prop, value, required=required):
                answer = response.content[:300]
                assert 400 <= response.status_code < 500, f"{name}={short(value)}: {answer!r}"
                assert unchanged, f"{short(value)} in {name} was written"
            elif response.status_code < 300 and isinstance(value, str) and value:
                shown_as = write.echo.get(name, name)
                answer = response.json()
                if shown_as not in answer:
                    continue  # the answer does not show it (a password, a reason kept in history)
                echoed = answer[shown_as]
                if not value.strip():
                    assert echoed in ("", None), f"{name}={short(value)}: {echoed!r}"
                elif value.isdecimal():  # digits of another script, read as a number
                    assert Decimal(echoed) == int(value), f"{name}={short(value)}: {echoed!r}"
                else:
                    assert echoed in (value, value.strip()), f"{name}={short(value)}: {echoed!r}"


@pytest.mark.parametrize("operation", list(WRITES), ids=" ".join)
def test_bodies_that_are_not_json_objects(client, world, operation):
    write, made, path, headers = prepare(world, operation)
    unchanged = Unchanged()
    for raw in RAW_BODIES.values():
        with unchanged.watch():
            response = send(client, operation[0], path, raw, headers, raw=True)
        assert_json_answer(response)
        assert 400 <= response.status_code < 500, (raw[:40], response.content[:200])
        assert unchanged


QUERY_VALUES = [NUL, LONG, "9" * 400, "1e309", "١٢٣", "%00", SCRIPT]
LISTS = [
    (path, [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"])
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method == "get" and "{" not in path
]


@pytest.mark.parametrize("path, names", LISTS, ids=[path for path, _names in LISTS])
def test_bad_query_parameters(client, world, path, names):
    """Filters, pages and the language of every list: a 400 or a 404 (a page beyond the last),
    or the list; never a 500."""
    for name in {*names, "page", "lang"}:
        for value in QUERY_VALUES:
            response = client.get(path, {name: value})
            assert_json_answer(response)
            assert response.status_code in (200, 400, 401, 404), (name, short(value))


TEXTS = {
    "plan": (("PATCH", "/api/v1/activities/{id}/"), "text_es"),
    "values": (("POST", "/api/v1/values/"), "comment"),
}


@pytest.mark.parametrize("family", TEXTS)
def test_formulas_and_injections_are_stored_as_given(client, world, family):
    operation, name = TEXTS[family]
    write, made, path, headers = prepare(world, operation)
    for value in [*FORMULAS, *INJECTIONS, RTL, *NON_ASCII_DIGITS]:
        with rolled_back():
            response = send(
                client, operation[0], path, write.body(world, made) | {name: value}, headers
            )
            assert 200 <= response.status_code < 300, (short(value), response.content[:300])
            assert response.json()[name] == value.strip()
            assert response["Content-Type"].startswith("application/json")
            assert settings.SECRET_KEY not in response.content.decode()


AUTHORIZATIONS = [
    "Token",
    "Token ",
    "Token a b",
    f"Token {NUL}",
    f"Token {LONG}",
    f"Token {SCRIPT}",
    "Token ١٢٣",
    "Bearer x",
    "Basic Zm9vOmJhcg==",
    "Token \u202e",
]


@pytest.mark.parametrize("authorization", AUTHORIZATIONS, ids=short)
def test_bad_authorization_headers_are_401(client, world, authorization):
    # As a WSGI server hands it over: the header's bytes read as Latin-1.
    authorization = authorization.encode().decode("latin-1")
    unchanged = Unchanged()
    write, made, path, _headers = prepare(world, ("POST", "/api/v1/values/"))
    with unchanged.watch():
        response = send(
            client, "POST", path, write.body(world, made), {"HTTP_AUTHORIZATION": authorization}
        )
    assert_json_answer(response)
    assert response.status_code == 401
    assert unchanged
    # Another scheme is no token at all: an anonymous reader, who may read.
    read = client.get("/api/v1/values/", HTTP_AUTHORIZATION=authorization)
    assert read.status_code == (401 if authorization.startswith("Token") else 200)


LONE = "\ud800"  # half of a UTF-16 pair: json decodes "\ud800" into a str that is not text


def _with_surrogates(body: dict) -> dict:
    """Bodies that hide a lone surrogate somewhere: in each value, in a key, deep inside."""
    first = next(iter(body), "x")
    bodies = {f"value of {name}": body | {name: LONE} for name in body}
    bodies |= {
        "inside a value": body | {first: f"ok{LONE}ok"},
        "a key": body | {LONE: "x"},
        "a nested key": body | {"extra": {"deeper": [{LONE: 1}]}},
        "a nested value": body | {"extra": [[{"x": [LONE]}]]},
        "the low half alone": body | {first: "\udc00"},
    }
    return bodies


@pytest.mark.parametrize("operation", list(WRITES), ids=" ".join)
def test_a_lone_surrogate_anywhere_is_a_400(client, world, operation):
    """Five of these were 500s on POST /api/v1/values/; the parser refuses them for every
    endpoint, keys and values, at any depth, and writes nothing."""
    write, made, path, headers = prepare(world, operation)
    unchanged = Unchanged()
    for where, body in _with_surrogates(write.body(world, made)).items():
        raw = json.dumps(body)  # ensure_ascii: the surrogate travels as the escape \ud800
        assert "\\ud800" in raw or "\\udc00" in raw
        with unchanged.watch():
            response = send(client, operation[0], path, raw.encode(), headers, raw=True)
        assert_json_answer(response)
        assert response.status_code == 400, (where, response.content[:200])
        assert "UTF-16" in response.json()["detail"], where  # said so, in either language
        assert unchanged, where


def test_a_proper_surrogate_pair_is_text_and_taken(client, world):
    """The escaped pair of an emoji is one character, not a lone half: stored as given."""
    write, made, path, headers = prepare(world, ("POST", "/api/v1/values/"))
    raw = json.dumps(write.body(world, made) | {"comment": "Bien \U0001f600"})
    assert "\\ud83d\\ude00" in raw
    response = send(client, "POST", path, raw.encode(), headers, raw=True)
    assert response.status_code == 201, response.content
    assert response.json()["comment"] == "Bien \U0001f600"
