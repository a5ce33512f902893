"""What the data-entry page reads: the periods that take values, the indicators a country reports
in a period (also what the reminders count as missing), and a row per indicator with the stored
value, last period's and the target, in a fixed number of queries."""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.db.models import Q
from django.utils.functional import cached_property

from corett import access
from strategy.models import Country, Indicator
from strategy.selectors import plan_indicators

from ..periods.models import Period, Target
from ..values import quality
from ..values.formatting import breakdown_rows, shown
from ..values.models import EDITABLE, Value
from ..values.selectors import countries_report

REGION = "region"  # the country part of the URL for regional values
WRITABLE = {Period.State.OPEN, Period.State.CLOSED}


class Beside:
    """What a row shows beside its inputs, read for all the rows at the first use: last period's
    values and the targets. A save that succeeds goes back to the page without reading them."""

    def __init__(self, user, country: Country | None, period: Period):
        self.user, self.country, self.period = user, country, period

    @cached_property
    def last(self) -> dict:
        """{indicator id: last period's value}, as this person may see them."""
        previous = self.period.previous
        if previous is None:
            return {}
        earlier = Value.objects.filter(country=self.country, period=previous)
        return _by_indicator(access.values_visible_to(self.user, earlier))

    @cached_property
    def targets(self) -> tuple[dict, dict]:
        """({indicator id: the country's target}, {indicator id: the regional target})."""
        country = self.country
        scope = Q(country__isnull=True) if country is None else Q(country=country) | Q(country=None)
        own, regional = {}, {}
        for target in Target.objects.filter(scope, period=self.period):
            (regional if target.country_id is None else own)[target.indicator_id] = target
        return own, regional


@dataclass
class Row:
    """One indicator of the page: what is stored, what was reported last period, the target."""

    indicator: Indicator
    value: Value | None
    beside: Beside
    writable: bool  # the period takes values and this person may enter them
    form: object = None  # a posted row's ValueRowForm, else its RowShown (entry.fields)
    conflict: Value | None = None
    failed: bool = False
    problems: list = field(default_factory=list)  # messages about the row, not about one input
    shown: str = ""  # the stored value as people read it
    evidence_name: str = ""
    shown_conflict: str = ""
    history_url: str = ""  # the value's page: history and review
    inputs: str = ""  # the row's inputs as HTML (monitoring.entry.inputs), when it has a form
    html: str = ""  # the whole row as HTML (monitoring.entry.rows)

    @property
    def status(self) -> str | None:
        return self.value.status if self.value else None

    @property
    def quality_warning(self) -> str:
        """An unusual change still without its comment (monitoring.values.quality)."""
        return quality.warning(self.value) if self.value else ""

    @property
    def editable(self) -> bool:
        return self.writable and (self.value is None or self.value.status in EDITABLE)

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.pk}"

    @property
    def previous(self) -> Period | None:
        """The period before, of the same kind (one query per page: Period.previous)."""
        return self.beside.period.previous

    @property
    def last(self) -> Value | None:
        return self.beside.last.get(self.indicator.pk)

    @property
    def shown_last(self) -> str:
        return shown(self.last, self.indicator)

    @property
    def target(self):
        """The country's target, else the regional one, else None."""
        own, regional = self.beside.targets
        return own.get(self.indicator.pk) or regional.get(self.indicator.pk)

    @property
    def target_is_regional(self) -> bool:
        target = self.target
        return target is not None and target.country_id is None

    @property
    def breakdown_shown(self) -> list:
        """[(dimension, [(category, count)])] of a value that can no longer be changed here
        (editable rows show their breakdown in the inputs)."""
        if self.value is None or self.editable:
            return []
        return breakdown_rows(self.value.disaggregation)


def entry_rows(user, country: Country | None, period: Period) -> list[Row]:
    """Every indicator to report in this period, in the plan's order, with the stored value (last
    period's value and the target read at their first use, for all the rows: Beside): a fixed
    number of queries."""
    indicators = plan_indicators(period.kind)  # cached until the plan changes
    context = [indicator.pk for indicator in indicators if indicator.goal_id is None]
    if country is not None and context:  # indicators_to_report's, on the plan already read
        reported = set(
            Indicator.objects.filter(pk__in=context)
            .filter(countries_report())
            .values_list("pk", flat=True)
        )
        indicators = [i for i in indicators if i.goal_id is not None or i.pk in reported]
    # Read by country and period alone, each picked by its indicator: a plan of hundreds of
    # indicators would otherwise write each query's IN list of them all, and parse it.
    values = _by_indicator(Value.objects.filter(country=country, period=period))
    beside = Beside(user, country, period)
    writable = period.state in WRITABLE
    rows = []
    for indicator in indicators:
        row = Row(
            indicator=indicator, value=values.get(indicator.pk), beside=beside, writable=writable
        )
        row.shown = shown(row.value, indicator)
        if row.value is not None:
            row.evidence_name = PurePath(row.value.evidence.name).name if row.value.evidence else ""
        rows.append(row)
    return rows


def _by_indicator(rows) -> dict:
    return {row.indicator_id: row for row in rows}
