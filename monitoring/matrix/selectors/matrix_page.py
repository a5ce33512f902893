"""The matrix page: one page of the indicators of the matrix (grid.matrix draws every row, which
the PDF reports need and a page does not), with the rates of everything selected, on every page.

A plan of thousands of indicators would make a matrix of tens of thousands of cells; the page
reads and draws at most PAGE_ROWS indicators whatever the plan's size, and counts completeness and
timeliness in the database rather than cell by cell. A fixed number of queries: the rows selected
(ids and axes only), the indicators with a cell in a state when the matrix is filtered by one, the
page's indicators, its values, the reported cells per axis and country, the countries, the axes.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from strategy.models import Axis, Country, Indicator
from strategy.selectors import plan_axes

from ...periods.models import Period
from ...values.models import Status
from .common import AXIS_PATH, CellState, cell_state, period_values, value_url
from .grid import ROW_FIELDS, Group, Matrix, Rate, Regional, Row, matrix_cell

# Rows (indicators) on a page of the matrix: the plan as approved has a few dozen and reads on one
# page; a plan of thousands is paged by this many (each row has a cell per country).
PAGE_ROWS = 50
NO_AXIS = 10_000  # context indicators sort last


@dataclass
class MatrixPage(Matrix):
    page: Page | None = None
    axis_rates: list[Group] | None = None  # every axis shown, with its rates, whatever the page

    @property
    def is_paged(self) -> bool:
        return self.page is not None and self.page.paginator.num_pages > 1


def matrix_page(
    *,
    user,
    period: Period,
    axis: Axis | None = None,
    state: str | None = None,
    page: int | str | None = 1,
    per_page: int = PAGE_ROWS,
) -> MatrixPage:
    """Countries × one page of the indicators of `period` as `user` may see them: the rows of
    grid.matrix (the current indicators of the axes, and any indicator with a value the user may
    see), in the plan's order, grouped by axis. The rates count every cell of the axes shown, on
    every page, and only the values the user may see. A `state` keeps the indicators with a
    country cell in that state and dims the other cells. A page out of range, or not a number,
    shows the nearest one."""
    visible = period_values(user=user, period=period)
    countries = list(Country.objects.all())
    selected = _selected(visible, period, axis)
    rows = selected
    if state:
        with_state = _with_state(visible, state, len(countries))
        rows = [row for row in selected if with_state(row[0])]
    current = Paginator(rows, per_page).get_page(page)
    axes = {axis.pk: axis for axis in plan_axes()}
    indicators = Indicator.objects.in_bulk([pk for pk, _axis in current])
    for pk, axis_id in current:
        indicators[pk].plan_axis = axes.get(axis_id)
    grid = _grid(visible, [indicators[pk] for pk, _axis in current], countries, state)
    grid.period, grid.page = period, current
    _count_rates(grid, visible, selected, axis, axes)
    return grid


def _selected(visible, period: Period, axis: Axis | None) -> list[tuple[int, int | None]]:
    """(indicator id, axis id or None) of every row of the matrix, in the plan's order: by axis,
    context indicators last."""
    indicators = Indicator.objects.filter(
        Q(retired_at__isnull=True, frequency=period.kind, goal__isnull=False)
        | Q(pk__in=visible.values("indicator_id"))
    ).annotate(axis_ref=F(AXIS_PATH), axis_number=Coalesce(F(f"{AXIS_PATH}__number"), NO_AXIS))
    if axis is not None:
        indicators = indicators.filter(axis_ref=axis.pk)
    return list(indicators.order_by("axis_number", "order", "code").values_list("pk", "axis_ref"))


def _with_state(visible, state: str, country_count: int):
    """A test of an indicator's id: has it a country cell in `state`, as the viewer sees it?"""
    cells = visible.filter(country__isnull=False)
    if state == CellState.NOTHING:  # some country has no value the viewer may see
        full = set(
            cells.values("indicator_id")
            .annotate(filled=Count("pk"))
            .filter(filled__gte=country_count)
            .values_list("indicator_id", flat=True)
        )
        return lambda pk: pk not in full
    if state == CellState.LATE:
        cells = cells.filter(status=Status.SUBMITTED, late=True)
    elif state == CellState.SUBMITTED:
        cells = cells.filter(status=Status.SUBMITTED, late=False)
    else:
        cells = cells.filter(status=state)
    found = set(cells.values_list("indicator_id", flat=True).distinct())
    return found.__contains__


