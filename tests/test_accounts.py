"""Sign-in, throttling, sessions, two-step verification and user management (issue 3)."""

import re
import time
from base64 import b32encode
from datetime import timedelta
from html import escape

import pytest
import time_machine
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from corett.access import authenticate_throttled
from corett.account_views import client_ip
from corett.middleware import SIGNED_IN_AT_SESSION_KEY
from corett.models import User
from strategy.models import Country
from tests.conftest import PASSWORD, make_user, signed_in

# Helpers -----------------------------------------------------------------------------------------


def url(name, lang="es", *args):
    with translation.override(lang):
        return reverse(name, args=args)


def tr(msgid, lang="es", **values):
    """The message as the page shows it in lang (HTML-escaped)."""
    with translation.override(lang):
        text = gettext(msgid)
    return escape(text % values if values else text)


def sign_in(client, username, password=PASSWORD, lang="es", **extra):
    data = {"username": username, "password": password}
    return client.post(url("accounts:login", lang), data, **extra)


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


def code(device, steps_ahead=0) -> str:
    """The code the user's app shows now (steps_ahead=1: the next one, to avoid a replay)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


def wrong(code_str: str) -> str:
    return f"{(int(code_str) + 500000) % 1000000:06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture
def outside_demo(settings):
    settings.DEMO_MODE = False
    return settings


# Sign-in and sign-out ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_wrong_password_is_refused_with_a_message_and_the_username_kept(client, observer, lang):
    response = sign_in(client, "observer", "not-the-password-123", lang=lang)

    assert response.status_code == 200
    html = response.content.decode()
    assert tr("Wrong username or password. Both are case-sensitive.", lang) in html
    assert f'<html lang="{lang}">' in html
    assert 'value="observer"' in html
    assert "not-the-password-123" not in html
    assert not is_signed_in(client)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_right_password_signs_in_with_a_welcome(client, observer, lang):
    observer.first_name = "Ana"
    observer.save()

    response = sign_in(client, "observer", lang=lang, follow=True)

    assert response.redirect_chain[0][0] == reverse(settings.LOGIN_REDIRECT_URL)
    assert tr("Welcome, %(name)s.", lang, name="Ana") in response.content.decode()
    assert is_signed_in(client)


def test_sign_in_goes_to_the_safe_next_page_only(client, observer):
    target = url("accounts:security")
    response = client.post(
        url("accounts:login"), {"username": "observer", "password": PASSWORD, "next": target}
    )
    assert response.url == target

    client.post(url("accounts:logout"))
    response = client.post(
        url("accounts:login"),
        {"username": "observer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_an_inactive_account_cannot_sign_in(client, observer):
    observer.is_active = False
    observer.save()
    response = sign_in(client, "observer")
    assert tr("Wrong username or password. Both are case-sensitive.") in response.content.decode()
    assert not is_signed_in(client)


def test_sign_out_is_a_post(client, observer):
    signed_in(client, observer)
    assert client.get(url("accounts:logout")).status_code == 405
    assert is_signed_in(client)

    response = client.post(url("accounts:logout"), follow=True)
    assert not is_signed_in(client)
    assert tr("You have signed out.") in response.content.decode()


def test_session_key_changes_at_sign_in(client, observer):
    session = client.session
    session["language_hint"] = "es"
    session.save()
    anonymous_key = session.session_key

    sign_in(client, "observer")

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert is_signed_in(client)


# Throttling (django-axes) ------------------------------------------------------------------------


def fail_five_times(client, username="observer", **extra):
    return [sign_in(client, username, "wrong-password-0000", **extra).status_code for _ in range(5)]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_five_failures_lock_the_account_with_a_friendly_429(client, observer, lang):
    statuses = [sign_in(client, "observer", "wrong-password-0000", lang=lang).status_code]
    statuses += [sign_in(client, "observer", "wrong-password-0000", lang=lang).status_code]
    statuses += fail_five_times(client, lang=lang)[:3]
    assert statuses == [200, 200, 200, 200, 429]

    response = sign_in(client, "observer", lang=lang)  # the right password, while locked

    assert response.status_code == 429
    html = response.content.decode()
    with translation.override(lang):
        expected = ngettext(
            "To protect the account, signing in with this username is paused here for up to "
            "%(minutes)s minute. Try again later.",
            "To protect the account, signing in with this username is paused here for up to "
            "%(minutes)s minutes. Try again later.",
            15,
        ) % {"minutes": 15}
    assert escape(expected) in html
    assert f'<html lang="{lang}">' in html
    assert "Traceback" not in html
    assert not is_signed_in(client)


def test_the_lock_holds_the_username_from_that_address_only(client, observer):
    """Locks are by username and address together (the stranger's case, and the guesser's from
    many addresses: tests/test_signin_throttle.py)."""
    fail_five_times(client, REMOTE_ADDR="10.0.0.1")

    assert sign_in(client, "observer", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert sign_in(client, "observer", REMOTE_ADDR="10.0.0.2").status_code == 302
    assert is_signed_in(client)


def test_the_lock_ends_after_fifteen_minutes_and_not_before(client, observer):
    fail_five_times(client)
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, "observer").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert sign_in(client, "observer").status_code == 302
    assert is_signed_in(client)


def test_tries_during_the_lock_do_not_extend_it(client, observer):
    fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    assert sign_in(client, "observer", "wrong-again-0000").status_code == 429

    # Five minutes later (moved back in the records, not in the clock): the lock has run its 15.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=5, seconds=5))
    assert sign_in(client, "observer").status_code == 302


def test_the_secretariat_can_lift_a_lock_with_axes_reset(client, observer):
    fail_five_times(client)
    axes_reset(username="observer")
    axes_reset(ip="127.0.0.1")
    assert sign_in(client, "observer").status_code == 302


def test_four_failures_do_not_lock(client, observer):
    for _ in range(4):
        sign_in(client, "observer", "wrong-password-0000")
    assert sign_in(client, "observer").status_code == 302


def test_client_address_behind_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.AXES_IPWARE_PROXY_COUNT = 0  # direct: a client-sent header is not believed
    assert client_ip(request) == "10.1.1.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1  # one proxy: the address it saw, the last in the header
    assert client_ip(request) == "203.0.113.9"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.AXES_IPWARE_PROXY_COUNT = 3  # fewer entries than proxies: fall back
    assert client_ip(request) == "10.1.1.1"


def drf_token_request(username, password):
    """What an API token endpoint sees: a DRF Request around a JSON POST."""
    raw = APIRequestFactory().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    return Request(raw, parsers=[JSONParser()])


def test_api_style_sign_in_shares_the_throttling(observer):
    user, locked = authenticate_throttled(
        drf_token_request("observer", PASSWORD), "observer", PASSWORD
    )
    assert user == observer and not locked

    outcomes = []
    for _ in range(5):
        request = drf_token_request("observer", "wrong-password-0000")
        outcomes.append(authenticate_throttled(request, "observer", "wrong-password-0000"))
    assert [locked for _user, locked in outcomes] == [False, False, False, False, True]

    user, locked = authenticate_throttled(
        drf_token_request("observer", PASSWORD), "observer", PASSWORD
    )
    assert user is None and locked


def test_failures_on_the_api_lock_the_sign_in_page_too(client, observer):
    for _ in range(5):
        request = drf_token_request("observer", "wrong-password-0000")
        authenticate_throttled(request, "observer", "wrong-password-0000")
    assert sign_in(client, "observer").status_code == 429


# Sessions ----------------------------------------------------------------------------------------


@pytest.fixture(params=["db", "cached_db"])
def session_engine(request, settings):
    """Sessions in the database (one process, as tests and local runs), or read from the shared
    cache and written through (CACHE_URL set, as in production)."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    return request.param


