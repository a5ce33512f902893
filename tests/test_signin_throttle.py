"""The sign-in throttle (corett/signin_throttle.py) and the password-reset limits
(corett/rate_limits.py), tried as an attacker would: a stranger guessing names from one address,
one account guessed from many addresses, one password sprayed over many accounts, the password
change and two-step forms as side doors, and the reset form as a way to learn who has an account.
Time is moved with the clock (time-machine), never by changing the portal's code."""

import re
import time
from datetime import timedelta
from html import escape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from corett import signin_throttle
from corett.account_forms import paused_message
from corett.models import User
from tests.conftest import PASSWORD, make_user, signed_in
from tests.test_reports import broker_down  # noqa: F401 (a fixture)

WRONG = "wrong-password-0000"
STRANGER = "203.0.113.66"


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def api_sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def address(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def twenty_people(db):
    return [make_user(f"person-{n:02d}", User.Role.OBSERVER) for n in range(20)]


# --- a stranger guessing names from one address --------------------------------------------------


@pytest.mark.parametrize("way_in", [sign_in, api_sign_in], ids=["page", "api"])
def test_a_stranger_failing_on_twenty_usernames_locks_none_of_them_out(
    client, twenty_people, way_in
):
    with time_machine.travel(timezone.now(), tick=False):  # a slot never frees by chance
        for person in twenty_people:
            tries = [way_in(client, person.username, WRONG, STRANGER) for _ in range(5)]
            assert tries[-1].status_code == 429  # the pair locked, or the address slowed

        # The stranger is held, even with a right password …
        assert way_in(client, "person-00", PASSWORD, STRANGER).status_code == 429
        # … and every one of the twenty signs in from their own address at once.
        for n, person in enumerate(twenty_people):
            response = way_in(Client(), person.username, PASSWORD, f"10.1.0.{n + 1}")
            assert response.status_code in (200, 302), (person.username, response.status_code)


# --- one account guessed from many addresses -----------------------------------------------------


def test_one_account_guessed_from_many_addresses_is_still_stopped(client, observer):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        free = signin_throttle.FREE_FAILURES["username"]
        for n in range(free + 1):  # each address fails once: no pair is ever locked
            assert sign_in(client, "observer", WRONG, address(n)).status_code == 200
        # From yet another address the right password is refused: a guess cannot be confirmed.
        response = sign_in(client, "observer", PASSWORD, address(99))
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1

        # The attacker keeps going, each try from a new address, waiting whatever is asked.
        guesses, n = free + 1, 100
        while time.time() < (start + timedelta(hours=2)).timestamp():
            response = sign_in(client, "observer", WRONG, address(n))
            n += 1
            if response.status_code == 429:
                clock.shift(timedelta(seconds=int(response["Retry-After"])))
            else:
                guesses += 1
        # Free ones, then 1 s, 2 s, 4 s … 512 s, then one each 15 minutes: about 27 in two
        # hours, where an unthrottled guesser makes thousands.
        assert 20 <= guesses <= 30, guesses

        # Never locked for good: once the attacker stops, the owner is in within 15 minutes.
        clock.shift(timedelta(minutes=15))
        assert sign_in(client, "observer", PASSWORD, "10.7.7.7").status_code == 302


def test_the_api_is_stopped_the_same_way(client, observer):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(signin_throttle.FREE_FAILURES["username"] + 1):
            assert api_sign_in(client, "observer", WRONG, address(n)).status_code == 400
        response = api_sign_in(client, "observer", PASSWORD, address(99))
        assert response.status_code == 429
        seconds = int(response["Retry-After"])
        assert 1 <= seconds <= 2
        with translation.override("es"):
            expected = ngettext(
                "Too many failed sign-in attempts: signing in is paused for up to "
                "%(minutes)d minute.",
                "Too many failed sign-in attempts: signing in is paused for up to "
                "%(minutes)d minutes.",
                1,
            ) % {"minutes": 1}
        assert response.json() == {"detail": expected}


def test_the_owner_waits_but_is_not_locked_by_a_few_addresses(client, observer):
    """Two addresses of strangers (five failures each) reach the free limit of the account: the
    owner's next try needs a slot of a second at most, not a lock."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for stranger in ("203.0.113.1", "203.0.113.2"):
            for _ in range(5):
                sign_in(client, "observer", WRONG, stranger)
        assert sign_in(Client(), "observer", PASSWORD, "10.2.2.2").status_code == 302
        clock.shift(timedelta(seconds=2))
        assert sign_in(Client(), "observer", PASSWORD, "10.2.2.3").status_code == 302


def test_one_password_sprayed_over_many_accounts_from_one_address_is_slowed(
    client, twenty_people, observer
):
    free = signin_throttle.FREE_FAILURES["address"]
    with time_machine.travel(timezone.now(), tick=False):
        people = [p.username for p in twenty_people]
        assert all(sign_in(client, name, WRONG, STRANGER).status_code == 200 for name in people)
        assert len(people) == free
        assert sign_in(client, "observer", WRONG, STRANGER).status_code == 200  # the slot
        assert sign_in(client, "observer", PASSWORD, STRANGER).status_code == 429
        # Only that address waits.
        assert sign_in(Client(), "observer", PASSWORD, "10.3.3.3").status_code == 302


# --- success resets the count of its username and address ----------------------------------------


def test_a_successful_sign_in_resets_the_count(client, observer):
    for _ in range(4):
        assert sign_in(client, "observer", WRONG).status_code == 200
    assert sign_in(client, "observer").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):  # without the reset the fifth failure in all would have locked
        assert sign_in(client, "observer", WRONG).status_code == 200
    assert sign_in(client, "observer").status_code == 302


def test_a_successful_api_sign_in_resets_the_count(client, observer):
    for _ in range(4):
        assert api_sign_in(client, "observer", WRONG).status_code == 400
    assert api_sign_in(client, "observer").status_code == 200
    for _ in range(4):
        assert api_sign_in(client, "observer", WRONG).status_code == 400
    assert api_sign_in(client, "observer").status_code == 200


# --- side doors: the password-change and two-step forms ------------------------------------------


def change_password(client, old):
    new = "another-long-passphrase-77"
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_current_password_check_is_counted_by_the_same_throttle(client, observer):
    signed_in(client, observer)  # a session left open: no way around the throttle
    statuses = [change_password(client, WRONG) for _ in range(5)]
    assert all(r.status_code == 200 for r in statuses)
    with translation.override("es"):
        expected = paused_message(15 * 60)
    assert escape(expected) in statuses[-1].content.decode()
    # Locked now: even the right current password is refused here …
    response = change_password(client, PASSWORD)
    assert response.status_code == 200
    observer.refresh_from_db()
    assert observer.check_password(PASSWORD)
    # … and on the sign-in page from the same address; from another, the owner gets in.
    assert sign_in(Client(), "observer", PASSWORD, "127.0.0.1").status_code == 429
    assert sign_in(Client(), "observer", PASSWORD, "10.4.4.4").status_code == 302


def test_failures_on_the_sign_in_page_lock_the_password_change_check(client, observer):
    for _ in range(5):
        sign_in(Client(), "observer", WRONG, "127.0.0.1")
    signed_in(client, observer)
    change_password(client, PASSWORD)
    observer.refresh_from_db()
    assert observer.check_password(PASSWORD)  # unchanged


def code(device, offset=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0 - offset, device.digits, 0):06d}"


def wrong(device) -> str:
    return f"{(int(code(device)) + 500000) % 1000000:06d}"


def test_the_two_step_form_is_counted_by_the_same_throttle(client, observer):
    device = TOTPDevice.objects.create(user=observer, name="phone", confirmed=True)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert sign_in(client, "observer", address="127.0.0.1").status_code == 302
        statuses = []
        for _ in range(5):
            clock.shift(timedelta(minutes=1))  # past django-otp's own delay after a wrong code
            statuses.append(client.post(reverse("accounts:verify"), {"code": wrong(device)}))
        assert [r.status_code for r in statuses] == [200, 200, 200, 200, 429]
        clock.shift(timedelta(minutes=1))
        device.refresh_from_db()
        # Locked: the right code is refused, and the password from this address too.
        assert client.post(reverse("accounts:verify"), {"code": code(device)}).status_code == 429
        assert DEVICE_ID_SESSION_KEY not in client.session
        assert sign_in(Client(), "observer", address="127.0.0.1").status_code == 429


# --- the password-reset form ---------------------------------------------------------------------


def reset(client, email, address="10.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_reset_form_is_limited_per_address(db, client):
    for n in range(5):
        assert reset(client, f"someone-{n}@example.org", "10.5.5.5").status_code == 302
    response = reset(client, "someone-5@example.org", "10.5.5.5")
    assert response.status_code == 429
    with translation.override("es"):
        message = gettext(
            "Too many requests for a new password, from here or for this address. "
            "Try again in an hour."
        )
    assert escape(message) in response.content.decode()
    assert reset(client, "someone-6@example.org", "10.5.5.6").status_code == 302


def test_the_reset_form_is_limited_per_account(client, observer, mailoutbox):
    for n in range(5):
        assert reset(client, "observer@example.org", address(n)).status_code == 302
    assert reset(client, "OBSERVER@example.org ", address(6)).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert reset(client, "observer@example.org", address(7)).status_code == 302


def _text(response, email):
    """The page as a reader sees it, without what differs by design (the address typed, the
    CSRF token)."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_reset_form_says_and_does_the_same_for_unknown_accounts(
    client, observer, mailoutbox, django_capture_on_commit_callbacks
):
    answers = {}
    for email in ("observer@example.org", "nobody@example.org"):
        sent = len(mailoutbox)
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = reset(client, email)
        page = client.get(response.url)
        # The same work in the request: the same queries, one e-mail job queued, none sent yet.
        answers[email] = (response.status_code, response.url, _text(page, email), len(queries))
        assert len(callbacks) == 1 and len(mailoutbox) == sent
        for callback in callbacks:
            callback()
    assert answers["observer@example.org"] == answers["nobody@example.org"]
    # After the answer, the job sent one e-mail: to the account that exists.
    assert [m.to for m in mailoutbox] == [["observer@example.org"]]


def test_the_reset_limit_says_the_same_for_unknown_accounts(client, observer):
    refusals = {}
    for email in ("observer@example.org", "nobody@example.org"):
        for n in range(5):
            reset(client, email, address(n + (10 if email.startswith("n") else 0)))
        response = reset(client, email, address(50 if email.startswith("n") else 40))
        refusals[email] = (response.status_code, _text(response, email))
    assert refusals["observer@example.org"] == refusals["nobody@example.org"]
    assert refusals["nobody@example.org"][0] == 429


@pytest.mark.usefixtures("broker_down")
def test_with_the_broker_down_the_reset_e_mail_is_sent_at_once(
    client, observer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reset(client, "observer@example.org")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["observer@example.org"]]
