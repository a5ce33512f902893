"""What every chart is: its font and colours, how its numbers read, its figures as a table, and
the SVG markup that carries them."""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString

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
        if -1000 < value < 1000:  # no group to separate: the digits (most figures; pages show many)
            return str(int(value))
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


def render_chart(template: str, context: dict, figures: Figures) -> Chart:
    return Chart(render_to_string(template, context), figures)
