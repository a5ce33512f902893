"""A report's sections per axis of the plan: the axis's objectives and activities, each indicator
against its baseline and target (from the tracking table's selectors), the secretariat's
qualification, and the figure-against-target chart; and the summary's two progress charts."""

import re
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from corett import charts
from strategy.models import Axis, Country

from ..matrix import selectors
from ..periods.models import Period, Qualification, Target
from ..values.formatting import value_text
from ..values.models import Status

VALIDATED_COLOUR, PENDING_COLOUR, MISSING_COLOUR = "#3fa66a", "#d97706", "#bcccdc"
TOOLTIP = re.compile(r"<title>[^<]*</title>")


def printable(svg: str) -> str:
    """A dashboard chart for paper: without its tooltips (<title>), which a PDF never shows and
    which cost WeasyPrint a styled element each."""
    return mark_safe(TOOLTIP.sub("", svg)) if svg else ""  # noqa: S308 — our own escaped markup


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
        return selectors.state_label(self.state) if self.state else ""

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
        counts = dict.fromkeys(selectors.STATES, 0)
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
                state = cell.band or selectors.MISSING
            out.append(
                IndicatorRow(
                    indicator=row.indicator,
                    baseline=value_text(row.indicator.kind, baseline)
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
                    "value": value_text(row.indicator.kind, cell.actual),
                    "target": value_text(row.indicator.kind, cell.target),
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
    qualifications = selectors.qualifications(period, country=country)
    own = {q.axis_id: q for q in qualifications if q.country_id == getattr(country, "pk", None)}
    regional = {q.axis_id: q for q in qualifications if q.country_id is None}
    countries = selectors.in_chart_order(Country.objects.all()) if country is None else []
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
            selectors.Progress(
                f"{section.axis.number}. {section.axis.name}", counts=section.state_counts()
            )
            for section in sections
        ]
        targets = printable(selectors.progress_chart(rows, title=_("Targets on track per axis")))
    return reporting, targets
