"""The layout shared by the horizontal charts: one row per label, its label above the bar, its
text at the right or just after the bar, the legend and the rendering of the rows."""

from dataclasses import dataclass

from django.utils.html import conditional_escape

from .base import FONT, INK, INK_SOFT, LINE, Chart, tenths, whole

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
    """The rows as one <svg>: the legend, a baseline if `axis` is (x, top, bottom), then per row
    its label, the band behind its bar, the bar's segments, the target ticks and its text."""
    esc = conditional_escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-rows" viewBox="0 0 {width} '
        f'{whole(height)}" role="img" aria-label="{esc(title)}" font-family="{FONT}">\n'
        f'  <title class="chart-title">{esc(title)}</title>\n  '
    ]
    for item in legend:
        out.append(
            f'<g>\n    <rect x="{tenths(item.x)}" y="6" width="14" height="14" rx="2" '
            f'fill="{esc(item.colour)}"/>\n    <text x="{tenths(item.text_x)}" y="18" '
            f'font-size="{LEGEND_FONT}" fill="{INK_SOFT}">{esc(item.label)}</text>\n  </g>'
        )
    out.append("\n  ")
    if axis:
        x, top, bottom = axis
        out.append(
            f'<line x1="{tenths(x)}" y1="{tenths(top)}" x2="{tenths(x)}" y2="{tenths(bottom)}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
    out.append("\n  ")
    for row in rows:
        out.append("<g>\n    ")
        if row.shown:
            out.append(
                f'<text x="{tenths(row.label_x)}" y="{tenths(row.label_y)}" '
                f'font-size="{LABEL_FONT}" fill="{INK}" text-anchor="{esc(row.label_anchor)}">'
                f"<title>{esc(row.label)}</title>{esc(row.shown)}</text>"
            )
        out.append("\n    ")
        if row.band:
            out.append(
                f'<rect x="{tenths(row.band.x)}" y="{tenths(row.band_y)}" '
                f'width="{tenths(row.band.width)}" height="{tenths(row.band_height)}" '
                f'fill="{esc(row.band.colour)}" stroke="{LINE}" stroke-width="0.5"/>'
            )
        out.append("\n    ")
        out.extend(
            f'<rect x="{tenths(segment.x)}" y="{tenths(row.bar_y)}" '
            f'width="{tenths(segment.width)}" height="{tenths(row.bar_height)}" '
            f'fill="{esc(segment.colour)}"><title>{esc(segment.text)}</title></rect>'
            for segment in row.segments
        )
        out.append("\n    ")
        out.extend(
            f'<line x1="{tenths(mark)}" y1="{tenths(row.band_y)}" x2="{tenths(mark)}" '
            f'y2="{tenths(row.band_bottom)}" stroke="{INK}" stroke-width="2.5"/>'
            for mark in row.marks
        )
        out.append(
            f'\n    <text x="{tenths(row.text_x)}" y="{tenths(row.text_y)}" '
            f'font-size="{TEXT_FONT}" fill="{INK_SOFT}" text-anchor="{esc(row.text_anchor)}">'
            f"{esc(row.text)}</text>\n  </g>"
        )
    out.append("\n</svg>\n")
    return Chart("".join(out), figures)


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
