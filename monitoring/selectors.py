"""The read side of monitoring: the values a user may see, the matrix, reporting rates, tracking.

Pages, exports and reports read through these functions. Each runs a fixed number of queries
whatever the number of values stored: it reads only the period (or periods) asked for, as plain
rows, and builds its grid in Python in one pass over the cells. What a user may see is decided by
corett.access.values_visible_to and nothing else.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett import access
from strategy.models import Axis, Country, Frequency, Indicator

from .models import Narrative, Period, Status, Target, Value

AXIS_PATH = "goal__activity__objective__axis"
EXCERPT_LENGTH = 30
DEFAULT_TRACKING_BAND = 0.15
ROW_FIELDS = ("pk", "indicator_id", "country_id", "status", "late", "number", "text")


class CellState(models.TextChoices):
    """What a cell of the matrix shows: a value's status, "late", or no value (that you may see)."""

    NOTHING = "nothing", gettext_lazy("no value")
    DRAFT = "draft", gettext_lazy("draft")
    SUBMITTED = "submitted", gettext_lazy("submitted")
    RETURNED = "returned", gettext_lazy("returned")
    VALIDATED = "validated", gettext_lazy("validated")
    LATE = "late", gettext_lazy("late")


# Submitted or validated: what completeness counts as reported.
REPORTED = {CellState.SUBMITTED, CellState.LATE, CellState.VALIDATED}


class Band(models.TextChoices):
    ON_TRACK = "on_track", gettext_lazy("on track")
    BEHIND = "behind", gettext_lazy("behind")
    AHEAD = "ahead", gettext_lazy("ahead")


def cell_state(status: str, late: bool) -> str:
    """Late means waiting for review after arriving past the close date. Once validated or returned
    the cell shows that status (timeliness still counts the value as late)."""
    if status == Status.SUBMITTED and late:
        return CellState.LATE
    return status


def shown(kind: str, number, text: str) -> str:
    """A value as a cell shows it, in the active language: grouped whole numbers for counts, at most
    two decimals for percentages, yes or no, or the start of a text."""
    if kind == Indicator.Kind.TEXT:
        return Truncator(text).chars(EXCERPT_LENGTH)
    if number is None:
        return ""
    if kind == Indicator.Kind.YES_NO:
        return _("yes") if number else _("no")
    if kind == Indicator.Kind.PERCENTAGE:
        return _("%(number)s%%") % {"number": plain_number(number)}
    return plain_number(number)


def plain_number(number) -> str:
    number = Decimal(number)
    places = 0
    while places < 2 and number != round(number, places):
        places += 1
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


# --- Values a user may see ---------------------------------------------------------------------


def period_values(*, user, period: Period):
    """The values of one period this user may read, regional ones (no country) included. Uses the
    index on (period, status)."""
    return access.values_visible_to(user, Value.objects.filter(period=period)).order_by()


def latest_open_period(periods=None, *, today: datetime.date | None = None) -> Period | None:
    """The matrix's default: the latest period open today; failing that the latest one that has
    opened; failing that the first one. `periods` may be a list already read, to save a query."""
    periods = sorted(Period.objects.all() if periods is None else periods, key=_period_order)
    if not periods:
        return None
    today = today or timezone.localdate()
    for wanted in ({Period.State.OPEN}, {Period.State.CLOSED, Period.State.LOCKED}):
        candidates = [p for p in periods if p.state_on(today) in wanted]
        if candidates:
            return candidates[-1]
    return periods[0]


def _period_order(period: Period):
    return period.starts_on, period.ends_on


def indicators_for(*, frequency: str, axis: Axis | None = None, also=()) -> list[Indicator]:
    """The current indicators of the axes reported per `frequency`, plus those in `also` (ids of
    indicators with a value: context indicators, which stand outside the axes and are not expected
    from every country every period, and retired ones), each with its axis as `plan_axis` (None
    for context indicators), in the plan's order: by axis, context indicators last. Two queries;
    the axes are read once rather than joined into every indicator's row."""
    indicators = Indicator.objects.filter(
        Q(retired_at__isnull=True, frequency=frequency, goal__isnull=False) | Q(pk__in=list(also))
    ).annotate(axis_ref=F(AXIS_PATH))
    if axis is not None:
        indicators = indicators.filter(axis_ref=axis.pk)
    axes = Axis.objects.in_bulk()
    indicators = list(indicators)
    for indicator in indicators:
        indicator.plan_axis = axes.get(indicator.axis_ref)
    return sorted(indicators, key=lambda i: (_axis_number(i), i.order, i.code))


