"""The operative plan as a spreadsheet: its layout, its export, and the reading of an import up to
a preview. Nothing here writes: a confirmed preview is applied by services.plan_items_import.

Layout. One row per indicator, as in the document's matrix (objective | activity | goal |
indicator | responsible | timeframe); a goal, activity or objective without children still gets
a row of its own. Each item's texts are given on its first row only (merged down in the XLSX, as
the document merges them; empty below in the CSV). Its id, number or code and version are
repeated on every row, so that each row says where it belongs. Both languages are present
(`activity_text_es`, `activity_text_en`…). Headers are readable in the user's language and end
with the column's key in brackets ("Actividad (español) [activity_text_es]"): the import reads
the key, so a file exported in English can be imported from the Spanish pages.

Reading an import. A row is matched to existing items by their ids; an item without an id is new,
known by its number or code under its parent. An item's cells on later rows must be empty or
equal to its first row's. An item's version must still be the plan's, or the file is outdated.

Why django-import-export only for the export: a PlanMatrixResource defines the columns and turns
rows into a tablib Dataset, which the library's CSV format writes. The XLSX is written with
openpyxl from the same Datasets because the library's XLSX format writes (and reads) a single
sheet and cannot merge cells. Its import machinery is not used: each row here spans four models,
its save path would bypass the services (version checks, history user), and its dry run writes
and rolls back, while this preview must write nothing and survive until a later confirm.
"""

import copy
import datetime
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields as ie_fields
from import_export import resources
from import_export.formats.base_formats import CSV

from corett.spreadsheets import escape_cell, unescape_cell
from corett.uploads import Sheet

from .models import Activity, Axis, Goal, Indicator, OperationalObjective
from .services import PlanChange

LEVELS = ("objective", "activity", "goal", "indicator")
MODELS = {
    "objective": OperationalObjective,
    "activity": Activity,
    "goal": Goal,
    "indicator": Indicator,
}
PARENT_FIELD = {
    "objective": "axis",
    "activity": "objective",
    "goal": "activity",
    "indicator": "goal",
}
REPEATED_KINDS = frozenset({"number", "code", "id", "version"})  # on every row of an item
MAX_SMALL = 32767
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
DECIMAL_LIMIT = Decimal(10) ** 12  # DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    level: str | None = None  # None for the axis column
    field: str | None = None  # the model field the column carries
    kind: str = "text"  # text, number, code, kind, list, decimal, retired, id, version
    required: bool = False
    width: int = 14

    @property
    def once(self) -> bool:
        """Given on the item's first row only (merged in the XLSX)."""
        return self.level is not None and self.kind not in REPEATED_KINDS

    @property
    def header(self) -> Promise:
        return format_lazy("{} [{}]", self.label, self.key)


def _pair(key: str, level: str, name: str, spanish: Promise, english: Promise, width: int) -> tuple:
    """A translated field's two columns; the Spanish text is required."""
    return (
        Column(f"{key}_es", spanish, level, f"{name}_es", required=True, width=width),
        Column(f"{key}_en", english, level, f"{name}_en", width=width),
    )


def _machine(level: str, id_label: Promise, version_label: Promise) -> tuple:
    return (
        Column(f"{level}_id", id_label, level, kind="id", width=8),
        Column(f"{level}_version", version_label, level, kind="version", width=8),
    )


