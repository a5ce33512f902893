"""A value's audit trail as people read it: who, when, and what changed, field by field and
breakdown cell by cell."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

from ..values.formatting import value_text
from ..values.models import Status, Value


def _category_labels(key: str) -> tuple[str, dict]:
    dimension = DIMENSIONS.get(key)
    if dimension is None:
        return key, {}
    return str(dimension.label), dimension.categories


def _position(order: list, key) -> int:
    return order.index(key) if key in order else len(order)


STATUS_LABELS = dict(Status.choices)


def _changes(indicator: Indicator, before: dict | None, after: dict) -> list[dict]:
    """What an audit record changed, field by field and breakdown cell by cell, as people read
    it. The first record of a value (before is None) lists what it was created with."""
    before = before or {}
    labels = {
        "status": _("State"),
        "number": _("Value"),
        "text": _("Value"),
        "comment": _("Comment"),
        "review_comment": _("Secretariat's comment"),
    }
    rows = []
    for key, label in labels.items():
        old, new = before.get(key), after.get(key)
        if old == new or (not old and not new):
            continue
        if key == "status":
            old, new = capfirst(STATUS_LABELS.get(old, old)), capfirst(STATUS_LABELS.get(new, new))
        elif key in {"number", "text"}:
            old = value_text(indicator.kind, old, old) if old not in (None, "") else None
            new = value_text(indicator.kind, new, new) if new not in (None, "") else None
        rows.append({"label": label, "before": old or "—", "after": new or "—"})
    old_b, new_b = before.get("disaggregation") or {}, after.get("disaggregation") or {}
    dimensions = sorted(set(old_b) | set(new_b), key=lambda k: _position(list(DIMENSIONS), k))
    for key in dimensions:
        label, categories = _category_labels(key)
        old_cells, new_cells = old_b.get(key) or {}, new_b.get(key) or {}
        order = list(categories)
        for cat in sorted(set(old_cells) | set(new_cells), key=lambda c: _position(order, c)):
            old, new = old_cells.get(cat), new_cells.get(cat)
            if old != new:
                rows.append(
                    {
                        "label": f"{label} · {categories.get(cat, cat)}",
                        "before": "—" if old is None else old,
                        "after": "—" if new is None else new,
                    }
                )
    return rows


def audit_trail(value: Value, *, full: bool) -> list[dict]:
    """The value's history, newest first: in full (who, what changed, notes) for those who may
    see its drafts; otherwise only when each step of the workflow happened."""
    entries = []
    for audit in value.audits.select_related("user").order_by("-at", "-pk"):
        entry = {"audit": audit, "action": audit.get_action_display()}
        if full:
            entry["who"] = audit.user.get_full_name() or audit.user.username if audit.user else None
            entry["changes"] = _changes(value.indicator, audit.before, audit.after)
            entry["path"] = audit.get_path_display()
        entries.append(entry)
    return entries
