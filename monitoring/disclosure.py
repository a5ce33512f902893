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
import heapq
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from django.utils.translation import gettext

from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED


class Hidden(StrEnum):
    SMALL = "small"  # shown "<T": 1..T-1
    SUPPRESSED = "suppressed"  # complementary: shown "n.p.", T or more
    WITHHELD = "withheld"  # the whole dimension of a country (or of the region) not published


type Shown = int | Hidden


@dataclass(frozen=True)
class Reported:
    """One country's validated value: its total and its breakdown {dimension: {category: count}}."""

    total: int
    breakdown: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Breakdown:
    """One dimension as it may be published: per category, the count or why it is hidden."""

    cells: Mapping[str, Shown]

    @property
    def withheld(self) -> bool:
        return bool(self.cells) and all(c is Hidden.WITHHELD for c in self.cells.values())


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
        table = _Table(columns, rows, threshold)
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


# --- The table and its flow network ---------------------------------------------------------
# An edge is ("x", country, category) for a country's cell (arc R:country -> C:category) or
# ("c", category) for a regional cell (arc C:category -> S).

_SINK = ("S",)
_INFINITE = float("inf")


class _Table:
    def __init__(self, columns: tuple, rows: tuple, threshold: int):
        self.threshold = threshold
        self.columns = columns
        self.value: dict[tuple, int] = {}
        self.broken_down: list[str] = []  # countries that gave this breakdown, in code order
        self.given: dict[str, tuple] = {}  # the categories each of them gave
        self.hidden: dict[tuple, Hidden] = {}
        self.inconsistent: list[str] = []
        self._safe: set[tuple] = set()
        sums = dict.fromkeys(columns, 0)
        for country, total, cells in rows:
            if cells is None:
                sums[NOT_SPECIFIED] += total  # known to all: its total, all "not specified"
                continue
            counts = dict(cells)
            self.broken_down.append(country)
            self.given[country] = tuple(c for c in columns if c in counts)
            for category in columns:
                count = counts.get(category, 0)
                self.value[("x", country, category)] = count
                sums[category] += count
            if sum(counts.values()) != total:  # services refuse it; old data may hold it
                self.inconsistent.append(country)
        for category, count in sums.items():
            self.value[("c", category)] = count

    # bounds the attacker knows, by marker
    def _bounds(self, edge) -> tuple[float, float]:
        kind = self.hidden[edge]
        if kind is Hidden.SMALL:
            return 1, self.threshold - 1
        if kind is Hidden.SUPPRESSED:
            return self.threshold, _INFINITE
        return 0, _INFINITE

    @staticmethod
    def _ends(edge) -> tuple[tuple, tuple]:
        if edge[0] == "x":
            return ("R", edge[1]), ("C", edge[2])
        return ("C", edge[1]), _SINK

    # --- suppression ---

    def suppress(self, *, insiders: bool, secondary: bool) -> None:
        if self.threshold <= 1:
            return
        for edge, count in self.value.items():
            if 0 < count < self.threshold:
                self.hidden[edge] = Hidden.SMALL
        for country in self.inconsistent:  # no equation that does not hold is published
            self._withhold_country(country)
        if not secondary:
            return
        viewpoints = [None] + (self.broken_down if insiders else [])
        while True:
            exposure = self._first_exposed(viewpoints)
            if exposure is None:
                return
            edge, known = exposure
            cycle = self._cheapest_cycle(edge, known)
            if cycle is not None:
                for new in cycle:
                    self.hidden[new] = Hidden.SUPPRESSED
            else:
                self._fall_back(edge)

    def _first_exposed(self, viewpoints) -> tuple | None:
        """The first hidden cell (not 0) that some reader could work out, with that reader. A cell
        found safe stays safe (hiding more only widens what the reader must allow for), so it is
        not checked again."""
        # countries' cells first: protecting them often protects the regional cells too
        hidden = sorted((edge for edge in self.hidden if self.value[edge]), key=_countries_first)
        for known in viewpoints:
            pending = [
                edge
                for edge in hidden
                if (known, edge) not in self._safe
                # a reader knows its own row; regional cells are protected through the rows
                and (known is None or (edge[0] == "x" and edge[1] != known))
            ]
            if not pending:
                continue
            arcs = self._residual_arcs(known)
            for edge in pending:
                if not self._on_residual_cycle(edge, arcs):
                    return edge, known
                self._safe.add((known, edge))
        return None

    def _residual_arcs(self, known) -> dict[tuple, list[tuple]]:
        """Per node, (next node, edge) for each way one unit can move along a hidden cell."""
        arcs: dict[tuple, list[tuple]] = {}
        for edge in self.hidden:
            if known is not None and edge[0] == "x" and edge[1] == known:
                continue
            low, high = self._bounds(edge)
            tail, head = self._ends(edge)
            if self.value[edge] < high:
                arcs.setdefault(tail, []).append((head, edge))
            if self.value[edge] > low:
                arcs.setdefault(head, []).append((tail, edge))
        return arcs

    def _on_residual_cycle(self, edge, arcs) -> bool:
        low, high = self._bounds(edge)
        tail, head = self._ends(edge)
        count = self.value[edge]
        return (count < high and _reaches(arcs, head, tail, edge)) or (
            count > low and _reaches(arcs, tail, head, edge)
        )

    def _cheapest_cycle(self, edge, known) -> list | None:
        """The published cells to hide so that `edge` lies on a residual cycle, cheapest first.
        First looked for as a reader sees the table, by the markers alone (every hidden cell free
        to move either way within its marker's range), so that which cells are chosen depends on
        the hidden counts as little as possible; then, if that adds no cell, at the true counts."""
        tail, head = self._ends(edge)
        found = _dijkstra(self._marker_arcs(known, skip=edge), head, tail)
        if found is not None and set(found[1]) - set(self.hidden):
            return sorted(set(found[1]) - set(self.hidden))
        low, high = self._bounds(edge)
        arcs = self._priced_arcs(known, skip=edge)
        best = None
        if self.value[edge] < high:
            best = _dijkstra(arcs, head, tail)
        if self.value[edge] > low:
            other = _dijkstra(arcs, tail, head)
            if other is not None and (best is None or other < best):
                best = other
        return None if best is None else sorted(set(best[1]) - set(self.hidden))

    def _marker_arcs(self, known, skip) -> dict[tuple, list[tuple]]:
        """Arcs both ways along every hidden cell whose marker leaves room (free) and every
        published cell of T or more (at a price: few cells, and small ones)."""
        arcs: dict[tuple, list[tuple]] = {}
        for edge, count in self.value.items():
            if edge == skip or (known is not None and edge[0] == "x" and edge[1] == known):
                continue
            if edge in self.hidden:
                low, high = self._bounds(edge)
                if high - low < 1:
                    continue  # "<2": only 1
                cost = 0
            elif count >= self.threshold:
                cost = count + self.threshold
            else:
                continue
            tail, head = self._ends(edge)
            arcs.setdefault(tail, []).append((head, cost, edge))
            arcs.setdefault(head, []).append((tail, cost, edge))
        return arcs

    def _priced_arcs(self, known, skip) -> dict[tuple, list[tuple]]:
        """Arcs (head, cost, edge): hidden cells with room to move, free; published cells of T or
        more, at a price (they would become complementary cells, bounded below by T)."""
        arcs: dict[tuple, list[tuple]] = {}
        for edge, count in self.value.items():
            if edge == skip or (known is not None and edge[0] == "x" and edge[1] == known):
                continue
            tail, head = self._ends(edge)
            if edge in self.hidden:
                low, high = self._bounds(edge)
                cost = 0
            elif count >= self.threshold:
                low, high = self.threshold, _INFINITE
                cost = count + self.threshold
            else:
                continue
            if count < high:
                arcs.setdefault(tail, []).append((head, cost, edge))
            if count > low:
                arcs.setdefault(head, []).append((tail, cost, edge))
        return arcs

    def _fall_back(self, edge) -> None:
        """No cycle of cells can protect `edge`: withhold its country's dimension, then the
        regional breakdown, then every country's breakdown of the dimension."""
        if edge[0] == "x" and any(
            self.hidden.get(("x", edge[1], c)) is not Hidden.WITHHELD for c in self.columns
        ):
            self._withhold_country(edge[1])
        elif any(self.hidden.get(("c", c)) is not Hidden.WITHHELD for c in self.columns):
            for category in self.columns:
                self.hidden[("c", category)] = Hidden.WITHHELD
        elif any(
            self.hidden.get(("x", country, c)) is not Hidden.WITHHELD
            for country in self.broken_down
            for c in self.columns
        ):
            for country in self.broken_down:
                self._withhold_country(country)
        else:  # cannot happen: see the module's docstring
            raise AssertionError(f"no suppression protects {edge}")

    def _withhold_country(self, country) -> None:
        for category in self.columns:
            self.hidden[("x", country, category)] = Hidden.WITHHELD

    # --- output ---

    def _shown(self, edge) -> Shown:
        return self.hidden.get(edge, self.value[edge])

    def country_breakdowns(self) -> dict[str, Breakdown]:
        breakdowns = {}
        for country in self.broken_down:
            withheld = self.hidden.get(("x", country, NOT_SPECIFIED)) is Hidden.WITHHELD
            shown = self.columns if withheld else self.given[country]
            breakdowns[country] = Breakdown(
                MappingProxyType({c: self._shown(("x", country, c)) for c in shown})
            )
        return breakdowns

    def regional_breakdown(self) -> Breakdown:
        """The categories some country gave (and "not specified" when a country without this
        breakdown adds to it), as the dashboards sum them."""
        withheld = self.hidden.get(("c", NOT_SPECIFIED)) is Hidden.WITHHELD
        shown = [
            c
            for c in self.columns
            if withheld
            or any(c in self.given[country] for country in self.broken_down)
            or self.value[("c", c)]
        ]
        return Breakdown(MappingProxyType({c: self._shown(("c", c)) for c in shown}))


def _countries_first(edge) -> tuple:
    return edge[0] != "x", edge


def _reaches(arcs, start, goal, skip) -> bool:
    """Whether goal can be reached from start along arcs of cells other than `skip`."""
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for nxt, edge in arcs.get(node, ()):
            if nxt not in seen and edge != skip:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def _dijkstra(arcs, start, goal) -> tuple | None:
    """The cheapest path from start to goal as (cost, edges), ties broken by the edges' keys."""
    queue = [(0, (), start)]
    settled = set()
    while queue:
        cost, path, node = heapq.heappop(queue)
        if node == goal:
            return cost, path
        if node in settled:
            continue
        settled.add(node)
        for nxt, price, edge in arcs.get(node, ()):
            if nxt not in settled:
                heapq.heappush(queue, (cost + price, path + (edge,), nxt))
    return None