# Labels are lazy: translated when a file is written, in the language of its request.
COLUMNS: tuple[Column, ...] = (
    Column("axis", gettext_lazy("Axis"), kind="number", required=True, width=6),
    Column(
        "objective_number", gettext_lazy("Objective no."), "objective", "number", "number", True, 9
    ),
    *_pair(
        "objective_text",
        "objective",
        "text",
        gettext_lazy("Operational objective (Spanish)"),
        gettext_lazy("Operational objective (English)"),
        40,
    ),
    Column("activity_code", gettext_lazy("Activity no."), "activity", "code", "code", True, 9),
    *_pair(
        "activity_text",
        "activity",
        "text",
        gettext_lazy("Activity (Spanish)"),
        gettext_lazy("Activity (English)"),
        45,
    ),
    Column("goal_code", gettext_lazy("Goal no."), "goal", "code", "code", True, 9),
    *_pair(
        "goal_text",
        "goal",
        "text",
        gettext_lazy("Goal (Spanish)"),
        gettext_lazy("Goal (English)"),
        40,
    ),
    Column("indicator_code", gettext_lazy("Indicator code"), "indicator", "code", "code", True, 14),
    *_pair(
        "indicator_name",
        "indicator",
        "name",
        gettext_lazy("Indicator (Spanish)"),
        gettext_lazy("Indicator (English)"),
        40,
    ),
    *_pair(
        "responsible",
        "activity",
        "responsible",
        gettext_lazy("Responsible (Spanish)"),
        gettext_lazy("Responsible (English)"),
        20,
    ),
    *_pair(
        "timeframe",
        "activity",
        "timeframe",
        gettext_lazy("Timeframe (Spanish)"),
        gettext_lazy("Timeframe (English)"),
        20,
    ),
    Column("indicator_kind", gettext_lazy("Indicator kind"), "indicator", "kind", "kind", True, 12),
    Column("indicator_unit_es", gettext_lazy("Unit (Spanish)"), "indicator", "unit_es"),
    Column("indicator_unit_en", gettext_lazy("Unit (English)"), "indicator", "unit_en"),
    Column(
        "indicator_disaggregations",
        gettext_lazy("Disaggregations"),
        "indicator",
        "disaggregations",
        "list",
    ),
    Column("indicator_baseline", gettext_lazy("Baseline"), "indicator", "baseline", "decimal"),
    Column("indicator_target", gettext_lazy("Target"), "indicator", "target", "decimal"),
    Column("objective_retired", gettext_lazy("Objective retired on"), "objective", kind="retired"),
    Column("activity_retired", gettext_lazy("Activity retired on"), "activity", kind="retired"),
    Column("goal_retired", gettext_lazy("Goal retired on"), "goal", kind="retired"),
    Column("indicator_retired", gettext_lazy("Indicator retired on"), "indicator", kind="retired"),
    *_machine("objective", gettext_lazy("Objective id"), gettext_lazy("Objective version")),
    *_machine("activity", gettext_lazy("Activity id"), gettext_lazy("Activity version")),
    *_machine("goal", gettext_lazy("Goal id"), gettext_lazy("Goal version")),
    *_machine("indicator", gettext_lazy("Indicator id"), gettext_lazy("Indicator version")),
)

COLUMN = {column.key: column for column in COLUMNS}
LEVEL_COLUMNS = {level: [c for c in COLUMNS if c.level == level] for level in LEVELS}
UNIQUE_COLUMNS = {
    "indicator": "indicator_code",
    "objective": "objective_number",
    "activity": "activity_code",
    "goal": "goal_code",
}
FIELD_COLUMNS = {level: [c for c in LEVEL_COLUMNS[level] if c.field] for level in LEVELS}


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Import: reading and preview
# ---------------------------------------------------------------------------------------------


class CellError(Exception):
    """A cell that cannot be read; the message is for the user."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normal_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _normal_text(unescape_cell(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _quoted(value) -> str:
    """A cell's content for a message: as read, cut short."""
    text = _as_text(value)
    return text if len(text) <= 40 else text[:39] + "…"


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


def _plan_value(item, column: Column):
    """The item's current value for a field column, in the form _read_cell returns."""
    value = getattr(item, column.field)
    if column.kind in ("text", "code"):
        return _normal_text(value or "")
    if column.kind == "list":
        return list(value or [])
    if column.kind == "decimal":
        return None if value is None else Decimal(value).quantize(CENT)
    return value


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


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