def axis_of(indicator: Indicator) -> Axis | None:
    """The indicator's axis, or None for context indicators (outside the operative matrix)."""
    if hasattr(indicator, "plan_axis"):
        return indicator.plan_axis
    return indicator.goal.activity.objective.axis if indicator.goal_id else None


def _axis_number(indicator: Indicator) -> int:
    axis = axis_of(indicator)
    return axis.number if axis else 10_000


# --- The matrix --------------------------------------------------------------------------------


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
        return shown(self.kind, self.number, self.text) if self.value_id else ""

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
        return shown(self.kind, self.total, "") if self.is_sum else ""

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
            cell = _cell(kind, values.get((indicator.pk, country.pk)), url)
            regional.add(cell.state, cell.number)
            if axis_:  # context indicators are not expected from every country: not counted
                rate.count(cell)
                group.rate.count(cell)
                overall.count(cell)
            cells.append(cell)
        if indicator.pk in regional_values:
            regional.cell = _cell(kind, regional_values[indicator.pk], url)
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


def _cell(kind: str, row, url) -> Cell:
    if row is None:
        return Cell(kind)
    pk, state, number, text, late = row
    return Cell(kind, state, pk, number, text, late, url(pk))


def value_url():
    """pk -> the address of a value and its history, in the active language: reverse() once per
    page rather than once per cell (a matrix has hundreds)."""
    sentinel = "2147483647"
    head, _sentinel, tail = reverse("monitoring:value", kwargs={"pk": sentinel}).partition(sentinel)
    return lambda pk: f"{head}{pk}{tail}"


def reporting_rates(*, user, period: Period, axis: Axis | None = None) -> Matrix:
    """Completeness and timeliness per country (`.columns`), per axis (`.groups`) and overall
    (`.rate`) for one period, over the values `user` may see."""
    return matrix(user=user, period=period, axis=axis)


# --- The indicator tracking table ----------------------------------------------------------------


def tracking_band() -> Decimal:
    """The on-track band around a target, as a share of it (settings.TRACKING_BAND, default 0.15:
    within ±15% of the target is on track)."""
    raw = getattr(settings, "TRACKING_BAND", DEFAULT_TRACKING_BAND)
    try:
        band = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        band = None
    if band is None or not band.is_finite() or band < 0:
        raise ImproperlyConfigured(f"TRACKING_BAND must be a share of the target ≥ 0, not {raw!r}")
    return band


def classify(actual, target, band: Decimal | None = None) -> str | None:
    """On track within the band around the target (edges included), behind below, ahead above;
    None without a target or without a value. A target of 0 is met by 0 and exceeded by more."""
    if actual is None or target is None:
        return None
    band = tracking_band() if band is None else band
    actual, target = Decimal(actual), Decimal(target)
    if actual < target * (1 - band):
        return Band.BEHIND
    if actual > target * (1 + band):
        return Band.AHEAD
    return Band.ON_TRACK


@dataclass(slots=True)
class TrackingCell:
    kind: str
    target: Decimal | None = None
    actual: Decimal | None = None
    text: str = ""
    status: str | None = None  # of the value shown; None for a computed regional sum
    value_id: int | None = None
    url: str = ""
    reporting: int | None = None  # regional: how many countries have a validated value
    band: str | None = None

    @property
    def target_shown(self) -> str:
        return shown(self.kind, self.target, "") if self.target is not None else ""

    @property
    def actual_shown(self) -> str:
        if self.kind == Indicator.Kind.TEXT:
            return Truncator(self.text).chars(EXCERPT_LENGTH)
        return shown(self.kind, self.actual, "") if self.actual is not None else ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def is_validated(self) -> bool:
        return self.status in (None, Status.VALIDATED)


