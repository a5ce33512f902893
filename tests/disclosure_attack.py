"""An outsider's attack on published figures: linear equations from every published total and sum,
the bounds the markers give away, and an exact LP minimum and maximum per hidden cell (HiGHS).

Independent of monitoring.disclosure on purpose: it knows nothing of how cells were chosen, only
what was published. Phase by phase, feed it whatever a reader can fetch (API, pages, CSV/XLSX, PDF
text) as equations over named unknowns; `ranges` says what each unknown can still be. The tables'
equations are totally unimodular, so the LP's bounds are integers and every integer between them is
a feasible value (see the module docstring of monitoring.disclosure)."""

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import highspy

from monitoring.disclosure import Hidden, Pattern, Reported


@dataclass
class Published:
    """What a reader knows: equations sum(coefficient * cell) = constant over named cells, the
    cells whose figure was published, and bounds on the others."""

    equations: list[tuple[dict[Hashable, int], int]] = field(default_factory=list)
    known: dict[Hashable, int] = field(default_factory=dict)
    bounds: dict[Hashable, tuple[int, float]] = field(default_factory=dict)

    def equation(self, terms: Mapping[Hashable, int], constant: int) -> None:
        self.equations.append((dict(terms), constant))


def ranges(published: Published) -> dict[Hashable, tuple[int, int]]:
    """Per unknown cell, its smallest and largest feasible value given everything published."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    unknowns = sorted(
        {cell for terms, _ in published.equations for cell in terms} - set(published.known),
        key=repr,
    )
    variables = {}
    for cell in unknowns:
        low, high = published.bounds.get(cell, (0, math.inf))
        variables[cell] = highs.addVariable(
            lb=low, ub=highspy.kHighsInf if high == math.inf else high
        )
    for terms, constant in published.equations:
        rest = constant - sum(
            c * published.known[cell] for cell, c in terms.items() if cell in published.known
        )
        free = [(c, variables[cell]) for cell, c in terms.items() if cell not in published.known]
        if not free:
            assert rest == 0, f"the published figures contradict each other: {terms} = {constant}"
            continue
        expression = sum(c * v for c, v in free[1:]) + free[0][0] * free[0][1]
        highs.addConstr(expression == rest)
    result = {}
    for cell, variable in variables.items():
        highs.minimize(variable)
        assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal, highs.getModelStatus()
        low = highs.val(variable)
        highs.maximize(variable)
        status = highs.getModelStatus()
        high = math.inf if status == highspy.HighsModelStatus.kUnbounded else highs.val(variable)
        result[cell] = (round(low), high if high == math.inf else round(high))
    return result


def exposed(published: Published, truth: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """The hidden cells (true value not 0) whose value the reader can work out exactly."""
    return {
        cell: truth[cell]
        for cell, (low, high) in ranges(published).items()
        if low == high and truth.get(cell)
    }


# --- What a pattern publishes for one indicator and period ---


def pattern_figures(
    pattern: Pattern,
    reported: Mapping[str, Reported],
    *,
    categories: Mapping[str, Iterable[str]],
    reader: str | None = None,
) -> tuple[Published, dict[Hashable, int]]:
    """The figures a reader sees (every country's total, breakdown cells as the pattern shows them,
    the regional breakdown and total) as equations; `reader`: a focal point's country, whose own
    cells it knows. Also the true value of every cell, to compare. Cells are ("x", country,
    dimension, category) and ("c", dimension, category)."""
    threshold = pattern.threshold
    published, truth = Published(), {}

    def learn(cell, shown, value):
        truth[cell] = value
        if not isinstance(shown, Hidden):
            assert shown == value, (cell, shown, value)
            published.known[cell] = shown
        elif shown is Hidden.SMALL:
            published.bounds[cell] = (1, threshold - 1)
        elif shown is Hidden.SUPPRESSED:
            published.bounds[cell] = (threshold, math.inf)
        else:
            published.bounds[cell] = (0, math.inf)

    dimensions = sorted({d for r in reported.values() for d, cells in r.breakdown.items() if cells})
    for dimension in dimensions:
        columns = sorted(set(categories[dimension]))
        for country, value in sorted(reported.items()):
            given = value.breakdown.get(dimension)
            row = {("x", country, dimension, c): 1 for c in columns}
            for c in columns:
                cell, count = ("x", country, dimension, c), (given or {}).get(c, 0)
                if not given:  # no breakdown: the whole total is "not specified", as summed
                    count = value.total if c == "not_specified" else 0
                    learn(cell, count, count)
                elif country == reader:
                    learn(cell, count, count)
                else:
                    shown = pattern.countries[country][dimension].cells.get(c, 0)
                    learn(cell, shown, count)
            published.equation(row, value.total)
        regional = pattern.regional[dimension].cells
        for c in columns:
            cell = ("c", dimension, c)
            terms = {("x", country, dimension, c): 1 for country in reported} | {cell: -1}
            published.equation(terms, 0)
            value = sum(
                (r.breakdown.get(dimension) or {}).get(c, 0)
                if r.breakdown.get(dimension)
                else (r.total if c == "not_specified" else 0)
                for r in reported.values()
            )
            learn(cell, regional.get(c, 0), value)
        published.equation(
            {("c", dimension, c): 1 for c in columns}, sum(r.total for r in reported.values())
        )
    return published, truth


# --- Seeded tables of the shape the issue describes ---

COUNTRIES = ("BZ", "CR", "DO", "GT", "HN", "MX", "NI", "PA", "SV")


def random_reported(rng, *, countries=COUNTRIES, categories, unbroken=0.2) -> dict[str, Reported]:
    """One indicator and period: per country, cells of 0-12 in the first dimension, the same total
    split at random (cells of 12 at most while it lasts) in each other one; a dimension left out
    now and then, as a country that does not break it down."""
    dimensions = sorted(categories)
    reported = {}
    for country in countries:
        first = {c: rng.randint(0, 12) for c in categories[dimensions[0]]}
        total = sum(first.values())
        breakdown = {dimensions[0]: first}
        for dimension in dimensions[1:]:
            cells, left = {}, total
            order = list(categories[dimension])
            rng.shuffle(order)
            for c in order[:-1]:
                cells[c] = rng.randint(0, min(12, left))
                left -= cells[c]
            cells[order[-1]] = left
            breakdown[dimension] = cells
        for dimension in dimensions:
            if rng.random() < unbroken:
                del breakdown[dimension]
        reported[country] = Reported(total, breakdown)
    return reported


# --- An attacker who knows the rule well enough to re-run it ---


def integer_points(published: Published, bounds: Mapping[Hashable, tuple[int, int]]):
    """Every integral assignment of the unknowns that fits the published equations, found by a
    depth-first search within the LP's bounds (small tables only: it is exponential)."""
    unknowns = sorted(bounds, key=repr)
    equations = []
    for terms, constant in published.equations:
        known = sum(
            c * published.known[cell] for cell, c in terms.items() if cell in published.known
        )
        free = {cell: c for cell, c in terms.items() if cell not in published.known}
        if free:
            equations.append((free, constant - known))
    touching = {cell: [e for e in equations if cell in e[0]] for cell in unknowns}
    chosen = {}

    def possible(equation) -> bool:
        terms, constant = equation
        low = high = 0
        for cell, c in terms.items():
            a, b = (chosen[cell], chosen[cell]) if cell in chosen else bounds[cell]
            low, high = low + min(c * a, c * b), high + max(c * a, c * b)
        return low <= constant <= high

    def search(index):
        if index == len(unknowns):
            yield dict(chosen)
            return
        cell = unknowns[index]
        for value in range(bounds[cell][0], bounds[cell][1] + 1):
            chosen[cell] = value
            if all(possible(e) for e in touching[cell]):
                yield from search(index + 1)
        del chosen[cell]

    yield from search(0)