@dataclass
class Item:
    level: str
    key: str
    row: Row  # the row that gives its values
    instance: object = None  # None for a new item
    parent: "Item | None" = None
    axis: Axis | None = None
    values: dict = field(default_factory=dict)  # column key → value read
    changes: list = field(default_factory=list)  # (column key, before, after)
    retire: bool = False

    @property
    def is_new(self) -> bool:
        return self.instance is None

    @property
    def label(self) -> str:
        code_key = "objective_number" if self.level == "objective" else f"{self.level}_code"
        code = self.values.get(code_key)
        if code is None and self.instance is not None:
            code = getattr(self.instance, "number" if self.level == "objective" else "code")
        return f"{MODELS[self.level]._meta.verbose_name.capitalize()} {code or ''}".strip()


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
    from openpyxl.utils import get_column_letter

    rows, ignored = [], []
    for sheet in sheets:
        if not any(not _blank(cell) for row in sheet.rows for cell in row):
            continue  # an empty sheet
        keys = _header_keys(sheet.rows[0])
        where = _("Sheet “%(sheet)s”: ") % {"sheet": sheet.title} if sheet.title else ""
        found = [key for key in keys if key]
        duplicated = sorted({key for key in found if found.count(key) > 1})
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
        ignored += [
            _as_text(cell)
            for cell, key in zip(sheet.rows[0], keys, strict=False)
            if key is None and not _blank(cell)
        ]
        letters = {key: get_column_letter(i) for i, key in enumerate(keys, start=1) if key}
        for number, values in enumerate(sheet.rows[1:], start=2):
            if all(_blank(value) for value in values):
                continue
            cells = {
                key: values[i] if i < len(values) else None for i, key in enumerate(keys) if key
            }
            rows.append(Row(sheet.title, number, cells, letters))
    if not rows:
        raise ValidationError(
            _("The file has no rows of the plan, only a header: nothing to import."),
            code="no_rows",
        )
    return rows, ignored


class _Plan:
    """The plan as it stands, loaded once: axes by number, items by id (retired ones too)."""

    def __init__(self):
        self.axes = {axis.number: axis for axis in Axis.objects.all()}
        self.items = {
            level: {item.pk: item for item in MODELS[level].objects.all()} for level in LEVELS
        }


