"""The audit trail of values: what is kept of a value before and after each change, and the record
itself (who, when, from which path). Written by monitoring.values.services, .workflow and .imports
in the transaction of the change; read back by the value's page (monitoring.review.trail)."""

from .models import ValueAudit


def snapshot(value) -> dict:
    """What the audit trail keeps of a value, before and after each change. `value` is a Value or
    any record with its fields (the bulk import reads plain rows)."""
    return {
        "number": None if value.number is None else str(value.number),
        "text": value.text,
        "disaggregation": value.disaggregation,
        "status": value.status,
        "comment": value.comment,
        "review_comment": value.review_comment,
    }


def record(value, *, user, action, path, before, note="") -> ValueAudit:
    return ValueAudit.objects.create(
        value=value,
        user=user,
        action=action,
        path=path,
        before=before,
        after=snapshot(value),
        note=note,
    )