@dataclass
class TrackingRow:
    indicator: Indicator
    cells: list[TrackingCell]
    html: str = ""  # the cells as markup, when a page renders them in one go

    @property
    def baseline_shown(self) -> str:
        baseline = self.indicator.baseline
        return shown(self.indicator.kind, baseline, "") if baseline is not None else ""


@dataclass
class Tracking:
    country: Country | None  # None: the region
    periods: list[Period]
    groups: list[tuple[Axis | None, list[TrackingRow]]]
    band: Decimal

    @property
    def column_count(self) -> int:
        return 2 + 2 * len(self.periods)

    @property
    def band_percent(self) -> str:
        return plain_number(self.band * 100)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def tracking(
    *,
    user,
    country: Country | None,
    periods: list[Period],
    frequency: str = Frequency.ANNUAL,
    axis: Axis | None = None,
) -> Tracking:
    """Indicators × periods for one country (or the region, `country` None): target beside actual,
    classified against the on-track band. Country actuals are the values `user` may see; regional
    ones follow the rules of the matrix's regional column (sums of validated country values for
    counts, else a value reported for the region as such). Four or five queries in all."""
    band = tracking_band()
    targets = {
        (indicator_id, period_id): value
        for indicator_id, period_id, value in Target.objects.filter(
            period__in=periods, country=country
        )
        .order_by()
        .values_list("indicator_id", "period_id", "value")
    }
    reported = {}  # (indicator, period) -> (number, text, status, pk)
    visible = access.values_visible_to(user, Value.objects.filter(period__in=periods)).order_by()
    visible = visible.filter(country=country) if country else visible.filter(country__isnull=True)
    for pk, indicator_id, period_id, status, number, text in visible.values_list(
        "pk", "indicator_id", "period_id", "status", "number", "text"
    ):
        reported[indicator_id, period_id] = (number, text, status, pk)
    sums = {}
    if country is None:
        sums = {
            (row["indicator_id"], row["period_id"]): (row["total"], row["reporting"])
            for row in Value.objects.validated()
            .of_countries()
            .filter(period__in=periods)
            .order_by()
            .values("indicator_id", "period_id")
            .annotate(total=Sum("number"), reporting=Count("pk"))
        }
    indicators = indicators_for(
        frequency=frequency,
        axis=axis,
        also={key[0] for key in reported} | {key[0] for key in sums},
    )
    url = value_url()
    groups: dict[int | None, tuple[Axis | None, list[TrackingRow]]] = {}
    for indicator in indicators:
        cells = []
        for period in periods:
            key = (indicator.pk, period.pk)
            cell = TrackingCell(indicator.kind, target=targets.get(key))
            total, reporting = sums.get(key, (None, None))
            cell.reporting = reporting if country is None else None
            if indicator.kind == Indicator.Kind.COUNT and reporting:
                cell.actual = total
            elif key in reported:
                cell.actual, cell.text, cell.status, cell.value_id = reported[key]
                cell.url = url(cell.value_id)
            if indicator.kind != Indicator.Kind.TEXT:
                cell.band = classify(cell.actual, cell.target, band)
            cells.append(cell)
        axis_ = axis_of(indicator)
        groups.setdefault(axis_.pk if axis_ else None, (axis_, []))[1].append(
            TrackingRow(indicator, cells)
        )
    return Tracking(country=country, periods=periods, groups=list(groups.values()), band=band)


def tracking_periods(
    periods, *, frequency: str, first: Period | None, last: Period | None, today=None
) -> list[Period]:
    """The periods of a tracking table: those of `frequency` from `first` (default: the first
    one) to `last` (default: the last one opened by today)."""
    today = today or timezone.localdate()
    chosen = [p for p in sorted(periods, key=_period_order) if p.kind == frequency]
    if first:
        chosen = [p for p in chosen if p.starts_on >= first.starts_on]
    if last:
        chosen = [p for p in chosen if p.starts_on <= last.starts_on]
    else:
        chosen = [p for p in chosen if p.opens_on <= today]
    return chosen


def narratives_waiting():
    """Submitted narratives, for the secretariat's queue: one query whatever their number."""
    return (
        Narrative.objects.filter(status=Status.SUBMITTED)
        .select_related("country", "period")
        .order_by("period__starts_on", "country__name", "pk")
    )