class PlanImport:
    """Reads the rows of an uploaded file against the plan and lists what confirming would do.

    Writes nothing. `rows` say, row by row, new / changed / unchanged / error; `changes()` is the
    list for services.plan_items_import, empty while any row has an error."""

    def __init__(self, rows: list[Row]):
        self.rows = rows
        self.plan = _Plan()
        self.items: dict[str, Item] = {}
        for row in rows:
            self._read_row(row)
        for item in self.items.values():
            self._check_item(item)
        self._check_unique()

    # -- rows -------------------------------------------------------------------------------

    def _read_row(self, row: Row) -> None:
        try:
            axis_number = _read_cell(COLUMN["axis"], row.cells["axis"])
        except CellError as error:
            row.problem("axis", error)
            return
        axis = self.plan.axes.get(axis_number)
        if axis is None:
            row.problem("axis", _("There is no axis %(number)s.") % {"number": axis_number})
            return
        parent, missing_level = None, None
        for level in LEVELS:
            columns = LEVEL_COLUMNS[level]
            stated = [c for c in columns if not _blank(row.cells[c.key])]
            if not stated:
                missing_level = missing_level or level
                continue
            if missing_level:
                row.problem(
                    stated[0].key,
                    _("This row gives a %(level)s but no %(parent)s above it.")
                    % {
                        "level": MODELS[level]._meta.verbose_name,
                        "parent": MODELS[missing_level]._meta.verbose_name,
                    },
                )
                return
            item = self._identify(row, level, axis, parent)
            if item is None:
                return
            row.chain.append(item)
            parent = item

    def _identify(self, row: Row, level: str, axis: Axis, parent: Item | None) -> Item | None:
        id_column = COLUMN[f"{level}_id"]
        try:
            pk = _read_cell(id_column, row.cells[id_column.key])
        except CellError as error:
            row.problem(id_column.key, error)
            return None
        if pk is None:
            code_column = LEVEL_COLUMNS[level][0]  # the number or code
            try:
                code = _read_cell(code_column, row.cells[code_column.key])
            except CellError as error:
                row.problem(code_column.key, error)
                return None
            key = f"new:{level}:{parent.key if parent else axis.pk}:{code}"
            instance = None
        else:
            instance = self.plan.items[level].get(pk)
            if instance is None:
                row.problem(
                    id_column.key,
                    _("The plan has no %(level)s with id %(id)s.")
                    % {"level": MODELS[level]._meta.verbose_name, "id": pk},
                )
                return None
            expected = axis.pk if parent is None else parent.instance and parent.instance.pk
            if getattr(instance, PARENT_FIELD[level] + "_id") != expected:
                row.problem(
                    id_column.key,
                    _(
                        "This %(level)s (id %(id)s) is elsewhere in the plan: the spreadsheet "
                        "cannot move items. Keep each row under its own %(parent)s."
                    )
                    % {
                        "level": MODELS[level]._meta.verbose_name,
                        "id": pk,
                        "parent": _("axis")
                        if parent is None
                        else MODELS[parent.level]._meta.verbose_name,
                    },
                )
                return None
            key = f"{level}:{pk}"
        item = self.items.get(key)
        if item is None:
            item = Item(level, key, row, instance, parent, axis)
            self.items[key] = item
            row.items.append(item)
            for column in LEVEL_COLUMNS[level]:
                try:
                    item.values[column.key] = _read_cell(column, row.cells[column.key])
                except CellError as error:
                    row.problem(column.key, error)
        else:
            self._check_repeat(row, item)
        return item

    def _check_repeat(self, row: Row, item: Item) -> None:
        """Later rows of an item leave its cells empty or repeat them exactly."""
        for column in LEVEL_COLUMNS[item.level]:
            value = row.cells[column.key]
            if column.kind == "id" or _blank(value):
                continue
            try:
                read = _read_cell(column, value)
            except CellError as error:
                row.problem(column.key, error)
                continue
            if column.key in item.values and read != item.values[column.key]:
                row.problem(
                    column.key,
                    _(
                        "Differs from row %(row)s, where this item is first given: an item's "
                        "cells must be the same on every row where it appears, or left empty."
                    )
                    % {"row": item.row.number},
                )

    # -- items ------------------------------------------------------------------------------

    def _check_item(self, item: Item) -> None:
        row, level, values = item.row, item.level, item.values
        version_key, retired_key = f"{level}_version", f"{level}_retired"
        if item.is_new:
            if values.get(version_key) is not None:
                row.problem(
                    version_key,
                    _(
                        "A row without an id is a new item and has no version. If this item "
                        "exists, put its id back."
                    ),
                )
            if values.get(retired_key):
                row.problem(retired_key, _("A new item cannot be retired."))
        else:
            instance = item.instance
            version = values.get(version_key)
            if version is None and version_key not in [k for k, _m in row.problems]:
                row.problem(version_key, _("Required: the version of the exported file."))
            elif version is not None and version != instance.version:
                row.problem(
                    version_key,
                    _(
                        "This item was changed after the file was exported (version %(file)s "
                        "in the file, %(plan)s in the plan). Export the plan again and redo "
                        "your edits there."
                    )
                    % {"file": version, "plan": instance.version},
                )
            for column in FIELD_COLUMNS[level]:
                if column.key not in values:
                    continue
                before, after = _plan_value(instance, column), values[column.key]
                if before != after and not (before in (None, "") and after in (None, "")):
                    item.changes.append((column.key, _shown(before), _shown(after)))
            if retired_key in values:
                if instance.is_retired and not values[retired_key]:
                    row.problem(
                        retired_key,
                        _("A retired item cannot be restored from a spreadsheet."),
                    )
                elif values[retired_key] and not instance.is_retired:
                    item.retire = True
                    item.changes.append((retired_key, "", _shown(_as_text(row.cells[retired_key]))))
        if item.is_new or item.changes:
            self._full_clean(item)

    def _data(self, item: Item) -> dict:
        if item.is_new:
            columns = FIELD_COLUMNS[item.level]
        else:
            changed = {key for key, _before, _after in item.changes}
            columns = [c for c in FIELD_COLUMNS[item.level] if c.key in changed]
        return {c.field: item.values[c.key] for c in columns if c.key in item.values}

    def _full_clean(self, item: Item) -> None:
        """The model's own validation, as the services will run it (uniqueness is checked
        across the whole file in _check_unique)."""
        model, parent_field = MODELS[item.level], PARENT_FIELD[item.level]
        data = self._data(item)
        exclude = []
        if item.is_new:
            candidate = model(**data)
            if item.level != "objective":
                candidate.order = 0
            if item.parent is None:
                candidate.axis = item.axis
            elif item.parent.is_new:
                exclude.append(parent_field)
            else:
                setattr(candidate, parent_field + "_id", item.parent.instance.pk)
        else:
            candidate = copy.copy(item.instance)
            for name, value in data.items():
                setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            columns = {c.field: c.key for c in FIELD_COLUMNS[item.level]}
            for name, messages in error.message_dict.items():
                key = columns.get(name) or columns.get(f"{name}_es") or ""
                for message in messages:
                    item.row.problem(key, message)

    def _axis_of(self, level: str, instance) -> int:
        while level != "objective":
            parent_level = LEVELS[LEVELS.index(level) - 1]
            instance = self.plan.items[parent_level][getattr(instance, PARENT_FIELD[level] + "_id")]
            level = parent_level
        return instance.axis_id

    def _check_unique(self) -> None:
        """After the import as before: indicator codes unique in the plan; objective numbers and
        activity and goal codes unique within their axis, retired items included (the services
        enforce the same). Checked over the plan and the whole file together, and for the order
        in which confirming applies the changes: updates one by one, then additions."""
        for level, key in UNIQUE_COLUMNS.items():

            def scoped(axis_pk, value, level=level):
                return (None if level == "indicator" else axis_pk, value)

            now = {
                scoped(
                    None if level == "indicator" else self._axis_of(level, instance),
                    _plan_value(instance, COLUMN[key]),
                ): instance
                for instance in self.plan.items[level].values()
            }
            in_file = {
                i.instance.pk for i in self.items.values() if i.level == level and i.instance
            }
            taken = {value: owner for value, owner in now.items() if owner.pk not in in_file}
            for item in self.items.values():
                value = item.values.get(key) if item.level == level else None
                if value is None:
                    continue
                here = scoped(item.axis.pk, value)
                owner, holder = taken.get(here), now.get(here)
                if isinstance(owner, Item):
                    item.row.problem(
                        key,
                        _("Row %(row)s already has %(value)s: numbers and codes must be unique.")
                        % {"row": owner.row.number, "value": value},
                    )
                elif owner is not None:
                    item.row.problem(
                        key,
                        _(
                            "The plan already has %(value)s (id %(id)s%(retired)s). To edit that "
                            "item, keep its id; to add a new one, give it a new number or code."
                        )
                        % {
                            "value": value,
                            "id": owner.pk,
                            "retired": _(", retired") if owner.is_retired else "",
                        },
                    )
                elif item.instance and holder is not None and holder.pk != item.instance.pk:
                    item.row.problem(
                        key,
                        _(
                            "%(value)s still belongs to another item (id %(id)s) that this file "
                            "renumbers. Changes are applied one at a time: free the number in one "
                            "import and reuse it in a second one."
                        )
                        % {"value": value, "id": holder.pk},
                    )
                taken[here] = item

    # -- results ----------------------------------------------------------------------------

    @property
    def has_errors(self) -> bool:
        return any(row.problems for row in self.rows)

    def status(self, row: Row) -> str:
        if row.problems:
            return "error"
        if any(item.is_new for item in row.items):
            return "new"
        if any(item.changes for item in row.items):
            return "changed"
        return "unchanged"

    def untouched_count(self) -> int:
        """Items of the matrix that the file does not mention: left as they are."""
        mentioned = {item.key for item in self.items.values()}
        count = 0
        for level in LEVELS:
            for pk, instance in self.plan.items[level].items():
                if level == "indicator" and instance.goal_id is None:
                    continue  # context indicators stand outside the matrix
                count += f"{level}:{pk}" not in mentioned
        return count

    def changes(self) -> list[dict]:
        """What confirming will do, in an order the services can follow (parents first), as
        JSON-ready dicts for the session. Empty while any row has an error."""
        if self.has_errors:
            return []
        creates, updates, retires = [], [], []
        orders = {
            level: max((i.order for i in self.plan.items[level].values()), default=0)
            for level in LEVELS[1:]
        }
        by_level = sorted(self.items.values(), key=lambda item: LEVELS.index(item.level))
        for item in by_level:
            data = {name: _json(value) for name, value in self._data(item).items()}
            parent_field = PARENT_FIELD[item.level]
            if item.is_new:
                parent_key = None
                if item.parent is None:
                    data["axis_id"] = item.axis.pk
                elif item.parent.is_new:
                    parent_key = item.parent.key
                else:
                    data[parent_field + "_id"] = item.parent.instance.pk
                if item.level in orders:
                    orders[item.level] += 1
                    data["order"] = orders[item.level]
                creates.append(
                    {
                        "action": "create",
                        "level": item.level,
                        "key": item.key,
                        "data": data,
                        "parent": [parent_field, parent_key] if parent_key else None,
                    }
                )
                continue
            version = item.values[f"{item.level}_version"]
            if data:
                updates.append(
                    {
                        "action": "update",
                        "level": item.level,
                        "key": item.key,
                        "pk": item.instance.pk,
                        "version": version,
                        "data": data,
                    }
                )
            if item.retire:
                retires.append(
                    {
                        "action": "retire",
                        "level": item.level,
                        "key": item.key,
                        "pk": item.instance.pk,
                        "version": version,
                        "data": {},
                    }
                )
        # Updates first: an addition may take a number or code that an update frees.
        return updates + creates + retires