class TooManyTables(Exception):
    pass


def rerun_attack(rule, reported, *, categories, limit=20000) -> dict[Hashable, int]:
    """The hidden cells (not 0) that an attacker pins down by re-running `rule` (reported ->
    Pattern) on every table consistent with what it published and keeping those that publish the
    same: the attacker of the module's docstring who knows the algorithm, not only the markers."""
    pattern = rule(reported)
    published, truth = pattern_figures(pattern, reported, categories=categories)
    bounds = ranges(published)
    assert all(high != math.inf for _, high in bounds.values())
    seen = _published_view(pattern)
    survivors = []
    for number, point in enumerate(integer_points(published, bounds)):
        if number >= limit:
            raise TooManyTables(f"more than {limit} tables fit what is published")
        candidate = {
            country: Reported(
                value.total,
                {
                    dimension: {
                        c: point.get(("x", country, dimension, c), cells.get(c, 0))
                        for c in categories[dimension]
                        # the categories given; a withheld one's hidden cells may hold others
                        if c in cells or point.get(("x", country, dimension, c))
                    }
                    for dimension, cells in value.breakdown.items()
                },
            )
            for country, value in reported.items()
        }
        if _published_view(rule(candidate)) == seen:
            survivors.append(point)
    return {
        cell: truth[cell]
        for cell in bounds
        if truth[cell] and len({point[cell] for point in survivors}) == 1
    }


def _published_view(pattern: Pattern) -> tuple:
    countries = {
        c: {d: dict(b.cells) for d, b in ds.items()} for c, ds in pattern.countries.items()
    }
    return countries, {d: dict(b.cells) for d, b in pattern.regional.items()}
