"""API tokens (django-rest-knox through corett/api_tokens.py), tried as someone holding one that
should no longer work would: replayed after logout, after logout-all, after a password change or
reset, after the account was deactivated or its two-step verification reset, after its expiry
(the clock moved, nothing of the portal mocked); and the security page that lists and revokes."""

import re
from datetime import datetime, timedelta
from html import escape

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from corett.models import User
from tests.conftest import PASSWORD, api_token, signed_in

TOKEN_URL = "/api/v1/auth/token/"
# A read that needs the token to be someone's: an observer's token gets 403 (a write of the
# plan), no or a dead token 401.
PROBE = "/api/v1/axes/?retired=true"


def works(client, token) -> bool:
    status = client.get(PROBE, headers={"Authorization": f"Token {token}"}).status_code
    assert status in (401, 403, 200), status
    return status != 401


def sign_in_to_api(client, username="observer", password=PASSWORD) -> str:
    response = client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def post_with(client, url, token, body=None):
    return client.post(
        url,
        body or {},
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )


# --- logout and logout-all -----------------------------------------------------------------------


def test_a_token_replayed_after_logout_is_refused(client, observer):
    laptop, phone = sign_in_to_api(client), sign_in_to_api(client)

    response = post_with(client, "/api/v1/auth/logout/", laptop)

    assert response.status_code == 204
    assert not works(client, laptop)
    assert post_with(client, "/api/v1/auth/logout/", laptop).status_code == 401  # replayed
    assert works(client, phone)  # the other token is untouched


def test_logout_all_ends_every_token_of_the_account_and_no_one_elses(client, observer, focal_hn):
    mine = [sign_in_to_api(client) for _ in range(3)]
    theirs = api_token(focal_hn)

    assert post_with(client, "/api/v1/auth/logoutall/", mine[0]).status_code == 204

    assert not any(works(client, token) for token in mine)
    assert works(client, theirs)
    assert not AuthToken.objects.filter(user=observer).exists()


def test_a_session_cannot_sign_tokens_out(client, observer):
    """Signing out is for the token's holder: a browser's session (which a forged cross-site post
    would ride on) gets 401 and every token stays."""
    token = api_token(observer)
    signed_in(client, observer)
    assert client.post("/api/v1/auth/logoutall/").status_code == 401
    assert works(Client(), token)


def test_sign_out_takes_no_fields(client, observer):
    token = api_token(observer)
    response = post_with(client, "/api/v1/auth/logout/", token, {"token": "another"})
    assert response.status_code == 400
    assert works(client, token)


# --- events that revoke every token ------------------------------------------------------------


def test_a_password_change_revokes_every_token(client, observer):
    tokens = [api_token(observer), api_token(observer)]
    signed_in(client, observer)
    new = "another-long-passphrase-77"

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("accounts:password_change_done")
    with translation.override("es"):
        message = ngettext(
            "%(count)d API token of the account was revoked: sign in to the API again.",
            "%(count)d API tokens of the account were revoked: sign in to the API again.",
            2,
        ) % {"count": 2}
    assert escape(message) in response.content.decode()
    assert not any(works(client, token) for token in tokens)
    assert works(client, sign_in_to_api(Client(), password=new))  # a new sign-in works


def test_a_password_reset_revokes_every_token(client, observer):
    token = api_token(observer)
    uid = urlsafe_base64_encode(force_bytes(observer.pk))
    link = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(observer)]
    )
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-42"

    response = client.post(form_url, {"new_password1": new, "new_password2": new})

    assert response.status_code == 302
    assert not works(client, token)


def test_deactivation_revokes_every_token_for_good(client, secretariat, observer):
    token = api_token(observer)
    signed_in(client, secretariat)
    data = {"username": "observer", "email": "observer@example.org", "role": "observer"}

    client.post(reverse("accounts:user_edit", args=[observer.pk]), data)  # is_active unticked

    observer.refresh_from_db()
    assert not observer.is_active
    assert not AuthToken.objects.filter(user=observer).exists()
    # Made active again, the old token stays dead: its owner signs in again.
    client.post(reverse("accounts:user_edit", args=[observer.pk]), data | {"is_active": "on"})
    assert not works(Client(), token)


def test_an_edit_that_keeps_the_account_active_keeps_its_tokens(client, secretariat, observer):
    token = api_token(observer)
    signed_in(client, secretariat)
    data = {"username": "observer", "email": "observer@example.org", "role": "observer"}
    client.post(reverse("accounts:user_edit", args=[observer.pk]), data | {"is_active": "on"})
    assert works(Client(), token)


def test_a_two_step_reset_revokes_every_token(client, secretariat, observer):
    TOTPDevice.objects.create(user=observer, name="lost phone", confirmed=True)
    token = api_token(observer)
    signed_in(client, secretariat)

    client.post(reverse("accounts:user_two_factor_reset", args=[observer.pk]))

    assert not works(client, token)


# --- expiry ------------------------------------------------------------------------------------


