"""What a report says: the template context of a country's report and of the regional one, read
through the same selectors and charts as the dashboards, the matrix and the tracking table.

Only validated values, read as an anonymous visitor would see them (so small breakdown cells are
protected, as for observers); a country's report with drafts reads as the focal point who asked
for it, and marks every figure not validated yet. The sections per axis are in .sections.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from strategy.models import Country

from ..demo.selectors import report_includes_demo
from ..matrix import selectors
from ..periods.models import Period
from ..populations.rates import victim_rates
from ..values.breakdowns import value_breakdowns
from ..values.formatting import breakdown_rows, value_text
from ..values.models import Narrative, Status, Value
from .models import ReportRequest
from .sections import axis_sections, printable, progress_charts
from .versions import report_values

COUNTRY_TEMPLATE = "reports/country/report.html"
REGIONAL_TEMPLATE = "reports/regional/report.html"


def template_for(report: ReportRequest) -> str:
    return REGIONAL_TEMPLATE if report.is_regional else COUNTRY_TEMPLATE


def reader_of(report: ReportRequest):
    """Whose eyes the report reads the data with: the public's, or for a report with drafts the
    person who asked for it (its country's focal point or the secretariat)."""
    if report.draft and report.requested_by is not None:
        return report.requested_by
    return AnonymousUser()


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
    ordered = selectors.in_chart_order(grid.countries)
    return [by_country[c.pk] for c in ordered], total


# --- Identified victims -------------------------------------------------------------------------


def series_until(series: selectors.Series, period: Period) -> selectors.Series:
    """The series cut at the report's period: a 2019 report does not show 2020."""
    keep = [i for i, p in enumerate(series.periods) if p.starts_on <= period.starts_on]
    return selectors.Series(
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
    values = list(values)
    shown = value_breakdowns(values, reader)
    grouped: dict = {}
    for value in values:
        grouped.setdefault(value.country_id, (value.country, []))[1].append(
            AnnexRow(
                value=value,
                shown=value_text(value.indicator.kind, value.number, value.text),
                breakdown=breakdown_rows(shown[value.pk]),
            )
        )
    countries = [g for key, g in grouped.items() if key is not None]
    ordered = sorted(countries, key=lambda g: selectors.chart_rank(g[0]))
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
    countries = selectors.in_chart_order(Country.objects.all())
    series = series_until(selectors.victims_series(countries, country=country), period)
    narratives = Narrative.objects.filter(period=period).select_related("country")
    if country is not None:
        narratives = narratives.filter(country=country)
    if not draft:
        narratives = narratives.filter(status=Status.VALIDATED)
    narratives = sorted(narratives, key=lambda n: selectors.chart_rank(n.country))
    context = {
        "report": report,
        "country": country,
        "period": period,
        "draft": draft,
        "demo": report_includes_demo(period=period, country=country),
        "generated_at": timezone.now(),
        "data_as_of": as_of,
        "band": selectors.band_percent(),
        "small_cell": f"<{settings.SMALL_CELL_THRESHOLD}" if settings.SMALL_CELL_THRESHOLD else "",
        "sections": sections,
        "context_rows": context_rows,
        "reporting_chart": reporting_chart,
        "targets_chart": targets_chart,
        "targets": sum(section.targets for section in sections),
        "targets_met": sum(
            section.state_counts()[selectors.ON_TRACK] + section.state_counts()[selectors.AHEAD]
            for section in sections
        ),
        "qualified": [s for s in sections if s.qualification],
        "compliance_rows": compliance_rows,
        "compliance_total": compliance_total,
        "narratives": narratives,
        "victims": series,
        "rates": victim_rates(series.periods, series.rows),
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
        groups = selectors.regional_2019() if period.code == selectors.REGIONAL_2019_PERIOD else []
        context["regional_2019"] = [(group, printable(group.chart())) for group in groups]
    return context
