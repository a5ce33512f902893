"""The indicator tracking table: indicators × periods for one country or the region, target beside
actual, classified against the on-track band. Four or five queries in all."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from corett import access
from strategy.models import Axis, Country, Frequency, Indicator

from ...periods.models import Period, Target
from ...values.formatting import number_text, value_text
from ...values.models import Status, Value
from .common import (
    axis_of,
    cell_text,
    classify,
    indicators_for,
    period_order,
    tracking_band,
    value_url,
)


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
        return value_text(self.kind, self.target) if self.target is not None else ""

    @property
    def actual_shown(self) -> str:
        if self.kind == Indicator.Kind.TEXT:
            return cell_text(self.kind, None, self.text)
        return value_text(self.kind, self.actual) if self.actual is not None else ""

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
        return value_text(self.indicator.kind, baseline) if baseline is not None else ""


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
        return number_text(self.band * 100)

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
    chosen = [p for p in sorted(periods, key=period_order) if p.kind == frequency]
    if first:
        chosen = [p for p in chosen if p.starts_on >= first.starts_on]
    if last:
        chosen = [p for p in chosen if p.starts_on <= last.starts_on]
    else:
        chosen = [p for p in chosen if p.opens_on <= today]
    return chosen
