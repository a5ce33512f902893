"""Progress against targets (each target of a period beside its validated figure, on track,
behind, ahead or missing), counted per axis and per country with their charts, and the
secretariat's qualifications and the countries' validated narratives: what the dashboards and the
PDF reports show. Validated values only; a fixed number of queries per function."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import charts
from strategy.models import Country, Indicator

from ...periods.models import Period, Qualification, Target
from ...values.formatting import number_text, value_text
from ...values.models import Narrative, Status, Value
from .common import Band, chart_rank, classify, tracking_band

AXIS = "goal__activity__objective__axis"

# A target's state: the tracking table's bands (common.classify, settings.TRACKING_BAND), or
# no validated figure yet.
AHEAD, ON_TRACK, BEHIND, MISSING = Band.AHEAD, Band.ON_TRACK, Band.BEHIND, "missing"
STATES = (AHEAD, ON_TRACK, BEHIND, MISSING)
PROGRESS_COLOURS = {AHEAD: "#14532d", ON_TRACK: "#3fa66a", BEHIND: "#d97706", MISSING: "#bcccdc"}


# --- Periods -----------------------------------------------------------------------------------


def default_period(periods: list[Period], today: datetime.date | None = None) -> Period | None:
    """The latest period already started that has validated values or targets (one query);
    failing that the latest started one."""
    today = today or timezone.localdate()
    with_data = (
        Period.objects.filter(starts_on__lte=today)
        .filter(
            Exists(Value.objects.filter(period=OuterRef("pk"), status=Status.VALIDATED))
            | Exists(Target.objects.filter(period=OuterRef("pk")))
        )
        .order_by("-starts_on")
        .values_list("pk", flat=True)
        .first()
    )
    by_pk = {p.pk: p for p in periods}
    if with_data in by_pk:
        return by_pk[with_data]
    started = [p for p in periods if p.starts_on <= today]
    return (started or periods or [None])[-1]


# --- Progress against targets ------------------------------------------------------------------


@dataclass(frozen=True)
class TargetCheck:
    """A target of the period beside the validated figure that answers it (None: none yet), and
    its state: ahead, on track, behind, or missing."""

    target: Target  # with its indicator, and the id of the indicator's axis as `axis_id`
    actual: Decimal | None
    state: str

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def target_checks(period: Period, *, country: Country | None = None) -> list[TargetCheck]:
    """The targets of the operative matrix for the period (all, or one country's; text indicators
    have none to reach), each with its validated figure. A regional target of a count is answered
    by the sum of the countries' values; of another kind, by the regional value itself. Two
    queries."""
    targets = (
        Target.objects.filter(
            period=period, indicator__goal__isnull=False, indicator__retired_at__isnull=True
        )
        .exclude(indicator__kind=Indicator.Kind.TEXT)
        .select_related("indicator")
        .annotate(axis_id=F(f"indicator__{AXIS}"))
        .order_by(f"indicator__{AXIS}__number", "indicator__order")
    )
    values = Value.objects.validated().filter(
        period=period, indicator__in=targets.values("indicator")
    )
    if country is not None:
        targets = targets.filter(country=country)
        values = values.filter(country=country)
    figures, sums = {}, defaultdict(Decimal)
    for indicator_id, country_id, number in values.values_list(
        "indicator_id", "country_id", "number"
    ):
        figures[indicator_id, country_id] = number
        if country_id is not None and number is not None:
            sums[indicator_id] += number
    checks, band = [], tracking_band()
    for target in targets:
        if target.country_id is None and target.indicator.kind == Indicator.Kind.COUNT:
            actual = sums.get(target.indicator_id)
        else:
            actual = figures.get((target.indicator_id, target.country_id))
        state = classify(actual, target.value, band) or MISSING
        checks.append(TargetCheck(target, actual, state))
    return checks


@dataclass
class Progress:
    """How many of a group's targets are on track, behind, or without a validated figure."""

    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    obj: object = None

    def add(self, check: TargetCheck) -> None:
        self.counts[check.state] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        """Targets on track or ahead."""
        return self.counts[ON_TRACK] + self.counts[AHEAD]

    @property
    def share(self) -> int | None:
        """Per cent of the targets on track or ahead, rounded; None without targets."""
        return round(100 * self.met / self.total) if self.total else None

    @property
    def text(self) -> str:
        if not self.total:
            return _("no targets")
        return _("%(met)s of %(total)s on track or ahead") % {"met": self.met, "total": self.total}


def band_percent() -> str:
    """The on-track band as people read it: "15" for ±15%."""
    return number_text(tracking_band() * 100)


def state_label(state: str) -> str:
    return _("no validated figure") if state == MISSING else str(Band(state).label)


def progress_by_axis(checks: list[TargetCheck], axes) -> list[Progress]:
    rows = {axis.pk: Progress(str(axis), obj=axis) for axis in axes}
    for check in checks:
        if check.target.axis_id in rows:
            rows[check.target.axis_id].add(check)
    return list(rows.values())


def progress_by_country(checks: list[TargetCheck], countries) -> list[Progress]:
    """A row per country and, last, one for the regional targets."""
    rows = {country.pk: Progress(country.name, obj=country) for country in countries}
    rows[None] = Progress(_("Region"))
    for check in checks:
        if check.target.country_id in rows:
            rows[check.target.country_id].add(check)
    return list(rows.values())


def progress_chart(rows: list[Progress], *, title: str) -> str:
    legend = [(state_label(state), PROGRESS_COLOURS[state]) for state in STATES]
    stacks = [charts.Stack(row.label, [row.counts[s] for s in STATES], row.text) for row in rows]
    return charts.stacked_bar_chart(stacks, title=title, legend=legend)


def target_chart(checks: list[TargetCheck], *, title: str) -> str:
    bullets = [
        charts.Bullet(
            label=check.target.indicator.name,
            value=check.actual,
            target=check.target.value,
            text=_("%(value)s (target %(target)s)")
            % {
                "value": value_text(check.target.indicator.kind, check.actual),
                "target": value_text(check.target.indicator.kind, check.target.value),
            },
        )
        for check in checks
    ]
    return charts.bullet_chart(bullets, title=title, band=tracking_band())


# --- Qualifications and narratives ------------------------------------------------------------


def qualifications(period: Period, *, country: Country | None = None) -> list[Qualification]:
    """The secretariat's qualifications of the period: every one, or one country's and the
    region's. One query."""
    rows = Qualification.objects.filter(period=period).select_related("axis", "country")
    if country is not None:
        rows = rows.filter(Q(country=country) | Q(country__isnull=True))
    return list(rows.order_by("axis__number"))


def qualification_grid(rows: list[Qualification], axes, countries) -> list[tuple]:
    """[(country, [qualification or None per axis])] for the countries × axes table."""
    cells = {(q.country_id, q.axis_id): q for q in rows}
    return [(c, [cells.get((c.pk, a.pk)) for a in axes]) for c in countries]


def validated_narratives(period: Period, *, country: Country | None = None) -> list[Narrative]:
    """The countries' accounts of the period, once the secretariat has validated them."""
    narratives = Narrative.objects.filter(period=period, status=Status.VALIDATED)
    if country is not None:
        narratives = narratives.filter(country=country)
    return sorted(narratives.select_related("country"), key=lambda n: chart_rank(n.country))
