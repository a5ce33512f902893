"""The layout of a value spreadsheet: the columns of the template, of the import (the same) and
of the values list, each header ending in its key in brackets so that a file reads the same
whatever the language of its headers ("Value [value]", "Valor [value]")."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from strategy.dimensions import DIMENSIONS


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    width: int = 14
    editable: bool = False  # unlocked in the template
    read: bool = True  # read back on import (the others only inform)


COUNTRY = Column("country", _("Country"), 9)
PERIOD = Column("period", _("Period"), 9)
INDICATOR = Column("indicator", _("Indicator code"), 16)
NAME = Column("name", _("Indicator"), 48, read=False)
KIND = Column("kind", _("Kind"), 12, read=False)
UNIT = Column("unit", _("Unit"), 14, read=False)
STATUS = Column("status", _("Status"), 12, read=False)
VALUE = Column("value", _("Value"), 12, editable=True)
COMMENT = Column("comment", _("Comment"), 40, editable=True)
VERSION = Column("version", _("Version (do not change)"), 10)

BEFORE_BREAKDOWN = [COUNTRY, PERIOD, INDICATOR, NAME, KIND, UNIT, STATUS, VALUE]
AFTER_BREAKDOWN = [COMMENT, VERSION]
REQUIRED = ["country", "period", "indicator", "value"]
HEADER_KEY = re.compile(r"\[([a-z0-9_]+(?:\.[a-z0-9_]+)?)\]\s*$")


def breakdown_key(dimension: str, category: str) -> str:
    return f"{dimension}.{category}"


def breakdown_columns(dimension_keys) -> list[Column]:
    """A column per category, "not specified" included, of each dimension named, in order."""
    columns = []
    for key in DIMENSIONS:
        if key in dimension_keys:
            dimension = DIMENSIONS[key]
            for category, label in dimension.categories.items():
                columns.append(
                    Column(
                        breakdown_key(key, category),
                        format_lazy("{}: {}", dimension.label, label),
                        12,
                        editable=True,
                    )
                )
    return columns


BREAKDOWN = {column.key: column for column in breakdown_columns(DIMENSIONS)}
COLUMN = {column.key: column for column in [*BEFORE_BREAKDOWN, *AFTER_BREAKDOWN]} | BREAKDOWN


def layout(dimension_keys) -> list[Column]:
    return [*BEFORE_BREAKDOWN, *breakdown_columns(dimension_keys), *AFTER_BREAKDOWN]


def header(column: Column) -> str:
    return f"{column.label} [{column.key}]"


def label(key: str) -> str:
    """A column's label in the current language, for messages; empty for an unknown key.
    "breakdown" names the breakdown columns together."""
    if key == "breakdown":
        return str(_("Breakdown"))
    column = COLUMN.get(key)
    return str(column.label) if column else ""


def header_key(text) -> str | None:
    """The column key a header cell names, or None."""
    match = HEADER_KEY.search(str(text or ""))
    if match and match.group(1) in COLUMN:
        return match.group(1)
    return None
