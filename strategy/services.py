"""Writes to the operative plan. Forms, the API and spreadsheet imports all go through these.

Every write bumps the item's `version` (so a form or client holding an older one is refused) and
leaves a historical record saying who did it and why (`history_change_reason`: CREATED, RETIRED…).
"""

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity, Axis, Goal, Indicator, OperationalObjective, PlanItem


def _localized(*names: str) -> list[str]:
    """The per-language columns of translated fields, Spanish first (the order of LANGUAGES)."""
    return [f"{name}_{code}" for name in names for code, _name in settings.LANGUAGES]


# What a person edits, and what a revert brings back: content, not position, parent or retirement.
CONTENT_FIELDS: dict[type[PlanItem], list[str]] = {
    Axis: _localized("name", "specific_objective", "description"),
    OperationalObjective: _localized("text"),
    Activity: ["code", *_localized("text", "responsible", "timeframe")],
    Goal: ["code", *_localized("text")],
    Indicator: [
        "code",
        *_localized("name", "unit"),
        "kind",
        "disaggregations",
        "baseline",
        "target",
        "minimum",
        "maximum",
        "change_tolerance",
    ],
}
# Where an item sits among its siblings. Axes are fixed: their number is part of their identity.
POSITION_FIELD = {
    OperationalObjective: "number",
    Activity: "order",
    Goal: "order",
    Indicator: "order",
}
PARENT_FIELD = {
    OperationalObjective: "axis",
    Activity: "objective",
    Goal: "activity",
    Indicator: "goal",  # empty for context indicators
}

# history_change_reason values. An empty reason is a plain edit.
CREATED = "created"
RETIRED = "retired"
RESTORED = "restored"
MOVED = "moved"
REVERTED = "reverted to version {version}"
BASELINE = "before the first change in the portal"


@dataclass
class StaleVersion(Exception):
    """The item changed since the editor loaded it: saving would overwrite someone else's change."""

    current: PlanItem


def plan_item_check_code(instance: PlanItem) -> None:
    """Activity and goal codes (1.1, 1.1.1…) name one item within an axis, retired ones included,
    so that past reports stay unambiguous. No database constraint can say this (the axis is two
    joins away), so every write checks it here."""
    if isinstance(instance, Activity):
        others = Activity.objects.filter(objective__axis_id=instance.objective.axis_id)
        taken = _(
            "Activity %(code)s already exists in this axis. Activity codes must be unique within "
            "an axis: they name the activity in reports and spreadsheets."
        )
        taken_by_retired = _(
            "A retired activity of this axis already has code %(code)s. Codes stay unique within "
            "an axis, retired items included: restore that activity, or choose another code."
        )
    elif isinstance(instance, Goal):
        axis_id = instance.activity.objective.axis_id
        others = Goal.objects.filter(activity__objective__axis_id=axis_id)
        taken = _(
            "Goal %(code)s already exists in this axis. Goal codes must be unique within an axis: "
            "they name the goal in reports and spreadsheets."
        )
        taken_by_retired = _(
            "A retired goal of this axis already has code %(code)s. Codes stay unique within an "
            "axis, retired items included: restore that goal, or choose another code."
        )
    else:
        return
    clash = others.filter(code=instance.code).exclude(pk=instance.pk).first()
    if clash:
        message = taken_by_retired if clash.is_retired else taken
        raise ValidationError({"code": message % {"code": instance.code}})


def _save(instance: PlanItem, user, reason: str = "") -> PlanItem:
    instance.full_clean()
    plan_item_check_code(instance)
    instance._history_user = user
    instance._change_reason = reason
    instance.save()
    return instance


def _record_baseline(item: PlanItem) -> None:
    """Items loaded from fixtures have no history. Record their state before the first change, so
    that it can be compared with and restored. Attributed to nobody: no user made it."""
    historical = type(item).history.model
    if historical.objects.filter(id=item.pk).exists():
        return
    historical.objects.create(
        history_date=timezone.now(),
        history_type="+",
        history_user=None,
        history_change_reason=BASELINE,
        **{field.attname: getattr(item, field.attname) for field in historical.tracked_fields},
    )


