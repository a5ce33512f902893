"""Extra and tampered fields: what a browser's developer tools or a hand-written client can add to
a legitimate request. Another country's code or id, another value's pk, a state or a role posted
to a form that has no such field, a parent or a history moved, a redirect off the site. Each is
refused or ignored: nothing but what the form offers is ever written."""

import json

import pytest
from django.urls import reverse

from corett.models import User
from monitoring.models import Period, Status, Value
from monitoring.values import services
from strategy.models import Activity, Country, Indicator
from tests.conftest import PASSWORD, api_token

from .conftest import client_as
from .corpus import Unchanged

HN_2026 = {"country": "HN", "period": "2026"}


@pytest.fixture(autouse=True)
def tokens(world):
    """Each role's API token, made before any request is watched (making one writes a row)."""
    roles = ("focal-hn", "focal-sv", "secretariat")
    world.tokens = {role: api_token(world[role]) for role in roles}


def api(client, world, role, method, path, body):
    return client.generic(
        method,
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {world.tokens[role]}",
    )


def sv_draft(world):
    return services.value_save(
        user=world["focal-sv"],
        indicator=Indicator.objects.get(code="TRA-2.1.1-a"),
        country=Country.objects.get(code="SV"),
        period=Period.objects.get(code="2026"),
        number=7,
        path="form",
    )


# --- The data-entry page -------------------------------------------------------------------------


def test_a_state_country_or_stray_row_posted_with_the_entry_page_is_ignored(client, world):
    client = client_as(client, world, "focal-hn")
    count = Indicator.objects.get(code="SEN-1.1.1-a")
    regional_only = Indicator.objects.get(code="victims-pct-men")  # not on a country's page
    data = {
        "action": "save",
        f"v{count.pk}-number": "3",
        f"v{count.pk}-version": "0",
        f"v{count.pk}-seen": "-",
        f"v{count.pk}-status": Status.VALIDATED,
        f"v{count.pk}-country": "SV",
        "status": Status.VALIDATED,
        "country": "SV",
        f"v{regional_only.pk}-number": "50",
        f"v{regional_only.pk}-version": "0",
        f"v{regional_only.pk}-seen": "-",
    }

    response = client.post(reverse("monitoring:entry", kwargs=HN_2026), data)

    assert response.status_code == 302
    (value,) = Value.objects.filter(period__code="2026")
    assert (value.indicator, value.country.code, value.status) == (count, "HN", Status.DRAFT)


def test_a_focal_point_cannot_post_another_countrys_page(client, world):
    client = client_as(client, world, "focal-hn")
    count = Indicator.objects.get(code="SEN-1.1.1-a")
    unchanged = Unchanged()
    with unchanged.watch():
        response = client.post(
            reverse("monitoring:entry", kwargs={"country": "SV", "period": "2026"}),
            {"action": "save", f"v{count.pk}-number": "3", f"v{count.pk}-version": "0"}
            | {f"v{count.pk}-seen": "-"},
        )
    assert response.status_code in (403, 404)
    assert unchanged


# --- The values API --------------------------------------------------------------------------


NEW_VALUE = {"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": 3}


@pytest.mark.parametrize(
    "tampered, status",
    [
        ({"country": "SV"}, 403),
        ({"country": "sv"}, 403),
        ({"country": None}, 403),  # regional figures are the secretariat's
        ({"status": "validated"}, 400),
        ({"late": False, "submitted_at": "2026-01-01T00:00:00Z"}, 400),
        ({"id": 1}, 400),
        ({"version": 1}, 400),  # no value there yet
        ({"review_comment": "Approved"}, 400),
    ],
    ids=lambda p: json.dumps(p) if isinstance(p, dict) else str(p),
)
def test_values_api_refuses_tampered_bodies(client, world, tampered, status):
    unchanged = Unchanged()
    with unchanged.watch():
        response = api(client, world, "focal-hn", "POST", "/api/v1/values/", NEW_VALUE | tampered)
    assert response.status_code == status, response.content
    assert unchanged


