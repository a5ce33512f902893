"""Reading an uploaded value spreadsheet: the sheets whose first row is the template's header,
as rows of raw cells keyed by column. Nothing here looks at the database."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from corett.spreadsheets import ignored_headers, keyed_rows, repeated_keys, unescape_cell
from corett.uploads import Sheet

from . import columns as c


@dataclass
class FileRow:
    sheet: str
    number: int  # the row of the file, the header being row 1
    cells: dict  # column key → the cell as read
    letters: dict  # column key → its letter in the sheet


def _keys(header: tuple) -> list:
    return [c.header_key(unescape_cell(cell) if isinstance(cell, str) else cell) for cell in header]


def read_rows(sheets: list[Sheet]) -> tuple[list[FileRow], list[str]]:
    """The data rows of every sheet that has the template's header, and the headers of columns
    that are not the template's (ignored). ValidationError for a file that is not one."""
    rows, ignored, found_sheet = [], [], False
    for sheet in sheets:
        if not sheet.rows:
            continue
        keys = _keys(sheet.rows[0])
        if not {"indicator", "value"} <= set(keys):
            continue  # e.g. the instructions
        found_sheet = True
        where = _("Sheet “%(sheet)s”: ") % {"sheet": sheet.title} if sheet.title else ""
        present = [key for key in keys if key]
        twice = repeated_keys(keys)
        if twice:
            raise ValidationError(
                where
                + _("these columns appear twice: %(columns)s.") % {"columns": ", ".join(twice)}
            )
        missing = [key for key in c.REQUIRED if key not in present]
        if missing:
            raise ValidationError(
                where
                + _(
                    "these columns are missing: %(columns)s. Start from a template downloaded here."
                )
                % {"columns": ", ".join(missing)}
            )
        ignored += ignored_headers(sheet.rows[0], keys)
        for number, cells, letters in keyed_rows(sheet.rows, keys):
            rows.append(FileRow(sheet.title, number, cells, letters))
    if not found_sheet:
        raise ValidationError(
            _(
                "This is not a value template: its first row must be the template's header, with "
                "the columns %(columns)s. Start from a template downloaded here."
            )
            % {"columns": ", ".join(f"[{key}]" for key in c.REQUIRED)},
            code="not_a_template",
        )
    if not rows:
        raise ValidationError(_("The file has only a header: nothing to import."), code="no_rows")
    return rows, ignored
