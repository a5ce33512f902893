"""The export: the whole matrix as rows (matrix_rows), written as one CSV or as an XLSX with a
sheet per axis; every cell goes out escaped (corett.spreadsheets.escape_cell).
"""

import io
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields as ie_fields
from import_export import resources
from import_export.formats.base_formats import CSV

from corett.spreadsheets import escape_cell

from ..models import Activity, Axis, Goal, Indicator, OperationalObjective
from .columns import COLUMNS, LEVEL_COLUMNS, LEVELS, PARENT_FIELD, Column


def _export_value(item, column: Column):
    if column.kind == "id":
        return item.pk
    if column.kind == "version":
        return item.version
    if column.kind == "retired":
        return timezone.localdate(item.retired_at) if item.retired_at else None
    value = getattr(item, column.field)
    if column.kind == "list":
        return ", ".join(map(str, value or []))
    return value


@dataclass
class AxisRows:
    axis: Axis
    rows: list[dict] = field(default_factory=list)
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # level, first, last (0-based)


def matrix_rows() -> list[AxisRows]:
    """The whole matrix, items in force and retired, one AxisRows per axis, in 5 queries."""
    querysets = {
        "objective": OperationalObjective.objects.order_by("number", "pk"),
        "activity": Activity.objects.order_by("order", "pk"),
        "goal": Goal.objects.order_by("order", "pk"),
        "indicator": Indicator.objects.filter(goal__isnull=False).order_by("order", "pk"),
    }
    children = {level: {} for level in LEVELS}
    for level, queryset in querysets.items():
        parent = PARENT_FIELD[level] + "_id"
        for item in queryset:
            children[level].setdefault(getattr(item, parent), []).append(item)
    result = []
    for axis in Axis.objects.order_by("number"):
        block = AxisRows(axis)
        if children["objective"].get(axis.pk):
            _walk(block, children, axis, 0, {})
        result.append(block)
    return result


def _walk(block: AxisRows, children: dict, parent, depth: int, chain: dict) -> None:
    """Appends the rows under `parent`: the axis, or the item of chain at LEVELS[depth - 1]."""
    items = children[LEVELS[depth]].get(parent.pk, []) if depth < len(LEVELS) else []
    if not items:
        block.rows.append(_row(block.axis, chain, block.rows))
        return
    for item in items:
        first = len(block.rows)
        _walk(block, children, item, depth + 1, {**chain, LEVELS[depth]: item})
        if len(block.rows) - first > 1:
            block.spans.append((LEVELS[depth], first, len(block.rows) - 1))


def _row(axis: Axis, chain: dict, previous_rows: list) -> dict:
    row = {"axis": axis.number}
    previous = previous_rows[-1] if previous_rows else {}
    for level, item in chain.items():
        continuation = previous.get(f"{level}_id") == item.pk
        for column in LEVEL_COLUMNS[level]:
            if not (continuation and column.once):
                row[column.key] = _export_value(item, column)
    return row


class _EscapingResource(resources.Resource):
    """Every cell goes out through corett.spreadsheets.escape_cell, in its native type: numbers
    stay numbers (the library's widgets would turn them into localised text)."""

    def export_field(self, field, instance, **kwargs):
        return escape_cell(field.get_value(instance))


PlanMatrixResource = type(
    "PlanMatrixResource",
    (_EscapingResource,),
    {
        "__doc__": "The columns of the operative matrix, in order, over the rows of matrix_rows().",
        "__module__": __name__,
        **{c.key: ie_fields.Field(attribute=c.key, column_name=c.header) for c in COLUMNS},
    },
)


def _headers(dataset) -> list:
    return [escape_cell(header) for header in dataset.headers]


def export_csv() -> bytes:
    """One CSV for the whole matrix, UTF-8 with a byte-order mark (so that Excel reads accents)."""
    rows = [row for block in matrix_rows() for row in block.rows]
    dataset = PlanMatrixResource().export(rows)
    dataset.headers = _headers(dataset)
    return ("\ufeff" + CSV().export_data(dataset)).encode("utf-8")


def _sheet_title(axis: Axis, taken: set) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", f"{axis.number}. {axis.name}")[:31].strip()
    while title in taken:
        title = f"{title[:28]} {axis.pk}"
    taken.add(title)
    return title


def export_xlsx() -> bytes:
    """One sheet per axis, laid out like the document's matrix, items' texts merged down."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def cell_value(value):
        # Control characters are not allowed in the file's XML: replaced, after escaping.
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
        return value

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F2")
    machine_fill = PatternFill("solid", fgColor="EDEDED")
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    workbook.remove(workbook.active)
    resource = PlanMatrixResource()
    taken = set()
    for block in matrix_rows() or [None]:
        dataset = resource.export(block.rows if block else [])
        sheet = workbook.create_sheet(
            _sheet_title(block.axis, taken) if block else str(_("Operative plan"))
        )
        sheet.append(_headers(dataset))
        for values in dataset:
            sheet.append([cell_value(v) for v in values])
        for index, column in enumerate(COLUMNS, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            header = sheet.cell(row=1, column=index)
            header.font = header_font
            header.alignment = wrap
            header.fill = machine_fill if column.kind in ("id", "version") else header_fill
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if column.kind == "retired":
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap
        if block:
            for level, first, last in block.spans:
                for index, column in enumerate(COLUMNS, start=1):
                    if column.level == level and column.once:
                        sheet.merge_cells(
                            start_row=first + 2,
                            end_row=last + 2,
                            start_column=index,
                            end_column=index,
                        )
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
