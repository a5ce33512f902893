"""The shapes of the demonstration figures: plausible, never claims. Pure functions of a seeded
random generator, so that the same database gets the same figures on every run.

A country's series starts at a level that fits the indicator's unit and grows toward its targets;
some countries ("behind") grow slowly and stay short of them. The open period shows every state a
value can be in, at least once, in a stable place.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

SEED = 2027

# Plausible yearly counts per unit (the document's units, in Spanish as it prints them).
RANGES = {
    "campañas": (1, 6),
    "casos": (4, 60),
    "talleres": (2, 24),
    "personas": (40, 900),
    "espacios": (1, 8),
    "programas": (1, 6),
    "formadores": (6, 48),
    "materiales": (3, 30),
    "referencias": (8, 120),
    "denuncias": (5, 90),
}
DEFAULT_RANGE = (2, 40)

# The open period's states; "late" is a submitted value flagged late, "missing" no value at all.
MISSING, DRAFT, SUBMITTED, RETURNED, VALIDATED, LATE = (
    "missing",
    "draft",
    "submitted",
    "returned",
    "validated",
    "late",
)
OPEN_STATES = (MISSING, DRAFT, SUBMITTED, RETURNED, VALIDATED, LATE)

# Per country profile (by position in code order), how far the open period has got.
PROFILES = (
    (1, 1, 2, 1, 6, 0),  # mostly validated
    (1, 2, 5, 1, 2, 1),  # waiting for the secretariat
    (2, 2, 1, 4, 1, 1),  # several returned
    (3, 5, 1, 1, 1, 0),  # still drafting
    (7, 1, 1, 0, 1, 1),  # mostly missing
)

TEXT_ANSWERS = (
    "Protocolo en revisión con las instituciones (cifra de demostración)",
    "Mecanismo aprobado y en aplicación (cifra de demostración)",
    "Sin avances este periodo (cifra de demostración)",
)


@dataclass(frozen=True)
class Series:
    """One country's figures for one indicator: a target and a value per period, oldest first."""

    targets: tuple[Decimal, ...]
    values: tuple[Decimal, ...]


def generator(*parts) -> random.Random:
    """A generator for one cell of the demo, the same whatever else the demo contains."""
    return random.Random(f"{SEED}:" + ":".join(str(part) for part in parts))


def count_series(unit: str, periods: int, *, behind: bool, rng: random.Random) -> Series:
    low, high = RANGES.get(unit.strip().lower(), DEFAULT_RANGE)
    start = rng.randint(low, max(low, (low + high) // 2))
    growth = rng.uniform(1.02, 1.12) if behind else rng.uniform(1.12, 1.3)
    targets, values = [], []
    for index in range(periods):
        target = max(1, round(start * 1.25 ** (index + 1)))
        reach = rng.uniform(0.55, 0.85) if behind else rng.uniform(0.9, 1.12)
        value = max(0, round(start * growth**index * reach / 0.9))
        targets.append(Decimal(target))
        values.append(Decimal(min(value, high * 2)))
    return Series(tuple(targets), tuple(values))


def yes_no_series(periods: int, *, behind: bool, rng: random.Random) -> Series:
    """No until the year it happens (never, for a country behind), then yes."""
    happens = periods + 1 if behind else rng.randint(0, periods - 1)
    values = tuple(Decimal(1 if index >= happens else 0) for index in range(periods))
    return Series(tuple(Decimal(1) for _ in range(periods)), values)


def breakdown(total: int, categories: list[str], rng: random.Random) -> dict[str, int]:
    """Split a total over categories, the last ones small (1 to 4) when the total allows: the cells
    the small-cell protection hides."""
    counts = dict.fromkeys(categories, 0)
    rest = total
    for category in reversed(categories[1:]):
        small = min(rest, rng.randint(1, 4))
        counts[category] = small
        rest -= small
    counts[categories[0]] = rest
    return counts


def open_state(country_index: int, indicator_index: int, rng: random.Random) -> str:
    """The state of a cell of the open period. The first six cells of the diagonal take every
    state once, so the open period always shows them all; the rest follow the country's profile."""
    if country_index == indicator_index and country_index < len(OPEN_STATES):
        return OPEN_STATES[country_index]
    weights = PROFILES[country_index % len(PROFILES)]
    return rng.choices(OPEN_STATES, weights=weights)[0]


def is_behind(country_index: int) -> bool:
    """Two countries in three keep up with their targets; the others fall behind."""
    return country_index % 3 == 2
