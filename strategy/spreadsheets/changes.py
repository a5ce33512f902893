"""What confirming an import would apply, read off its comparison with the plan: the changes as
JSON-ready steps for the session (parents first), those steps as the services take them, and the
preview a person checks before confirming. Writes nothing."""

from decimal import Decimal

from ..services import PlanChange
from .columns import LEVELS, MODELS, PARENT_FIELD
from .comparison import PlanImport
from .reading import Row


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


def import_changes(plan_import: PlanImport) -> list[dict]:
    """What confirming will do, in an order the services can follow (parents first), as
    JSON-ready dicts for the session. Empty while any row has an error."""
    if plan_import.has_errors:
        return []
    creates, updates, retires = [], [], []
    orders = {
        level: max((i.order for i in plan_import.plan.items[level].values()), default=0)
        for level in LEVELS[1:]
    }
    by_level = sorted(plan_import.items.values(), key=lambda item: LEVELS.index(item.level))
    for item in by_level:
        data = {name: _json(value) for name, value in plan_import.data(item).items()}
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
        "changes": import_changes(plan_import),
        "ignored_columns": ignored,
        "untouched": plan_import.untouched_count(),
    }