def session_ends(client):
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_sessions_end_after_thirty_idle_minutes(client, observer, session_engine):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    signed_in(client, observer)

    assert client.get(url("accounts:security")).status_code == 200
    assert session_ends(client) > timezone.now() + timedelta(minutes=29)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(url("accounts:security"))
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))


def test_an_active_session_is_renewed_at_most_once_a_minute(client, observer, session_engine):
    """Each renewal writes the session; the requests in between only read it (from the cache,
    where there is a shared one)."""
    signed_in(client, observer)
    client.get(url("accounts:security"))
    ends = session_ends(client)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("accounts:security"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    sessions = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert [sql for sql in sessions if not sql.startswith("SELECT")] == []
    assert len(sessions) == (1 if session_engine == "db" else 0)

    for minutes in (25, 50):  # an hour of work, never idle for 30 minutes: still signed in
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            response = client.get(url("accounts:security"))
        assert response.status_code == 200
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800
        assert session_ends(client) > ends + timedelta(minutes=minutes - 1)


def test_a_session_cookie_replayed_after_sign_out_is_refused(client, observer, session_engine):
    signed_in(client, observer)
    client.get(url("accounts:security"))  # the session is in the cache too
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(url("accounts:logout"))

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = thief.get(url("accounts:security"))
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))


