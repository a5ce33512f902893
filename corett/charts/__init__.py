"""Server-side SVG charts: the same markup serves web pages and PDF reports.

Every chart is one <svg> element with its title and a font-family: no script, no style attribute, no
external resource, so that it passes the pages' CSP and renders the same in WeasyPrint.
Positions are computed and the markup written here, in Python: pages draw many charts, and
templates spent most of a dashboard's time on their thousands of numbers (issue 13).

Every chart also carries its figures as a table (`Chart.figures`): on a page, `{{ chart }}` shows
the drawing followed by a "Show the figures" disclosure with that table (a <details> element: it
opens without JavaScript), so that whoever cannot see the drawing reads the same numbers. As a
string (a PDF report, a test) a chart is its SVG alone; the <svg>'s <title> is its alternative
text, in the page and in the tagged PDF (it carries a class so that the reports, which drop the
bare <title> tooltips of bars and labels before printing, keep it).
"""

from .bars import Bar, bar_chart
from .base import FONT, INK, INK_SOFT, LINE, PALETTE, WASH, Chart, Figures, Number, format_number
from .horizontal import (
    Bullet,
    Stack,
    bullet_chart,
    grouped_bar_chart,
    horizontal_bar_chart,
    stacked_bar_chart,
)
from .rows import CHAR

__all__ = [
    "CHAR",
    "FONT",
    "INK",
    "INK_SOFT",
    "LINE",
    "PALETTE",
    "WASH",
    "Bar",
    "Bullet",
    "Chart",
    "Figures",
    "Number",
    "Stack",
    "bar_chart",
    "bullet_chart",
    "format_number",
    "grouped_bar_chart",
    "horizontal_bar_chart",
    "stacked_bar_chart",
]