def test_another_countrys_value_is_not_found_through_the_api(client, world):
    value = sv_draft(world)
    unchanged = Unchanged()
    with unchanged.watch():
        submit = api(
            client, world, "focal-hn", "POST", f"/api/v1/values/{value.pk}/submit/", {"version": 1}
        )
    assert submit.status_code == 404
    assert unchanged
    mine = world.submitted_value()
    validate = api(
        client,
        world,
        "focal-hn",
        "POST",
        f"/api/v1/values/{mine.pk}/validate/",
        {"version": mine.version},
    )
    assert validate.status_code in (400, 403)
    assert Value.objects.get(pk=mine.pk).status == Status.SUBMITTED


def test_another_countrys_draft_page_is_not_found(client, world):
    value = sv_draft(world)
    response = client_as(client, world, "focal-hn").get(
        reverse("monitoring:value", args=[value.pk])
    )
    assert response.status_code == 404


# --- Roles and accounts ----------------------------------------------------------------------


def test_a_role_posted_to_ones_own_forms_changes_no_role(client, world):
    client = client_as(client, world, "focal-hn")
    extra = {"role": User.Role.SECRETARIAT, "country": "", "is_superuser": "on", "is_staff": "on"}
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-2026",
            "new_password2": "another-long-password-2026",
        }
        | extra,
    )
    client.post(reverse("accounts:security"), {"code": "000000"} | extra)
    user = User.objects.get(username="focal-hn")
    assert (user.role, user.country.code, user.is_superuser, user.is_staff) == (
        User.Role.FOCAL_POINT,
        "HN",
        False,
        False,
    )
    assert user.check_password("another-long-password-2026")


def test_the_secretariat_cannot_make_a_superuser_nor_change_its_own_role(client, world):
    client = client_as(client, world, "secretariat")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "helper",
            "email": "helper@example.org",
            "role": User.Role.OBSERVER,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "password": "chosen-by-the-secretariat",
        },
    )
    assert response.status_code == 302
    helper = User.objects.get(username="helper")
    assert not (helper.is_superuser or helper.is_staff or helper.has_usable_password())
    me = world["secretariat"]
    unchanged = Unchanged()
    with unchanged.watch():
        response = client.post(
            reverse("accounts:user_edit", args=[me.pk]),
            {"username": me.username, "email": me.email, "role": User.Role.OBSERVER}
            | {"is_active": "on"},
        )
    assert response.status_code == 200 and unchanged


# --- The plan --------------------------------------------------------------------------------


def test_a_parent_position_or_retirement_posted_to_the_edit_form_is_ignored(client, world):
    client = client_as(client, world, "secretariat")
    activity = Activity.objects.current().order_by("pk").first()
    other = Activity.objects.current().exclude(objective=activity.objective).first()
    data = {
        "code": activity.code,
        "text_es": "Texto nuevo",
        "text_en": activity.text_en,
        "responsible_es": activity.responsible_es,
        "responsible_en": activity.responsible_en,
        "timeframe_es": activity.timeframe_es,
        "timeframe_en": activity.timeframe_en,
        "version": activity.version,
        "objective": other.objective_id,
        "order": 99,
        "retired_at": "2020-01-01",
        "id": other.pk,
    }
    response = client.post(reverse("plan:edit", args=["activity", activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    other.refresh_from_db()
    assert (activity.text_es, activity.objective_id, activity.is_retired) == (
        "Texto nuevo",
        Activity.objects.get(pk=activity.pk).objective_id,
        False,
    )
    assert activity.order != 99 and other.text_es != "Texto nuevo"


def test_a_history_record_of_another_item_cannot_be_reverted_onto_this_one(client, world):
    from strategy import services as plan_services

    client = client_as(client, world, "secretariat")
    first, second = Activity.objects.current().order_by("pk")[:2]
    for activity in (first, second):
        plan_services.plan_item_update(
            user=world["secretariat"],
            instance=activity,
            data={"text_en": activity.text_en + " (edited)"},
            version=activity.version,
        )
    foreign = second.history.earliest().history_id
    unchanged = Unchanged()
    with unchanged.watch():
        response = client.post(
            reverse("plan:revert", args=["activity", first.pk, foreign]),
            {"version": Activity.objects.get(pk=first.pk).version},
        )
    assert response.status_code == 404
    assert unchanged


# --- Redirects -------------------------------------------------------------------------------

OFF_SITE = ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_redirect_leaves_the_site(client, world, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))
    response = client.post(
        reverse("accounts:login") + "?next=" + target,
        {"username": "observer", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")
