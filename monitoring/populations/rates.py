"""Identified victims per 100,000 inhabitants (SDG 16.2.2), per country and year and for the
region, and per group (sex, age) of a country's year: computed from the validated figures and the
recorded populations whenever asked, never stored.

- A country's rate: its validated figure × 100,000 ÷ its population of that year.
- The region's: the sum of the countries' figures ÷ the sum of the same countries' populations;
  none as long as one of those countries has no population recorded (the page says which).
- No rate without a population recorded (the page says so), and none from a breakdown cell the
  reader sees withheld ("<5", "n.p."): a rate would give the hidden count away.
Rates are Decimals rounded to one decimal place; monitoring.values.formatting.rate_text writes
them. Each function runs one query at most."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy.dimensions import DIMENSIONS
from strategy.models import Frequency

from ..values.breakdowns import value_breakdown
from ..values.formatting import number_text, rate_text
from .models import Population

PER = 100_000
PLACES = Decimal("0.1")
NO_FIGURE = gettext_lazy("no validated figure")
NO_POPULATION = gettext_lazy("no population recorded")
WITHHELD = gettext_lazy("no rate: the count is withheld to protect small numbers")
# The breakdowns a population can be the denominator of: (dimension, category, population part).
GROUPS = (
    ("sex", "women", "women"),
    ("sex", "men", "men"),
    ("age", "children", "children"),
    ("age", "adults", "adults"),
)


def per_100k(victims, population: int | None) -> Decimal | None:
    """victims × 100,000 ÷ population, to one decimal place (half up); None without either."""
    if victims is None or not population:
        return None
    return (Decimal(victims) * PER / Decimal(population)).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    victims: Decimal | int | None
    population: int | None
    why_none: str = ""  # said in place of the rate when there is none

    @property
    def value(self) -> Decimal | None:
        return per_100k(self.victims, self.population)

    @property
    def text(self) -> str:
        return rate_text(self.value)

    @property
    def note(self) -> str:
        """Why there is no rate, in the reader's language; empty when there is one."""
        if self.value is not None:
            return ""
        if self.why_none:
            return str(self.why_none)
        return str(NO_FIGURE if self.victims is None else NO_POPULATION)


@dataclass(frozen=True)
class Source:
    text: str
    dated: object  # a date
    to_be_verified: bool


def sources_of(populations) -> list[Source]:
    """The distinct sources of the populations used, in a stable order."""
    found = {(p.source, p.source_date, p.to_be_verified) for p in populations}
    return [Source(*key) for key in sorted(found, key=lambda k: (k[0], str(k[1]), k[2]))]


@dataclass
class Rates:
    periods: list
    rows: list  # [(country, [Rate per period])]
    totals: list[Rate]  # the region's, per period
    sources: list[Source] = field(default_factory=list)
    populations: dict = field(default_factory=dict)  # {(country id, year): Population}

    @property
    def any(self) -> bool:
        return any(r.value is not None for _c, rates in self.rows for r in rates)


def period_year(period) -> int | None:
    """The calendar year of an annual period; None for any other (no yearly denominator)."""
    if period.kind != Frequency.ANNUAL or period.starts_on.year != period.ends_on.year:
        return None
    return period.starts_on.year


def populations_of(countries, years) -> dict[tuple[int, int], Population]:
    """{(country id, year): population} of these countries and years: one query."""
    years = {y for y in years if y is not None}
    if not years or not countries:
        return {}
    found = Population.objects.filter(country__in=[c.pk for c in countries], year__in=years)
    return {(p.country_id, p.year): p for p in found}


def victim_rates(periods, rows) -> Rates:
    """The rates of a table of identified victims: `rows` [(country, [figure per period])] as
    monitoring.matrix's victims_series gives them. One query."""
    years = [period_year(p) for p in periods]
    populations = populations_of([c for c, _f in rows], years)
    used = []
    rate_rows = []
    for country, figures in rows:
        rates = []
        for year, figure in zip(years, figures, strict=True):
            population = populations.get((country.pk, year))
            if population is not None and figure is not None:
                used.append(population)
            rates.append(Rate(figure, population.total if population else None))
        rate_rows.append((country, rates))
    totals = [_regional(rows, populations, i, year) for i, year in enumerate(years)]
    return Rates(list(periods), rate_rows, totals, sources_of(used), populations)


def _regional(rows, populations, index: int, year) -> Rate:
    reported = [(c, f[index]) for c, f in rows if f[index] is not None]
    if not reported:
        return Rate(None, None)
    missing = [c for c, _f in reported if (c.pk, year) not in populations]
    victims = sum((Decimal(f) for _c, f in reported), Decimal(0))
    if missing:
        names = ", ".join(c.name for c in missing)
        return Rate(
            victims, None, _("no population recorded for %(countries)s") % {"countries": names}
        )
    return Rate(victims, sum(populations[(c.pk, year)].total for c, _f in reported))


@dataclass(frozen=True)
class GroupRate:
    dimension: str
    category: str
    label: str
    rate: Rate
    count: str  # the group's count as the reader sees it: "12", or "<5" where withheld


def group_rates(shown: dict, population: Population | None) -> list[GroupRate]:
    """The rates by sex and age group of one country's identified victims in a year: `shown` is
    the value's breakdown as the reader sees it (monitoring.values.breakdowns), so that a cell
    withheld from the reader never gives a rate. Only the groups the breakdown has."""
    result = []
    for dimension, category, part in GROUPS:
        cells = shown.get(dimension) or {}
        if category not in cells:
            continue
        count = cells[category]
        label = f"{DIMENSIONS[dimension].label}: {DIMENSIONS[dimension].categories[category]}"
        if not isinstance(count, int):
            rate, shown_count = Rate(None, None, WITHHELD), str(count)
        else:
            rate = Rate(count, population.part(part) if population else None)
            shown_count = number_text(count)
        result.append(GroupRate(dimension, category, label, rate, shown_count))
    return result


def country_group_rates(rates: Rates, values, period, user) -> list[GroupRate]:
    """The group rates of a country's identified victims in `period`: `values` are its validated
    values of the series (one country's), `rates` their Rates (whose populations are reused).
    One query at most (the breakdown's)."""
    value = next((v for v in values if v.period_id == period.pk), None)
    if value is None or not value.disaggregation:
        return []
    year = period_year(period)
    population = rates.populations.get((value.country_id, year))
    return group_rates(value_breakdown(value, user), population)
