"""The monitoring matrix and the indicator tracking table. Public: each viewer sees only the values
corett.access lets them see (monitoring.matrix.selectors reads through it).

The grids' cells are written here as markup in one pass rather than through a template loop: a
matrix has hundreds of cells (thousands in a long tracking table) and the template engine's
per-variable cost would dominate the page. Everything that comes from data is escaped."""

from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corett.html import esc
from strategy.models import Axis, Country, Frequency, Indicator
from strategy.selectors import current_axes

from ...periods.models import Period
from .. import selectors
from ..filters import MatrixFilter, TrackingFilter
from ..selectors import Band, CellState

REGION = "region"


def matrix(request):
    """One page of the matrix (selectors.matrix_page): all the axes by default, paged by
    indicators, with a tab per axis that keeps the period and the state chosen."""
    periods = list(Period.objects.all())
    default = selectors.latest_open_period(periods)
    filterset = MatrixFilter(
        request.GET, periods=periods, defaults={"period": default and default.code}
    )
    chosen = filterset.choices()
    period = chosen.get("period", default)
    axis, state = chosen.get("axis"), chosen.get("state")
    grid = period and selectors.matrix_page(
        user=request.user, period=period, axis=axis, state=state, page=request.GET.get("page")
    )
    if grid:
        _write_matrix_cells(grid)
    kept = {"period": period and period.code, "state": state}
    return render(
        request,
        "monitoring/matrix/matrix.html",
        {
            "filter": filterset,
            "matrix": grid,
            "period": period,
            "period_state": period and Period.State(period.state).label,
            "region": REGION,
            "axis_tabs": _axis_tabs(kept, axis),
            "pages": grid and grid.is_paged and _page_links(kept | {"axis": axis}, grid.page),
        },
    )


def _query(params: dict) -> str:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value:
            query[key] = getattr(value, "number", value)
    return f"?{query.urlencode()}"


def _axis_tabs(kept: dict, chosen: Axis | None) -> list[tuple[Axis | None, str, bool]]:
    """(axis, address, is the one shown) of each axis, and first of all the axes (None),
    keeping the period and the state."""
    tabs = [(None, _query(kept), chosen is None)]
    for axis in current_axes():
        tabs.append((axis, _query(kept | {"axis": axis}), axis == chosen))
    return tabs


def _page_links(kept: dict, page) -> dict:
    """The pager's addresses, keeping every filter."""
    return {
        "first": _query(kept) if page.number > 1 else "",
        "previous": _query(kept | {"page": page.previous_page_number()})
        if page.has_previous()
        else "",
        "next": _query(kept | {"page": page.next_page_number()}) if page.has_next() else "",
        "last": _query(kept | {"page": page.paginator.num_pages})
        if page.number < page.paginator.num_pages
        else "",
    }


def tracking(request, scope):
    """Indicators × periods, target beside actual, for one country (its code) or the region."""
    country = None
    if scope != REGION:
        country = get_object_or_404(Country, code=scope.upper())
    periods = list(Period.objects.all())
    filterset = TrackingFilter(request.GET, periods=periods)
    chosen = filterset.choices()
    frequency = chosen.get("frequency", Frequency.ANNUAL)
    periods = selectors.tracking_periods(
        periods,
        frequency=frequency,
        first=chosen.get("first"),
        last=chosen.get("last"),
    )
    table = selectors.tracking(
        user=request.user,
        country=country,
        periods=periods,
        frequency=frequency,
        axis=chosen.get("axis"),
    )
    _write_tracking_cells(table)
    return render(
        request,
        "monitoring/matrix/tracking.html",
        {
            "filter": filterset,
            "table": table,
            "country": country,
            "countries": Country.objects.all(),
            "region": REGION,
        },
    )


# --- Cells as markup ----------------------------------------------------------------------------

ICON = '<span class="state-icon" aria-hidden="true"></span>'
LATE_MARK = '<span class="late-mark" aria-hidden="true">!</span>'


def _write_matrix_cells(grid: selectors.Matrix) -> None:
    """Each row: the indicator, then each cell: its state as a class (the colour), an icon and a
    text for screen readers (never colour alone), the value, and a link to the value and its
    history; last the region's figure (_regional_cell)."""
    labels = {state: str(label) for state, label in CellState.choices}
    late = _("submitted late")
    empty = {
        dimmed: (
            f'<td class="cell state-nothing{" is-dimmed" if dimmed else ""}">{ICON}'
            f'<span class="visually-hidden">{esc(labels[CellState.NOTHING])}</span></td>'
        )
        for dimmed in (False, True)
    }
    words = _RegionalWords()
    for group in grid.groups:
        for row in group.rows:
            cells = "".join(
                _matrix_cell(cell, labels, late) if cell.value_id else empty[cell.dimmed]
                for cell in row.cells
            )
            row.html = mark_safe(
                f'<tr>\n      <th scope="row"><span class="code">{esc(row.indicator.code)}</span> '
                f"{esc(row.indicator.name)}</th>\n      {cells}\n      "
                f"{_regional_cell(row.regional, words)}\n    </tr>"
            )


