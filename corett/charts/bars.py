"""The vertical bar chart: one bar per label, scaled to the largest value."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from .base import FONT, INK, INK_SOFT, LINE, PALETTE, Chart, Figures, Number, tenths


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
    svg = _svg(bars, title=title, width=width, height=height, baseline=top + plot_height)
    return Chart(svg, figures)


def _svg(bars: list[Bar], *, title: str, width: int, height: int, baseline: float) -> str:
    esc = conditional_escape
    baseline, label_y = tenths(baseline), height - 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{esc(title)}" font-family="{FONT}">\n'
        f'  <title class="chart-title">{esc(title)}</title>\n'
        f'  <line x1="8" y1="{baseline}" x2="{width - 8}" y2="{baseline}" stroke="{LINE}" '
        'stroke-width="1"/>\n  '
    ]
    for bar in bars:
        label, text, center = esc(bar.label), esc(bar.text), tenths(bar.center)
        out.append(
            f'<g>\n    <rect x="{tenths(bar.x)}" y="{tenths(bar.y)}" width="{tenths(bar.width)}" '
            f'height="{tenths(bar.height)}" rx="3" fill="{PALETTE[0]}"><title>{label}: {text}'
            f'</title></rect>\n    <text x="{center}" y="{tenths(bar.y)}" dy="-6" font-size="17" '
            f'font-weight="600" fill="{INK}" text-anchor="middle">{text}</text>\n'
            f'    <text x="{center}" y="{label_y}" font-size="16" fill="{INK_SOFT}" '
            f'text-anchor="middle">{label}</text>\n  </g>'
        )
    out.append("\n</svg>\n")
    return "".join(out)
