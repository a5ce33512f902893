"""Writes to the operative plan. Forms, the API and spreadsheet imports all go through these."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import PlanItem


@dataclass
class StaleVersion(Exception):
    """The item changed since the editor loaded it: saving would overwrite someone else's change."""

    current: PlanItem


def _save(instance: PlanItem, user, reason: str = "") -> PlanItem:
    instance.full_clean()
    instance._history_user = user
    instance._change_reason = reason
    instance.save()
    return instance


@transaction.atomic
def plan_item_create(*, user, model: type[PlanItem], data: dict) -> PlanItem:
    return _save(model(**data), user, "created")


@transaction.atomic
def plan_item_update(*, user, instance: PlanItem, data: dict, version: int) -> PlanItem:
    """Applies `data` if the item is still at `version`; raises StaleVersion otherwise."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if current.version != version:
        raise StaleVersion(current)
    for field, value in data.items():
        setattr(current, field, value)
    current.version += 1
    return _save(current, user)


@transaction.atomic
def plan_item_retire(*, user, instance: PlanItem, version: int) -> PlanItem:
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if current.version != version:
        raise StaleVersion(current)
    current.retired_at = timezone.now()
    current.version += 1
    return _save(current, user, "retired")
