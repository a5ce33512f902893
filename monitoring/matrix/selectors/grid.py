"""The monitoring matrix: countries × indicators of one period as a user may see them, with the
completeness and timeliness of each country, axis and overall, and the regional column. A fixed
number of queries whatever the number of values stored: it reads only the period asked for, as
plain rows, and builds its grid in Python in one pass over the cells."""

from dataclasses import dataclass, field
from decimal import Decimal

from strategy.models import Axis, Country, Indicator

from ...periods.models import Period
from ...values.formatting import value_text
from .common import (
    EXCERPT_LENGTH,
    REPORTED,
    CellState,
    axis_of,
    cell_state,
    cell_text,
    indicators_for,
    period_values,
    value_url,
)

ROW_FIELDS = ("pk", "indicator_id", "country_id", "status", "late", "number", "text")


@dataclass(slots=True)
class Cell:
    """One country's value of one indicator, as the viewer may see it."""

    kind: str
    state: str = CellState.NOTHING
    value_id: int | None = None
    number: Decimal | None = None
    text: str = ""
    late: bool = False
    url: str = ""  # the value and its history
    dimmed: bool = False  # outside the state the matrix is filtered by

    @property
    def shown(self) -> str:
        return cell_text(self.kind, self.number, self.text) if self.value_id else ""

    @property
    def state_label(self) -> str:
        return CellState(self.state).label

    @property
    def full_text(self) -> str:
        """The whole text when the cell shows only its start."""
        if self.kind == Indicator.Kind.TEXT and len(self.text) > EXCERPT_LENGTH:
            return self.text
        return ""


@dataclass(slots=True)
class Regional:
    """The region's figure for an indicator, from the countries' validated values, never typed.

    Counts are summed. Percentages, yes/no answers and texts cannot be added up (each country's
    percentage has its own denominator), so the region shows how many countries reported instead,
    and for yes/no how many answered yes. A value the region reports as such (no country: e.g. a
    figure the document gives only for the region) is shown beside it as an ordinary cell.
    """

    kind: str
    countries: int
    total: Decimal | None = None
    reporting: int = 0
    yes: int = 0
    cell: Cell | None = None

    @property
    def is_sum(self) -> bool:
        return self.kind == Indicator.Kind.COUNT and self.reporting > 0

    @property
    def shown(self) -> str:
        return value_text(self.kind, self.total) if self.is_sum else ""

    def add(self, state: str, number) -> None:
        if state != CellState.VALIDATED:
            return
        self.reporting += 1
        if self.kind == Indicator.Kind.COUNT and number is not None:
            self.total = (self.total or 0) + number
        elif self.kind == Indicator.Kind.YES_NO and number:
            self.yes += 1


@dataclass
class Rate:
    """Completeness: share of the expected cells with a value submitted or validated. Timeliness:
    share of the expected cells submitted by the close date (as DHIS2's "reporting rate on time",
    so that both rates share one denominator)."""

    expected: int = 0
    reported: int = 0
    on_time: int = 0

    def count(self, cell: Cell) -> None:
        self.expected += 1
        if cell.state in REPORTED:
            self.reported += 1
            if not cell.late:
                self.on_time += 1

    @property
    def completeness(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def completeness_percent(self) -> int | None:
        return _percent(self.completeness)

    @property
    def timeliness_percent(self) -> int | None:
        return _percent(self.timeliness)


def _percent(share: float | None) -> int | None:
    return None if share is None else int(share * 100 + 0.5)


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]
    regional: Regional
    html: str = ""  # the cells as markup, when a page renders them in one go


@dataclass
class Group:
    axis: Axis | None  # None: context indicators
    rows: list[Row] = field(default_factory=list)
    rate: Rate = field(default_factory=Rate)


@dataclass
class Matrix:
    period: Period
    countries: list[Country]
    groups: list[Group]
    country_rates: list[Rate]
    rate: Rate
    state: str | None = None

    @property
    def columns(self) -> list[tuple[Country, Rate]]:
        return list(zip(self.countries, self.country_rates, strict=True))

    @property
    def is_empty(self) -> bool:
        return not any(group.rows for group in self.groups)


def matrix(*, user, period: Period, axis: Axis | None = None, state: str | None = None) -> Matrix:
    """Countries × indicators of one period as `user` may see them, grouped by axis, with the
    completeness and timeliness of each country, of each axis and overall, and the regional column.
    Four queries (countries, values, indicators, axes) whatever the number of values stored.

    Rows: every current indicator of the axes, and the context indicators (outside the axes, such
    as Chart 3's identified victims) that have a value the user may see in the period. The rates
    count the axes' indicators only.

    A `state` keeps the indicators with at least one country cell in that state and dims the
    others; the rates always count every cell of the axes shown, and only cells the user may see.
    """
    countries = list(Country.objects.all())
    values, regional_values = {}, {}
    for pk, indicator_id, country_id, status, late, number, text in period_values(
        user=user, period=period
    ).values_list(*ROW_FIELDS):
        row = (pk, cell_state(status, late), number, text, late)
        if country_id is None:
            regional_values[indicator_id] = row
        else:
            values[indicator_id, country_id] = row
    indicators = indicators_for(
        frequency=period.kind,
        axis=axis,
        also={key[0] for key in values} | regional_values.keys(),
    )

    url = value_url()
    groups: dict[int | None, Group] = {}
    country_rates = [Rate() for _country in countries]
    overall = Rate()
    for indicator in indicators:
        kind = indicator.kind
        axis_ = axis_of(indicator)
        group = groups.setdefault(axis_.pk if axis_ else None, Group(axis_))
        regional = Regional(kind=kind, countries=len(countries))
        cells = []
        for country, rate in zip(countries, country_rates, strict=True):
            cell = matrix_cell(kind, values.get((indicator.pk, country.pk)), url)
            regional.add(cell.state, cell.number)
            if axis_:  # context indicators are not expected from every country: not counted
                rate.count(cell)
                group.rate.count(cell)
                overall.count(cell)
            cells.append(cell)
        if indicator.pk in regional_values:
            regional.cell = matrix_cell(kind, regional_values[indicator.pk], url)
        if state and not any(cell.state == state for cell in cells):
            continue
        if state:
            for cell in cells:
                cell.dimmed = cell.state != state
        group.rows.append(Row(indicator, cells, regional))
    return Matrix(
        period=period,
        countries=countries,
        groups=list(groups.values()),
        country_rates=country_rates,
        rate=overall,
        state=state,
    )


def matrix_cell(kind: str, row, url) -> Cell:
    """A cell from its row (pk, state, number, text, late), or an empty one for None."""
    if row is None:
        return Cell(kind)
    pk, state, number, text, late = row
    return Cell(kind, state, pk, number, text, late, url(pk))


def reporting_rates(*, user, period: Period, axis: Axis | None = None) -> Matrix:
    """Completeness and timeliness per country (`.columns`), per axis (`.groups`) and overall
    (`.rate`) for one period, over the values `user` may see."""
    return matrix(user=user, period=period, axis=axis)
