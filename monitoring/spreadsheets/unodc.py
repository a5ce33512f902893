"""The identified victims as UNODC's questionnaire for the Global Report on Trafficking in Persons
lays them out: one row per country, year and category (sex, age group, form of exploitation,
citizenship, each with "unknown"), after the mapping of strategy.unodc.

Validated figures only. Breakdowns through monitoring.values.breakdowns, so small cells are
protected for whoever may not see them in full: a UNODC category that adds up a cell the reader
sees withheld is withheld too ("<5" or "n.p."), as a sum with a hidden part would give it away.
A country that did not break a figure down by a dimension counts it all as "unknown", as the
portal's regional sums do. Every cell is escaped (corett.spreadsheets)."""

from django.conf import settings
from django.utils.translation import gettext as _

from corett.spreadsheets import csv_bytes, workbook_bytes, xlsx_value
from strategy.unodc import TABLES, UNKNOWN

from ..disclosure import Hidden, label
from ..matrix.selectors.victims import VICTIMS
from ..values.breakdowns import value_breakdowns
from ..values.models import Value

TOTAL = "total"


def _header() -> list[str]:
    return [
        _("Country (ISO code)"),
        _("Country"),
        _("Year"),
        _("UNODC table"),
        _("UNODC category"),
        _("Identified victims"),
        _("Portal categories counted"),
    ]


def _cell(cells: dict | None, total: int, portal: list[str], category: str, withheld: str):
    """The count of a UNODC category: the sum of its portal categories as the reader sees them,
    or the withheld marker when one of them is hidden from the reader."""
    if not cells:  # no breakdown by this dimension: everything is unknown
        return total if category == UNKNOWN else 0
    parts = [cells.get(p) for p in portal]
    hidden = [p for p in parts if isinstance(p, str)]
    if hidden:  # alone, a hidden cell keeps its own marker; added to others, it is withheld
        known = [p for p in parts if isinstance(p, int) and p]
        return hidden[0] if len(hidden) == 1 and not known else withheld
    return sum(p or 0 for p in parts)


def unodc_table(user) -> tuple[list[str], list[list]]:
    """(header, rows) of every country's validated identified victims, per year. One query, plus
    the breakdowns' (monitoring.values.breakdowns)."""
    values = list(
        Value.objects.validated()
        .for_indicator(VICTIMS)
        .of_countries()
        .filter(number__isnull=False)
        .select_related("country", "period", "indicator")
        .order_by("country__code", "period__starts_on")
    )
    shown = value_breakdowns(values, user)
    withheld = label(Hidden.WITHHELD, settings.SMALL_CELL_THRESHOLD)
    rows = []
    for value in values:
        where = [value.country.code, value.country.name, value.period.code]
        total = int(value.number)
        rows.append([*where, _("Total"), _("Total"), total, ""])
        for table in TABLES:
            cells = shown[value.pk].get(table.dimension)
            for category, category_label in table.categories.items():
                portal = table.portal_categories(category)
                rows.append(
                    [
                        *where,
                        str(table.label),
                        str(category_label),
                        _cell(cells, total, portal, category, withheld),
                        ", ".join(portal) if cells else "",
                    ]
                )
    return _header(), rows


def unodc_csv(user) -> bytes:
    header, rows = unodc_table(user)
    return csv_bytes(header, rows)


def unodc_xlsx(user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = unodc_table(user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "UNODC"
    sheet.append([xlsx_value(cell) for cell in header])
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    for head in sheet[1]:
        head.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (10, 22, 8, 24, 30, 12, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "D2"
    return workbook_bytes(workbook)
