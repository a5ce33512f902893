"""What the matrix, the tracking table and the dashboards share: a cell's state, the on-track band
around a target, the indicators of a period in the plan's order, the values a user may see, and
how a cell reads.

What a user may see is decided by corett.access.values_visible_to and nothing else."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from corett import access
from strategy.models import Axis, Indicator
from strategy.selectors import plan_axes

from ...periods.models import Period
from ...values.formatting import value_text
from ...values.models import Status, Value

# The order of the countries in the strategy's Chart 3 (neither alphabetical nor by size): the
# dashboards list countries this way so that the table reads like the document.
CHART_3_ORDER = ("BZ", "CR", "SV", "HN", "GT", "MX", "NI", "PA", "DO")


def chart_rank(country) -> tuple:
    """Sort key: the order of Chart 3, then any other country by name."""
    if country.code in CHART_3_ORDER:
        return (CHART_3_ORDER.index(country.code), "")
    return (len(CHART_3_ORDER), country.name)


def in_chart_order(countries) -> list:
    return sorted(countries, key=chart_rank)


AXIS_PATH = "goal__activity__objective__axis"
EXCERPT_LENGTH = 30
DEFAULT_TRACKING_BAND = 0.15


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


def cell_text(kind: str, number, text: str) -> str:
    """A value as a grid's cell shows it: as every page reads it (monitoring.values.formatting),
    a text shortened to its start (the cell's title holds the whole)."""
    if kind == Indicator.Kind.TEXT:
        return Truncator(text).chars(EXCERPT_LENGTH)
    return value_text(kind, number, text)


# --- Values a user may see ---------------------------------------------------------------------


def period_values(*, user, period: Period):
    """The values of one period this user may read, regional ones (no country) included. Uses the
    index on (period, status)."""
    return access.values_visible_to(user, Value.objects.filter(period=period)).order_by()


def latest_open_period(periods=None, *, today: datetime.date | None = None) -> Period | None:
    """The matrix's default: the latest period open today; failing that the latest one that has
    opened; failing that the first one. `periods` may be a list already read, to save a query."""
    periods = sorted(Period.objects.all() if periods is None else periods, key=period_order)
    if not periods:
        return None
    today = today or timezone.localdate()
    for wanted in ({Period.State.OPEN}, {Period.State.CLOSED, Period.State.LOCKED}):
        candidates = [p for p in periods if p.state_on(today) in wanted]
        if candidates:
            return candidates[-1]
    return periods[0]


def period_order(period: Period):
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
    axes = {axis.pk: axis for axis in plan_axes()}
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


def value_url():
    """pk -> the address of a value and its history, in the active language: reverse() once per
    page rather than once per cell (a matrix has hundreds)."""
    sentinel = "2147483647"
    head, _sentinel, tail = reverse("monitoring:value", kwargs={"pk": sentinel}).partition(sentinel)
    return lambda pk: f"{head}{pk}{tail}"


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
