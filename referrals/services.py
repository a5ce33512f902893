"""Writes to the directory. Who may write is decided before (corett.access); these keep each
entry's version (a save based on an old version is refused), its history (simple-history, with
the user) and its verification stamp."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class StaleEntry(Exception):
    """The entry changed since the form was opened: nothing was saved."""

    def __init__(self, current):
        super().__init__(current)
        self.current = current


def _stamp(instance, user, reason: str) -> None:
    """The history record's author and reason. The reason is kept untranslated (a msgid) and
    translated when the history is shown, in the reader's language."""
    instance._history_user = user
    instance._change_reason = reason


@transaction.atomic
def entry_save(*, user, form, version: int | None, reason: str = ""):
    """Saves a valid ModelForm of a directory entry: a new one, or an existing one if it is still
    at `version` (else StaleEntry with the entry as it is now). Returns the saved entry."""
    instance = form.instance
    if instance.pk is not None:
        current = type(instance).objects.select_for_update().get(pk=instance.pk)
        if version != current.version:
            raise StaleEntry(current)
        instance = form.save(commit=False)
        instance.version = current.version + 1
    else:
        instance = form.save(commit=False)
    _stamp(instance, user, reason or gettext_noop("edited"))
    instance.full_clean()
    instance.save()
    form.save_m2m()
    return instance


@transaction.atomic
def actor_save(*, user, form, contacts, version: int | None, reason: str = ""):
    """Saves a valid actor form with its contact persons (a valid inline formset): both, or
    neither. The contact persons are part of the actor's entry: they are saved under its version
    check (entry_save) and each change to one is recorded in its own history, with the user."""
    actor = entry_save(user=user, form=form, version=version, reason=reason)
    contacts.instance = actor
    changed = contacts.save(commit=False)
    for contact in changed:
        contact.actor = actor
        _stamp(contact, user, gettext_noop("edited"))
        contact.full_clean()
        contact.save()
    for contact in contacts.deleted_objects:
        _stamp(contact, user, gettext_noop("deleted"))
        contact.delete()
    return actor


@transaction.atomic
def entry_mark_verified(*, user, entry, version: int | None):
    """Records that `user` confirmed the entry today; it is no longer "to be verified"."""
    current = type(entry).objects.select_for_update().get(pk=entry.pk)
    if version is not None and version != current.version:
        raise StaleEntry(current)
    current.verified_at = timezone.now()
    current.verified_by = user
    if hasattr(current, "to_be_verified"):
        current.to_be_verified = False
    current.version += 1
    _stamp(current, user, gettext_noop("verified"))
    current.save()
    return current


@transaction.atomic
def step_delete(*, user, step, version: int | None) -> None:
    current = type(step).objects.select_for_update().get(pk=step.pk)
    if version is not None and version != current.version:
        raise StaleEntry(current)
    _stamp(current, user, gettext_noop("deleted"))
    current.delete()


def next_step_order(route) -> int:
    last = route.steps.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def check_unique_order(route, order: int, exclude_pk=None) -> None:
    clash = route.steps.filter(order=order).exclude(pk=exclude_pk).exists()
    if clash:
        raise ValidationError(
            _("Another step of this route already has number %(order)s.") % {"order": order},
            code="order_taken",
        )