def _lock(instance: PlanItem, version: int | None = None) -> PlanItem:
    """The item as stored, locked until the transaction ends; StaleVersion if not at `version`."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if version is not None and current.version != version:
        raise StaleVersion(current)
    _record_baseline(current)
    return current


def _next_position(model: type[PlanItem], data: dict) -> int:
    position = POSITION_FIELD[model]
    items = model.objects.all()
    if model is OperationalObjective:
        # Numbers are unique within an axis: lock the axis so that two new objectives don't collide.
        axis_id = data["axis"].pk if data.get("axis") else data["axis_id"]
        Axis.objects.select_for_update().get(pk=axis_id)
        items = items.filter(axis_id=axis_id)
    # Activities, goals and indicators are ordered document-wide: the end of the whole list is
    # also the end of the item's own siblings.
    return (items.aggregate(last=Max(position))["last"] or 0) + 1


@transaction.atomic
def plan_item_create(*, user, model: type[PlanItem], data: dict) -> PlanItem:
    """Creates an item; without a position in `data` it goes last among its siblings."""
    position = POSITION_FIELD.get(model)
    if position and data.get(position) is None:
        data = {**data, position: _next_position(model, data)}
    return _save(model(**data), user, CREATED)


@transaction.atomic
def plan_item_update(*, user, instance: PlanItem, data: dict, version: int) -> PlanItem:
    """Applies `data` if the item is still at `version`; raises StaleVersion otherwise."""
    current = _lock(instance, version)
    for field, value in data.items():
        setattr(current, field, value)
    current.version += 1
    return _save(current, user)


@transaction.atomic
def plan_item_retire(*, user, instance: PlanItem, version: int) -> PlanItem:
    current = _lock(instance, version)
    current.retired_at = timezone.now()
    current.version += 1
    return _save(current, user, RETIRED)


@transaction.atomic
def plan_item_restore(*, user, instance: PlanItem, version: int) -> PlanItem:
    """Puts a retired item back in force, where it was."""
    current = _lock(instance, version)
    current.retired_at = None
    current.version += 1
    return _save(current, user, RESTORED)


@transaction.atomic
def plan_item_move(
    *, user, instance: PlanItem, direction: Literal["up", "down"]
) -> PlanItem | None:
    """Swaps the item's position with its neighbour among the items in force of the same parent.

    Returns the neighbour, or None when the item is already first (up) or last (down). Retired
    items don't move: they have no place in the current plan.
    """
    model = type(instance)
    if model not in POSITION_FIELD:
        raise ValueError(f"{model.__name__} items have a fixed position")
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    position, parent = POSITION_FIELD[model], f"{PARENT_FIELD[model]}_id"
    current = _lock(instance)
    if current.is_retired:
        raise ValueError("retired items have no position to change")
    here = getattr(current, position)
    siblings = model.objects.current().filter(**{parent: getattr(current, parent)})
    if direction == "up":
        before = Q(**{f"{position}__lt": here}) | Q(**{position: here, "pk__lt": current.pk})
        neighbour = siblings.filter(before).order_by(f"-{position}", "-pk").first()
    else:
        after = Q(**{f"{position}__gt": here}) | Q(**{position: here, "pk__gt": current.pk})
        neighbour = siblings.filter(after).order_by(position, "pk").first()
    if neighbour is None:
        return None
    neighbour = _lock(neighbour)
    there = getattr(neighbour, position)
    if model is OperationalObjective:
        # (axis, number) is unique: park the item on a free number while the neighbour moves.
        last = model.objects.filter(axis_id=current.axis_id).aggregate(m=Max("number"))["m"]
        model.objects.filter(pk=current.pk).update(number=last + 1)
    for item, value in ((neighbour, here), (current, there)):
        setattr(item, position, value)
        item.version += 1
        _save(item, user, MOVED)
    return neighbour


@transaction.atomic
def plan_item_revert(*, user, instance: PlanItem, history_id: int, version: int) -> PlanItem:
    """Brings back the content of an earlier version as a new change, so that the revert is in the
    history too. Position and retirement are left as they are: they have their own actions.

    Raises StaleVersion if the item is no longer at `version`, and the historical model's
    DoesNotExist if `history_id` is not a version of this item.
    """
    current = _lock(instance, version)
    record = type(current).history.get(history_id=history_id, id=current.pk)
    for field in CONTENT_FIELDS[type(current)]:
        setattr(current, field, getattr(record, field))
    current.version += 1
    return _save(current, user, REVERTED.format(version=record.version))


@dataclass
class PlanChange:
    """One step of a previewed spreadsheet import (see strategy.spreadsheets.comparison)."""

    action: str  # "create", "update" or "retire"
    model: type[PlanItem]
    key: str  # names the item within the import: the children of a created item refer to it
    data: dict
    pk: int | None = None
    version: int | None = None
    parent: tuple[str, str] | None = None  # a create's (foreign key, key of an earlier create)


@transaction.atomic
def plan_items_import(*, user, changes: list[PlanChange]) -> dict[str, int]:
    """Applies a previewed import through the services above, in one transaction: all of it, or
    nothing if any item changed since the preview (StaleVersion) or fails validation.

    Returns how many items were created, updated and retired."""
    created: dict[str, PlanItem] = {}
    versions: dict[str, int] = {}  # an item updated and then retired is one version further on
    counts = dict.fromkeys(("create", "update", "retire"), 0)
    for change in changes:
        if change.action == "create":
            data = dict(change.data)
            if change.parent:
                field, key = change.parent
                data[field] = created[key]
            created[change.key] = plan_item_create(user=user, model=change.model, data=data)
        else:
            instance, version = change.model(pk=change.pk), versions.get(change.key, change.version)
            if change.action == "update":
                item = plan_item_update(
                    user=user, instance=instance, data=change.data, version=version
                )
            elif change.action == "retire":
                item = plan_item_retire(user=user, instance=instance, version=version)
            else:
                raise ValueError(f"unknown import action {change.action!r}")
            versions[change.key] = item.version
        counts[change.action] += 1
    return counts
