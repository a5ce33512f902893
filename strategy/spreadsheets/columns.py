"""The spreadsheet's layout: its columns, their headers, and the plan's levels they belong to.

Layout. One row per indicator, as in the document's matrix (objective | activity | goal |
indicator | responsible | timeframe); a goal, activity or objective without children still gets
a row of its own. Each item's texts are given on its first row only (merged down in the XLSX, as
the document merges them; empty below in the CSV). Its id, number or code and version are
repeated on every row, so that each row says where it belongs. Both languages are present
(`activity_text_es`, `activity_text_en`…). Headers are readable in the user's language and end
with the column's key in brackets ("Actividad (español) [activity_text_es]"): the import reads
the key, so a file exported in English can be imported from the Spanish pages.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from ..models import Activity, Goal, Indicator, OperationalObjective

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