def _matrix_cell(cell: selectors.Cell, labels: dict, late: str) -> str:
    label = labels[cell.state]
    title = label[:1].upper() + label[1:]
    hidden = label
    if cell.late:
        title, hidden = f"{title} · {late}", f"{label}, {late}"
    if cell.full_text:
        title = f"{title}: {cell.full_text}"
    dimmed = " is-dimmed" if cell.dimmed else ""
    mark = LATE_MARK if cell.late and cell.state != CellState.LATE else ""
    return (
        f'<td class="cell state-{cell.state}{dimmed}" title="{esc(title)}">'
        f'<a href="{esc(cell.url)}">{ICON} {esc(cell.shown)}'
        f'<span class="visually-hidden"> ({esc(hidden)})</span></a>{mark}</td>'
    )


class _RegionalWords:
    """The regional column's fixed words, translated once per page."""

    def __init__(self):
        self.sum = esc(_("Sum of the validated values of the countries"))
        self.for_region = esc(_("reported for the region"))


def _regional_cell(regional: selectors.Regional, words: _RegionalWords) -> str:
    """The region's figure: the sum of the countries' validated counts, or how many countries
    reported (and answered yes) where figures cannot be added up; a figure reported for the
    region as such beside it."""
    total = reporting = reported = ""
    if regional.is_sum:
        total = f'<span class="regional-sum" title="{words.sum}">Σ {esc(regional.shown)}</span>'
    if regional.is_sum or regional.kind != Indicator.Kind.COUNT and not regional.cell:
        text = ngettext(
            "%(reporting)s of %(countries)s country",
            "%(reporting)s of %(countries)s countries",
            regional.reporting,
        ) % {"reporting": regional.reporting, "countries": regional.countries}
        if regional.kind == Indicator.Kind.YES_NO and regional.reporting:
            yes = ngettext("%(yes)s yes", "%(yes)s yes", regional.yes) % {"yes": regional.yes}
            text = f"{text} · {yes}"
        reporting = f'<small class="reporting">{esc(text)}</small>'
    if cell := regional.cell:
        shown = f'<span class="state-icon" aria-hidden="true"></span> {esc(cell.shown)}'
        shown += (
            f'<span class="visually-hidden"> ({words.for_region}, {esc(cell.state_label)})</span>'
        )
        if cell.url:
            shown = f'<a href="{esc(cell.url)}">{shown}</a>'
        reported = f'<span class="reported-for-region state-{esc(cell.state)}">{shown}</span>'
    return (
        f'<td class="cell regional">{total}\n        {reporting}\n        {reported}\n      </td>'
    )


def _write_tracking_cells(table: selectors.Tracking) -> None:
    """Per period, the target, then the actual with its band as a class (the colour), an icon and a
    word; a value not validated yet says its state; a regional figure that cannot be added up says
    how many countries reported."""
    bands = {band: str(label) for band, label in Band.choices}
    for _axis, rows in table.groups:
        for row in rows:
            counted = table.country is None and row.indicator.kind != Indicator.Kind.COUNT
            row.html = mark_safe("".join(_tracking_cell(c, bands, counted) for c in row.cells))


def _tracking_cell(cell: selectors.TrackingCell, bands: dict, counted: bool) -> str:
    band_class = band_icon = band_text = status = reporting = ""
    if cell.band:
        band_class = f" band band-{cell.band}"
        band_icon = '<span class="band-icon" aria-hidden="true"></span> '
        band_text = f' <small class="band-text">{esc(bands[cell.band])}</small>'
    actual = f"{band_icon}{esc(cell.actual_shown)}"
    if cell.url:
        actual = f'<a href="{esc(cell.url)}">{actual}</a>'
    if not cell.is_validated:
        status = f' <small class="tag status-{cell.status}">{esc(cell.status_label)}</small>'
    if counted and cell.reporting is not None:
        reporting = f'<small class="reporting">{esc(reporting_text(cell.reporting))}</small>'
    return (
        f'<td class="num target">{esc(cell.target_shown)}</td>'
        f'<td class="num actual{band_class}">{actual}{band_text}{status}{reporting}</td>'
    )


def reporting_text(count: int) -> str:
    return ngettext("%(reporting)s country", "%(reporting)s countries", count) % {
        "reporting": count
    }
