"""Sign-in throttling: django-axes with a handler of its own (settings.AXES_HANDLER).

Every check of a credential counts here, whatever the way in: the sign-in page, the API token
endpoint, the current password of the password-change form, and the code of the two-step
verification (page and API); they all go through django.contrib.auth.authenticate (which axes
watches) or through count_failure below.

Three counts, so that a stranger cannot lock anyone out and a guesser is still stopped:

- one username from one address (django-axes, settings.AXES_LOCKOUT_PARAMETERS): 5 failures lock
  that pair for 15 minutes. A stranger typing other people's names locks only themselves out of
  those names; the owners sign in from their own addresses as usual. A successful sign-in clears
  the pair's count.
- one username from every address together, and one address on every username together: a
  growing delay, not a lock. Past the free failures (FREE_FAILURES) only one check is let through
  per delay, which doubles with each further failure (1 s, 2 s, 4 s … at most MAX_DELAY). Guessing
  one password from many addresses gets about four tries an hour once the delay is at its most,
  and spraying one password over many accounts from one address the same; meanwhile the owner is
  never locked for good, at most asked to wait MAX_DELAY. A success does not clear these counts
  (one account of one's own must not buy fresh guesses at others); they are forgotten WINDOW
  seconds after their last failure.

The delays live in Django's cache (Redis in production: settings.CACHES), the pairs in the
database, as django-axes keeps them.
"""

import hashlib
import time
from datetime import timedelta
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

FREE_FAILURES = {"username": 10, "address": 20}
MAX_DELAY = 15 * 60  # seconds
WINDOW = 60 * 60  # seconds after its last failure that a count is forgotten


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"signin-failures:{kind}:{digest}"


def delay_after(kind: str, failures: int) -> int:
    """Seconds between two checks once `failures` were counted; 0 while they are free."""
    free = FREE_FAILURES[kind]
    return 0 if failures < free else min(2 ** (failures - free), MAX_DELAY)


def _claim(kind: str, value) -> int:
    """0 if a check for this username or address may go ahead now (taking the one slot of the
    current delay, so that parallel requests cannot share it); else the seconds left to wait."""
    if not value:
        return 0
    key = _key(kind, value)
    delay = delay_after(kind, cache.get(key, 0))
    if not delay:
        return 0
    until = time.time() + delay
    if cache.add(f"{key}:slot", until, timeout=delay):
        return 0
    held = cache.get(f"{key}:slot") or until
    return max(1, ceil(held - time.time()))


def _count(kind: str, value) -> None:
    if not value:
        return
    key = _key(kind, value)
    cache.add(key, 0, timeout=WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # forgotten between the two calls
        cache.set(key, 1, timeout=WINDOW)
    cache.touch(key, timeout=WINDOW)


class SignInThrottle(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.signin_retry_after = self._pair_lock_left(request, credentials)
            return True
        username = get_client_username(request, credentials)
        # The address first: a guesser held by their own address must not use up the slot of
        # the account they are guessing at.
        wait = _claim("address", request.axes_ip_address) or _claim("username", username)
        if wait:
            request.signin_retry_after = wait
            return True
        return False

    def _pair_lock_left(self, request, credentials) -> int:
        """Seconds until the lock of this username from this address ends."""
        attempts = self.get_user_attempts(request, credentials)
        times = [q.aggregate(last=Max("attempt_time"))["last"] for q in attempts]
        last = max((t for t in times if t), default=timezone.now())
        left = last + (get_cool_off(request) or timedelta(0)) - timezone.now()
        return max(1, ceil(left.total_seconds()))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Turned away before any check (a lock or a delay): not a failure of its own.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused or self.is_whitelisted(request, credentials):
            return
        _count("username", get_client_username(request, credentials))
        _count("address", request.axes_ip_address)


def retry_after(request) -> int | None:
    """Seconds this request's sign-in must wait, once it was refused by the throttle."""
    for marked in (request, getattr(request, "_request", None)):
        seconds = getattr(marked, "signin_retry_after", None)
        if seconds:
            return seconds
    return None


def take_lockout(request) -> int | None:
    """For a view that answers a refusal itself (the API in JSON, a form with an error): the
    seconds to wait if this request was refused by the throttle, with django-axes' mark taken off
    (its middleware would replace the view's answer with the sign-in lockout page)."""
    locked = False
    for marked in (request, getattr(request, "_request", None)):
        if getattr(marked, "axes_locked_out", False):
            marked.axes_locked_out = False
            locked = True
    if not locked:
        return None
    return retry_after(request) or ceil((get_cool_off(request) or timedelta(0)).total_seconds())


def attempt_allowed(request, username: str) -> bool:
    """Before checking a credential that is not a password (a two-step code): is it allowed now?
    Refused: the request is marked as locked out, as for a password."""
    if AxesProxyHandler.is_allowed(request, get_credentials(username)):
        return True
    request.axes_locked_out = True
    return False


def count_failure(request, username: str) -> bool:
    """A wrong credential that is not a password (a two-step code), counted like a wrong
    password. True if the account is now locked from this address."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def note_success(request, username: str) -> None:
    """A sign-in that succeeded without django.contrib.auth.login (an API token): clears the
    count of this username from this address, as a sign-in on the page does."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, get_credentials(username))
