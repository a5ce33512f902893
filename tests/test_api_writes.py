"""API sign-in (token) and the secretariat's writes to the operative plan.

Like tests/test_api.py, the tests make their own plan items (axis 91, codes "91.…", indicator
"T-W91") beside the reference data, and leave it alone.
"""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from corett.models import User
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from tests.conftest import PASSWORD, api_token, make_user, signed_in

EN = {"Accept-Language": "en"}
TOKEN_URL = "/api/v1/auth/token/"
PLAN_MODELS = (Axis, OperationalObjective, Activity, Goal, Indicator)


@pytest.fixture(autouse=True)
def _reset_language():
    """The locale middleware activates the request's language; don't leak it into other tests."""
    yield
    translation.deactivate()


@pytest.fixture
def plan(db):
    axis = Axis.objects.create(
        number=91,
        slug="test-axis-91",
        name_es="Eje 91",
        name_en="Axis 91",
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
        code="91.1",
        order=1,
        text_es="Actividad",
        text_en="Activity",
        responsible_es="Ministerio",
        responsible_en="Ministry",
        timeframe_es="Anual",
        timeframe_en="Yearly",
    )
    goal = Goal.objects.create(
        activity=activity, code="91.1.1", order=1, text_es="Meta", text_en="Goal"
    )
    indicator = Indicator.objects.create(
        code="T-W91", goal=goal, order=1, name_es="Personas", name_en="People"
    )
    return {
        "axis": axis,
        "objective": objective,
        "activity": activity,
        "goal": goal,
        "indicator": indicator,
    }


def snapshot():
    """Every plan item and every history record, as stored."""
    rows = {}
    # modeltranslation reads `text` in the active language, which the requests change.
    with translation.override("es"):
        for model in PLAN_MODELS:
            rows[model.__name__] = list(model.objects.order_by("pk").values())
            rows[f"history of {model.__name__}"] = list(model.history.order_by("pk").values())
    return rows


def auth(user):
    return {"Authorization": f"Token {api_token(user)}"}


def patch(client, url, data, headers=None):
    return client.patch(url, data, content_type="application/json", headers=headers or {})


def post(client, url, data, headers=None):
    return client.post(url, data, content_type="application/json", headers=headers or {})


def translated(message, language):
    """The message in that language (as it stands in the compiled catalogue)."""
    with translation.override(language):
        return gettext(message)


def otp_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def phone(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# --- the token endpoint ------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_sign_in_issues_a_new_token_with_its_expiry(client, observer):
    first = post(client, TOKEN_URL, {"username": "observer", "password": PASSWORD})
    assert first.status_code == 200, first.content
    assert first["Content-Type"].startswith("application/json")
    assert set(first.json()) == {"token", "expiry"}
    expiry = datetime.fromisoformat(first.json()["expiry"])
    assert abs(expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    again = post(client, TOKEN_URL, {"username": "observer", "password": PASSWORD})
    tokens = [first.json()["token"], again.json()["token"]]
    assert tokens[0] != tokens[1]
    assert AuthToken.objects.filter(user=observer).count() == 2
    # Only digests are stored: neither token is anywhere in the table.
    stored = repr(list(AuthToken.objects.values_list()))
    assert not any(token in stored for token in tokens)
    # Each signs the observer in: a write is forbidden (403), not unauthenticated (401).
    for token in tokens:
        headers = {"Authorization": f"Token {token}"}
        assert client.get("/api/v1/axes/?retired=true", headers=headers).status_code == 403


@pytest.mark.django_db
def test_token_form_data_works_too(client, observer):
    response = client.post(TOKEN_URL, {"username": "observer", "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}


@pytest.mark.django_db
@pytest.mark.parametrize(("headers", "language"), [({}, "es"), (EN, "en")])
@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "observer", "password": "wrong-password-123"},
        {"username": "nobody-by-that-name", "password": PASSWORD},
    ],
)
def test_token_wrong_credentials(client, observer, credentials, headers, language):
    response = post(client, TOKEN_URL, credentials, headers)
    assert response.status_code == 400
    message = "Unable to sign in with that username and password."
    assert response.json() == {"non_field_errors": [translated(message, language)]}
    assert not AuthToken.objects.exists()


@pytest.mark.django_db
def test_token_refused_to_an_inactive_user(client, observer):
    observer.is_active = False
    observer.save()
    response = post(client, TOKEN_URL, {"username": "observer", "password": PASSWORD}, EN)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to sign in with that username and password."]
    }
    assert not AuthToken.objects.exists()


