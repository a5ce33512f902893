"""How a change to a plan item reads: its values as people read them, the words taken out and
put in, the rows of a conflict beside what was typed, and the item's history entry by entry."""

import re
from decimal import Decimal
from difflib import SequenceMatcher

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .forms import DISAGGREGATIONS, field_label
from .models import Indicator, PlanItem
from .services import CONTENT_FIELDS, POSITION_FIELD


def blank(value) -> bool:
    return value is None or value == "" or value == []


def display(model, name: str, value) -> str:
    """A stored value as people read it, for the history and the side-by-side of a conflict."""
    if blank(value):
        return "—"
    if model is Indicator and name == "kind":
        return str(dict(Indicator.Kind.choices).get(value, value))
    if model is Indicator and name == "disaggregations":
        labels = dict(DISAGGREGATIONS)
        return ", ".join(str(labels.get(key, key)) for key in value)
    if isinstance(value, Decimal):
        return floatformat(value, "-2")
    return str(value)


def marked(model, name: str, before, after) -> tuple[str, str]:
    """Two values as people read them, with the words taken out of the first in <del> and the
    words put into the second in <ins>: a one-word change in a long paragraph stands out."""
    old, new = display(model, name, before), display(model, name, after)
    if not (isinstance(before, str) and isinstance(after, str)) or blank(before) or blank(after):
        return old, new
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_parts.append(removed)
            new_parts.append(added)
            continue
        if removed:
            old_parts.append(f"<del>{removed}</del>")
        if added:
            new_parts.append(f"<ins>{added}</ins>")
    # Every piece was escaped above: only the marks are HTML.
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def conflict_rows(cleaned_data: dict, current: PlanItem) -> dict:
    """What the other person saved next to what this person typed, field by field."""
    model = type(current)
    rows = []
    for name in CONTENT_FIELDS[model]:
        theirs, yours = getattr(current, name), cleaned_data[name]
        current_value, your_value = marked(model, name, theirs, yours)
        rows.append(
            {
                "label": field_label(model, name),
                "current": current_value,
                "yours": your_value,
                "differs": not (theirs == yours or blank(theirs) and blank(yours)),
            }
        )
    return {"rows": rows, "change": current.history.select_related("history_user").first()}


REASONS = {
    services.CREATED: gettext_lazy("Created"),
    services.RETIRED: gettext_lazy("Retired"),
    services.RESTORED: gettext_lazy("Restored"),
    services.MOVED: gettext_lazy("Moved"),
    services.BASELINE: gettext_lazy("As it stood before the first change in the portal"),
    "": gettext_lazy("Edited"),
}
REVERTED = re.compile(services.REVERTED.format(version=r"(?P<version>\d+)"))


def _reason(record) -> str:
    reason = record.history_change_reason or ""
    if reason in REASONS:
        return str(REASONS[reason])
    if match := REVERTED.fullmatch(reason):
        return _("Reverted to version %(version)s") % match.groupdict()
    return reason  # a reason written elsewhere (an import, the API): shown as it was recorded


def history_entries(item: PlanItem) -> list[dict]:
    """The item's versions, newest first, each with its reason and what changed from the one
    before (the first: every field it was created with)."""
    model = type(item)
    fields = [*CONTENT_FIELDS[model], *filter(None, [POSITION_FIELD.get(model)])]
    records = list(item.history.select_related("history_user").order_by("history_date", "pk"))
    entries, previous = [], None
    for record in records:
        if previous is None:
            # The first record: the item as created (or as loaded, before the portal's history).
            changes = [
                {"label": field_label(model, name), "after": display(model, name, value)}
                for name in fields
                if not blank(value := getattr(record, name))
            ]
        else:
            delta = record.diff_against(previous, included_fields=fields)
            changed = {change.field: change for change in delta.changes}
            changes = [
                dict(
                    zip(
                        ("before", "after"),
                        marked(model, name, changed[name].old, changed[name].new),
                        strict=True,
                    ),
                    label=field_label(model, name),
                )
                for name in fields
                if name in changed
            ]
        entries.append(
            {
                "record": record,
                "reason": _reason(record),
                "changes": changes,
                "first": previous is None,
                "latest": record is records[-1],
            }
        )
        previous = record
    entries.reverse()
    return entries
