"""The vertical bar chart: one bar per label, scaled to the largest value."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .base import Chart, Figures, Number, render_chart


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
    return render_chart(
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