@pytest.mark.django_db
def test_token_of_a_user_made_inactive_stops_working(client, observer):
    headers = auth(observer)
    assert client.get("/api/v1/axes/?retired=true", headers=headers).status_code == 403
    observer.is_active = False
    observer.save()
    assert client.get("/api/v1/axes/?retired=true", headers=headers).status_code == 401


@pytest.mark.django_db
def test_token_request_fields_are_required(client):
    response = post(client, TOKEN_URL, {}, EN)
    assert response.status_code == 400
    assert response.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


@pytest.mark.django_db
def test_lockout_after_five_failures(client, observer):
    wrong = {"username": "observer", "password": "wrong-password-123"}
    for _attempt in range(4):
        assert post(client, TOKEN_URL, wrong).status_code == 400
    fifth = post(client, TOKEN_URL, wrong, EN)
    assert fifth.status_code == 429
    assert fifth["Content-Type"].startswith("application/json")
    assert fifth.json() == {
        "detail": "Too many failed sign-in attempts: signing in is paused for up to 15 minutes."
    }
    assert int(fifth["Retry-After"]) in (15 * 60 - 1, 15 * 60)
    # Locked: the right password is refused too, in the request's language.
    right = post(client, TOKEN_URL, {"username": "observer", "password": PASSWORD})
    assert right.status_code == 429
    with translation.override("es"):
        spanish = ngettext(
            "Too many failed sign-in attempts: signing in is paused for up to %(minutes)d minute.",
            "Too many failed sign-in attempts: signing in is paused for up to %(minutes)d minutes.",
            15,
        ) % {"minutes": 15}
    assert right.json() == {"detail": spanish}
    assert not AuthToken.objects.exists()


@pytest.mark.django_db
def test_lockout_counts_failures_on_the_sign_in_page_too(client, observer):
    """One throttle for both ways in: failures on the page lock the API out, and back."""
    wrong = {"username": "observer", "password": "wrong-password-123"}
    page = Client(raise_request_exception=False)
    for _attempt in range(5):
        page.post(reverse("accounts:login"), wrong)
    response = post(client, TOKEN_URL, {"username": "observer", "password": PASSWORD})
    assert response.status_code == 429
    assert not AuthToken.objects.exists()


# --- the token endpoint and the second factor --------------------------------------------------


@pytest.mark.django_db
def test_second_factor_required_of_the_secretariat(client, secretariat, settings):
    settings.DEMO_MODE = False
    credentials = {"username": "secretariat", "password": PASSWORD}
    # Not set up yet: no token until it is.
    response = post(client, TOKEN_URL, credentials, EN)
    assert response.status_code == 400
    assert "second factor" in response.json()["non_field_errors"][0]
    device = phone(secretariat)
    # Set up: the code is required, and must be right.
    response = post(client, TOKEN_URL, credentials, EN)
    assert response.status_code == 400
    assert list(response.json()) == ["otp"]
    response = post(client, TOKEN_URL, credentials | {"otp": "000000"}, EN)
    assert response.status_code == 400
    assert response.json() == {"otp": ["Wrong or expired code."]}
    assert not AuthToken.objects.exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's own delay after a wrong code
    response = post(client, TOKEN_URL, credentials | {"otp": otp_code(device)})
    assert response.status_code == 200
    assert AuthToken.objects.get(user=secretariat).token_key == response.json()["token"][:15]


