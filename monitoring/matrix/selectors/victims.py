"""The identified victims (the strategy's Chart 3 and the years after it), their breakdowns by
dimension with small cells protected, a country's validated values, and the regional figures the
strategy gives for 2019. Validated values only; regional totals are sums of the countries' values.
Each function runs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from corett import charts
from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED
from strategy.models import Country

from ...periods.models import Period
from ...values import breakdowns
from ...values.formatting import breakdown_rows
from ...values.models import Value
from .common import in_chart_order

VICTIMS = "identified-victims"


@dataclass
class Series:
    """One indicator over the periods: a row of figures per country, and the regional totals."""

    periods: list[Period]
    rows: list[tuple[Country, list[Decimal | None]]]
    totals: list[Decimal | None]
    sources: list[str]
    values: list[Value]

    def chart(self, *, title: str) -> str:
        return charts.grouped_bar_chart(
            [country.name for country, _figures in self.rows],
            [
                (p.code, [figures[i] for _c, figures in self.rows])
                for i, p in enumerate(self.periods)
            ],
            title=title,
        )

    def first_row_chart(self, *, title: str) -> str:
        """One country's series as bars, one per period."""
        figures = self.rows[0][1] if self.rows else []
        pairs = [(p.code, f) for p, f in zip(self.periods, figures, strict=True) if f is not None]
        return charts.bar_chart(pairs, title=title)

    def totals_chart(self, *, title: str) -> str:
        pairs = [
            (p.code, t) for p, t in zip(self.periods, self.totals, strict=True) if t is not None
        ]
        return charts.bar_chart(pairs, title=title)


def victims_series(countries, *, country: Country | None = None) -> Series:
    """Identified victims per country and period (Chart 3 and the years after it): two queries.
    The regional totals are the sums of the countries' validated values (regional_totals), never
    a typed figure."""
    victims = Value.objects.validated().for_indicator(VICTIMS).of_countries()
    if country is not None:
        victims = victims.filter(country=country)
        countries = [country]
    # the country's code keys the disclosure pattern of the regional breakdown
    values = list(victims.select_related("period", "country").order_by("period__starts_on"))
    periods = list({v.period_id: v.period for v in values}.values())
    column = {p.pk: i for i, p in enumerate(periods)}
    figures = {c.pk: [None] * len(periods) for c in countries}
    for value in values:
        if value.country_id in figures:
            figures[value.country_id][column[value.period_id]] = value.number
    totals = victims.regional_totals() if country is None else {}
    return Series(
        periods=periods,
        rows=[(c, figures[c.pk]) for c in in_chart_order(countries)],
        totals=[totals.get(p.code) for p in periods],
        sources=sorted({v.source for v in values if v.source}),
        values=values,
    )


def country_values(country: Country, period: Period) -> list[Value]:
    """A country's validated values of the period, in the plan's order: one query."""
    return list(
        Value.objects.validated()
        .filter(country=country, period=period)
        .select_related("indicator", "country")  # the disclosure check reads the country
        .order_by("indicator__order")
    )


def summed_breakdown(values: list[Value]) -> dict:
    """The countries' breakdowns added up per category. A country that did not break a dimension
    down adds its whole figure to "not specified", so each dimension still sums to the total."""
    keys = [key for key in DIMENSIONS if any(key in v.disaggregation for v in values)]
    summed = {}
    for key in keys:
        cells = defaultdict(int)
        for value in values:
            categories = value.disaggregation.get(key)
            if categories:
                for category, count in categories.items():
                    cells[category] += count
            elif value.number:
                cells[NOT_SPECIFIED] += int(value.number)
        summed[key] = dict(cells)
    return summed


def regional_breakdown(values: list[Value], period: Period, user) -> list[tuple]:
    """The period's identified victims by dimension for the whole region, small cells protected
    for this user (a regional figure: only the secretariat sees every cell)."""
    in_period = [v for v in values if v.period_id == period.pk]
    if not in_period:
        return []
    shown = breakdowns.regional_breakdown(
        in_period[0].indicator_id, period.pk, user, values=in_period
    )
    return breakdown_rows(shown)


# --- The regional figures the strategy gives for 2019 (fixtures/monitoring/03_regional_2019.yaml)


@dataclass(frozen=True)
class ContextGroup:
    title: str
    rows: list[tuple[str, Value]]
    count: Value | None = None  # the number of cases the shares are of, where the document gives it

    @property
    def total(self) -> Decimal:
        """What the printed shares add up to: shown beside them, never used to change them."""
        return sum((value.number for _label, value in self.rows), Decimal(0))

    def chart(self) -> str:
        return charts.horizontal_bar_chart(
            [(label, value.number) for label, value in self.rows],
            title=self.title,
            maximum=100,
            suffix="%",
        )


REGIONAL_2019_PERIOD = "2019"
REGIONAL_2019_COUNT = "repatriated-victims"
# (title, code of the count the shares are of or None, ((code, label), …)) per group.
REGIONAL_2019 = (
    (
        gettext_lazy("Identified victims by sex and age group"),
        None,
        (
            ("victims-pct-men", gettext_lazy("Men")),
            ("victims-pct-women", gettext_lazy("Women")),
            ("victims-pct-child", gettext_lazy("Children and adolescents under 18")),
            ("victims-pct-girls", gettext_lazy("Girls and adolescents")),
            ("victims-pct-lgbtiq", gettext_lazy("LGBTIQ+ persons")),
        ),
    ),
    (
        gettext_lazy("Identified victims by country of nationality"),
        None,
        (
            ("victims-pct-inside", gettext_lazy("Within their country of nationality")),
            ("victims-pct-outside", gettext_lazy("Outside their country of nationality")),
        ),
    ),
    (
        gettext_lazy("Purpose of exploitation"),
        None,
        (
            ("victims-pct-sexual", gettext_lazy("Sexual exploitation")),
            ("victims-pct-labour", gettext_lazy("Labour exploitation")),
        ),
    ),
    (
        gettext_lazy("Repatriated victims"),
        REGIONAL_2019_COUNT,
        (
            ("returnees-pct-women", gettext_lazy("Women")),
            ("returnees-pct-men", gettext_lazy("Men")),
            ("returnees-pct-child", gettext_lazy("Children and adolescents")),
            ("returnees-pct-girls", gettext_lazy("Girls and adolescents under 18")),
            ("returnees-pct-lgbtiq", gettext_lazy("LGBTIQ+ persons")),
        ),
    ),
)


def regional_2019() -> list[ContextGroup]:
    """The 2019 shares as printed (they do not add up to 100, and are not made to): one query."""
    codes = [code for _t, count, rows in REGIONAL_2019 for code in (count, *dict(rows)) if code]
    values = {
        v.indicator.code: v
        for v in Value.objects.validated()
        .filter(country__isnull=True, period__code=REGIONAL_2019_PERIOD, indicator__code__in=codes)
        .select_related("indicator")
    }
    groups = []
    for title, count, rows in REGIONAL_2019:
        found = [(str(label), values[code]) for code, label in rows if code in values]
        if found:
            groups.append(ContextGroup(str(title), found, values.get(count)))
    return groups
