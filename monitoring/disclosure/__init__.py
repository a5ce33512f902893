"""Which breakdown cells of an indicator's values are published: the one place that decides it.

A published 1 or 3 can be enough to find a victim in a small country, so a breakdown cell of 1 to
T-1 people (T = SMALL_CELL_THRESHOLD; zero is not small) is shown as "<T". That alone falls to
arithmetic: a dimension adds up to the published total and the regional figure of a category is the
sum of the countries'. So further cells are withheld ("n.p.", complementary suppression) until no
hidden cell can be worked out exactly from everything published.

The table. For one indicator, period and dimension the figures form a 2-D table: a row per country
(its total, the row margin, is published), a column per category, the regional breakdown as column
margins (published unless hidden) and the regional total (published). A country that did not break
the dimension down adds its whole total to "not specified": that row is known to everyone. Every
dimension is a table of its own: the totals are published, so the dimensions of a value share no
unknown. Categories a breakdown leaves out are 0, which the published total makes plain.

The attacker knows every published figure and what the markers mean: a "<T" cell is in 1..T-1; a
complementary cell is >= T (only published cells of T or more are ever chosen, never a zero nor a
small one); a cell of a dimension withheld as a whole is >= 0. The requirement: every hidden cell
that is not 0 keeps at least two feasible integer values. (A hidden 0 exists only in a withheld
dimension and may be found: zeros are published anyway.) A focal point knows its own country's
row in full; with `insiders=True` (the default) every hidden cell of another country keeps two
values for that reader too.

Why checking it needs no solver. Write x_ij for a country's cell and c_j for a regional one. The
equations (sum_j x_ij = total_i, sum_i x_ij = c_j, sum_j c_j = regional total) are the node
balances of a flow network: an arc R_i -> C_j per cell, C_j -> S per regional cell. A node-arc
incidence matrix is totally unimodular, so with integral bounds and totals the LP minimum and
maximum of any cell are integers and every integer between them is reached by an integral table
(fixing the cell to that integer keeps the system totally unimodular and non-empty). Two feasible
values means the LP range has width >= 1; by flow decomposition that holds exactly when the true
table has a residual cycle through the cell: a closed path of hidden cells along which one unit can
be moved without leaving any cell's bounds. That is a breadth-first search on a graph of at most a
few dozen arcs. The test suite attacks the published figures with an LP solver to check it
(tests/disclosure_attack.py).

Choosing the cells. Primary: the small cells. Then, while some hidden cell has no residual cycle
(countries' cells first), the cheapest cycle through it is found (Dijkstra: hidden cells cost
nothing, a published cell of T or more costs T + its count: few cells, and small ones) and its
published cells are hidden. The cycle is looked for first as a reader sees the table (every hidden
cell free to move within its marker's range), then at the true counts if that adds nothing. When
no cycle exists: the country's whole dimension is withheld ("not published"); then the regional
breakdown of that dimension; then every country's breakdown of the dimension, which is always safe
(each cell can move to another category and back through the regional cells, as every dimension
has "not specified" besides its categories). Each step only hides more, so the loop ends.
Everything is ordered by country code and category key: the same data gives the same pattern
whatever the order it comes in, the language, format or reader.

An attacker who knows the algorithm itself, not only the markers, could re-run it on every table
consistent with what is published and keep those that give the same pattern. Which cells are
chosen depends on the counts (small cells preferred; where a hidden count sits within its range),
so that can narrow a cell down. Looking for cycles by the markers first makes it rarer; it is not
excluded, and is measured on dense small tables by tests/disclosure_attack.rerun_attack and
benchmarks/disclosure.py --rerun.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from django.utils.translation import gettext

from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED

from .table import Breakdown, Hidden, Shown, Table

__all__ = ["Breakdown", "Hidden", "Pattern", "Reported", "Shown", "fingerprint", "label", "protect"]


@dataclass(frozen=True)
class Reported:
    """One country's validated value: its total and its breakdown {dimension: {category: count}}."""

    total: int
    breakdown: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Pattern:
    """What may be published of one indicator and period: totals always; breakdowns as decided."""

    threshold: int
    countries: Mapping[str, Mapping[str, Breakdown]]  # country -> dimension -> breakdown
    regional: Mapping[str, Breakdown]  # dimension -> the sums over the countries

    def hidden_count(self) -> dict[Hidden, int]:
        counts = dict.fromkeys(Hidden, 0)
        for breakdown in self._breakdowns():
            for cell in breakdown.cells.values():
                if isinstance(cell, Hidden):
                    counts[cell] += 1
        return counts

    def _breakdowns(self):
        for dimensions in self.countries.values():
            yield from dimensions.values()
        yield from self.regional.values()


