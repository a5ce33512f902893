"""Limits on how often a form may be used, kept in Django's cache (Redis in production:
settings.CACHES). Sign-in has its own throttle (corett/signin_throttle.py)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60


def _within(name: str, value: str, limit: int, period: int) -> bool:
    """Count one use of `name` by `value`; True while the count in the current period (which
    starts at the first use) is at most `limit`. Refused uses count too."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"rate-limit:{name}:{digest}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the period ended between the two calls
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def password_reset_allowed(address: str | None, email: str) -> bool:
    """At most settings.PASSWORD_RESET_LIMIT requests an hour from one address, and for one
    e-mail address whether or not an account has it (so the answer tells nothing about that)."""
    limit = settings.PASSWORD_RESET_LIMIT
    by_address = _within("password-reset-address", address or "", limit, HOUR)
    by_email = _within("password-reset-email", email.strip().lower(), limit, HOUR)
    return by_address and by_email