def _grid(visible, indicators: list[Indicator], countries, state) -> MatrixPage:
    """The page's rows: one query for their values, regional ones included."""
    values, regional_values = {}, {}
    page_values = visible.filter(indicator_id__in=[i.pk for i in indicators])
    for pk, indicator_id, country_id, status, late, number, text in page_values.values_list(
        *ROW_FIELDS
    ):
        row = (pk, cell_state(status, late), number, text, late)
        if country_id is None:
            regional_values[indicator_id] = row
        else:
            values[indicator_id, country_id] = row
    url = value_url()
    groups: dict[int | None, Group] = {}
    for indicator in indicators:
        axis = indicator.plan_axis
        group = groups.setdefault(axis.pk if axis else None, Group(axis))
        regional = Regional(kind=indicator.kind, countries=len(countries))
        cells = []
        for country in countries:
            cell = matrix_cell(indicator.kind, values.get((indicator.pk, country.pk)), url)
            regional.add(cell.state, cell.number)
            if state:
                cell.dimmed = cell.state != state
            cells.append(cell)
        if indicator.pk in regional_values:
            regional.cell = matrix_cell(indicator.kind, regional_values[indicator.pk], url)
        group.rows.append(Row(indicator, cells, regional))
    return MatrixPage(
        period=None,
        countries=countries,
        groups=list(groups.values()),
        country_rates=[Rate() for _country in countries],
        rate=Rate(),
        state=state,
    )


def _count_rates(grid: MatrixPage, visible, selected, axis: Axis | None, axes) -> None:
    """Completeness and timeliness of every axis shown (grid.axis_rates, and each group's), of
    each country and overall, over every page: the expected cells are the selected indicators of
    the axes × the countries; the reported ones are counted by the database, per axis and
    country. Context indicators (no axis) are not expected from every country: not counted."""
    expected: dict[int, int] = {}
    for _pk, axis_id in selected:
        if axis_id is not None:
            expected[axis_id] = expected.get(axis_id, 0) + 1
    # Every indicator with a value the viewer sees is selected: the axes' ones are those counted.
    cells = visible.filter(country__isnull=False, status__in=[Status.SUBMITTED, Status.VALIDATED])
    if axis is None:
        cells = cells.filter(**{f"indicator__{AXIS_PATH}__isnull": False})
    else:
        cells = cells.filter(**{f"indicator__{AXIS_PATH}": axis.pk})
    reported = cells.values(
        axis_id=F(f"indicator__{AXIS_PATH}"), country_ref=F("country_id")
    ).annotate(reported=Count("pk"), on_time=Count("pk", filter=Q(late=False)))
    counts = {(row["axis_id"], row["country_ref"]): row for row in reported}
    by_axis = {axis_id: Rate() for axis_id in expected}
    for axis_id, rate in by_axis.items():
        for country, country_rate in zip(grid.countries, grid.country_rates, strict=True):
            found = counts.get((axis_id, country.pk), {})
            for target in (rate, country_rate, grid.rate):
                target.expected += expected[axis_id]
                target.reported += found.get("reported", 0)
                target.on_time += found.get("on_time", 0)
    grid.axis_rates = [
        Group(axes[axis_id], rate=rate)
        for axis_id, rate in sorted(by_axis.items(), key=lambda item: axes[item[0]].number)
    ]
    for group in grid.groups:
        if group.axis is not None:
            group.rate = by_axis[group.axis.pk]