@pytest.mark.django_db
def test_second_factor_required_of_anyone_who_set_one_up(client, observer, settings):
    settings.DEMO_MODE = True  # the secretariat's rule aside: a device is never optional
    credentials = {"username": "observer", "password": PASSWORD}
    device = phone(observer)
    assert post(client, TOKEN_URL, credentials).status_code == 400
    response = post(client, TOKEN_URL, credentials | {"otp": otp_code(device)})
    assert response.status_code == 200


@pytest.mark.django_db
def test_demo_mode_secretariat_signs_in_with_a_password(client, secretariat, settings):
    settings.DEMO_MODE = True
    response = post(client, TOKEN_URL, {"username": "secretariat", "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.django_db
def test_wrong_codes_count_toward_the_lockout(client, secretariat, settings):
    settings.DEMO_MODE = False
    device = phone(secretariat)
    credentials = {"username": "secretariat", "password": PASSWORD}
    for _attempt in range(4):
        response = post(client, TOKEN_URL, credentials | {"otp": "000000"})
        assert response.status_code == 400
    assert post(client, TOKEN_URL, credentials | {"otp": "000000"}).status_code == 429
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's own delay after a wrong code
    response = post(client, TOKEN_URL, credentials | {"otp": otp_code(device)})
    assert response.status_code == 429
    assert not AuthToken.objects.exists()


# --- writing with the token --------------------------------------------------------------------


@pytest.mark.django_db
def test_patch_activity_with_a_token_from_the_endpoint(client, plan, secretariat, settings):
    settings.DEMO_MODE = False
    device = phone(secretariat)
    token = post(
        client,
        TOKEN_URL,
        {"username": "secretariat", "password": PASSWORD, "otp": otp_code(device)},
    ).json()["token"]
    activity = plan["activity"]
    response = patch(
        client,
        f"/api/v1/activities/{activity.pk}/",
        {"version": 1, "text_en": "Train border officials", "timeframe_es": "Semestral"},
        {"Authorization": f"Token {token}"} | EN,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["version"], body["retired"]) == (activity.pk, 2, False)
    assert (body["text"], body["text_en"], body["text_es"]) == (
        "Train border officials",
        "Train border officials",
        "Actividad",
    )
    assert body["timeframe_es"] == "Semestral"
    activity.refresh_from_db()
    assert (activity.version, activity.text_en, activity.text_es, activity.timeframe_es) == (
        2,
        "Train border officials",
        "Actividad",
        "Semestral",
    )
    record = activity.history.latest()
    assert record.history_user == secretariat
    assert (record.version, record.text_en) == (2, "Train border officials")


@pytest.mark.django_db
def test_stale_version_is_a_conflict_and_changes_nothing(client, plan, secretariat):
    activity = plan["activity"]
    url = f"/api/v1/activities/{activity.pk}/"
    assert (
        patch(client, url, {"version": 1, "text_en": "First"}, auth(secretariat)).status_code == 200
    )
    before = snapshot()
    response = patch(client, url, {"version": 1, "text_en": "Second"}, auth(secretariat) | EN)
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == (
        "Someone changed this item since you read it (version 1; it is now at version 2). "
        "Nothing was saved: here is the item as it is now."
    )
    assert (body["current"]["id"], body["current"]["version"]) == (activity.pk, 2)
    assert body["current"]["text_en"] == "First"
    assert snapshot() == before
    # The same for retiring.
    response = post(client, f"{url}retire/", {"version": 1}, auth(secretariat))
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 2
    assert snapshot() == before


@pytest.mark.django_db
def test_model_validation_errors_are_per_field(client, plan, secretariat):
    objective = plan["objective"]
    url = f"/api/v1/objectives/{objective.pk}/"
    before = snapshot()
    # Blank in every language: the model refuses it; reported on the default language's field.
    response = patch(client, url, {"version": 1, "text_es": "", "text_en": ""}, auth(secretariat))
    assert response.status_code == 400
    assert response.json() == {"text_es": ["Este campo no puede estar vacío."]}
    assert snapshot() == before
    # A code another activity of the axis has (the services' rule, beyond the model's).
    Activity.objects.create(
        objective=objective, code="91.2", order=2, text_es="Otra", responsible="R", timeframe="T"
    )
    before = snapshot()
    url = f"/api/v1/activities/{plan['activity'].pk}/"
    response = patch(client, url, {"version": 1, "code": "91.2"}, auth(secretariat) | EN)
    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert response.json()["code"][0].startswith("Activity 91.2 already exists in this axis.")
    # A value of the wrong type, and one too long for the model.
    url = "/api/v1/indicators/T-W91/"
    response = patch(client, url, {"version": 1, "target": "many"}, auth(secretariat) | EN)
    assert response.status_code == 400
    assert response.json() == {"target": ["A valid number is required."]}
    response = patch(client, url, {"version": 1, "unit_en": "u" * 61}, auth(secretariat) | EN)
    assert response.status_code == 400
    assert response.json() == {"unit_en": ["Ensure this field has no more than 60 characters."]}
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"text_en": "x"}, {"version": ["Required: the version of the item you last read."]}),
        ({"version": 1, "colour": "red"}, {"colour": ["Unknown field."]}),
        ({"version": 1, "text": "x"}, {"text": ["Read-only: write text_es, text_en instead."]}),
        ({"version": 1, "axis": 3}, {"axis": ["This field is read-only."]}),
        ({"version": 1, "retired": True}, {"retired": ["This field is read-only."]}),
        (
            {"version": 1, "objective": 1},
            {"objective": ["Can only be set when the item is created."]},
        ),
        ({"version": 1, "order": 7}, {"order": ["Can only be set when the item is created."]}),
        (
            {"version": 0, "text_en": "x"},
            {"version": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
)
def test_patch_refuses_what_it_cannot_apply(client, plan, secretariat, data, errors):
    before = snapshot()
    response = patch(
        client, f"/api/v1/activities/{plan['activity'].pk}/", data, auth(secretariat) | EN
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["axes", "objectives", "activities", "goals", "indicators"])
def test_an_item_as_read_can_be_sent_back_changed(client, plan, secretariat, endpoint):
    """What the browsable API offers to PATCH: the whole item as read, one field edited."""
    url = _item_url(endpoint, plan)
    item = client.get(url, headers=EN).json()
    field = "name_en" if endpoint in ("axes", "indicators") else "text_en"
    response = patch(client, url, item | {field: "Edited"}, auth(secretariat) | EN)
    assert response.status_code == 200, response.content
    assert (response.json()[field], response.json()["version"]) == ("Edited", 2)
    # Sent back as read once more, the read-only fields now stale: refused, nothing changed.
    before = snapshot()
    response = patch(client, url, item | {"version": 2}, auth(secretariat) | EN)
    assert response.status_code == 400
    stale = {"name" if field == "name_en" else "text"}
    assert set(response.json()) == stale
    assert snapshot() == before
    # Sent back with the version it had, it is a conflict: the item changed since it was read.
    response = patch(client, url, item | {field: "Again"}, auth(secretariat) | EN)
    assert response.status_code == 409
    assert response.json()["current"][field] == "Edited"
    assert snapshot() == before


@pytest.mark.django_db
def test_create_from_the_browsable_api_form(client, plan, secretariat):
    """The HTML form posts every writable field, `version` empty, and the CSRF token."""
    data = {
        "csrfmiddlewaretoken": "ignored-in-tests",
        "version": "",
        "axis": "91",
        "number": "2",
        "text_es": "Nuevo",
        "text_en": "",
    }
    response = client.post("/api/v1/objectives/", data, headers=auth(secretariat))
    assert response.status_code == 201, response.content
    assert OperationalObjective.objects.get(pk=response.json()["id"]).text_es == "Nuevo"


@pytest.mark.django_db
def test_errors_of_keys_and_of_values_come_together(client, plan, secretariat):
    response = patch(
        client,
        f"/api/v1/activities/{plan['activity'].pk}/",
        {"version": 1, "code": None, "colour": "red"},
        auth(secretariat) | EN,
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": ["This field may not be null."],
        "colour": ["Unknown field."],
    }


@pytest.mark.django_db
def test_create_then_retire_an_activity(client, plan, secretariat):
    response = post(
        client,
        "/api/v1/activities/",
        {
            "objective": plan["objective"].pk,
            "code": "91.2",
            "order": 2,
            "text_es": "Capacitar",
            "text_en": "Train",
            "responsible_es": "Ministerio",
            "timeframe_es": "Anual",
        },
        auth(secretariat),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    activity = Activity.objects.get(pk=body["id"])
    assert (activity.code, activity.text_es, activity.text_en, activity.objective) == (
        "91.2",
        "Capacitar",
        "Train",
        plan["objective"],
    )
    assert (body["version"], body["retired"], body["axis"], body["text"]) == (
        1,
        False,
        91,
        "Capacitar",
    )
    created = activity.history.get()
    assert (created.history_user, created.history_change_reason) == (secretariat, "created")
    assert body["id"] in {row["id"] for row in public_list(client, "/api/v1/activities/?axis=91")}

    url = f"/api/v1/activities/{activity.pk}/"
    response = post(client, f"{url}retire/", {"version": 1}, auth(secretariat))
    assert response.status_code == 200, response.content
    assert (response.json()["retired"], response.json()["version"]) == (True, 2)
    activity.refresh_from_db()
    assert activity.is_retired
    assert activity.version == 2
    assert activity.history.latest().history_change_reason == "retired"
    assert activity.history.latest().history_user == secretariat
    # Gone from what the public reads.
    assert client.get(url).status_code == 404
    assert body["id"] not in {row["id"] for row in public_list(client, "/api/v1/activities/")}
    matrix = client.get("/api/v1/axes/91/").json()["operational_objectives"][0]["activities"]
    assert [a["code"] for a in matrix] == ["91.1"]
    # A retired item no longer changes, nor is retired again.
    before = snapshot()
    for response in (
        post(client, f"{url}retire/", {"version": 2}, auth(secretariat) | EN),
        patch(client, url, {"version": 2, "text_en": "Again"}, auth(secretariat) | EN),
    ):
        assert response.status_code == 409
        assert response.json()["detail"] == "This item has been retired: it can no longer change."
        assert response.json()["current"]["retired"] is True
    assert snapshot() == before


def public_list(client, url):
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


@pytest.mark.django_db
def test_retire_takes_only_the_version(client, plan, secretariat):
    before = snapshot()
    url = f"/api/v1/goals/{plan['goal'].pk}/retire/"
    response = post(client, url, {}, auth(secretariat) | EN)
    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    response = post(client, url, {"version": 1, "text_en": "x"}, auth(secretariat) | EN)
    assert response.status_code == 400
    assert response.json() == {"text_en": ["Unknown field."]}
    assert snapshot() == before


CREATES = {
    "objectives": lambda p: {"axis": 91, "number": 2, "text_es": "Nuevo", "text_en": "New"},
    "activities": lambda p: {
        "objective": p["objective"].pk,
        "code": "91.2",
        "order": 2,
        "text_es": "Nueva",
        "responsible_es": "Ministerio",
        "timeframe_es": "Anual",
    },
    "goals": lambda p: {"activity": p["activity"].pk, "code": "91.1.2", "order": 2, "text_es": "N"},
    "indicators": lambda p: {
        "code": "T-W91-2",
        "goal_id": p["goal"].pk,
        "order": 2,
        "name_es": "Casos",
        "name_en": "Cases",
        "kind": "percentage",
        "disaggregations": ["sex"],
        "target": "50.5",
    },
}
MODELS = {
    "objectives": OperationalObjective,
    "activities": Activity,
    "goals": Goal,
    "indicators": Indicator,
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(CREATES))
def test_create_each_kind_of_item(client, plan, secretariat, endpoint):
    model = MODELS[endpoint]
    count = model.objects.count()
    response = post(client, f"/api/v1/{endpoint}/", CREATES[endpoint](plan), auth(secretariat))
    assert response.status_code == 201, response.content
    assert model.objects.count() == count + 1
    item = model.objects.get(pk=response.json()["id"])
    assert item.version == 1
    assert item.history.get().history_user == secretariat
    if endpoint == "indicators":
        assert (item.goal, item.kind, item.disaggregations, str(item.target)) == (
            plan["goal"],
            "percentage",
            ["sex"],
            "50.50",
        )


@pytest.mark.django_db
def test_created_without_a_position_goes_last(client, plan, secretariat):
    data = CREATES["objectives"](plan)
    del data["number"]
    response = post(client, "/api/v1/objectives/", data, auth(secretariat))
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    data = CREATES["goals"](plan)
    del data["order"]
    response = post(client, "/api/v1/goals/", data, auth(secretariat))
    assert response.status_code == 201, response.content
    last = Goal.objects.exclude(pk=response.json()["id"]).order_by("-order").first()
    assert response.json()["order"] == last.order + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "change", "errors"),
    [
        ("objectives", {"number": 1}, {"non_field_errors": None}),
        ("indicators", {"code": "T-W91"}, {"code": None}),
        ("indicators", {"kind": "colour"}, {"kind": None}),
        ("activities", {"order": None}, {"order": None}),
        ("goals", {"text_es": ""}, {"text_es": None}),
        ("goals", {"version": 1}, {"version": None}),
    ],
)
def test_create_refuses_invalid_items(client, plan, secretariat, endpoint, change, errors):
    data = CREATES[endpoint](plan) | change
    before = snapshot()
    response = post(client, f"/api/v1/{endpoint}/", data, auth(secretariat))
    assert response.status_code == 400
    assert set(response.json()) == set(errors)
    assert snapshot() == before


