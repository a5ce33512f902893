"""Writing cells out: every cell of every file passes through corett.spreadsheets.escape_cell."""

import csv
import io

from corett.spreadsheets import escape_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def xlsx_value(value):
    """The cell escaped; control characters, which the file's XML cannot hold, replaced."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = escape_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def csv_bytes(header: list, rows) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads the accents), commas, every cell
    escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
