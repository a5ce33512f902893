"""The operative plan as a spreadsheet: its layout, its export, and the reading of an import up to
a preview. Nothing here writes: a confirmed preview is applied by services.plan_items_import.

- columns: the layout, one Column per cell of a row, with its header;
- export: the matrix as rows, written as one CSV or as an XLSX with a sheet per axis;
- reading: an uploaded file's sheets as rows keyed by column, each cell as a value of the plan;
- comparison: those rows compared with the plan, row by row;
- changes: what confirming would apply, and the preview shown before it.

Why django-import-export only for the export: a PlanMatrixResource defines the columns and turns
rows into a tablib Dataset, which the library's CSV format writes. The XLSX is written with
openpyxl from the same Datasets because the library's XLSX format writes (and reads) a single
sheet and cannot merge cells. Its import machinery is not used: each row here spans four models,
its save path would bypass the services (version checks, history user), and its dry run writes
and rolls back, while this preview must write nothing and survive until a later confirm.
"""

from .changes import plan_changes, preview
from .columns import COLUMN
from .export import export_csv, export_xlsx
from .reading import read_rows

__all__ = ["COLUMN", "export_csv", "export_xlsx", "plan_changes", "preview", "read_rows"]
