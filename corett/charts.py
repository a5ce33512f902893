"""Server-side SVG charts: the same markup serves web pages and PDF reports.

Every chart is one <svg> element with its title and a font-family: no script, no style attribute, no
external resource, so that it passes the pages' CSP and renders the same in WeasyPrint.
Positions are computed here; the templates in templates/includes/*.svg only lay them out.

Every chart also carries its figures as a table (`Chart.figures`): on a page, `{{ chart }}` shows
the drawing followed by a "Show the figures" disclosure with that table (a <details> element: it
opens without JavaScript), so that whoever cannot see the drawing reads the same numbers. As a
string (a PDF report, a test) a chart is its SVG alone; the <svg>'s <title> is its alternative
text, in the page and in the tagged PDF (it carries a class so that the reports, which drop the
bare <title> tooltips of bars and labels before printing, keep it).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

FONT = "Source Sans 3, Segoe UI, Helvetica, Arial, sans-serif"
INK, INK_SOFT, LINE, WASH = "#102a43", "#334e68", "#9aa7b5", "#f0f4f8"
# Series colours, in this order: the portal's brand and axis colours first, then others.
PALETTE = (
    "#1f6f8b",
    "#c2410c",
    "#6d28d9",
    "#15803d",
    "#b45309",
    "#be185d",
    "#0e7490",
    "#4d7c0f",
    "#7c2d12",
)
Number = Decimal | int | float


def format_number(value: Number | None) -> str:
    """1,080 or 12.5: grouped as in the region, decimals only where there are some."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0, force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


