"""An indicator's validated values as a tidy table (data.csv): one row per value for its figure,
and one per breakdown cell, each cell as the public reads it (monitoring.values.breakdowns: a small
cell "<5", a cell withheld to protect it "n.p.").

Columns, in this order and named the same in every language: indicator (code), country (ISO
code; empty for a figure of the whole region as such), period (code), dimension and category (keys
of strategy.dimensions; both empty on the row of the figure itself), value, unit (the indicator's,
in the request's language), validated_on (ISO date; empty for the figures the strategy document
gives). Written through corett.spreadsheets.csv_bytes, every cell formula-safe, UTF-8 without a
byte-order mark (files for machines)."""

from collections.abc import Iterable, Iterator

from django.utils import timezone

from corett import access
from corett.spreadsheets import csv_bytes
from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

from ..values.breakdowns import Shown, value_breakdowns
from ..values.formatting import input_number
from ..values.models import Value

COLUMNS = [
    "indicator",
    "country",
    "period",
    "dimension",
    "category",
    "value",
    "unit",
    "validated_on",
]


def breakdowns(values: Iterable[Value]) -> dict[int, Shown]:
    """Every value's breakdown as the public reads it (one query at most, for all of them)."""
    return value_breakdowns(values, access.OPEN_DATA_READER)


def figure(indicator: Indicator, value: Value) -> str:
    """A value's figure as a file holds it: the text, or the number as typed ("12", "12.5")."""
    if indicator.kind == Indicator.Kind.TEXT:
        return value.text
    return input_number(value.number)


def validated_on(value: Value) -> str:
    return timezone.localdate(value.updated_at).isoformat() if value.updated_at else ""


def _rank(order: list, key: str) -> tuple:
    """Known keys in their own order, any other after them by its key."""
    return (order.index(key), "") if key in order else (len(order), key)


def cells(breakdown: dict) -> Iterator[tuple[str, str, int | str]]:
    """(dimension, category, count or marker), dimensions and categories in the plan's order."""
    dimensions = list(DIMENSIONS)
    for dimension in sorted(breakdown, key=lambda key: _rank(dimensions, key)):
        known = DIMENSIONS.get(dimension)
        order = list(known.categories) if known else []
        counts = breakdown[dimension]
        for category in sorted(counts, key=lambda key: _rank(order, key)):
            yield dimension, category, counts[category]


def rows(indicator: Indicator, values: Iterable[Value], shown: dict[int, Shown]) -> Iterator[list]:
    unit = indicator.unit
    for value in values:
        where = [indicator.code, value.country.code if value.country_id else "", value.period.code]
        day = validated_on(value)
        yield [*where, "", "", figure(indicator, value), unit, day]
        for dimension, category, count in cells(shown.get(value.pk) or {}):
            yield [*where, dimension, category, count, unit, day]


def data_csv(indicator: Indicator, values: list[Value], shown: dict[int, Shown]) -> bytes:
    return csv_bytes(COLUMNS, rows(indicator, values, shown), bom=False)
