"""What every chart is: its font and colours, how its numbers read, its figures as a table, and
the SVG markup that carries them."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import conditional_escape
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
    if type(value) is not int:  # whole numbers (a breakdown's counts) need no Decimal
        value = Decimal(str(value))
        if value != value.to_integral_value():
            return number_format(value.normalize(), force_grouping=True)
    if -1000 < value < 1000:  # no group to separate: the digits (most figures; pages show many)
        return str(int(value))
    return number_format(value, decimal_pos=0, force_grouping=True)


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
        return SafeString(str(self) + figures_table(self.figures))


def figures_table(figures: Figures) -> str:
    """The figures in a "Show the figures" disclosure: a table with a header per column and per
    row."""
    esc = conditional_escape
    columns = "".join(
        f'<th scope="col" class="num">{esc(column)}</th>' for column in figures.columns
    )
    rows = "".join(
        f'\n        <tr><th scope="row">{esc(header)}</th>'
        + "".join(f'<td class="num">{esc(cell)}</td>' for cell in cells)
        + "</tr>"
        for header, cells in figures.rows
    )
    return (
        f'<details class="chart-figures">\n  <summary>{esc(_("Show the figures"))}</summary>\n'
        f'  <div class="table-scroll">\n    <table>\n      <caption>{esc(figures.caption)}'
        f"</caption>\n      <thead><tr><td></td>{columns}</tr></thead>\n      <tbody>{rows}\n"
        "      </tbody>\n    </table>\n  </div>\n</details>\n"
    )


# Numbers in the markup as the templates' stringformat filter wrote them ("%.1f" % a Decimal goes
# through float, as the filter did).
tenths, whole = "%.1f".__mod__, "%.0f".__mod__
