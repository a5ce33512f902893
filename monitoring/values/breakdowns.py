"""Breakdowns as each reader may see them: the one path from stored values to every output (value
pages, the values API, dashboards, CSV/XLSX exports, the PDF annex).

Which cells are published is decided by monitoring.disclosure over the whole table of an indicator
and period: every country's validated value (what an outsider can see) and the regional sums. Who
sees a breakdown in full is decided by corett.access.breakdown_seen. A reader who sees a country in
full reads its own figures; everyone else reads the pattern, so that no hidden cell can be worked
out from everything published (the insiders' view included: a focal point knows its own row).

In bulk: one query for the validated values of the indicators and periods asked about, and the
patterns cached (Django's cache) by disclosure.fingerprint, so a page of values costs the same
whatever its size."""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache

from corett import access
from strategy.dimensions import NOT_SPECIFIED

from .. import disclosure
from ..disclosure import Hidden, Reported
from .models import Value

REGION = ""  # the key of a regional value typed as such (no country) in its own table
CACHE_PREFIX = "disclosure:"
CACHE_SECONDS = 24 * 3600  # the key is the data itself: a change of data is a new key

type Shown = dict[str, dict[str, int | str]]


def value_breakdowns(values: Iterable[Value], user) -> dict[int, Shown]:
    """{value id: {dimension: {category: count or marker}}} for the values this user reads (the
    values must be ones the user may see). One query at most, plus the cache."""
    values = list(values)
    threshold = settings.SMALL_CELL_THRESHOLD
    result: dict[int, Shown] = {}
    protected = []
    for value in values:
        if (
            not value.disaggregation
            or not threshold
            or access.breakdown_seen(user, value.country) is access.Seen.FULL
        ):
            result[value.pk] = value.disaggregation
        else:
            protected.append(value)
    if not protected:
        return result
    tables = _tables(protected)
    patterns = _patterns(tables, threshold)
    for value in protected:
        key = (value.indicator_id, value.period_id)
        country = value.country.code if value.country_id else REGION
        row = tables[key].get(country)
        if row is None or row.breakdown != _breakdown(value):
            # not the validated figures the pattern was made of: nothing of it is published
            result[value.pk] = {
                dimension: dict.fromkeys(cells, Hidden.WITHHELD)
                for dimension, cells in value.disaggregation.items()
            }
        else:
            result[value.pk] = patterns[key]["countries"].get(country, {})
        result[value.pk] = _labelled(result[value.pk], threshold)
    return result


def value_breakdown(value: Value, user) -> Shown:
    """One value's breakdown as this user may see it."""
    return value_breakdowns([value], user)[value.pk]


def regional_breakdown(indicator_id: int, period_id: int, user, *, values=None) -> Shown:
    """The sums over the countries' validated values of an indicator in a period, per dimension
    and category (a country that gave no breakdown adds to "not specified"), as this user may see
    them: in full to the secretariat only. `values`: those validated values, if the caller has
    them already (with their countries), to spare the query."""
    threshold = settings.SMALL_CELL_THRESHOLD
    key = (indicator_id, period_id)
    if values is None:
        table = _tables_of([key])[key]
    else:
        table = {
            v.country.code: Reported(int(v.number), _clean(v.disaggregation))
            for v in values
            if v.country_id and v.number is not None
        }
    table.pop(REGION, None)
    if not threshold or access.breakdown_seen(user, None) is access.Seen.FULL:
        return _summed(table)
    pattern = _patterns({key: table}, threshold)[key]
    return _labelled(pattern["regional"], threshold)


# --- Tables, patterns and the cache ---


def _tables(values: list[Value]) -> dict[tuple, dict[str, Reported]]:
    return _tables_of({(v.indicator_id, v.period_id) for v in values})