def protect(
    reported: Mapping[str, Reported],
    *,
    threshold: int,
    categories: Mapping[str, list[str]] | None = None,
    insiders: bool = True,
    secondary: bool = True,
) -> Pattern:
    """The publication pattern of one indicator and period. `reported`: per country code, its
    validated value. `categories`: per dimension, all its categories (default: the plan's
    dimensions). The same data gives the same pattern; results are cached by the data.
    `secondary=False` hides the small cells only, as the portal once did: it exists for the attack
    test that shows why that is not enough, and no output should use it."""
    return _protect(_canonical(reported, categories), threshold, insiders, secondary)


def fingerprint(
    reported: Mapping[str, Reported],
    *,
    threshold: int,
    categories: Mapping[str, list[str]] | None = None,
    insiders: bool = True,
) -> str:
    """A key for caching a pattern outside this process (protect's arguments): the same data,
    the same key, whatever the order."""
    data = [_canonical(reported, categories), threshold, insiders]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _canonical(reported, categories) -> tuple:
    """A hashable, order-free form: ((dimension, (categories), rows), ...) with rows sorted by
    country and each row (country, total, cells or None when the country gave no breakdown)."""
    dimensions = sorted({d for r in reported.values() for d, cells in r.breakdown.items() if cells})
    tables = []
    for dimension in dimensions:
        known = (categories or {}).get(dimension)
        if known is None and dimension in DIMENSIONS:
            known = DIMENSIONS[dimension].categories
        columns = set(known or ()) | {NOT_SPECIFIED}
        rows = []
        for country in sorted(reported):
            value = reported[country]
            cells = value.breakdown.get(dimension) or None
            if cells is not None:
                if any(int(n) != n or n < 0 for n in cells.values()):
                    raise ValueError(f"{country} {dimension}: counts are whole numbers, 0 or more")
                columns |= set(cells)
                cells = tuple(sorted((c, int(n)) for c, n in cells.items()))
            rows.append((country, int(value.total), cells))
        tables.append((dimension, tuple(sorted(columns)), tuple(rows)))
    return tuple(tables)


@lru_cache(maxsize=4096)
def _protect(tables: tuple, threshold: int, insiders: bool, secondary: bool) -> Pattern:
    countries: dict[str, dict[str, Breakdown]] = {}
    regional: dict[str, Breakdown] = {}
    for dimension, columns, rows in tables:
        table = Table(columns, rows, threshold)
        table.suppress(insiders=insiders, secondary=secondary)
        for country, breakdown in table.country_breakdowns().items():
            countries.setdefault(country, {})[dimension] = breakdown
        regional[dimension] = table.regional_breakdown()
    frozen = {country: MappingProxyType(dimensions) for country, dimensions in countries.items()}
    return Pattern(threshold, MappingProxyType(frozen), MappingProxyType(regional))


def label(cell: Shown, threshold: int) -> str:
    """How a cell reads on a page or in a file: the count, "<T" or "n.p."."""
    if cell is Hidden.SMALL:
        return f"<{threshold}"
    if isinstance(cell, Hidden):
        return gettext("n.p.")  # "not published" / "no publicado"
    return str(cell)
