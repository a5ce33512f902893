"""What pages would otherwise work out again on every request (the plan's structure, the review
queue's size), kept in Django's cache: Redis wherever several processes serve the portal
(settings.CACHE_URL), so that what a write forgets in one process is forgotten for all.

The cache only saves work: when it cannot be reached (Redis restarting), pages read the database
and writes go on; what they could not forget expires with its timeout.
"""

import logging

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def remembered(key: str, make, timeout: int):
    """The value kept under `key`, or make()'s, kept for `timeout` seconds (make() must not
    return None)."""
    try:
        found = cache.get(key)
    except Exception as error:  # any failure of the cache's server: read the database instead
        log.warning("cache unavailable, reading %s again: %s", key, error.__class__.__name__)
        return make()
    if found is None:
        found = make()
        try:
            cache.set(key, found, timeout)
        except Exception as error:
            log.warning("cache unavailable, %s not kept: %s", key, error.__class__.__name__)
    return found


def forget(*keys: str) -> None:
    """Forgets `keys` now and again once the transaction under way commits: a page may have read
    the database in between and kept what it read."""
    _delete(keys)
    transaction.on_commit(lambda: _delete(keys))


def _delete(keys) -> None:
    try:
        cache.delete_many(list(keys))
    except Exception as error:
        log.warning("cache unavailable, %s not forgotten: %s", keys, error.__class__.__name__)