def _tables_of(keys) -> dict[tuple, dict[str, Reported]]:
    """{(indicator id, period id): {country code: its validated value}}: one query. A regional
    value typed as such is a table of its own (REGION), never added to the countries'."""
    keys = set(keys)
    tables: dict[tuple, dict[str, Reported]] = {key: {} for key in keys}
    if not keys:
        return tables
    rows = (
        Value.objects.validated()
        .filter(indicator_id__in={i for i, _ in keys}, period_id__in={p for _, p in keys})
        .filter(number__isnull=False)
        .values_list("indicator_id", "period_id", "country__code", "number", "disaggregation")
    )
    for indicator, period, country, number, disaggregation in rows:
        if (indicator, period) in keys:
            tables[(indicator, period)][country or REGION] = Reported(
                int(number), _clean(disaggregation)
            )
    return tables


def _patterns(tables, threshold) -> dict[tuple, dict]:
    """The pattern of each table, as plain data {"countries": …, "regional": …} (what is cached):
    computed once per distinct table whichever process asks."""
    secondary = settings.SMALL_CELL_COMPLEMENTARY
    keys = {}
    for key, reported in tables.items():
        countries = {c: r for c, r in reported.items() if c != REGION}
        parts = [(countries, False)] + (
            [({REGION: reported[REGION]}, True)] if REGION in reported else []
        )
        keys[key] = [
            (
                CACHE_PREFIX
                + ("" if secondary else "primary:")
                + disclosure.fingerprint(part, threshold=threshold),
                part,
                alone,
            )
            for part, alone in parts
        ]
    cached = cache.get_many([name for parts in keys.values() for name, _, _ in parts])
    fresh = {}
    result = {}
    for key, parts in keys.items():
        merged = {"countries": {}, "regional": {}}
        for name, part, alone in parts:
            data = cached.get(name) or fresh.get(name)
            if data is None:
                data = fresh[name] = _plain(
                    disclosure.protect(part, threshold=threshold, secondary=secondary)
                )
            merged["countries"] |= data["countries"]
            if not alone:
                merged["regional"] = data["regional"]
        result[key] = merged
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    return result


def _plain(pattern: disclosure.Pattern) -> dict:
    def cells(breakdown):
        return {
            c: str(shown) if isinstance(shown, Hidden) else shown
            for c, shown in breakdown.cells.items()
        }

    return {
        "countries": {
            country: {dimension: cells(b) for dimension, b in dimensions.items()}
            for country, dimensions in pattern.countries.items()
        },
        "regional": {dimension: cells(b) for dimension, b in pattern.regional.items()},
    }


def _labelled(breakdown: dict, threshold: int) -> Shown:
    """Markers as the reader's language writes them ("<5", "n.p.")."""
    return {
        dimension: {
            category: shown
            if isinstance(shown, int)
            else disclosure.label(Hidden(shown), threshold)
            for category, shown in cells.items()
        }
        for dimension, cells in breakdown.items()
    }


def _clean(disaggregation) -> dict:
    """Only what a breakdown can hold: whole counts per category (the services refuse anything
    else; what is not is left out of the table rather than guessed)."""
    return {
        dimension: {c: int(n) for c, n in cells.items()}
        for dimension, cells in (disaggregation or {}).items()
        if isinstance(cells, dict) and cells and all(isinstance(n, int) for n in cells.values())
    }


def _breakdown(value: Value) -> dict:
    return _clean(value.disaggregation)


def _summed(table: dict[str, Reported]) -> Shown:
    dimensions = sorted({d for r in table.values() for d in r.breakdown})
    summed: Shown = {}
    for dimension in dimensions:
        cells: dict[str, int] = {}
        for reported in table.values():
            given = reported.breakdown.get(dimension)
            if given:
                for category, count in given.items():
                    cells[category] = cells.get(category, 0) + count
            elif reported.total:
                cells[NOT_SPECIFIED] = cells.get(NOT_SPECIFIED, 0) + reported.total
        summed[dimension] = cells
    return summed
