"""Reading an uploaded file: its sheets as rows keyed by column (read_rows), and each cell as
the value the plan would hold (_read_cell), or a CellError whose message is for the user. Nothing
here looks at the plan: comparing with it is the preview's.
"""

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from corett.spreadsheets import blank_cell as _blank
from corett.spreadsheets import cell_text as _as_text
from corett.spreadsheets import ignored_headers, keyed_rows, repeated_keys
from corett.spreadsheets import quoted_cell as _quoted
from corett.uploads import Sheet

from ..models import Indicator
from .columns import COLUMN, COLUMNS, MODELS, Column

MAX_SMALL = 32767
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
DECIMAL_LIMIT = Decimal(10) ** 12  # DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


class CellError(Exception):
    """A cell that cannot be read; the message is for the user."""


def _whole(value, maximum: int) -> int:
    number = None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\d{1,19}", _as_text(value)):
        number = int(_as_text(value))
    if number is None or not 1 <= number <= maximum:
        raise CellError(
            _("“%(value)s” is not a whole number from 1 to %(maximum)s.")
            % {"value": _quoted(value), "maximum": maximum}
        )
    return number


def _decimal(value) -> Decimal | None:
    if _blank(value):
        return None
    number = None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = re.sub(r"[\s\u00a0]", "", _as_text(value))
        if re.fullmatch(r"-?\d+,\d+", text):  # a decimal comma, as Spanish Excel writes it
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": _quoted(value)})
    if abs(number) >= DECIMAL_LIMIT:
        raise CellError(_("The number is too large."))
    if number != number.quantize(CENT):
        raise CellError(_("At most two decimal places."))
    return number.quantize(CENT)


def _read_cell(column: Column, value):
    """The cell as the value the plan would hold; CellError if it cannot be one."""
    kind = column.kind
    if kind == "retired":
        return not _blank(value)
    if kind in ("id", "version", "number"):
        if _blank(value):
            if column.required:
                raise CellError(_("Required: this cell cannot be empty."))
            return None
        maximum = {"id": MAX_ID, "version": MAX_VERSION}.get(kind, MAX_SMALL)
        return _whole(value, maximum)
    if kind == "decimal":
        return _decimal(value)
    text = _as_text(value)
    if not text and column.required:
        if column.field and column.field.endswith("_es"):
            raise CellError(_("Required: the plan needs the Spanish text."))
        raise CellError(_("Required: this cell cannot be empty."))
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "kind":
        text = text.lower()
        if text not in Indicator.Kind.values:
            raise CellError(
                _("Unknown indicator kind “%(value)s”: use one of %(kinds)s.")
                % {"value": _quoted(text), "kinds": ", ".join(Indicator.Kind.values)}
            )
        return text
    if kind == "code" and "\n" in text:
        raise CellError(_("A number or code fits on one line."))
    max_length = MODELS[column.level]._meta.get_field(column.field).max_length
    if max_length and len(text) > max_length:
        raise CellError(
            _("At most %(maximum)s characters (this cell has %(length)s).")
            % {"maximum": max_length, "length": len(text)}
        )
    return text


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict  # column key → raw value
    letters: dict  # column key → column letter in its sheet
    problems: list = field(default_factory=list)  # (column key or "", message)
    items: list = field(default_factory=list)  # items first given on this row
    chain: list = field(default_factory=list)  # every item the row names, objective first

    def problem(self, column_key: str, message: str) -> None:
        self.problems.append((column_key, str(message)))


def _header_keys(header: tuple) -> list[str | None]:
    keys = []
    for cell in header:
        text = _as_text(cell)
        match = re.search(r"\[([a-z0-9_]+)\]$", text)
        key = match.group(1) if match else text.lower()
        keys.append(key if key in COLUMN else None)
    return keys


def read_rows(sheets: list[Sheet]) -> tuple[list[Row], list[str]]:
    """The data rows of every sheet, keyed by column; ValidationError for a file-level problem.
    Also returns the headers of columns that are not the plan's (ignored)."""
    rows, ignored = [], []
    for sheet in sheets:
        if not any(not _blank(cell) for row in sheet.rows for cell in row):
            continue  # an empty sheet
        keys = _header_keys(sheet.rows[0])
        where = _("Sheet “%(sheet)s”: ") % {"sheet": sheet.title} if sheet.title else ""
        found = [key for key in keys if key]
        duplicated = repeated_keys(keys)
        if duplicated:
            raise ValidationError(
                where
                + _("these columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}
            )
        missing = [column.key for column in COLUMNS if column.key not in found]
        if missing:
            raise ValidationError(
                where
                + _(
                    "the first row must be the header of the exported file; these columns are "
                    "missing: %(columns)s. Start from a file exported here."
                )
                % {"columns": ", ".join(missing)}
            )
        ignored += ignored_headers(sheet.rows[0], keys)
        for number, cells, letters in keyed_rows(sheet.rows, keys):
            rows.append(Row(sheet.title, number, cells, letters))
    if not rows:
        raise ValidationError(
            _("The file has no rows of the plan, only a header: nothing to import."),
            code="no_rows",
        )
    return rows, ignored
