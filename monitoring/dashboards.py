"""The numbers behind the dashboards, and their charts (the PDF reports reuse both).

Validated values only. Every function here runs a fixed number of queries whatever the number of
values, targets or periods; regional totals are always sums of the countries' values.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett import charts
from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED
from strategy.models import Country, Indicator

from .models import Narrative, Period, Qualification, Status, Target, Value
from .privacy import protected_breakdown
from .selectors import Band, classify, tracking_band

VICTIMS = "identified-victims"
AXIS = "goal__activity__objective__axis"
# The order of the countries in the strategy's Chart 3 (neither alphabetical nor by size): the
# dashboards list countries this way so that the table reads like the document.
CHART_3_ORDER = ("BZ", "CR", "SV", "HN", "GT", "MX", "NI", "PA", "DO")

# A target's state: the tracking table's bands (selectors.classify, settings.TRACKING_BAND), or
# no validated figure yet.
AHEAD, ON_TRACK, BEHIND, MISSING = Band.AHEAD, Band.ON_TRACK, Band.BEHIND, "missing"
STATES = (AHEAD, ON_TRACK, BEHIND, MISSING)
PROGRESS_COLOURS = {AHEAD: "#14532d", ON_TRACK: "#3fa66a", BEHIND: "#d97706", MISSING: "#bcccdc"}


def chart_rank(country: Country) -> tuple:
    """Sort key: the order of Chart 3, then any other country by name."""
    if country.code in CHART_3_ORDER:
        return (CHART_3_ORDER.index(country.code), "")
    return (len(CHART_3_ORDER), country.name)


def in_chart_order(countries) -> list[Country]:
    return sorted(countries, key=chart_rank)


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
    return charts.format_number(tracking_band() * 100)


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
                "value": charts.format_number(check.actual),
                "target": charts.format_number(check.target.value),
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


# --- Identified victims (Chart 3 and its sequels) ----------------------------------------------


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
    values = list(victims.select_related("period").order_by("period__starts_on"))
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
        .select_related("indicator", "country")  # the privacy check reads the country
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


def breakdown_rows(breakdown: dict) -> list[tuple]:
    """[(dimension label, [(category label, count or "<N")])] in the dimensions' own order."""
    rows = []
    for key, dimension in DIMENSIONS.items():
        if key in breakdown:
            cells = breakdown[key]
            rows.append(
                (
                    dimension.label,
                    [
                        (label, _shown(cells[c]))
                        for c, label in dimension.categories.items()
                        if c in cells
                    ],
                )
            )
    return rows


def _shown(cell) -> str:
    return cell if isinstance(cell, str) else charts.format_number(cell)  # "<5" stays as it is


def regional_breakdown(values: list[Value], period: Period, user) -> list[tuple]:
    """The period's identified victims by dimension for the whole region, small cells protected
    for this user (a regional figure: only the secretariat sees every cell)."""
    in_period = [v for v in values if v.period_id == period.pk]
    summed = Value(country=None, disaggregation=summed_breakdown(in_period))
    return breakdown_rows(protected_breakdown(summed, user))


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
