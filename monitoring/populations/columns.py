"""The layout of a population spreadsheet, the same for the export and the import: each header
ends in its key in brackets, so that a file reads the same whatever the language of its headers
("Total population [total]", "Población total [total]"). The export is the import's template."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett.spreadsheets import csv_bytes, workbook_bytes, xlsx_value


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    width: int = 14


COLUMNS = (
    Column("country", gettext_lazy("Country (ISO code)"), 10),
    Column("year", gettext_lazy("Year"), 8),
    Column("total", gettext_lazy("Total population")),
    Column("women", gettext_lazy("Women")),
    Column("men", gettext_lazy("Men")),
    Column("children", gettext_lazy("Children (0 to 17)")),
    Column("adults", gettext_lazy("Adults (18 and over)")),
    Column("source", gettext_lazy("Source"), 60),
    Column("source_url", gettext_lazy("Source address"), 40),
    Column("source_date", gettext_lazy("Source dated (YYYY-MM-DD)"), 14),
)
COLUMN = {column.key: column for column in COLUMNS}
REQUIRED = ("country", "year", "total", "source", "source_date")
NUMBERS = ("year", "total", "women", "men", "children", "adults")


def header(column: Column) -> str:
    return f"{column.label} [{column.key}]"


def label(key: str) -> str:
    column = COLUMN.get(key)
    return str(column.label) if column else key


def _cells(population) -> list:
    return [
        population.country.code,
        population.year,
        population.total,
        population.women,
        population.men,
        population.children,
        population.adults,
        population.source,
        population.source_url,
        population.source_date,
    ]


def populations_csv(populations) -> bytes:
    return csv_bytes([header(c) for c in COLUMNS], (_cells(p) for p in populations))


def populations_xlsx(populations) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Populations")[:31]
    sheet.append([xlsx_value(header(c)) for c in COLUMNS])
    for population in populations:
        sheet.append([xlsx_value(cell) for cell in _cells(population)])
    for head in sheet[1]:
        head.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    return workbook_bytes(workbook)