def test_a_token_works_until_its_expiry_and_not_after(client, observer, settings):
    assert settings.API_TOKEN_TTL == 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token = sign_in_to_api(client)
        row = AuthToken.objects.get(user=observer)
        assert row.expiry == start + timedelta(days=30)

        clock.move_to(start + timedelta(days=30) - timedelta(seconds=1))
        assert works(client, token)

        clock.move_to(start + timedelta(days=30, seconds=1))
        assert not works(client, token)
        assert not AuthToken.objects.filter(user=observer).exists()  # knox deletes it


def test_expired_tokens_are_cleared_at_the_next_sign_in(client, observer):
    old = api_token(observer)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        new = sign_in_to_api(client)
        assert list(AuthToken.objects.filter(user=observer)) == [
            AuthToken.objects.get(token_key=new[:15])
        ]
        assert not works(client, old)


def test_using_a_token_does_not_push_its_expiry(client, observer):
    token = sign_in_to_api(client)
    expiry = AuthToken.objects.get(user=observer).expiry
    with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
        assert works(client, token)
    assert AuthToken.objects.get(user=observer).expiry == expiry


def test_the_lifetime_follows_the_setting(client, observer, settings):
    settings.REST_KNOX = {"TOKEN_TTL": timedelta(days=7)}  # what API_TOKEN_TTL=7 sets
    response = client.post(
        TOKEN_URL, {"username": "observer", "password": PASSWORD}, content_type="application/json"
    )
    expiry = datetime.fromisoformat(response.json()["expiry"])
    assert abs(expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


# --- the security page ---------------------------------------------------------------------------


def test_the_security_page_lists_ones_own_tokens_by_their_first_characters_only(
    client, observer, focal_hn
):
    tokens = [sign_in_to_api(Client()) for _ in range(2)]
    other = api_token(focal_hn)
    html = signed_in(client, observer).get(reverse("accounts:security")).content.decode()

    for token in tokens:
        assert f"<code>{token[:8]}…</code>" in html
        assert token[:9] not in html  # never more than the first characters
    assert other[:8] not in html
    expiry = timezone.localtime(AuthToken.objects.filter(user=observer).first().expiry)
    assert f'datetime="{expiry.isoformat()}"' in html


def test_revoke_on_the_security_page(client, observer):
    keep, drop = sign_in_to_api(Client()), sign_in_to_api(Client())
    digest = AuthToken.objects.get(token_key=drop[:15]).digest
    signed_in(client, observer)

    response = client.post(reverse("accounts:api_token_revoke"), {"token": digest}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:security")
    assert not works(client, drop)
    assert works(client, keep)
    assert f"<code>{drop[:8]}…</code>" not in response.content.decode()


def test_no_one_revokes_anothers_token(client, observer, focal_hn):
    theirs = api_token(focal_hn)
    digest = AuthToken.objects.get(user=focal_hn).digest
    signed_in(client, observer)

    for value in [digest, digest.upper(), "\x00", "x" * 128, ""]:
        response = client.post(reverse("accounts:api_token_revoke"), {"token": value})
        assert response.status_code == 302
    assert works(Client(), theirs)


def test_revoke_is_a_post(client, observer):
    token = api_token(observer)
    digest = AuthToken.objects.get(user=observer).digest
    signed_in(client, observer)
    response = client.get(reverse("accounts:api_token_revoke"), {"token": digest})
    assert response.status_code == 405
    assert works(client, token)


# --- the schema ----------------------------------------------------------------------------------


def test_the_schema_documents_sign_in_and_both_sign_outs(client):
    schema = client.get("/api/schema/?format=json").json()
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    answer = token["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Token"}
    assert set(schema["components"]["schemas"]["Token"]["properties"]) == {"token", "expiry"}
    for path in ("/api/v1/auth/logout/", "/api/v1/auth/logoutall/"):
        operation = schema["paths"][path]["post"]
        assert operation["security"] == [{"tokenAuth": []}]
        assert {"204", "400", "401"} <= set(operation["responses"])


@pytest.mark.parametrize("header", ["Token " + "0" * 64, "Token " + "g" * 64, "Token " + "0" * 40])
def test_a_token_that_is_not_one_is_401(db, client, header):
    assert client.get(PROBE, headers={"Authorization": header}).status_code == 401


def test_non_utf8_bytes_in_the_header_are_401_not_500(client, observer):
    # As a WSGI server hands over the header's bytes: read as Latin-1.
    header = ("Token " + "é" * 32).encode().decode("latin-1")
    assert client.get(PROBE, HTTP_AUTHORIZATION=header).status_code == 401


def test_only_digests_are_kept(observer):
    token = api_token(observer)
    row = AuthToken.objects.get(user=observer)
    assert token not in repr(AuthToken.objects.values_list())
    assert re.fullmatch(r"[0-9a-f]{128}", row.digest)
    assert User.objects.get(auth_token_set=row) == observer
