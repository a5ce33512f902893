"""Every write to a value: validation, the workflow and the audit trail, in one transaction.

Forms, the API and spreadsheet imports call these functions and nothing else. Access is decided by
corett.access; a refusal raises PermissionDenied, bad input raises ValidationError with messages
per field, and a save based on an old version raises StaleValue. The steps of the review (submit,
return, validate, reopen) are monitoring.values.workflow's table; the functions named after them
here take one step each.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country, Indicator

from ..periods.models import Period
from . import audit, quality, workflow
from .cleaning import clean_comment, clean_value
from .formatting import describe
from .models import Status, Value, ValueAudit
from .workflow import StaleValue

__all__ = [
    "BulkRefused",
    "StaleValue",
    "value_reopen",
    "value_return",
    "value_save",
    "value_submit",
    "value_follow_up",
    "value_validate",
    "values_validate",
]


@transaction.atomic
def value_save(
    *,
    user,
    indicator: Indicator,
    country: Country | None,
    period: Period,
    number=None,
    text: str = "",
    disaggregation: dict | None = None,
    comment: str = "",
    path: str,
    version: int | None = None,
) -> Value:
    """Creates or changes a value as a draft. Validated and submitted values cannot be changed by
    their country: the secretariat returns or reopens them first.

    `version` is the version the person last saw: 0 when they saw an empty cell, None to skip the
    check. A value saved meanwhile by someone else raises StaleValue."""
    if not access.can_enter_values(user, country):
        raise PermissionDenied
    clean = clean_value(indicator, number=number, text=text, disaggregation=disaggregation)
    quality.check_bounds(indicator, clean.number)
    comment = clean_comment(comment)
    workflow.check_period(period, indicator)
    value = Value.objects.filter(indicator=indicator, country=country, period=period).first()
    if value is None:
        value = Value(indicator=indicator, country=country, period=period)
        before = None
    else:
        value = workflow.lock(value, version)
        workflow.check_editable(value)
        before = audit.snapshot(value)
        value.version += 1
    value.number, value.text, value.disaggregation = clean.number, clean.text, clean.disaggregation
    value.comment = comment
    value.unusual_from = quality.unusual_from(indicator, country, period, clean.number)
    value.status = Status.DRAFT if value.status != Status.RETURNED else Status.RETURNED
    value.updated_at = timezone.now()
    if before is None:
        workflow.create_unless_someone_just_did(
            value, indicator=indicator, country=country, period=period
        )
    else:
        value.save()
    audit.record(value, user=user, action=ValueAudit.Action.SAVED, path=path, before=before)
    return value


def value_submit(*, user, value: Value, path: str, version: int | None = None) -> Value:
    """A draft or returned value goes to the secretariat; after the close date it is late."""
    return workflow.transition(value, workflow.SUBMIT, user=user, version=version, path=path)


def value_return(
    *, user, value: Value, comment: str, path: str, version: int | None = None
) -> Value:
    """The secretariat sends a submitted value back to its country with a comment."""
    return workflow.transition(
        value, workflow.RETURN, user=user, version=version, note=comment, path=path
    )


def value_validate(*, user, value: Value, path: str, version: int | None = None) -> Value:
    """The secretariat accepts a submitted value: from now on it is locked on every write path."""
    return workflow.transition(value, workflow.VALIDATE, user=user, version=version, path=path)


def value_reopen(
    *, user, value: Value, reason: str, path: str, version: int | None = None
) -> Value:
    """The secretariat unlocks a validated value so that its country can correct it."""
    return workflow.transition(
        value, workflow.REOPEN, user=user, version=version, note=reason, path=path
    )


class BulkRefused(Exception):
    """Values of a batch that could not be validated: {value id: why}. Nothing was validated."""

    def __init__(self, problems: dict[int, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


@transaction.atomic
def values_validate(*, user, selection: dict[int, int], path: str) -> int:
    """Validates every selected value ({id: the version the person saw}), or none: a value that
    changed since (returned by a colleague, resubmitted…) stops the whole batch (BulkRefused)."""
    values = Value.objects.select_related("indicator", "country", "period").in_bulk(list(selection))
    problems = {}
    for pk, version in selection.items():
        value = values.get(pk)
        if value is None:
            problems[pk] = _("One of the values no longer exists.")
            continue
        try:
            value_validate(user=user, value=value, path=path, version=version)
        except StaleValue as stale:
            problems[pk] = _(
                "%(value)s changed since the queue was shown (state now: %(status)s)."
            ) % {
                "value": describe(value),
                "status": stale.current.get_status_display(),
            }
        except ValidationError as error:
            problems[pk] = f"{describe(value)}: {' '.join(error.messages)}"
    if problems:
        raise BulkRefused(problems)
    return len(selection)


@transaction.atomic
def value_follow_up(*, user, value: Value, note: str, resolve: bool = False) -> Value:
    """The secretariat marks a value, whatever its state, for follow-up with a note, or clears the
    mark once resolved (the note then says how). Recorded in the audit trail; the value's version
    does not change, so nobody's open page goes stale over it."""
    if not access.can_mark_follow_up(user):
        raise PermissionDenied
    note = (note or "").strip()
    if not note and not resolve:
        raise ValidationError({"follow_up_note": _("Say what needs following up.")})
    value = workflow.lock(value, None)
    if resolve and not value.follow_up:
        raise ValidationError({"follow_up_note": _("This value is not marked for follow-up.")})
    before = audit.snapshot(value)
    value.follow_up = not resolve
    value.follow_up_note = "" if resolve else note
    value.save(update_fields=["follow_up", "follow_up_note"])
    action = ValueAudit.Action.RESOLVED if resolve else ValueAudit.Action.FOLLOW_UP
    audit.record(
        value, user=user, action=action, path=ValueAudit.Path.FORM, before=before, note=note
    )
    return value
