"""The monitoring API: periods, values (reading, writing, the workflow), hostile input, roles.

The tests make their values for 2026 (open) and 2025 (closed) beside Chart 3's validated values
of 2017-2019, and compare the monitoring tables before and after every refused request.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from corett import access
from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from monitoring.values.models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH
from strategy.models import Country, Indicator
from tests.conftest import api_token, signed_in

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
VALUES = "/api/v1/values/"
TRAINERS = "TRA-2.1.1-a"  # a count, broken down by level
TEXT = "TRA-2.1.2-a"
YES_NO = "SEN-2.1.3-a"
BREAKDOWN = {"level": {"national": 10, "regional": 2}}


@pytest.fixture(autouse=True)
def _reset_language():
    """The locale middleware activates the request's language; don't leak it into other tests."""
    yield
    translation.deactivate()


@pytest.fixture
def people():
    """A count broken down by sex and age, as in the issue's example."""
    return Indicator.objects.create(
        code="T-PEOPLE", order=950, name="People", kind="count", disaggregations=["sex", "age"]
    )


def auth(user):
    return {"Authorization": f"Token {api_token(user)}"}


def post(client, url, data, headers=None):
    return client.post(url, data, content_type="application/json", headers=headers or {})


def translated(message, language, **params):
    with translation.override(language):
        return gettext(message) % params if params else gettext(message)


def snapshot():
    """Every value and audit record, as stored."""
    return (
        list(Value.objects.order_by("pk").values()),
        list(ValueAudit.objects.order_by("pk").values()),
    )


def saved(user, country="HN", code=TRAINERS, period="2026", **fields):
    """A value saved through the services, as a form would."""
    return services.value_save(
        user=user,
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country) if country else None,
        period=Period.objects.get(code=period),
        path="form",
        **fields,
    )


def validated(secretariat, value):
    value = services.value_submit(user=secretariat, value=value, path="form")
    return services.value_validate(user=secretariat, value=value, path="form")


def entry(**changes):
    return {"country": "HN", "indicator": TRAINERS, "period": "2026", "value": 12} | changes


def rows(client, url, headers=None):
    page = client.get(url, headers=headers or {})
    assert page.status_code == 200, page.content
    return page.json()["results"]


# --- periods -----------------------------------------------------------------------------------


def test_periods_are_public_with_their_state_today(client):
    periods = {p["code"]: p for p in rows(client, "/api/v1/periods/")}
    assert {code: periods[code]["state"] for code in ("2019", "2025", "2026", "2027")} == {
        "2019": "locked",
        "2025": "closed",
        "2026": "open",
        "2027": "upcoming",
    }
    assert periods["2026"] == {
        "code": "2026",
        "kind": "annual",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "opens_on": "2026-01-01",
        "closes_on": "2027-03-31",
        "locked_at": None,
        "state": "open",
    }
    assert list(periods)[:3] == ["2017", "2018", "2019"]


def test_a_period_by_its_code(client):
    assert client.get("/api/v1/periods/2019/").json()["locked_at"] == "2020-03-31T18:00:00-06:00"
    assert client.get("/api/v1/periods/1999/").status_code == 404


# --- reading values ----------------------------------------------------------------------------


def test_everyone_reads_validated_values_chart_3_included(client):
    body = client.get(f"{VALUES}?indicator=identified-victims&country=HN").json()
    assert body["count"] == 3
    assert body["results"][0] == {
        "id": body["results"][0]["id"],
        "country": "HN",
        "indicator": "identified-victims",
        "period": "2017",
        "value": 150,
        "text": "",
        "disaggregation": {},
        "status": "validated",
        "comment": "",
        "review_comment": "",
        "submitted_at": None,
        "late": False,
        "version": 1,
        "updated_at": None,
        "unusual_change": None,
        "quality_warning": None,
        "demo": False,  # the document's figure, not a demonstration one
    }
    assert [row["value"] for row in body["results"]] == [150, 85, 84]