@dataclass(frozen=True)
class Figures:
    """A chart's numbers as a table: a header per column, then (row header, cells) per row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


class Chart(SafeString):
    """A chart's SVG markup that, rendered in a template, is followed by its figures' table."""

    figures: Figures

    def __new__(cls, svg: str, figures: Figures):
        chart = super().__new__(cls, svg)
        chart.figures = figures
        return chart

    def __html__(self) -> str:
        table = render_to_string("includes/chart_figures.html", {"figures": self.figures})
        return SafeString(str(self) + table)


def _chart(template: str, context: dict, figures: Figures) -> Chart:
    return Chart(render_to_string(template, context), figures)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    x: float
    y: float
    width: float
    height: float
    text: str

    @property
    def center(self) -> float:
        return self.x + self.width / 2


def bar_chart(
    series: list[tuple[str, Number]], *, title: str, width: int = 480, height: int = 240
) -> Chart:
    """A vertical bar chart of (label, value) pairs, scaled to the largest value."""
    top, bottom, side = 30, 34, 12
    plot_height = height - top - bottom
    slot = (width - 2 * side) / max(len(series), 1)
    largest = max((value for _label, value in series), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(series):
        bar_height = plot_height * float(value) / float(largest)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=side + index * slot + slot * 0.2,
                y=top + plot_height - bar_height,
                width=slot * 0.6,
                height=bar_height,
                text=number_format(value, decimal_pos=0, force_grouping=True),
            )
        )
    figures = Figures(title, (_("Figure"),), tuple((b.label, (b.text,)) for b in bars))
    return _chart(
        "includes/bar_chart.svg",
        {
            "bars": bars,
            "title": title,
            "width": width,
            "height": height,
            "baseline": top + plot_height,
            "label_y": height - 10,
        },
        figures,
    )


# --- Horizontal charts: one row per label ---------------------------------------------------------

CHAR = 0.6  # average glyph width in ems, generous so that labels fit whatever font is at hand


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR


def _fit(label: str, width: float, font_size: float) -> str:
    """The label cut with an ellipsis to about `width` pixels (the full one stays in the title)."""
    room = max(int(width / (font_size * CHAR)), 4)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    text: str  # the tooltip


@dataclass(frozen=True)
class Row:
    label: str  # in full, for the tooltip
    shown: str  # as it fits
    label_x: float
    label_y: float
    label_anchor: str
    bar_y: float
    bar_height: float
    segments: tuple[Segment, ...]
    text: str
    text_x: float
    text_y: float
    text_anchor: str = "start"
    marks: tuple[float, ...] = ()  # x of target ticks (bullet charts)
    band: Segment | None = None  # behind the bar: the on-track band, or an empty row's outline
    band_y: float = 0
    band_height: float = 0

    @property
    def band_bottom(self) -> float:
        return self.band_y + self.band_height


@dataclass(frozen=True)
class Legend:
    x: float
    colour: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 19


def _legend(entries: list[tuple[str, str]], left: float) -> list[Legend]:
    items, x = [], left
    for label, colour in entries:
        items.append(Legend(x=x, colour=colour, label=label))
        x += 19 + _text_width(label, LEGEND_FONT) + 14
    return items


LABEL_FONT, TEXT_FONT, LEGEND_FONT = 15, 14, 14


def _render_rows(*, title, width, height, rows, figures, legend=(), axis=None) -> Chart:
    return _chart(
        "includes/row_chart.svg",
        {
            "title": title,
            "width": width,
            "height": height,
            "rows": rows,
            "legend": legend,
            "axis": axis,  # (x, top, bottom) of a baseline, or None
            "font": FONT,
            "ink": INK,
            "ink_soft": INK_SOFT,
            "line": LINE,
            "label_font": LABEL_FONT,
            "text_font": TEXT_FONT,
            "legend_font": LEGEND_FONT,
        },
        figures,
    )


def _labelled_row(*, label, text, y, width, side, bar, segments, text_at_end=None, **extra) -> Row:
    """A row with its label above the bar, left, and its text on the same line, right; or, with
    `text_at_end`, the text just after the end of the bar."""
    room = width - 2 * side - (0 if text_at_end is not None else _text_width(text, TEXT_FONT) + 10)
    bar_y = y + LABEL_FONT + 5
    return Row(
        label=label,
        shown=_fit(label, room, LABEL_FONT),
        label_x=side,
        label_y=y + LABEL_FONT - 2,
        label_anchor="start",
        bar_y=bar_y,
        bar_height=bar,
        segments=segments,
        text=text,
        text_x=text_at_end + 6 if text_at_end is not None else width - side,
        text_y=bar_y + bar * 0.78 if text_at_end is not None else y + LABEL_FONT - 2,
        text_anchor="start" if text_at_end is not None else "end",
        **extra,
    )


def horizontal_bar_chart(
    rows: list[tuple[str, Number | None]],
    *,
    title: str,
    maximum: Number | None = None,
    suffix: str = "",
    width: int = 480,
    colour: str = PALETTE[0],
) -> Chart:
    """One bar per (label, value), the label above it, scaled to `maximum` (e.g. 100 for
    percentages) or to the largest value; the value follows its bar, with `suffix` ("%")."""
    side, bar, gap = 4, 16, 10
    plot = width - 2 * side - 64
    largest = float(maximum or max((v for _l, v in rows if v is not None), default=0) or 1)
    out, y = [], 4
    for label, value in rows:
        length = plot * min(float(value or 0), largest) / largest
        text = format_number(value) + (suffix if value is not None else "")
        out.append(
            _labelled_row(
                label=label,
                text=text,
                y=y,
                width=width,
                side=side,
                bar=bar,
                segments=(Segment(side, length, colour, f"{label}: {text}"),),
                text_at_end=side + length,
            )
        )
        y += LABEL_FONT + 5 + bar + gap
    figures = Figures(title, (_("Figure"),), tuple((row.label, (row.text,)) for row in out))
    return _render_rows(title=title, width=width, height=y, rows=out, figures=figures)


def grouped_bar_chart(
    categories: list[str],
    series: list[tuple[str, list[Number | None]]],
    *,
    title: str,
    width: int = 600,
) -> Chart:
    """Horizontal bars per category (e.g. a country), one per series (e.g. a year), on a common
    scale so that categories compare; the category on the left, a legend naming the series.
    None draws no bar and "—"."""
    bar, inner, gap, top, side = 14, 2, 14, 36, 4
    left = min(max((_text_width(c, LABEL_FONT) for c in categories), default=0), width * 0.35)
    left += side + 10
    plot = width - left - 64
    largest = float(max((v for _n, vs in series for v in vs if v is not None), default=0) or 1)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    group = len(series) * (bar + inner) - inner
    rows = []
    for c_index, category in enumerate(categories):
        y0 = top + c_index * (group + gap)
        for s_index, (name, values) in enumerate(series):
            value = values[c_index]
            y = y0 + s_index * (bar + inner)
            length = plot * float(value or 0) / largest
            text = format_number(value)
            rows.append(
                Row(
                    label=category,
                    shown=_fit(category, left - side - 10, LABEL_FONT) if s_index == 0 else "",
                    label_x=left - 8,
                    label_y=y0 + group / 2 + LABEL_FONT * 0.35,
                    label_anchor="end",
                    bar_y=y,
                    bar_height=bar,
                    segments=(
                        Segment(left, length, colours[s_index], f"{category}, {name}: {text}"),
                    ),
                    text=text,
                    text_x=left + length + 5,
                    text_y=y + bar * 0.8,
                )
            )
    height = top + len(categories) * (group + gap)
    figures = Figures(
        title,
        tuple(name for name, _values in series),
        tuple(
            (category, tuple(format_number(values[c_index]) for _name, values in series))
            for c_index, category in enumerate(categories)
        ),
    )
    return _render_rows(
        title=title,
        width=width,
        height=height,
        rows=rows,
        figures=figures,
        legend=_legend([(name, colours[i]) for i, (name, _v) in enumerate(series)], left),
        axis=(left, top - 4, height - gap + 4),
    )


@dataclass(frozen=True)
class Stack:
    label: str
    parts: list[Number]  # in the order of the legend
    text: str


def stacked_bar_chart(
    stacks: list[Stack], *, title: str, legend: list[tuple[str, str]], width: int = 480
) -> Chart:
    """A bar per row split into parts (e.g. on track, behind, no figure), each row as a share of
    its own total: for progress, where rows have different numbers of targets. `legend` gives
    (label, colour) per part. A row with nothing to count draws an empty outline."""
    side, bar, gap, top = 4, 14, 12, 32
    plot = width - 2 * side
    rows, y = [], top
    for stack in stacks:
        total = float(sum(stack.parts))
        x, segments = side, []
        for part, (name, colour) in zip(stack.parts, legend, strict=True):
            length = plot * float(part) / total if total else 0
            if length:
                segments.append(Segment(x, length, colour, f"{stack.label}, {name}: {part}"))
            x += length
        row = _labelled_row(
            label=stack.label,
            text=stack.text,
            y=y,
            width=width,
            side=side,
            bar=bar,
            segments=tuple(segments),
            band=None if total else Segment(side, plot, WASH, ""),
            band_y=y + LABEL_FONT + 5,
            band_height=bar,
        )
        rows.append(row)
        y += LABEL_FONT + 5 + bar + gap
    figures = Figures(
        title,
        (*(name for name, _colour in legend), _("Summary")),
        tuple(
            (stack.label, (*(format_number(part) for part in stack.parts), stack.text))
            for stack in stacks
        ),
    )
    return _render_rows(
        title=title,
        width=width,
        height=y,
        rows=rows,
        figures=figures,
        legend=_legend(legend, side),
    )


@dataclass(frozen=True)
class Bullet:
    label: str
    value: Number | None
    target: Number
    text: str


def bullet_chart(
    bullets: list[Bullet],
    *,
    title: str,
    band: Decimal,
    width: int = 480,
    colour: str = PALETTE[0],
) -> Chart:
    """Value against target, a row per indicator on its own scale: a shaded band for the on-track
    range (target ± band), the value as a bar and the target as a tick."""
    side, bar, gap = 4, 10, 14
    plot = width - 2 * side
    rows, y = [], 4
    for bullet in bullets:
        target = float(bullet.target)
        low, high = target * (1 - float(band)), target * (1 + float(band))
        scale = max(float(bullet.value or 0), high, 1) * 1.05
        length = plot * float(bullet.value or 0) / scale
        bar_y = y + LABEL_FONT + 9
        segments = ()
        if bullet.value is not None:
            segments = (Segment(side, length, colour, f"{bullet.label}: {bullet.text}"),)
        rows.append(
            _labelled_row(
                label=bullet.label,
                text=bullet.text,
                y=y + 4,
                width=width,
                side=side,
                bar=bar,
                segments=segments,
                marks=(side + plot * target / scale,),
                band=Segment(side + plot * low / scale, plot * (high - low) / scale, "#d5efe0", ""),
                band_y=bar_y - 4,
                band_height=bar + 8,
            )
        )
        y += LABEL_FONT + 9 + bar + 4 + gap
    figures = Figures(
        title,
        (_("Figure"), _("Target")),
        tuple(
            (bullet.label, (format_number(bullet.value), format_number(bullet.target)))
            for bullet in bullets
        ),
    )
    return _render_rows(title=title, width=width, height=y, rows=rows, figures=figures)
