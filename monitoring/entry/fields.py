"""The fields of one indicator's row on the data-entry page, made once per kind of row and shared,
what a row shows before anything is typed (its initial values and their digest), and `RowShown`:
a row as first shown, read by monitoring.entry.inputs like an unbound form.

A Django form deep-copies its declared fields when it is made; at the deadline's shape a page has
a hundred rows and over a thousand inputs, and building a form per row was most of the page's
time (issue 13). The rows a person typed in (`typed_in`) get their ValueRowForm on a POST
(validation, errors beside the fields, what was typed kept); every other row is shown from plain
data, with the same names, ids, labels, attributes, values and digest.
"""

import hashlib
import json

from django import forms
from django.utils.translation import gettext_lazy

from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

from ..values.cleaning import too_long_lazy
from ..values.formatting import input_number
from ..values.models import TEXT_MAX_LENGTH, Value

Kind = Indicator.Kind


def typed(raw) -> str:
    """Input as typed, the way a browser sends it back: trimmed, one kind of line break."""
    return str(raw or "").replace("\r\n", "\n").strip()


def digest(values: list[str]) -> str:
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:32]


_CELLS: dict[str, list] = {}
_VALUE_FIELDS: dict[str, forms.Field] = {}


def cells(dimension) -> list[tuple[str, forms.CharField]]:
    """The input fields of a dimension's categories, made once and shared by every row: nothing
    changes them once made (a breakdown's error is pointed at through the form's
    cells_described, not the widgets' attributes)."""
    if dimension.key not in _CELLS:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "size": 6}
        _CELLS[dimension.key] = [
            (
                f"{dimension.key}__{category}",
                forms.CharField(
                    label=label,
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs=attrs),
                ),
            )
            for category, label in dimension.categories.items()
        ]
    return _CELLS[dimension.key]


def _value_field(kind: str) -> forms.Field:
    """The field of the value itself, by the indicator's kind (made once, shared)."""
    if kind in _VALUE_FIELDS:
        return _VALUE_FIELDS[kind]
    if kind == Kind.TEXT:
        field = forms.CharField(
            label=gettext_lazy("Value"),
            required=False,
            strip=True,
            max_length=TEXT_MAX_LENGTH,
            error_messages={"max_length": too_long_lazy(TEXT_MAX_LENGTH)},
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    elif kind == Kind.YES_NO:
        field = forms.ChoiceField(
            label=gettext_lazy("Value"),
            required=False,
            choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
            widget=forms.RadioSelect,
        )
    else:
        attrs = {"inputmode": "numeric" if kind == Kind.COUNT else "decimal"}
        attrs["autocomplete"] = "off"
        field = forms.CharField(
            label=gettext_lazy("Value"),
            required=False,
            max_length=30,
            widget=forms.TextInput(attrs=attrs),
        )
    _VALUE_FIELDS[kind] = field
    return field


# The breakdown's messages (which dimension is off, by how much) go under its fieldset.
BREAKDOWN = forms.CharField(required=False, widget=forms.HiddenInput)


def row_fields(indicator: Indicator) -> tuple[dict, str, list]:
    """(the fields a row adds to the declared ones, the name of the value's field, the breakdown
    as [(dimension, [field names])]): the value typed by the indicator's kind, the breakdown's
    cells by its dimensions (counts only), the breakdown's hidden anchor."""
    kind = indicator.kind
    value_field = "text" if kind == Kind.TEXT else "number"
    fields = {value_field: _value_field(kind)}
    dimensions = []
    if kind == Kind.COUNT:
        for key in indicator.disaggregations:
            dimension = DIMENSIONS.get(key)
            if dimension is None:
                continue
            names = []
            for name, cell in cells(dimension):
                fields[name] = cell
                names.append(name)
            dimensions.append((dimension, names))
    fields["breakdown"] = BREAKDOWN
    return fields, value_field, dimensions


def tracked(value_field: str, dimensions: list) -> list[str]:
    """The inputs whose digest tells whether the person changed the row (forms.TrackedForm)."""
    return [value_field, *(name for _dimension, names in dimensions for name in names), "comment"]


def row_tracked(indicator: Indicator) -> list[str]:
    """tracked() of an indicator's row."""
    _fields, value_field, dimensions = row_fields(indicator)
    return tracked(value_field, dimensions)


def row_initial(indicator: Indicator, value: Value | None, value_field: str) -> dict:
    """What a row's inputs hold before anything is typed: the stored value, if any."""
    if value is None:
        return {}
    initial = {
        value_field: value.text if indicator.kind == Kind.TEXT else input_number(value.number),
        "comment": value.comment,
    }
    for key, counts in (value.disaggregation or {}).items():
        for category, count in counts.items():
            initial[f"{key}__{category}"] = str(count)
    return initial


def typed_in(data, files, prefix: str, names: list[str]) -> bool:
    """Did the person type in this posted row (or form), or choose a file? Read from the raw
    input, before any validation: a page posts every row, and most come back as they were shown;
    those are left alone without being validated (a tampered digest differs, so its row is
    validated and refused). A row not posted (read-only) was not typed in."""
    if f"{prefix}-seen" not in data:
        return False
    if files and files.get(f"{prefix}-evidence"):
        return True
    now = digest([typed(data.get(f"{prefix}-{name}")) for name in names])
    return data.get(f"{prefix}-seen") != now


def with_tracking(initial: dict, names: list[str], version: int) -> dict:
    """The initial values with the row's hidden `version` and `seen` (forms.TrackedForm)."""
    initial["version"] = version
    initial["seen"] = digest([typed(initial.get(name)) for name in names])
    return initial


class RowShown:
    """A row's inputs as first shown, without a form: what monitoring.entry.inputs reads of an
    unbound ValueRowForm (fields, prefixed names, initial values), from the same definitions.
    Never posted, so never validated: EntryForms.save skips it."""

    is_bound = False
    posted = False
    errors: dict = {}
    cells_described = ""

    def __init__(self, *, prefix: str, indicator: Indicator, value: Value | None, declared: dict):
        self.prefix = prefix
        self.indicator = indicator
        extra, self.value_field, self.dimensions = row_fields(indicator)
        self.fields = {**declared, **extra}
        self.is_count = indicator.kind == Kind.COUNT
        self.initial = with_tracking(
            row_initial(indicator, value, self.value_field),
            tracked(self.value_field, self.dimensions),
            value.version if value else 0,
        )

    def add_prefix(self, name: str) -> str:
        return f"{self.prefix}-{name}"