def test_drafts_are_seen_by_their_country_and_the_secretariat_only(
    client, focal_hn, focal_sv, observer, secretariat
):
    draft = saved(focal_hn, number=12)
    expected = {
        None: False,
        observer: False,
        focal_sv: False,
        focal_hn: True,
        secretariat: True,
    }
    for user, sees in expected.items():
        headers = auth(user) if user else {}
        ids = {row["id"] for row in rows(client, f"{VALUES}?period=2026", headers)}
        assert (draft.pk in ids) is sees, user
        detail = client.get(f"{VALUES}{draft.pk}/", headers=headers)
        assert detail.status_code == (200 if sees else 404), user
    # Through the session of the portal too.
    assert signed_in(Client(), focal_hn).get(f"{VALUES}{draft.pk}/").status_code == 200


def test_small_cells_are_protected_except_for_the_country_and_the_secretariat(
    client, focal_hn, focal_sv, observer, secretariat
):
    value = validated(secretariat, saved(focal_hn, number=12, disaggregation=BREAKDOWN))
    # "<5" alone next to the published total would give 2 away: its neighbour is withheld too
    hidden = {"level": {"national": "n.p.", "regional": "<5"}}
    for user, breakdown in [
        (None, hidden),
        (observer, hidden),
        (focal_sv, hidden),
        (focal_hn, BREAKDOWN),
        (secretariat, BREAKDOWN),
    ]:
        headers = auth(user) if user else {}
        assert client.get(f"{VALUES}{value.pk}/", headers=headers).json()["disaggregation"] == (
            breakdown
        )
        listed = rows(client, f"{VALUES}?period=2026&country=HN", headers)
        assert listed[0]["disaggregation"] == breakdown
        assert listed[0]["value"] == 12  # totals as reported


def test_numbers_read_as_json_numbers_and_text_as_text(client, secretariat):
    percentage = Indicator.objects.create(code="T-PCT", order=951, name="Share", kind="percentage")
    validated(secretariat, saved(secretariat, code=percentage.code, number="12.5"))
    validated(secretariat, saved(secretariat, code=TEXT, text="A campaign on radio"))
    validated(secretariat, saved(secretariat, code=YES_NO, number=1))
    read = {row["indicator"]: row for row in rows(client, f"{VALUES}?period=2026")}
    assert read["T-PCT"]["value"] == 12.5
    assert (read[TEXT]["value"], read[TEXT]["text"]) == (None, "A campaign on radio")
    assert read[YES_NO]["value"] == 1


def test_filters(client, focal_hn, focal_sv, secretariat):
    saved(focal_hn, number=1)
    validated(secretariat, saved(focal_sv, country="SV", number=2))
    saved(focal_sv, country="SV", code=YES_NO, number=0)
    headers = auth(secretariat)

    def listed(query):
        return sorted(
            (row["country"] or "", row["indicator"], row["period"], row["status"])
            for row in rows(client, f"{VALUES}?{query}", headers)
        )

    assert listed("period=2026&country=sv") == [
        ("SV", YES_NO, "2026", "draft"),
        ("SV", TRAINERS, "2026", "validated"),
    ]
    assert listed(f"period=2026&indicator={TRAINERS}") == [
        ("HN", TRAINERS, "2026", "draft"),
        ("SV", TRAINERS, "2026", "validated"),
    ]
    assert listed("period=2026&status=draft") == [
        ("HN", TRAINERS, "2026", "draft"),
        ("SV", YES_NO, "2026", "draft"),
    ]
    assert len(listed("status=validated")) == Value.objects.validated().count()
    assert ("SV", TRAINERS, "2026", "validated") in listed("status=validated")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "country=XX",
            "country",
            "Unknown country code “XX”; use a two-letter ISO code such as HN.",
        ),
        ("country=H%00N", "country", None),
        ("indicator=NOPE", "indicator", "Unknown indicator code “NOPE”."),
        ("indicator=%00", "indicator", None),
        ("period=1999", "period", "Unknown period “1999”; periods are coded like 2026."),
        ("status=lost", "status", None),
    ],
)
@pytest.mark.parametrize("language", ["es", "en"])
def test_unknown_filter_values_are_a_clear_400(client, query, field, message, language):
    response = client.get(f"{VALUES}?{query}", headers={"Accept-Language": language})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    if message:
        value = message.split("“")[1].split("”")[0]
        template = message.replace(f"“{value}”", "“%(value)s”")
        assert response.json()[field] == [translated(template, language, value=value)]


def test_pages_of_fifty(client):
    make_values(60)
    first = client.get(f"{VALUES}?period=2026").json()
    assert (first["count"], len(first["results"])) == (60, 50)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert client.get(f"{VALUES}?period=2026&page=3").status_code == 404


