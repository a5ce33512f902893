"""The horizontal charts: bars, grouped bars, stacked bars and value against target (bullets),
one row per label (laid out by rows.py)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .base import PALETTE, WASH, Chart, Figures, Number, format_number
from .rows import (
    LABEL_FONT,
    Row,
    Segment,
    fit,
    labelled_row,
    legend_items,
    render_rows,
    text_width,
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
            labelled_row(
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
    return render_rows(title=title, width=width, height=y, rows=out, figures=figures)


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
    left = min(max((text_width(c, LABEL_FONT) for c in categories), default=0), width * 0.35)
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
                    shown=fit(category, left - side - 10, LABEL_FONT) if s_index == 0 else "",
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
    return render_rows(
        title=title,
        width=width,
        height=height,
        rows=rows,
        figures=figures,
        legend=legend_items([(name, colours[i]) for i, (name, _v) in enumerate(series)], left),
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
        row = labelled_row(
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
    return render_rows(
        title=title,
        width=width,
        height=y,
        rows=rows,
        figures=figures,
        legend=legend_items(legend, side),
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
            labelled_row(
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
    return render_rows(title=title, width=width, height=y, rows=rows, figures=figures)