def test_sign_in_notes_the_time(client, observer):
    sign_in(client, "observer")
    assert abs(client.session[SIGNED_IN_AT_SESSION_KEY] - time.time()) < 5


def set_signed_in_at(client, seconds_ago):
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = int(time.time() - seconds_ago)
    session.save()


def test_sessions_end_twelve_hours_after_sign_in_however_active(client, observer):
    signed_in(client, observer)
    set_signed_in_at(client, 12 * 3600 - 60)
    assert client.get(url("accounts:security")).status_code == 200

    set_signed_in_at(client, 12 * 3600 + 60)
    response = client.get(url("accounts:security"), follow=True)

    login_url, _status = response.redirect_chain[0]
    assert login_url.startswith(url("accounts:login"))
    assert "next=" in login_url
    with translation.override("es"):
        message = gettext("Your session ended after %(hours)s hours. Please sign in again.")
    assert escape(message % {"hours": 12}) in response.content.decode()
    assert not is_signed_in(client)


def test_a_deactivated_user_is_out_at_the_next_request(client, observer):
    signed_in(client, observer)
    assert client.get(url("accounts:security")).status_code == 200

    observer.is_active = False
    observer.save()

    response = client.get(url("accounts:security"))
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))


# Two-step verification ---------------------------------------------------------------------------


def test_enrol_shows_a_server_drawn_qr_code_and_the_key(client, observer):
    signed_in(client, observer)
    response = client.get(url("accounts:security"))

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=observer, confirmed=False)
    assert '<svg class="qr"' in html
    assert "<script" not in html
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    assert response["Cache-Control"].startswith("max-age=0")
    # A reload shows the same key (the app may have scanned it already).
    client.get(url("accounts:security"))
    assert TOTPDevice.objects.get(user=observer, confirmed=False).key == device.key


