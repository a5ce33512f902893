"""The layout shared by the horizontal charts: one row per label, its label above the bar, its
text at the right or just after the bar, the legend and the rendering of the rows."""

from dataclasses import dataclass

from .base import FONT, INK, INK_SOFT, LINE, Chart, render_chart

CHAR = 0.6  # average glyph width in ems, generous so that labels fit whatever font is at hand


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR


def fit(label: str, width: float, font_size: float) -> str:
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


def legend_items(entries: list[tuple[str, str]], left: float) -> list[Legend]:
    items, x = [], left
    for label, colour in entries:
        items.append(Legend(x=x, colour=colour, label=label))
        x += 19 + text_width(label, LEGEND_FONT) + 14
    return items


LABEL_FONT, TEXT_FONT, LEGEND_FONT = 15, 14, 14


def render_rows(*, title, width, height, rows, figures, legend=(), axis=None) -> Chart:
    return render_chart(
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


def labelled_row(*, label, text, y, width, side, bar, segments, text_at_end=None, **extra) -> Row:
    """A row with its label above the bar, left, and its text on the same line, right; or, with
    `text_at_end`, the text just after the end of the bar."""
    room = width - 2 * side - (0 if text_at_end is not None else text_width(text, TEXT_FONT) + 10)
    bar_y = y + LABEL_FONT + 5
    return Row(
        label=label,
        shown=fit(label, room, LABEL_FONT),
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
