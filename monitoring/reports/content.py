"""What a report says: the template context of a country's report and of the regional one, read
through the same selectors and charts as the dashboards, the matrix and the tracking table.

Only validated values, read as an anonymous visitor would see them (so small breakdown cells are
protected, as for observers); a country's report with drafts reads as the focal point who asked
for it, and marks every figure not validated yet.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from corett import charts
from strategy.models import Axis, Country, Indicator

from .. import dashboards, selectors
from ..models import Narrative, Period, Qualification, ReportRequest, Status, Target, Value
from ..privacy import protected_breakdown
from .versions import report_values

COUNTRY_TEMPLATE = "reports/country/report.html"
REGIONAL_TEMPLATE = "reports/regional/report.html"
VALIDATED_COLOUR, PENDING_COLOUR, MISSING_COLOUR = "#3fa66a", "#d97706", "#bcccdc"


TOOLTIP = re.compile(r"<title>[^<]*</title>")


def printable(svg: str) -> str:
    """A dashboard chart for paper: without its tooltips (<title>), which a PDF never shows and
    which cost WeasyPrint a styled element each."""
    return mark_safe(TOOLTIP.sub("", svg)) if svg else ""  # noqa: S308 — our own escaped markup


def template_for(report: ReportRequest) -> str:
    return REGIONAL_TEMPLATE if report.is_regional else COUNTRY_TEMPLATE


def reader_of(report: ReportRequest):
    """Whose eyes the report reads the data with: the public's, or for a report with drafts the
    person who asked for it (its country's focal point or the secretariat)."""
    if report.draft and report.requested_by is not None:
        return report.requested_by
    return AnonymousUser()


# --- Indicators per axis ----------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: object
    baseline: str
    target: str
    value: str  # "" when there is no figure to show
    state: str  # a Band, "missing" (a target but no figure) or "" (no target)
    status: str = Status.VALIDATED  # a draft report shows the others, marked
    reporting: int | None = None  # regional: countries with a validated value

    @property
    def state_label(self) -> str:
        return dashboards.state_label(self.state) if self.state else ""

    @property
    def is_validated(self) -> bool:
        return self.status == Status.VALIDATED

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class AxisSection:
    axis: Axis
    objectives: list  # [(objective, [activity, …])]
    rows: list[IndicatorRow]
    qualification: Qualification | None = None
    regional_qualification: Qualification | None = None
    country_qualifications: list = field(default_factory=list)  # regional: [(country, q)]
    chart: str = ""

    @property
    def with_value(self) -> int:
        return sum(1 for row in self.rows if row.value and row.is_validated)

    @property
    def pending(self) -> int:
        return sum(1 for row in self.rows if row.value and not row.is_validated)

    @property
    def targets(self) -> int:
        return sum(1 for row in self.rows if row.state)

    def state_counts(self) -> dict:
        counts = dict.fromkeys(dashboards.STATES, 0)
        for row in self.rows:
            if row.state:
                counts[row.state] += 1
        return counts


def _plan(axes) -> dict:
    """{axis id: [(objective, [activity, …])]} from a prefetched plan."""
    return {
        axis.pk: [
            (objective, list(objective.activities.all()))
            for objective in axis.operational_objectives.all()
        ]
        for axis in axes
    }


def _rows(tracking: selectors.Tracking, baselines: dict) -> dict:
    """{axis id or None: [IndicatorRow]} from a one-period tracking table."""
    grouped = {}
    for axis, rows in tracking.groups:
        out = []
        for row in rows:
            cell = row.cells[0]
            baseline = baselines.get(row.indicator.pk, row.indicator.baseline)
            state = ""
            if cell.target is not None:
                state = cell.band or dashboards.MISSING
            out.append(
                IndicatorRow(
                    indicator=row.indicator,
                    baseline=selectors.shown(row.indicator.kind, baseline, "")
                    if baseline is not None
                    else "",
                    target=cell.target_shown,
                    value=cell.actual_shown,
                    state=state,
                    status=cell.status or Status.VALIDATED,
                    reporting=cell.reporting,
                )
            )
        grouped[axis.pk if axis else None] = out
    return grouped


def _bullets(rows: list[IndicatorRow], tracking_cells: dict, *, title: str) -> str:
    """The dashboards' value-against-target chart for the rows that have a target."""
    bullets = []
    for row in rows:
        cell = tracking_cells[row.indicator.pk]
        if cell.target is None:
            continue
        bullets.append(
            charts.Bullet(
                label=row.indicator.name,
                value=cell.actual,
                target=cell.target,
                text=_("%(value)s (target %(target)s)")
                % {
                    "value": charts.format_number(cell.actual),
                    "target": charts.format_number(cell.target),
                },
            )
        )
    if not bullets:
        return ""
    return printable(charts.bullet_chart(bullets, title=title, band=selectors.tracking_band()))


def axis_sections(*, reader, country: Country | None, period: Period) -> tuple[list, list]:
    """([AxisSection] of the plan's axes, [IndicatorRow] of context indicators with a value)."""
    axes = list(Axis.objects.current().with_matrix())
    plan = _plan(axes)
    tracking = selectors.tracking(
        user=reader, country=country, periods=[period], frequency=period.kind
    )
    baselines = dict(
        Target.objects.filter(period=period, country=country, baseline__isnull=False)
        .order_by()
        .values_list("indicator_id", "baseline")
    )
    grouped = _rows(tracking, baselines)
    cells = {row.indicator.pk: row.cells[0] for _axis, rows in tracking.groups for row in rows}
    qualifications = dashboards.qualifications(period, country=country)
    own = {q.axis_id: q for q in qualifications if q.country_id == getattr(country, "pk", None)}
    regional = {q.axis_id: q for q in qualifications if q.country_id is None}
    countries = dashboards.in_chart_order(Country.objects.all()) if country is None else []
    grid = {(q.country_id, q.axis_id): q for q in qualifications if q.country_id}
    sections = []
    for axis in axes:
        rows = grouped.get(axis.pk, [])
        by_country = [(c, grid.get((c.pk, axis.pk))) for c in countries]
        sections.append(
            AxisSection(
                axis=axis,
                objectives=plan[axis.pk],
                rows=rows,
                qualification=own.get(axis.pk) if country else regional.get(axis.pk),
                regional_qualification=regional.get(axis.pk) if country else None,
                # A table of nine "not qualified yet" says less than nothing.
                country_qualifications=by_country if any(q for _c, q in by_country) else [],
                chart=_bullets(
                    rows,
                    cells,
                    title=_("Figure against target, %(axis)s, %(period)s")
                    % {"axis": axis.name, "period": period.code},
                ),
            )
        )
    return sections, grouped.get(None, [])


def progress_charts(sections: list[AxisSection], *, draft: bool) -> tuple[str, str]:
    """(reporting chart, targets chart) of the summary: per axis, how many indicators have a
    validated figure; and how many targets are on track, behind or without a figure."""
    if draft:
        legend = [
            (_("validated figure"), VALIDATED_COLOUR),
            (_("figure not validated yet"), PENDING_COLOUR),
            (_("no figure"), MISSING_COLOUR),
        ]
    else:
        legend = [
            (_("validated figure"), VALIDATED_COLOUR),
            (_("no validated figure"), MISSING_COLOUR),
        ]
    stacks = []
    for section in sections:
        total = len(section.rows)
        parts = [section.with_value]
        if draft:
            parts.append(section.pending)
        parts.append(total - sum(parts))
        stacks.append(
            charts.Stack(
                f"{section.axis.number}. {section.axis.name}",
                parts,
                _("%(done)s of %(total)s") % {"done": section.with_value, "total": total},
            )
        )
    reporting = printable(
        charts.stacked_bar_chart(
            stacks, title=_("Indicators with a validated figure, per axis"), legend=legend
        )
    )
    targets = ""
    if any(section.targets for section in sections):
        rows = [
            dashboards.Progress(
                f"{section.axis.number}. {section.axis.name}", counts=section.state_counts()
            )
            for section in sections
        ]
        targets = printable(dashboards.progress_chart(rows, title=_("Targets on track per axis")))
    return reporting, targets


# --- Compliance with the monitoring matrix ------------------------------------------------------


@dataclass
class Compliance:
    label: str
    expected: int = 0
    reported: int = 0
    validated: int = 0
    on_time: int = 0

    def count(self, cell: selectors.Cell) -> None:
        self.expected += 1
        if cell.state in selectors.REPORTED:
            self.reported += 1
            if not cell.late:
                self.on_time += 1
        if cell.state == selectors.CellState.VALIDATED:
            self.validated += 1

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def completeness(self) -> int | None:
        return self._percent(self.reported, self.expected)

    @property
    def validated_share(self) -> int | None:
        return self._percent(self.validated, self.expected)

    @property
    def timeliness(self) -> int | None:
        return self._percent(self.on_time, self.expected)


def compliance(*, reader, country: Country | None, period: Period) -> tuple[list, Compliance]:
    """The matrix's completeness and timeliness: per axis for a country, per country for the
    region; and the total."""
    grid = selectors.matrix(user=reader, period=period)
    total = Compliance(_("All axes") if country else _("Region"))
    if country is not None:
        column = next(i for i, c in enumerate(grid.countries) if c.pk == country.pk)
        rows = []
        for group in grid.groups:
            if group.axis is None:
                continue
            row = Compliance(f"{group.axis.number}. {group.axis.name}")
            for matrix_row in group.rows:
                row.count(matrix_row.cells[column])
                total.count(matrix_row.cells[column])
            rows.append(row)
        return rows, total
    by_country = {c.pk: Compliance(c.name) for c in grid.countries}
    for group in grid.groups:
        if group.axis is None:
            continue
        for matrix_row in group.rows:
            for c, cell in zip(grid.countries, matrix_row.cells, strict=True):
                by_country[c.pk].count(cell)
                total.count(cell)
    ordered = dashboards.in_chart_order(grid.countries)
    return [by_country[c.pk] for c in ordered], total


# --- Identified victims -------------------------------------------------------------------------


def series_until(series: dashboards.Series, period: Period) -> dashboards.Series:
    """The series cut at the report's period: a 2019 report does not show 2020."""
    keep = [i for i, p in enumerate(series.periods) if p.starts_on <= period.starts_on]
    return dashboards.Series(
        periods=[series.periods[i] for i in keep],
        rows=[(c, [figures[i] for i in keep]) for c, figures in series.rows],
        totals=[series.totals[i] for i in keep],
        sources=series.sources,
        values=[v for v in series.values if v.period.starts_on <= period.starts_on],
    )


@dataclass
class VictimsHighlight:
    figure: Decimal | None
    previous: Decimal | None
    previous_period: str

    @property
    def change(self) -> int | None:
        """Per cent change from the previous period, rounded; None when it cannot be computed."""
        if self.figure is None or not self.previous:
            return None
        return round(100 * (self.figure - self.previous) / self.previous)

    @property
    def change_size(self) -> int | None:
        return abs(self.change) if self.change is not None else None


def victims_highlight(figures: list, periods: list[Period], period: Period) -> VictimsHighlight:
    by_code = {p.code: f for p, f in zip(periods, figures, strict=True)}
    index = next((i for i, p in enumerate(periods) if p.pk == period.pk), None)
    previous = periods[index - 1] if index else None
    return VictimsHighlight(
        figure=by_code.get(period.code),
        previous=by_code.get(previous.code) if previous else None,
        previous_period=previous.code if previous else "",
    )


# --- The annex of values ------------------------------------------------------------------------


@dataclass
class AnnexRow:
    value: Value
    shown: str
    breakdown: list

    @property
    def is_validated(self) -> bool:
        return self.value.status == Status.VALIDATED


def annex(*, reader, country: Country | None, period: Period, draft: bool) -> list[tuple]:
    """[(country or None, [AnnexRow])]: the values shown, with their breakdowns protected for
    the reader (small cells read "<N" in every report but a focal point's report with drafts)."""
    values = (
        report_values(country=country, period=period, draft=draft)
        .select_related("indicator", "country")
        .order_by("indicator__order", "indicator__code")
    )
    grouped: dict = {}
    for value in values:
        grouped.setdefault(value.country_id, (value.country, []))[1].append(
            AnnexRow(
                value=value,
                shown=value.text
                if value.indicator.kind == Indicator.Kind.TEXT
                else selectors.shown(value.indicator.kind, value.number, ""),
                breakdown=dashboards.breakdown_rows(protected_breakdown(value, reader)),
            )
        )
    countries = [g for key, g in grouped.items() if key is not None]
    ordered = sorted(countries, key=lambda g: dashboards.chart_rank(g[0]))
    if None in grouped:
        ordered.append(grouped[None])
    return ordered


# --- The whole report ---------------------------------------------------------------------------


def report_context(report: ReportRequest, *, as_of: datetime.datetime | None) -> dict:
    """Everything the report's template shows, in the report's language (the caller activates
    it). A country's report or the regional one, after report.country."""
    reader = reader_of(report)
    country, period, draft = report.country, report.period, report.draft
    sections, context_rows = axis_sections(reader=reader, country=country, period=period)
    reporting_chart, targets_chart = progress_charts(sections, draft=draft)
    compliance_rows, compliance_total = compliance(reader=reader, country=country, period=period)
    countries = dashboards.in_chart_order(Country.objects.all())
    series = series_until(dashboards.victims_series(countries, country=country), period)
    narratives = Narrative.objects.filter(period=period).select_related("country")
    if country is not None:
        narratives = narratives.filter(country=country)
    if not draft:
        narratives = narratives.filter(status=Status.VALIDATED)
    narratives = sorted(narratives, key=lambda n: dashboards.chart_rank(n.country))
    context = {
        "report": report,
        "country": country,
        "period": period,
        "draft": draft,
        "generated_at": timezone.now(),
        "data_as_of": as_of,
        "band": dashboards.band_percent(),
        "small_cell": f"<{settings.SMALL_CELL_THRESHOLD}" if settings.SMALL_CELL_THRESHOLD else "",
        "sections": sections,
        "context_rows": context_rows,
        "reporting_chart": reporting_chart,
        "targets_chart": targets_chart,
        "targets": sum(section.targets for section in sections),
        "targets_met": sum(
            section.state_counts()[dashboards.ON_TRACK] + section.state_counts()[dashboards.AHEAD]
            for section in sections
        ),
        "qualified": [s for s in sections if s.qualification],
        "compliance_rows": compliance_rows,
        "compliance_total": compliance_total,
        "narratives": narratives,
        "victims": series,
        "annex": annex(reader=reader, country=country, period=period, draft=draft),
    }
    if country is not None:
        figures = series.rows[0][1] if series.rows else []
        context["victims_chart"] = (
            printable(
                series.first_row_chart(
                    title=_("Identified victims in %(country)s") % {"country": country.name}
                )
            )
            if any(f is not None for f in figures)
            else ""
        )
        context["victims_highlight"] = victims_highlight(figures, series.periods, period)
    else:
        context["victims_chart"] = (
            printable(series.chart(title=_("Identified victims per country and year")))
            if series.periods
            else ""
        )
        context["victims_totals_chart"] = (
            printable(
                series.totals_chart(
                    title=_("Identified victims in the region (sum of the countries)")
                )
            )
            if series.periods
            else ""
        )
        context["victims_highlight"] = victims_highlight(series.totals, series.periods, period)
        groups = (
            dashboards.regional_2019() if period.code == dashboards.REGIONAL_2019_PERIOD else []
        )
        context["regional_2019"] = [(group, printable(group.chart())) for group in groups]
    return context
