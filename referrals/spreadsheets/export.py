"""The directory exported as CSV or XLSX, as the viewer may see it (None: the public)."""

from django.utils.translation import gettext as _

from corett.spreadsheets import csv_bytes, workbook_bytes, xlsx_value

from .resource import ActorResource


def export_rows(actors, viewer=None) -> tuple[list, list]:
    """The header and rows of the actors as `viewer` may see them (None: the public)."""
    dataset = ActorResource(user=viewer).export(
        actors.select_related("country", "verified_by__country")
    )
    return list(dataset.headers), [list(row) for row in dataset]


def export_csv(actors, viewer=None) -> bytes:
    header, rows = export_rows(actors, viewer)
    return csv_bytes(header, rows)


def export_xlsx(actors, viewer=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header, rows = export_rows(actors, viewer)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Directory"))[:31]
    sheet.append([xlsx_value(cell) for cell in header])
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "D2"
    return workbook_bytes(workbook)
