"""The table of one indicator, period and dimension as a flow network, and the search for the
cells to hide in it (see the docstring of monitoring.disclosure for the reasoning)."""

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from strategy.dimensions import NOT_SPECIFIED


class Hidden(StrEnum):
    SMALL = "small"  # shown "<T": 1..T-1
    SUPPRESSED = "suppressed"  # complementary: shown "n.p.", T or more
    WITHHELD = "withheld"  # the whole dimension of a country (or of the region) not published


type Shown = int | Hidden


@dataclass(frozen=True)
class Breakdown:
    """One dimension as it may be published: per category, the count or why it is hidden."""

    cells: Mapping[str, Shown]

    @property
    def withheld(self) -> bool:
        return bool(self.cells) and all(c is Hidden.WITHHELD for c in self.cells.values())


# --- The table and its flow network ---------------------------------------------------------
# An edge is ("x", country, category) for a country's cell (arc R:country -> C:category) or
# ("c", category) for a regional cell (arc C:category -> S).

_SINK = ("S",)
_INFINITE = float("inf")


class Table:
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
