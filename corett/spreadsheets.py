"""Cells that cannot run: every spreadsheet the portal writes, CSV or XLSX, passes each cell
through `escape_cell`, and every import reads text cells back through `unescape_cell`.

Spreadsheet programs evaluate text that starts with = + - or @ as a formula (CSV injection), and
some also strip a leading tab, carriage return, line feed or NUL before looking for one. Text
from the plan or from users can start with any of these ("-2", "+504 2222-0000",
"=HYPERLINK(…)"), so such text gets a leading apostrophe: Excel and LibreOffice then show it as
text. Real numbers (int, Decimal, float) stay numbers, but the same characters arriving as text
are escaped like any other text. django-import-export's own escaping is not used: it is off by
default, strips only a leading "=" and applies only to admin exports.

Text that already starts with an apostrophe followed by one of those characters (or by another
apostrophe) is escaped too, so that `unescape_cell(escape_cell(text)) == text` for every text.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import slugify

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\0")
QUOTE = "'"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}

# Values that a spreadsheet stores as numbers, dates or booleans rather than text: never escaped.
NATIVE_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def _needs_quote(text: str) -> bool:
    first = text[:1]
    return first in FORMULA_TRIGGERS or (first == QUOTE and text[1:2] in FORMULA_TRIGGERS | {QUOTE})


def escape_cell(value):
    """The value as a cell that no spreadsheet will evaluate: numbers, dates and None unchanged,
    anything else as text, with a leading apostrophe where it could start a formula."""
    if type(value) is str:  # most cells: the quickest test first (a catalogue has millions)
        text = value
    elif value is None or isinstance(value, NATIVE_TYPES):
        return value
    else:
        text = force_str(value)
    return QUOTE + text if _needs_quote(text) else text


def unescape_cell(value):
    """The inverse of `escape_cell` for text read back from a file; other values unchanged."""
    if isinstance(value, str) and value[:1] == QUOTE and _needs_quote(value[1:]):
        return value[1:]
    return value


# --- Reading cells and rows back from an uploaded sheet ----------------------------------------


def blank_cell(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normal_text(text: str) -> str:
    """Line ends as one "\\n", no surrounding space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def cell_text(value) -> str:
    """A cell as text: unescaped and trimmed; 2026.0 as "2026"; dates (and midnights) as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normal_text(unescape_cell(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def quoted_cell(value) -> str:
    """A cell's content for a message, cut short."""
    text = cell_text(value)
    return text if len(text) <= 40 else text[:39] + "…"


def repeated_keys(keys: list) -> list[str]:
    """The column keys a header names more than once."""
    present = [key for key in keys if key]
    return sorted({key for key in present if present.count(key) > 1})


def ignored_headers(header: tuple, keys: list) -> list[str]:
    """The headers of the columns that are not the layout's (keys None)."""
    return [
        cell_text(cell)
        for cell, key in zip(header, keys, strict=False)
        if key is None and not blank_cell(cell)
    ]


def keyed_rows(rows: list, keys: list):
    """(row number, {key: cell}, {key: column letter}) for every non-blank row under the header."""
    from openpyxl.utils import get_column_letter

    letters = {key: get_column_letter(i) for i, key in enumerate(keys, start=1) if key}
    for number, values in enumerate(rows[1:], start=2):
        if all(blank_cell(value) for value in values):
            continue
        cells = {key: values[i] if i < len(values) else None for i, key in enumerate(keys) if key}
        yield number, cells, letters


# --- Writing files: every cell through escape_cell -----------------------------------------------


def xlsx_value(value):
    """The cell escaped; control characters, which the file's XML cannot hold, replaced."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = escape_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def csv_bytes(header: list, rows, *, bom: bool = True) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads the accents; `bom=False` for files read
    by machines, the open data), commas, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, fmt: str, *name_parts, dated: bool = False) -> HttpResponse:
    """A spreadsheet ("xlsx" or "csv") as a file to keep, named by its parts in the reader's
    language (slugified), followed by today's date when `dated`."""
    parts = [*name_parts, timezone.localdate().isoformat()] if dated else name_parts
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = "-".join(slugify(str(part)) for part in parts)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
