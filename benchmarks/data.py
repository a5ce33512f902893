"""What the benchmarks share: synthetic figures shaped like the real ones."""

import itertools
import random
from contextlib import contextmanager

from django.db import transaction

from strategy.dimensions import DIMENSIONS


def breakdown(total: int, rng: random.Random, dimensions=None) -> dict:
    """Per dimension (every one unless named), categories adding up to the total."""
    result = {}
    for key in DIMENSIONS if dimensions is None else dimensions:
        categories = list(DIMENSIONS[key].categories)
        cuts = sorted(rng.randint(0, total) for _ in categories[:-1])
        counts = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
        result[key] = dict(zip(categories, counts, strict=True))
    return result


@contextmanager
def rolled_back():
    """A transaction whose writes are all undone at its end: the database is left as it was."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