@pytest.mark.django_db
def test_nothing_is_created_under_a_retired_item(client, plan, secretariat):
    Activity.objects.filter(pk=plan["activity"].pk).update(retired_at=timezone.now())
    before = snapshot()
    response = post(client, "/api/v1/goals/", CREATES["goals"](plan), auth(secretariat))
    assert response.status_code == 400
    assert list(response.json()) == ["activity"]
    assert snapshot() == before


@pytest.mark.django_db
def test_patch_an_axis(client, plan, secretariat):
    response = patch(
        client,
        "/api/v1/axes/91/",
        {"version": 1, "name_en": "Training", "description_es": "Nueva descripción"},
        auth(secretariat) | EN,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["version"], body["description_es"]) == (
        "Training",
        2,
        "Nueva descripción",
    )
    assert body["operational_objectives"][0]["number"] == 1
    axis = Axis.objects.get(number=91)
    assert (axis.name_en, axis.version) == ("Training", 2)
    # Its number and slug are fixed; axes are neither created nor retired here.
    before = snapshot()
    response = patch(client, "/api/v1/axes/91/", {"version": 2, "number": 92}, auth(secretariat))
    assert response.status_code == 400
    assert list(response.json()) == ["number"]
    assert post(client, "/api/v1/axes/", {"number": 92}, auth(secretariat)).status_code == 405
    assert (
        post(client, "/api/v1/axes/91/retire/", {"version": 2}, auth(secretariat)).status_code
        == 404
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_patch_and_retire_an_indicator_by_code(client, plan, secretariat):
    response = patch(
        client,
        "/api/v1/indicators/T-W91/",
        {"version": 1, "unit_es": "personas", "target": "12"},
        auth(secretariat),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["unit_es"], response.json()["target"]) == ("personas", "12.00")
    response = post(client, "/api/v1/indicators/T-W91/retire/", {"version": 2}, auth(secretariat))
    assert response.status_code == 200
    assert Indicator.objects.get(code="T-W91").is_retired


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete"])
def test_no_put_nor_delete(client, plan, secretariat, method):
    before = snapshot()
    response = getattr(client, method)(
        f"/api/v1/goals/{plan['goal'].pk}/",
        {"version": 1, "text_es": "x"},
        content_type="application/json",
        headers=auth(secretariat),
    )
    assert response.status_code == 405
    assert snapshot() == before


# --- who may write -----------------------------------------------------------------------------


def _item_url(endpoint, p):
    item = {
        "objectives": p["objective"],
        "activities": p["activity"],
        "goals": p["goal"],
    }
    if endpoint == "axes":
        return "/api/v1/axes/91/"
    if endpoint == "indicators":
        return "/api/v1/indicators/T-W91/"
    return f"/api/v1/{endpoint}/{item[endpoint].pk}/"


def write_request(name, p):
    """(method, URL, body) of each write endpoint; all valid, so that only the role can refuse."""
    verb, endpoint = name.split()
    url = _item_url(endpoint, p)
    if verb == "POST":
        return "post", f"/api/v1/{endpoint}/", CREATES[endpoint](p)
    if verb == "retire":
        return "post", f"{url}retire/", {"version": 1}
    field = {"axes": "name_en", "indicators": "name_en"}.get(endpoint, "text_en")
    return "patch", url, {"version": 1, field: "Changed"}


WRITES = [
    "PATCH axes",
    *(f"{verb} {endpoint}" for endpoint in CREATES for verb in ("POST", "PATCH", "retire")),
]


def _send(client, write, headers=None):
    method, url, body = write
    return getattr(client, method)(
        url, body, content_type="application/json", headers=headers or {}
    )


@pytest.fixture
def roles(db):
    """Each way of asking but the secretariat's, and the status it must get."""
    observer = make_user("observer", User.Role.OBSERVER)
    focal = make_user("focal-hn", User.Role.FOCAL_POINT, "HN")
    return {
        "anonymous": (Client(), {}, 401),
        "wrong token": (Client(), {"Authorization": "Token " + "0" * 40}, 401),
        "observer, token": (Client(), auth(observer), 403),
        "focal point, token": (Client(), auth(focal), 403),
        "observer, session": (signed_in(Client(), observer), {}, 403),
        "focal point, session": (signed_in(Client(), focal), {}, 403),
    }


ROLES = [
    "anonymous",
    "wrong token",
    "observer, token",
    "focal point, token",
    "observer, session",
    "focal point, session",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES)
def test_only_the_secretariat_writes(plan, roles, role, write):
    client, headers, expected = roles[role]
    before = snapshot()
    response = _send(client, write_request(write, plan), headers)
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_the_secretariat_writes(client, plan, secretariat, write):
    """The same requests as above, from the secretariat: they do write."""
    before = snapshot()
    response = _send(client, write_request(write, plan), auth(secretariat))
    assert response.status_code in (200, 201), response.content
    assert snapshot() != before


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(plan, secretariat):
    client = signed_in(Client(enforce_csrf_checks=True), secretariat)
    write = write_request("PATCH activities", plan)
    before = snapshot()
    response = _send(client, write, EN)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert snapshot() == before
    # With the token of its cookie, as the browsable API sends it, the same write goes through.
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    response = _send(client, write, {"X-CSRFToken": secret})
    assert response.status_code == 200, response.content
