"""The preview of an import: the rows read from a file compared with the plan, row by row, and
the changes that confirming would apply. Writes nothing.

Reading an import. A row is matched to existing items by their ids; an item without an id is new,
known by its number or code under its parent. An item's cells on later rows must be empty or
equal to its first row's. An item's version must still be the plan's, or the file is outdated.
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from corett.spreadsheets import blank_cell as _blank
from corett.spreadsheets import cell_text as _as_text
from corett.spreadsheets import normal_text as _normal_text

from ..models import Axis
from .columns import (
    COLUMN,
    FIELD_COLUMNS,
    LEVEL_COLUMNS,
    LEVELS,
    MODELS,
    PARENT_FIELD,
    UNIQUE_COLUMNS,
    Column,
)
from .reading import CENT, CellError, Row, _read_cell


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


class _Plan:
    """The plan as it stands, loaded once: axes by number, items by id (retired ones too)."""

    def __init__(self):
        self.axes = {axis.number: axis for axis in Axis.objects.all()}
        self.items = {
            level: {item.pk: item for item in MODELS[level].objects.all()} for level in LEVELS
        }


class PlanImport:
    """Reads the rows of an uploaded file against the plan and lists what confirming would do.

    Writes nothing. `rows` say, row by row, new / changed / unchanged / error;
    changes.import_changes() makes of it the list for services.plan_items_import, empty while
    any row has an error."""

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

    def data(self, item: Item) -> dict:
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
        data = self.data(item)
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