def plan_changes(stored: list[dict]) -> list[PlanChange]:
    """The session's JSON changes as the services take them."""
    return [
        PlanChange(
            action=change["action"],
            model=MODELS[change["level"]],
            key=change["key"],
            pk=change.get("pk"),
            version=change.get("version"),
            data=change["data"],
            parent=tuple(change["parent"]) if change.get("parent") else None,
        )
        for change in stored
    ]


def preview(rows: list[Row], ignored: list[str]) -> dict:
    """The preview of an import, JSON-ready: kept in the session until confirmed."""
    plan_import = PlanImport(rows)
    shown = [
        {
            "sheet": row.sheet,
            "row": row.number,
            "status": plan_import.status(row),
            "item": row.chain[-1].label if row.chain else "",
            "new": [item.label for item in row.items if item.is_new],
            "changes": [
                {
                    "item": item.label,
                    "column": column,
                    "letter": row.letters.get(column, ""),
                    "before": before,
                    "after": after,
                }
                for item in row.items
                for column, before, after in item.changes
            ],
            "problems": [
                {"column": column, "letter": row.letters.get(column, ""), "message": message}
                for column, message in row.problems
            ],
        }
        for row in rows
    ]
    counts = dict.fromkeys(("new", "changed", "unchanged", "error"), 0)
    for row in shown:
        counts[row["status"]] += 1
    return {
        "rows": shown,
        "counts": counts,
        "changes": plan_import.changes(),
        "ignored_columns": ignored,
        "untouched": plan_import.untouched_count(),
    }
