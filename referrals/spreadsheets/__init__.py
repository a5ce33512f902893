"""The directory as a spreadsheet: export (CSV, XLSX) and import with a preview, through
django-import-export.

One row per actor, one column per field; columns are named by their field (name_es, roles…),
lists as comma-separated values (roles: detection, complaint). `id` and `version` say which entry
a row updates and at which version it was exported: an empty id creates an entry; an entry
changed since the export is refused. Contact persons are never exported: the export is public.

Every cell leaves escaped (corett.spreadsheets.escape_cell) and is read back unescaped
(cell_text); uploads are checked first (corett.uploads). The import is all or nothing: the
preview runs it and rolls it back; the confirm runs it again on the same rows and keeps it only
if no row fails. Rows are checked against the importer's rights row by row: a focal point
imports only their own country's rows (corett.access.can_edit_directory_entry).
"""

from .export import export_csv, export_rows, export_xlsx
from .importing import MAX_IMPORT_ROWS, read_upload, run_import
from .resource import COLUMNS, ActorResource

__all__ = [
    "COLUMNS",
    "MAX_IMPORT_ROWS",
    "ActorResource",
    "export_csv",
    "export_rows",
    "export_xlsx",
    "read_upload",
    "run_import",
]