def test_enrol_needs_a_right_code(client, observer):
    signed_in(client, observer)
    client.get(url("accounts:security"))
    device = TOTPDevice.objects.get(user=observer)

    response = client.post(url("accounts:security"), {"code": wrong(code(device))})
    assert response.status_code == 200
    assert (
        tr("That code is not right. Check that your device's clock is on time and try again.")
        in response.content.decode()
    )
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()
    response = client.post(url("accounts:security"), {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_right_code_right_after_a_wrong_one_is_throttled(client, observer):
    device = confirmed_device(observer)
    sign_in(client, "observer")
    client.post(url("accounts:verify"), {"code": wrong(code(device))})

    response = client.post(url("accounts:verify"), {"code": code(device)})

    assert tr("Too many wrong codes. Wait a minute, then try again.") in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_sign_in_with_a_device_asks_for_the_code(client, observer):
    device = confirmed_device(observer)
    home = reverse("strategy:home")

    response = sign_in(client, "observer")
    assert response.url.startswith(url("accounts:verify"))
    # Signed in with the password only: every page sends to the code step.
    assert client.get(home).url == f"{url('accounts:verify')}?{urlencode({'next': home})}"

    response = client.post(url("accounts:verify"), {"code": wrong(code(device))})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session

    device.throttle_reset()
    key_before = client.session.session_key
    response = client.post(url("accounts:verify"), {"code": code(device), "next": home})
    assert response.url == home
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != key_before
    assert client.get(home).status_code == 200


def test_a_code_cannot_be_used_twice(client, observer):
    device = confirmed_device(observer)
    now_code = code(device)
    sign_in(client, "observer")
    client.post(url("accounts:verify"), {"code": now_code})
    client.post(url("accounts:logout"))

    sign_in(client, "observer")
    client.post(url("accounts:verify"), {"code": now_code})
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_new_password_sign_in_asks_for_a_new_code(client, observer):
    signed_in(client, observer)
    confirmed_device(observer)
    signed_in(client, observer)  # verified
    assert DEVICE_ID_SESSION_KEY in client.session

    sign_in(client, "observer")  # the same user again, same session
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_secretariat_without_two_step_is_sent_to_set_it_up(client, secretariat, outside_demo):
    response = sign_in(client, "secretariat")
    assert response.url.startswith(url("accounts:security"))

    for path in [reverse("strategy:home"), url("accounts:users"), url("accounts:password_change")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(url("accounts:security")), path

    page = client.get(url("accounts:security"))
    assert page.status_code == 200
    assert (
        tr("Your role requires two-step verification. Set it up to go on using the portal.")
        in page.content.decode()
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/portal.css").status_code == 200

    device = TOTPDevice.objects.get(user=secretariat)
    client.post(url("accounts:security"), {"code": code(device)})
    assert client.get(url("accounts:users")).status_code == 200


def test_secretariat_with_a_device_must_enter_the_code(client, secretariat, outside_demo):
    confirmed_device(secretariat)
    sign_in(client, "secretariat")
    response = client.get(url("accounts:users"))
    assert response.url.startswith(url("accounts:verify"))
    # Nor can another device be added meanwhile.
    assert client.get(url("accounts:security")).url.startswith(url("accounts:verify"))


def test_in_demo_mode_the_secretariat_is_not_forced(client, secretariat, settings):
    settings.DEMO_MODE = True
    response = sign_in(client, "secretariat")
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.get(url("accounts:users")).status_code == 200


@pytest.mark.parametrize(
    "who, landing", [("observer", settings.LOGIN_REDIRECT_URL), ("focal_hn", "monitoring:inbox")]
)
def test_focal_points_and_observers_are_never_forced(
    db, client, who, landing, request, outside_demo
):
    user = request.getfixturevalue(who)
    response = sign_in(client, user.username)
    assert response.url == reverse(landing)
    assert client.get(reverse("strategy:home")).status_code == 200


def test_turning_it_off_asks_for_a_current_code(client, observer):
    device = confirmed_device(observer)
    signed_in(client, observer)

    response = client.post(url("accounts:two_factor_remove"), {"code": wrong(code(device))})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=observer).exists()

    device.throttle_reset()
    device.refresh_from_db()
    response = client.post(url("accounts:two_factor_remove"), {"code": code(device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=observer).exists()
    assert client.get(reverse("strategy:home")).status_code == 200


def test_secretariat_turning_it_off_must_set_it_up_again(client, secretariat, outside_demo):
    signed_in(client, secretariat)
    device = TOTPDevice.objects.get(user=secretariat)
    client.post(url("accounts:two_factor_remove"), {"code": code(device, 1)})

    assert not TOTPDevice.objects.filter(user=secretariat, confirmed=True).exists()
    assert client.get(url("accounts:users")).url.startswith(url("accounts:security"))


def test_signed_in_helper_passes_the_secretariat_through_two_step(
    client, secretariat, outside_demo
):
    signed_in(client, secretariat)
    assert client.get(url("accounts:users")).status_code == 200


# User management ---------------------------------------------------------------------------------

MANAGEMENT_PAGES = [
    ("accounts:users", False),
    ("accounts:user_create", False),
    ("accounts:user_edit", True),
]


@pytest.mark.parametrize("name,needs_pk", MANAGEMENT_PAGES)
def test_only_the_secretariat_manages_users(
    client, name, needs_pk, secretariat, observer, focal_hn
):
    path = url(name, "es", observer.pk) if needs_pk else url(name)

    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))

    for outsider in (observer, focal_hn):
        assert signed_in(client, outsider).get(path).status_code == 403
    assert signed_in(client, secretariat).get(path).status_code == 200


def test_user_list_filters(client, secretariat, observer, focal_hn, focal_sv):
    focal_sv.is_active = False
    focal_sv.save()
    signed_in(client, secretariat)

    def listed(**query):
        response = client.get(url("accounts:users"), query)
        return {u.username for u in response.context["page"].object_list}

    assert listed() == {"secretariat", "observer", "focal-hn", "focal-sv"}
    assert listed(role="focal_point") == {"focal-hn", "focal-sv"}
    assert listed(country=Country.objects.get(code="HN").pk) == {"focal-hn"}
    assert listed(is_active="false") == {"focal-sv"}
    assert listed(role="observer", is_active="true") == {"observer"}


def new_account(**changes):
    data = {
        "username": "new-person",
        "first_name": "Nueva",
        "last_name": "Persona",
        "email": "new-person@example.org",
        "role": User.Role.OBSERVER,
        "country": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_a_focal_point_needs_a_country(client, secretariat):
    signed_in(client, secretariat)
    response = client.post(url("accounts:user_create"), new_account(role=User.Role.FOCAL_POINT))

    assert response.status_code == 200
    assert response.context["form"].errors["country"] == [
        gettext("A focal point needs the country they work for.")
    ]
    html = response.content.decode()
    assert 'id="id_country_error"' in html
    assert tr("A focal point needs the country they work for.") in html
    assert 'value="new-person"' in html
    assert not User.objects.filter(username="new-person").exists()


def test_only_focal_points_have_a_country(client, secretariat):
    signed_in(client, secretariat)
    hn = Country.objects.get(code="HN")
    response = client.post(url("accounts:user_create"), new_account(country=hn.pk))

    assert response.status_code == 200
    assert tr("Only focal points have a country: leave it empty.") in response.content.decode()
    assert not User.objects.filter(username="new-person").exists()


def test_the_error_is_in_english_on_the_english_page(client, secretariat):
    signed_in(client, secretariat)
    response = client.post(
        url("accounts:user_create", "en"), new_account(role=User.Role.FOCAL_POINT)
    )
    assert tr("A focal point needs the country they work for.", "en") in response.content.decode()


def test_new_account_gets_an_invitation_to_set_a_password(client, secretariat, mailoutbox):
    signed_in(client, secretariat)
    hn = Country.objects.get(code="HN")
    response = client.post(
        url("accounts:user_create"), new_account(role=User.Role.FOCAL_POINT, country=hn.pk)
    )

    assert response.status_code == 302
    person = User.objects.get(username="new-person")
    assert person.country == hn
    assert not person.has_usable_password()
    assert [m.to for m in mailoutbox] == [["new-person@example.org"]]
    body = mailoutbox[0].body
    assert PASSWORD not in body
    links = re.findall(r"http://testserver(/\S+/)", body)
    assert len(links) == 2  # the Spanish text, then the English one
    assert links[0].startswith("/es/") and links[1].startswith("/en/")

    # The person follows the link and chooses a password; then they can sign in.
    person_client = Client()
    response = person_client.get(links[0], follow=True)
    set_password_url = response.redirect_chain[-1][0]
    new_password = "a-brand-new-passphrase-42"
    response = person_client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.url == url("accounts:password_reset_complete")
    assert sign_in(person_client, "new-person", new_password).status_code == 302


def test_the_secretariat_never_types_a_password(client, secretariat):
    signed_in(client, secretariat)
    html = client.get(url("accounts:user_create")).content.decode()
    assert 'type="password"' not in html


def test_duplicate_e_mail_is_refused(client, secretariat, observer):
    signed_in(client, secretariat)
    response = client.post(url("accounts:user_create"), new_account(email="OBSERVER@example.org"))
    assert "email" in response.context["form"].errors


def test_editing_an_account(client, secretariat, observer):
    signed_in(client, secretariat)
    hn = Country.objects.get(code="HN")
    data = new_account(username="observer", email="observer@example.org")
    data.update(role=User.Role.FOCAL_POINT, country=hn.pk)

    response = client.post(url("accounts:user_edit", "es", observer.pk), data)

    assert response.status_code == 302
    observer.refresh_from_db()
    assert (observer.role, observer.country) == (User.Role.FOCAL_POINT, hn)
    assert observer.check_password(PASSWORD)  # untouched


def test_the_secretariat_cannot_demote_or_deactivate_itself(client, secretariat):
    signed_in(client, secretariat)
    data = new_account(username="secretariat", email="secretariat@example.org")
    del data["is_active"]

    response = client.post(url("accounts:user_edit", "es", secretariat.pk), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["role"] == [gettext("You cannot change your own role.")]
    assert errors["is_active"] == [gettext("You cannot deactivate your own account.")]
    secretariat.refresh_from_db()
    assert secretariat.role == User.Role.SECRETARIAT and secretariat.is_active


def test_a_deactivated_account_loses_its_session(client, secretariat, observer):
    observer_client = signed_in(Client(), observer)
    assert observer_client.get(url("accounts:security")).status_code == 200

    signed_in(client, secretariat)
    data = new_account(username="observer", email="observer@example.org")
    del data["is_active"]
    client.post(url("accounts:user_edit", "es", observer.pk), data)

    assert observer_client.get(url("accounts:security")).status_code == 302


def test_only_the_secretariat_sends_invitations(client, observer, focal_hn, mailoutbox):
    path = url("accounts:user_invite", "es", observer.pk)
    assert client.post(path).url.startswith(url("accounts:login"))
    assert signed_in(client, focal_hn).post(path).status_code == 403
    assert mailoutbox == []


def test_invitation_can_be_sent_again(client, secretariat, observer, mailoutbox):
    signed_in(client, secretariat)
    assert client.get(url("accounts:user_invite", "es", observer.pk)).status_code == 405
    client.post(url("accounts:user_invite", "es", observer.pk))
    assert [m.to for m in mailoutbox] == [["observer@example.org"]]


def test_the_secretariat_can_turn_off_someone_elses_two_step(
    client, secretariat, observer, outside_demo
):
    confirmed_device(observer)
    signed_in(client, secretariat)
    assert (
        signed_in(Client(), observer)
        .post(url("accounts:user_two_factor_reset", "es", secretariat.pk))
        .status_code
        == 403
    )

    client.post(url("accounts:user_two_factor_reset", "es", observer.pk))
    assert not TOTPDevice.objects.filter(user=observer).exists()

    client.post(url("accounts:user_two_factor_reset", "es", secretariat.pk))  # not oneself
    assert TOTPDevice.objects.filter(user=secretariat, confirmed=True).exists()


def test_an_invited_person_can_ask_for_a_new_link(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    person = make_user("invited", User.Role.OBSERVER)
    person.set_unusable_password()
    person.save()

    with django_capture_on_commit_callbacks(execute=True):  # sent after the answer
        client.post(url("accounts:password_reset"), {"email": "invited@example.org"})

    assert [m.to for m in mailoutbox] == [["invited@example.org"]]
    assert url("accounts:password_reset_confirm", "es", "x", "y")[:-4] in mailoutbox[0].body


def test_password_change(client, observer):
    signed_in(client, observer)
    new_password = "another-long-passphrase-77"
    response = client.post(
        url("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.url == url("accounts:password_change_done")
    observer.refresh_from_db()
    assert observer.check_password(new_password)
    assert client.get(url("accounts:security")).status_code == 200  # still signed in here
