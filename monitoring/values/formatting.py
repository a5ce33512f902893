"""How a value reads: the one place that turns a stored figure into text, for pages, e-mail
notices, charts, exports and PDF reports alike, in the active language.

For people (`value_text`, `shown`):
- a count: grouped as the region writes numbers (corett.formats), decimals only where there are
  some, at most two: "1,234", "12.5";
- a percentage: the same number with the language's sign: "45.5%" in English, "45.5 %" in Spanish;
- yes/no (stored 1 or 0): "Yes" or "No";
- text: as written (a grid shortens it itself, keeping the whole in the cell's title);
- a rate per 100,000 inhabitants (`rate_text`): one decimal place, "0.8";
- nothing stored: "—";
- a protected breakdown cell (monitoring.values.breakdowns): "<5" or "n.p.", as it comes.

For machines and inputs (`input_number`, `cell`): a form's input shows a stored figure the way
it was typed ("12", not "12.00"), and a spreadsheet cell holds it as a number (a whole number for
counts and yes/no), so that a file can be summed and imported back.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from corett.charts import format_number
from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

Kind = Indicator.Kind
MISSING = "—"


def number_text(number) -> str:
    """A plain number as people read it: "1,234", "12.5"; "—" for none."""
    if number is None or number == "":
        return MISSING
    return format_number(number)


def rate_text(rate) -> str:
    """A rate per 100,000 inhabitants as people read it: always one decimal place, grouped as the
    region writes numbers ("0.8", "1,234.5"); "—" for none."""
    if rate is None:
        return MISSING
    rounded = Decimal(str(rate)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=1, force_grouping=True)


def yes_no(answer) -> str:
    return _("Yes") if answer else _("No")


def value_text(kind: str, number=None, text: str = "") -> str:
    """A figure of an indicator of this kind as people read it (see the module). `number` may be
    a Decimal, an int, the text the audit trail keeps ("12.00") or a protected cell ("<5")."""
    if kind == Kind.TEXT:
        return text or MISSING
    if number is None or number == "":
        return MISSING
    if isinstance(number, str) and not number[:1].isdigit():
        return number  # a protected cell ("<5", "n.p."): its size is not told
    if kind == Kind.YES_NO:
        return yes_no(Decimal(str(number)) == 1)
    if kind == Kind.PERCENTAGE:
        return _("%(number)s%%") % {"number": number_text(number)}
    return number_text(number)


def shown(value, indicator=None) -> str:
    """A stored Value as people read it; "—" for no value. `indicator`: the value's, when the
    caller has it at hand (it saves reading it again)."""
    if value is None:
        return MISSING
    return value_text((indicator or value.indicator).kind, value.number, value.text)


class BreakdownRow(NamedTuple):
    label: str  # the dimension's
    cells: list  # [(category label, count as people read it)]


def _position(order: list, key) -> int:
    return order.index(key) if key in order else len(order)


# Positions of the dimensions and of each one's categories, in the plan's order.
_DIMENSION_AT = {key: n for n, key in enumerate(DIMENSIONS)}
_CATEGORY_AT = {
    key: {category: n for n, category in enumerate(dimension.categories)}
    for key, dimension in DIMENSIONS.items()
}


@functools.cache
def _translated(key: str, language: str) -> tuple[str, dict[str, str]]:
    """A dimension's label and its categories' in `language`, the active one: pages show a
    breakdown per value, and each lazy label would look its translation up again."""
    dimension = DIMENSIONS[key]
    return str(dimension.label), {c: str(label) for c, label in dimension.categories.items()}


def breakdown_rows(breakdown: dict) -> list[BreakdownRow]:
    """A value's breakdown as people read it, dimension by dimension and category by category in
    their own order (a key the plan no longer has comes last, by its key); each count as
    value_text shows it ("1,234", or "<5" for a protected cell)."""
    rows = []
    last = len(_DIMENSION_AT)
    language = get_language()
    for key in sorted(breakdown, key=lambda key: _DIMENSION_AT.get(key, last)):
        label, labels = _translated(key, language) if key in DIMENSIONS else (key, {})
        at = _CATEGORY_AT.get(key, {})
        counts = sorted(breakdown[key].items(), key=lambda item: at.get(item[0], len(at)))
        cells = [(labels.get(c, c), value_text(Kind.COUNT, count)) for c, count in counts]
        rows.append(BreakdownRow(label, cells))
    return rows


def breakdown_list(rows: list[BreakdownRow]) -> SafeString:
    """The dashboards' breakdown: a description list, a dimension and its counts per item; ""
    without rows. Written directly, as a country's dashboard shows one per value (the template it
    replaces is kept in tests/test_dashboards.py, which compares them)."""
    if not rows:
        return SafeString("")
    items = "".join(
        f"\n  <div><dt>{escape(dimension)}</dt><dd>"
        + "".join(
            f'<span class="cell">{escape(label)}: <strong>{escape(count)}</strong></span>'
            for label, count in cells
        )
        + "</dd></div>\n"
        for dimension, cells in rows
    )
    return mark_safe(f'<dl class="breakdown">{items}</dl>\n')  # every text above escaped


def describe(value) -> str:
    """A value named briefly: "HN · TRA-2.1.1-a · 2026"."""
    where = value.country.code if value.country_id else _("Region")
    return f"{where} · {value.indicator.code} · {value.period.code}"


def input_number(number: Decimal | None) -> str:
    """A stored number as a form's input shows it, the way people type it: 12.00 → "12",
    12.50 → "12.5"; "" for none."""
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_number(kind: str, number):
    """A stored number as a spreadsheet cell: whole for counts and yes/no, as stored (without
    trailing zeros) for percentages; None for none."""
    if number is None:
        return None
    if kind in (Kind.COUNT, Kind.YES_NO):
        return int(number)
    return number.normalize() if number == number.to_integral_value() else number


def cell(kind: str, number, text: str = ""):
    """A stored value as a spreadsheet cell: its text, or its number (cell_number)."""
    return text if kind == Kind.TEXT else cell_number(kind, number)