def make_values(n):
    """n validated values with breakdowns, spread over synthetic indicators, all countries, 2026."""
    countries = list(Country.objects.all())
    period = Period.objects.get(code="2026")
    indicators = Indicator.objects.bulk_create(
        Indicator(code=f"T-N{i}", order=960 + i, name=f"N{i}", disaggregations=["level"])
        for i in range(-(-n // len(countries)))
    )
    Value.objects.bulk_create(
        Value(
            indicator=indicators[i // len(countries)],
            country=countries[i % len(countries)],
            period=period,
            number=3,
            disaggregation={"level": {"national": 1, "regional": 2}},
            status=Status.VALIDATED,
        )
        for i in range(n)
    )


# The token (1), the code filters (1 each), the page's COUNT and its rows; for whoever reads some
# breakdowns protected, one more: the validated values the disclosure pattern is made of.
def list_queries(who, filters):
    return (who != "anonymous") + filters + 2 + (who != "secretariat")


@pytest.mark.parametrize("n", [9, 120])
@pytest.mark.parametrize("who", ["anonymous", "focal-hn", "secretariat"])
def test_list_queries_do_not_grow_with_rows(
    client, django_assert_max_num_queries, focal_hn, secretariat, n, who
):
    make_values(n)
    headers = {"anonymous": {}, "focal-hn": auth(focal_hn), "secretariat": auth(secretariat)}[who]
    url = f"{VALUES}?period=2026&country=hn&indicator=T-N0"
    with django_assert_max_num_queries(list_queries(who, 3)):
        assert len(rows(client, url, headers)) == 1
    with django_assert_max_num_queries(list_queries(who, 1)):
        assert len(rows(client, f"{VALUES}?period=2026", headers)) == min(n, 50)


READERS = {
    "anonymous": None,
    "observer": "observer",
    "focal-hn": "focal_hn",
    "secretariat": "secretariat",
}


def reader(request, who):
    """(the user or an anonymous one, the headers its requests carry)."""
    if READERS[who] is None:
        return AnonymousUser(), {}
    user = request.getfixturevalue(READERS[who])
    return user, auth(user)


def page_and_value_queries(client, url, headers):
    """(the page, the SQL of the queries it ran on the values)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries if '"monitoring_value"' in q["sql"]]


@pytest.mark.parametrize("who", list(READERS))
def test_an_unfiltered_list_never_counts_the_table(client, request, who):
    make_values(120)
    # A draft, that only HN's focal point and the secretariat read.
    saved(request.getfixturevalue("focal_hn"), number=4)
    user, headers = reader(request, who)
    url, seen = VALUES, []
    while url:
        page, sql = page_and_value_queries(client, url, headers)
        assert sql and not [query for query in sql if "COUNT(" in query.upper()]
        assert page["count"] is None and set(page) == {"count", "next", "previous", "results"}
        assert len(page["results"]) == 50 or page["next"] is None
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    visible = access.values_visible_to(user, Value.objects.all())
    assert seen == list(
        visible.order_by("period_id", "indicator_id", "country_id").values_list("pk", flat=True)
    )
    assert len(seen) > 120


@pytest.mark.parametrize("who", list(READERS))
def test_a_list_is_counted_when_filtered_by_period_or_indicator_only(client, request, who):
    make_values(60)
    _user, headers = reader(request, who)
    in_2026 = Value.objects.filter(period__code="2026")
    for query, count in (
        ("period=2026", 60),
        ("indicator=T-N0", 9),
        ("period=2026&country=hn", in_2026.filter(country__code="HN").count()),
    ):
        page, sql = page_and_value_queries(client, f"{VALUES}?{query}", headers)
        assert page["count"] == count
        assert [q for q in sql if "COUNT(" in q.upper()]
    for query in ("country=hn", "status=validated"):
        page, sql = page_and_value_queries(client, f"{VALUES}?{query}", headers)
        assert page["count"] is None
        assert not [q for q in sql if "COUNT(" in q.upper()]


def test_uncounted_pages_link_both_ways_and_refuse_pages_out_of_range(client):
    make_values(120)
    first = client.get(VALUES).json()
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert "page=" not in second["previous"]
    assert client.get(second["previous"]).json()["results"] == first["results"]
    for page in ("0", "-1", "abc", "last", "1.5", "٣", "99999999999999999999", "500"):
        response = client.get(f"{VALUES}?page={page}", headers=EN)
        assert response.status_code == 404, page
        assert response.json() == {"detail": "Invalid page."}


def test_the_schema_says_when_a_list_is_counted(client):
    schema = client.get("/api/schema/?format=json", headers=EN).json()
    answer = schema["paths"][VALUES]["get"]["responses"]["200"]["content"]["application/json"]
    page = schema["components"]["schemas"][answer["schema"]["$ref"].rsplit("/", 1)[1]]
    assert page["required"] == ["count", "next", "previous", "results"]
    count = page["properties"]["count"]
    assert count["nullable"] is True and count["type"] == "integer"
    assert "filtered by one of `period`, `indicator`, null otherwise" in count["description"]


# --- writing values ----------------------------------------------------------------------------


def test_a_focal_point_creates_then_changes_a_draft(client, focal_hn, people):
    response = post(
        client,
        VALUES,
        entry(
            country="hn",
            indicator="T-PEOPLE",
            disaggregation={"sex": {"women": 7, "men": 5}},
            comment="  From the national registry  ",
        ),
        auth(focal_hn),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    value = Value.objects.get(pk=body["id"])
    assert (value.country.code, value.indicator, value.period.code) == ("HN", people, "2026")
    assert (value.number, value.disaggregation, value.comment) == (
        Decimal(12),
        {"sex": {"women": 7, "men": 5}},
        "From the national registry",
    )
    assert (body["value"], body["status"], body["version"], body["country"]) == (
        12,
        "draft",
        1,
        "HN",
    )
    audit = value.audits.get()
    assert (audit.user, audit.action, audit.path) == (focal_hn, "saved", "api")

    response = post(
        client,
        VALUES,
        entry(indicator="T-PEOPLE", value=13, version=1, disaggregation={"age": {"adults": 13}}),
        auth(focal_hn),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["version"]) == (13, 2)
    value.refresh_from_db()
    assert (value.number, value.version, value.disaggregation) == (13, 2, {"age": {"adults": 13}})
    assert value.audits.count() == 2


def test_the_secretariat_writes_for_any_country_and_regional_figures(client, secretariat):
    for country in ("SV", "DO", None):
        response = post(client, VALUES, entry(country=country), auth(secretariat))
        assert response.status_code == 201, response.content
        assert response.json()["country"] == country
    assert Value.objects.filter(period__code="2026", country__isnull=True).count() == 1


def test_text_indicators_take_text(client, focal_hn):
    response = post(
        client, VALUES, {**entry(indicator=TEXT), "value": None, "text": "Radio"}, auth(focal_hn)
    )
    assert response.status_code == 201, response.content
    assert (response.json()["text"], response.json()["value"]) == ("Radio", None)


def test_an_existing_value_needs_the_version_last_read(client, focal_hn):
    assert post(client, VALUES, entry(), auth(focal_hn)).status_code == 201
    before = snapshot()
    response = post(client, VALUES, entry(value=14), auth(focal_hn) | EN)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This country already has a value for this indicator and period (version 1). Nothing "
        "was saved: to change it, send the version you last read."
    )
    assert (response.json()["current"]["value"], response.json()["current"]["version"]) == (12, 1)
    assert snapshot() == before
    # An old version: someone changed it since.
    assert post(client, VALUES, entry(value=13, version=1), auth(focal_hn)).status_code == 200
    before = snapshot()
    response = post(client, VALUES, entry(value=14, version=1), auth(focal_hn) | EN)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Someone changed this value since you read it (version 1; it is now at version 2). "
        "Nothing was saved: here is the value as it is now."
    )
    assert response.json()["current"]["value"] == 13
    assert snapshot() == before


def test_a_version_for_a_value_that_does_not_exist_is_refused(client, focal_hn):
    response = post(client, VALUES, entry(version=3), auth(focal_hn) | EN)
    assert response.status_code == 400
    assert response.json() == {"version": ["There is no value here yet: leave the version out."]}
    assert not Value.objects.filter(period__code="2026").exists()


def test_submitted_and_validated_values_cannot_be_changed_here(client, focal_hn, secretariat):
    value = services.value_submit(user=focal_hn, value=saved(focal_hn, number=3), path="form")
    for status in ("submitted", "validated"):
        if status == "validated":
            value = services.value_validate(user=secretariat, value=value, path="form")
        before = snapshot()
        response = post(client, VALUES, entry(version=value.version), auth(focal_hn) | EN)
        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": [f"This value is {status}: it can no longer be changed here."]
        }
        assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": -1}, "value", "The value cannot be negative."),
        ({"value": 1.5}, "value", "A count is a whole number."),
        ({"value": "1.5"}, "value", "A count is a whole number."),
        ({"value": 10**30}, "value", "This number is too large to be a count."),
        ({"value": "NaN"}, "value", "Enter a number."),
        ({"value": "Infinity"}, "value", "Enter a number."),
        ({"value": "twelve"}, "value", "Enter a number."),
        ({"value": True}, "value", "Enter a number."),
        ({"value": [12]}, "value", "Enter a number."),
        ({"value": {"total": 12}}, "value", "Enter a number."),
        ({"value": None}, "value", "Enter the value."),
        ({"period": "2019"}, "period", "Period 2019 is locked."),
        ({"period": "2027"}, "period", "Period 2027 is not open yet."),
        ({"indicator": "NOPE"}, "indicator", "Unknown indicator code “NOPE”."),
        (
            {"country": "XX"},
            "country",
            "Unknown country code “XX”; use a two-letter ISO code such as HN.",
        ),
        ({"period": "1999"}, "period", "Unknown period “1999”; periods are coded like 2026."),
        ({"period": None}, "period", "This field may not be null."),
        ({"country": 504}, "country", None),
        ({"country": "H\x00N"}, "country", None),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"status": "validated"}, "status", "Unknown field."),
        ({"text": "Twelve"}, "text", "This indicator's values are numbers: send “value” instead."),
        ({"comment": ["a"]}, "comment", "Not a valid string."),
        ({"comment": "a\x00b"}, "comment", None),
        ({"version": 0}, "version", "Ensure this value is greater than or equal to 1."),
        ({"version": "latest"}, "version", "A valid integer is required."),
        ({"disaggregation": [1, 2]}, "disaggregation", None),
        ({"disaggregation": "level"}, "disaggregation", None),
        ({"disaggregation": {"level": 12}}, "disaggregation", None),
        ({"disaggregation": {"level": [[{"national": 12}]]}}, "disaggregation", None),
        ({"disaggregation": {"level": {"national": {"a": 1}}}}, "disaggregation", None),
        ({"disaggregation": {"level": {"national": "x"}}}, "disaggregation", None),
        ({"disaggregation": {"level": {"national": -2, "regional": 14}}}, "disaggregation", None),
        (
            {"disaggregation": {"level": {"national": 1.5, "regional": 10.5}}},
            "disaggregation",
            None,
        ),
        ({"disaggregation": {"level": {"national": 10**30}}}, "disaggregation", None),
        ({"disaggregation": {"level": {"national": 7, "regional": 4}}}, "disaggregation", None),
        ({"disaggregation": {"level": {"planetary": 12}}}, "disaggregation", None),
        ({"disaggregation": {"sex": {"women": 12}}}, "disaggregation", None),
        ({"disaggregation": {"<script>": {"x": 1}}}, "disaggregation", None),
    ],
)
def test_hostile_values_are_refused_with_a_clear_message_and_nothing_written(
    client, focal_hn, changes, field, message
):
    before = snapshot()
    response = post(client, VALUES, entry(**changes), auth(focal_hn) | EN)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert all(isinstance(m, str) and m for m in response.json()[field])
    if message:
        assert response.json()[field] == [message]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field", "limit"),
    [
        ({"comment": "x" * (COMMENT_MAX_LENGTH + 1)}, "comment", COMMENT_MAX_LENGTH),
        (
            {"indicator": TEXT, "value": None, "text": "x" * (TEXT_MAX_LENGTH + 1)},
            "text",
            TEXT_MAX_LENGTH,
        ),
    ],
)
def test_the_api_refuses_longer_text_than_the_form_with_the_forms_message(
    client, focal_hn, changes, field, limit
):
    before = snapshot()
    response = post(client, VALUES, entry(**changes), auth(focal_hn) | EN)
    assert response.status_code == 400, response.content
    assert response.json() == {field: [f"Keep it under {limit} characters."]}
    assert snapshot() == before
    at_limit = changes | {field: changes[field][:limit]}
    assert post(client, VALUES, entry(**at_limit), auth(focal_hn)).status_code == 201


def test_a_breakdown_that_does_not_add_up_says_by_how_much(client, focal_hn):
    data = entry(value=10, disaggregation={"level": {"national": 7, "regional": 5}})
    response = post(client, VALUES, data, auth(focal_hn) | EN)
    assert response.json() == {
        "disaggregation": [
            "Level (national, regional, extra-regional) adds up to 12: 2 over the total 10."
        ]
    }


def test_text_sent_as_a_value_for_a_text_indicator_is_refused(client, focal_hn):
    response = post(client, VALUES, entry(indicator=TEXT, value=3), auth(focal_hn) | EN)
    assert response.status_code == 400
    assert response.json() == {"value": ["This indicator's values are text: send “text” instead."]}


@pytest.mark.parametrize(
    "body",
    [
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": NaN}',
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": Infinity}',
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": 1e400}',
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": 1e-400}',
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": ' + "9" * 5000,
        '{"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": 12',
        '{"country": "HN", "disaggregation": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"country": "HN", "disaggregation": ' + '{"a":' * 50 + "1" + "}" * 50 + "}",
        "[1, 2, 3]",
        '"HN"',
        "null",
        "\xff\xfe",
    ],
    ids=[
        "NaN",
        "Infinity",
        "1e400",
        "1e-400",
        "5000 digits",
        "cut short",
        "nested 100000 deep",
        "nested 50 deep",
        "a list",
        "a string",
        "null",
        "not UTF-8",
    ],
)
def test_malformed_json_is_a_400(client, focal_hn, body):
    before = snapshot()
    response = client.post(
        VALUES, body.encode("latin-1"), content_type="application/json", headers=auth(focal_hn) | EN
    )
    assert response.status_code == 400, response.content
    if "deep" in body_id(body):
        assert response.json() == {"detail": "JSON parse error - The JSON is nested too deeply."}
    assert snapshot() == before


def body_id(body):
    return "deep" if body.count("[") > 40 or body.count("{") > 40 else ""


@pytest.mark.parametrize(("language", "header"), [("es", {}), ("en", EN)])
def test_messages_follow_the_requests_language(client, focal_hn, language, header):
    response = post(client, VALUES, entry(value=-1), auth(focal_hn) | header)
    assert response.json() == {"value": [translated("The value cannot be negative.", language)]}
    response = post(client, VALUES, entry(colour="red"), auth(focal_hn) | header)
    assert response.json() == {"colour": [translated("Unknown field.", language)]}


def test_a_focal_point_cannot_write_for_another_country_nor_the_region(client, focal_sv):
    for country in ("HN", "hn", None):
        before = snapshot()
        response = post(client, VALUES, entry(country=country), auth(focal_sv) | EN)
        assert response.status_code == 403
        assert snapshot() == before
    assert response.json() == {"detail": "Only the secretariat enters regional figures."}
    response = post(client, VALUES, entry(), auth(focal_sv) | EN)
    assert response.json() == {
        "detail": "Only the focal point of Honduras and the secretariat enter its values."
    }


def test_the_browsable_api_form_posts_a_value(client, focal_hn):
    data = {
        "csrfmiddlewaretoken": "ignored-in-tests",
        "country": "HN",
        "indicator": TRAINERS,
        "period": "2026",
        "value": "12",
        "text": "",
        "disaggregation": '{"level": {"national": 12}}',
        "comment": "",
        "version": "",
    }
    response = client.post(VALUES, data, headers=auth(focal_hn))
    assert response.status_code == 201, response.content
    assert response.json()["disaggregation"] == {"level": {"national": 12}}
    data |= {"version": "1", "disaggregation": "[" * 5000 + "]" * 5000}
    response = client.post(VALUES, data, headers=auth(focal_hn))
    assert response.status_code == 400
    assert list(response.json()) == ["disaggregation"]


def test_the_browsable_api_renders_the_list_with_its_form(client, focal_hn):
    html = signed_in(Client(), focal_hn).get(VALUES, headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert 'name="disaggregation"' in html.content.decode()  # the POST form, not the list's


def test_session_writes_need_the_csrf_token(focal_hn):
    client = signed_in(Client(enforce_csrf_checks=True), focal_hn)
    response = post(client, VALUES, entry())
    assert response.status_code == 403
    assert not Value.objects.filter(period__code="2026").exists()


# --- the workflow ------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(client, focal_hn, secretariat):
    hn, sec = auth(focal_hn), auth(secretariat)
    value = post(client, VALUES, entry(), hn).json()
    url = f"{VALUES}{value['id']}/"

    response = post(client, f"{url}submit/", {"version": 1}, hn)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("submitted", 2)
    assert response.json()["submitted_at"]

    response = post(client, f"{url}return/", {"version": 2, "comment": "Check the total"}, sec)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["review_comment"]) == (
        "returned",
        "Check the total",
    )
    # The focal point reads the comment, fixes, resubmits.
    assert client.get(url, headers=hn).json()["review_comment"] == "Check the total"
    response = post(client, VALUES, entry(value=13, version=3), hn)
    assert (response.status_code, response.json()["status"]) == (200, "returned")
    assert post(client, f"{url}submit/", {"version": 4}, hn).json()["status"] == "submitted"

    response = post(client, f"{url}validate/", {"version": 5}, sec)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["value"]) == ("validated", 13)
    # Locked until reopened.
    response = post(client, VALUES, entry(value=14, version=6), hn | EN)
    assert response.status_code == 400
    response = post(client, f"{url}reopen/", {"version": 6, "reason": "Typo in the total"}, sec)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["review_comment"]) == (
        "returned",
        "Typo in the total",
    )
    assert post(client, VALUES, entry(value=14, version=7), hn).status_code == 200

    audits = ValueAudit.objects.filter(value_id=value["id"]).order_by("pk")
    assert [(a.action, a.path) for a in audits] == [
        ("saved", "api"),
        ("submitted", "api"),
        ("returned", "api"),
        ("saved", "api"),
        ("submitted", "api"),
        ("validated", "api"),
        ("reopened", "api"),
        ("saved", "api"),
    ]
    assert [a.user for a in audits] == [focal_hn, focal_hn, secretariat, focal_hn, focal_hn] + [
        secretariat,
        secretariat,
        focal_hn,
    ]


@pytest.mark.parametrize(
    ("step", "body", "errors"),
    [
        ("submit", {}, {"version": ["This field is required."]}),
        ("submit", {"version": 1, "colour": "red"}, {"colour": ["Unknown field."]}),
        ("submit", {"version": "x"}, {"version": ["A valid integer is required."]}),
        ("validate", {"version": 1}, {"non_field_errors": None}),
        ("return", {"version": 1}, {"comment": ["This field is required."]}),
        ("return", {"version": 1, "comment": " "}, None),
        ("reopen", {"version": 1, "reason": ""}, {"reason": ["Say why the value is reopened."]}),
    ],
)
def test_steps_refuse_bad_bodies_and_wrong_states(
    client, focal_hn, secretariat, step, body, errors
):
    value = saved(focal_hn, number=3)
    if step == "return":
        value = services.value_submit(user=focal_hn, value=value, path="form")
        body["version"] = value.version
    before = snapshot()
    response = post(client, f"{VALUES}{value.pk}/{step}/", body, auth(secretariat) | EN)
    assert response.status_code == 400
    if errors is None:
        errors = {"comment": ["Say what needs fixing."]}
    assert set(response.json()) == set(errors)
    for field, messages in errors.items():
        if messages:
            assert response.json()[field] == messages
    assert snapshot() == before


def test_a_step_on_an_old_version_is_a_conflict(client, focal_hn, secretariat):
    value = services.value_submit(user=focal_hn, value=saved(focal_hn, number=3), path="form")
    before = snapshot()
    response = post(client, f"{VALUES}{value.pk}/validate/", {"version": 1}, auth(secretariat))
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "submitted"
    assert response.json()["current"]["version"] == 2
    assert snapshot() == before


# --- roles × endpoints -------------------------------------------------------------------------


@pytest.fixture
def cells(focal_hn, secretariat):
    """An HN draft, an HN submitted value, an HN validated value."""
    draft = saved(focal_hn, number=1)
    submitted = services.value_submit(
        user=focal_hn, value=saved(focal_hn, code=YES_NO, number=1), path="form"
    )
    done = validated(secretariat, saved(focal_hn, period="2025", number=4))
    return {"draft": draft, "submitted": submitted, "validated": done}


def write(name, cells):
    """(URL, body) of each write on HN's values, valid so that only the role can refuse it."""
    if name == "create":
        return VALUES, entry(indicator=YES_NO, period="2025", value=1)
    step, cell = name.split(" ")
    extra = {"return": {"comment": "x"}, "reopen": {"reason": "x"}}.get(step, {})
    return f"{VALUES}{cells[cell].pk}/{step}/", {"version": cells[cell].version, **extra}


WRITES = [
    "create",
    "submit draft",
    "submit validated",
    "validate submitted",
    "validate validated",
    "return submitted",
    "reopen validated",
]
# What each role gets; the secretariat and HN's focal point get through where it is theirs.
REFUSALS = {
    "anonymous": dict.fromkeys(WRITES, 401),
    "wrong token": dict.fromkeys(WRITES, 401),
    "observer": dict.fromkeys(WRITES, 403),
    # Another country's focal point: 403 where the value is public (validated), 404 where it is
    # not even told that it exists.
    "focal-sv": {
        "create": 403,
        "submit draft": 404,
        "submit validated": 403,
        "validate submitted": 404,
        "validate validated": 403,
        "return submitted": 404,
        "reopen validated": 403,
    },
    "focal-hn": {
        "validate submitted": 403,
        "validate validated": 403,
        "return submitted": 403,
        "reopen validated": 403,
    },
}


REFUSED = [(role, name) for role, refusals in REFUSALS.items() for name in refusals]


@pytest.mark.parametrize(("role", "name"), REFUSED, ids=[f"{r}-{n}" for r, n in REFUSED])
def test_roles_against_writes(client, cells, focal_hn, focal_sv, observer, role, name):
    headers = {
        "anonymous": {},
        "wrong token": {"Authorization": "Token " + "0" * 64},
        "observer": auth(observer),
        "focal-sv": auth(focal_sv),
        "focal-hn": auth(focal_hn),
    }[role]
    expected = REFUSALS[role][name]
    url, body = write(name, cells)
    before = snapshot()
    response = post(client, url, body, headers)
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("name", WRITES)
def test_the_secretariat_gets_through(client, cells, secretariat, name):
    url, body = write(name, cells)
    response = post(client, url, body, auth(secretariat))
    if name in ("submit validated", "validate validated"):
        assert response.status_code == 400  # the wrong state, not the wrong role
    else:
        assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_values_change_only_through_post(client, cells, secretariat, method):
    before = snapshot()
    response = getattr(client, method)(
        f"{VALUES}{cells['draft'].pk}/",
        {"value": 9},
        content_type="application/json",
        headers=auth(secretariat),
    )
    assert response.status_code == 405
    assert snapshot() == before


def test_an_id_out_of_range_is_not_found(client, secretariat):
    response = post(client, f"{VALUES}{'9' * 30}/submit/", {"version": 1}, auth(secretariat))
    assert response.status_code == 404
    assert client.get(f"{VALUES}{'9' * 18}/").status_code == 404


# --- schema ------------------------------------------------------------------------------------


def test_schema_documents_the_monitoring_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/periods/"]) == {"get"}
    values = paths["/api/v1/values/"]
    assert {p["name"] for p in values["get"]["parameters"]} == {
        "country",
        "indicator",
        "period",
        "status",
        "page",
    }
    assert {} in values["get"]["security"]
    assert {} not in values["post"]["security"]
    assert {"200", "201", "400", "401", "403", "409"} <= set(values["post"]["responses"])
    for step in ("submit", "validate", "return", "reopen"):
        operation = paths[f"/api/v1/values/{{id}}/{step}/"]["post"]
        assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"]), step
    components = schema["components"]["schemas"]
    assert {"country", "indicator", "period", "value", "text", "disaggregation"} <= set(
        components["ValueWrite"]["properties"]
    )
    assert components["ValueReturn"]["required"] == ["comment", "version"]
    assert components["ValueStatusEnum"]["enum"] == ["draft", "submitted", "returned", "validated"]


def test_schema_still_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
