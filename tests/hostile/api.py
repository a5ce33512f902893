"""The API's write operations, found in its OpenAPI schema, and a valid request for each.

tests/hostile/test_api.py sends every writable property of each request body the bad values of
its JSON type (tests/hostile/corpus.py), the rest of the body valid. A new write operation needs a
valid request here (test_every_write_operation_has_a_valid_request fails until it has one).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from tests.conftest import PASSWORD

from .corpus import BLANK, LONG, MIXED, NUL

METHODS = ("post", "put", "patch", "delete")


def openapi() -> dict:
    """The schema as /api/schema/?format=json serves it, with its references resolved."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def resolve(schema: dict, node):
    """The node with its reference followed; a lone `allOf` (an enum with a default) merged."""
    while isinstance(node, dict) and ("$ref" in node or len(node.get("allOf", [])) == 1):
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        else:
            outer = {key: value for key, value in node.items() if key != "allOf"}
            node = {**resolve(schema, node["allOf"][0]), **outer}
    return node


def write_operations(schema: dict):
    """(METHOD, path, operation) of every write the schema describes."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield method.upper(), path, operation


def body_properties(schema: dict, operation: dict) -> dict:
    """{property: its schema} of the JSON body, writable ones only."""
    content = operation.get("requestBody", {}).get("content", {})
    body = resolve(schema, content.get("application/json", {}).get("schema", {}))
    return {
        name: resolve(schema, prop)
        for name, prop in body.get("properties", {}).items()
        if not resolve(schema, prop).get("readOnly")
    }


# --- Bad JSON values by type ---------------------------------------------------------------------

NUMBERS = [-1, 0.5, 10**30, "9" * 400, "NaN", "Infinity", "١٢٣", "1\x002", "1,5", "", True, []]
# Formula triggers and injections one by one: test_api.py sends them to a text of each family.
STRINGS = [*BLANK, NUL, LONG, MIXED, "\t=1", "-2+3", 123, [], {}]
OTHERS = ["", NUL, LONG, "maybe", -1, 10**30, [], {}, [NUL], {"x": {"y": {"z": NUL}}}]
# Bodies that are not JSON objects, or JSON that Python reads oddly.
RAW_BODIES = {
    "NaN literal": b'{"version": NaN}',
    "1e309 literal": b'{"version": 1e309}',
    "-Infinity literal": b'{"version": -Infinity}',
    "array": b"[1, 2]",
    "string": b'"version"',
    "truncated": b'{"version": ',
    "deep nesting": b'{"version": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "nesting just under Python's limit": b'{"version": ' + b"[" * 900 + b"]" * 900 + b"}",
    "not UTF-8": b'{"version": "\xff\xfe"}',
    "NUL escape": b'{"version": "\\u0000"}',
    "lone surrogate": b'{"version": "\\ud800"}',
}


def values_for(prop: dict) -> list:
    kind = prop.get("type")
    if kind in ("integer", "number"):
        return NUMBERS
    if kind == "string" or "enum" in prop:
        return STRINGS
    return OTHERS


def must_refuse(prop: dict, value, *, required: bool) -> bool:
    """Values no field of this schema may take; others may be taken, then stored as given."""
    kind = prop.get("type")
    nullable = prop.get("nullable", False)
    if value is None:
        return not nullable
    if isinstance(value, bool) and kind != "boolean":
        return True
    if isinstance(value, list | dict):
        return kind not in ("array", "object")
    if isinstance(value, str) and not value.strip() and nullable:
        return False  # an empty form field, read as null
    if kind in ("integer", "number") or prop.get("format") == "decimal":
        if isinstance(value, str):
            # Digits of any script are a number to Python's int() and Decimal(), so to Django and
            # DRF: "١٢٣" may be taken as 123 (tests/hostile/test_api.py then checks it was).
            readable = kind == "integer" or prop.get("format") == "decimal"
            return not (value.isdecimal() and readable)
        if kind == "integer" and value != int(value):
            return True
        if "minimum" in prop and value < prop["minimum"]:
            return True
        return abs(value) >= 10**15  # beyond any column of the portal
    if "enum" in prop:
        return value not in prop["enum"]
    if kind == "string" and isinstance(value, str):
        text = value.strip()
        if "\x00" in value:
            return True
        if prop.get("minLength", 0) > len(text) or (required and not text and not nullable):
            return True
        if "maxLength" in prop and len(text) > prop["maxLength"]:
            return True
        if prop.get("format") in ("date", "date-time", "uri", "email"):
            return True  # none of the corpus is one
    return False


# --- A valid request per write operation -------------------------------------------------------


@dataclass
class Write:
    role: str
    body: Callable  # (world, made) → a valid body
    path: Callable = lambda world, made: {}  # → path parameters
    setup: Callable = lambda world: {}  # → rows the request acts on
    echo: dict = field(default_factory=dict)  # {property: the answer's field that shows it}


def _current(model):
    return model.objects.current().order_by("pk").first()


def _patch(model, **fields):
    def body(world, made):
        item = _current(model) if model is not Axis else Axis.objects.get(number=1)
        return {"version": item.version, **fields}

    return body


def _pk(model):
    return lambda world, made: {"id": _current(model).pk}


def _value_step(made_by, **fields):
    return Write(
        "focal-hn" if made_by == "draft" else "secretariat",
        lambda world, made: {"version": made["value"].version, **fields},
        lambda world, made: {"id": made["value"].pk},
        lambda world: {"value": _value(world, made_by)},
        # The value's own comment is the focal point's; the secretariat's is review_comment.
        echo={"comment": "review_comment", "reason": None},
    )


def _value(world, state):
    if state == "submitted":
        return world.submitted_value()
    if state == "validated":
        return world.validated_value()
    return _draft(world)


def _draft(world):
    from monitoring.models import Period
    from monitoring.values import services
    from strategy.models import Country

    return services.value_save(
        user=world["focal-hn"],
        indicator=Indicator.objects.get(code="SEN-1.2.1-a"),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        number=5,
        path="api",
    )


def _next_number(model, parent_field, parent, field="order"):
    taken = model.objects.filter(**{parent_field: parent}).order_by(f"-{field}").first()
    return getattr(taken, field) + 1 if taken else 1


def _new_objective(world, made):
    axis = Axis.objects.get(number=1)
    number = _next_number(OperationalObjective, "axis", axis, "number")
    return {"axis": 1, "number": number, "text_es": "Nuevo", "text_en": "New"}


def _new_activity(world, made):
    objective = _current(OperationalObjective)
    return {
        "objective": objective.pk,
        "code": "9.9",
        "order": _next_number(Activity, "objective", objective),
        "text_es": "Nueva",
        "text_en": "New",
        "responsible_es": "Ministerio",
        "responsible_en": "Ministry",
        "timeframe_es": "Anual",
        "timeframe_en": "Yearly",
    }


def _new_goal(world, made):
    activity = _current(Activity)
    return {
        "activity": activity.pk,
        "code": "9.9.9",
        "order": _next_number(Goal, "activity", activity),
        "text_es": "Nueva meta",
        "text_en": "New goal",
    }


def _new_indicator(world, made):
    goal = _current(Goal)
    return {
        "code": "HOSTILE-1",
        "goal_id": goal.pk,
        "order": _next_number(Indicator, "goal", goal),
        "name_es": "Casos",
        "name_en": "Cases",
        "kind": "count",
        "disaggregations": ["sex"],
        "target": "50.5",
    }


WRITES = {
    ("POST", "/api/v1/auth/token/"): Write(
        "anonymous", lambda world, made: {"username": "observer", "password": PASSWORD}
    ),
    # Signing out takes no fields: its body, when sent, must still be a JSON object.
    ("POST", "/api/v1/auth/logout/"): Write("observer", lambda world, made: {}),
    ("POST", "/api/v1/auth/logoutall/"): Write("observer", lambda world, made: {}),
    ("PATCH", "/api/v1/axes/{number}/"): Write(
        "secretariat", _patch(Axis, name_es="Formación"), lambda world, made: {"number": 1}
    ),
    ("POST", "/api/v1/objectives/"): Write("secretariat", _new_objective),
    ("PATCH", "/api/v1/objectives/{id}/"): Write(
        "secretariat", _patch(OperationalObjective, text_es="Otro texto"), _pk(OperationalObjective)
    ),
    ("POST", "/api/v1/objectives/{id}/retire/"): Write(
        "secretariat", _patch(OperationalObjective), _pk(OperationalObjective)
    ),
    ("POST", "/api/v1/activities/"): Write("secretariat", _new_activity),
    ("PATCH", "/api/v1/activities/{id}/"): Write(
        "secretariat", _patch(Activity, text_es="Otro texto"), _pk(Activity)
    ),
    ("POST", "/api/v1/activities/{id}/retire/"): Write(
        "secretariat", _patch(Activity), _pk(Activity)
    ),
    ("POST", "/api/v1/goals/"): Write("secretariat", _new_goal),
    ("PATCH", "/api/v1/goals/{id}/"): Write(
        "secretariat", _patch(Goal, text_es="Otro texto"), _pk(Goal)
    ),
    ("POST", "/api/v1/goals/{id}/retire/"): Write("secretariat", _patch(Goal), _pk(Goal)),
    ("POST", "/api/v1/indicators/"): Write("secretariat", _new_indicator),
    ("PATCH", "/api/v1/indicators/{code}/"): Write(
        "secretariat",
        _patch(Indicator, name_es="Otro nombre"),
        lambda world, made: {"code": _current(Indicator).code},
    ),
    ("POST", "/api/v1/indicators/{code}/retire/"): Write(
        "secretariat", _patch(Indicator), lambda world, made: {"code": _current(Indicator).code}
    ),
    ("POST", "/api/v1/values/"): Write(
        "focal-hn",
        lambda world, made: {
            "country": "HN",
            "indicator": "TRA-2.1.1-a",
            "period": "2026",
            "value": 3,
            "comment": "From the ministry's register.",
        },
    ),
    ("POST", "/api/v1/values/{id}/submit/"): _value_step("draft"),
    ("POST", "/api/v1/values/{id}/validate/"): _value_step("submitted"),
    ("POST", "/api/v1/values/{id}/return/"): _value_step("submitted", comment="Check the total."),
    ("POST", "/api/v1/values/{id}/reopen/"): _value_step("validated", reason="A typo."),
    ("POST", "/api/v1/reports/"): Write(
        "focal-hn",
        lambda world, made: {"scope": "HN", "period": "2019", "language": "es", "draft": True},
    ),
}
