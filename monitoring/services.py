"""Every write to a value: validation, the workflow and the audit trail, in one transaction.

Forms, the API and spreadsheet imports call these functions and nothing else. Access is decided by
corett.access; a refusal raises PermissionDenied, bad input raises ValidationError with messages
per field, and a save based on an old version raises StaleValue.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from strategy.dimensions import DIMENSIONS
from strategy.models import Country, Indicator

from . import notices
from .models import Period, Status, Value, ValueAudit

# Digits as people type them; Decimal would also take "1e3", "٣" or "NaN".
PLAIN = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]+)?\s*", re.ASCII)
MAX_NUMBER = Decimal("999999999999")
CENTS = Decimal("0.01")  # what the column holds, and more than any real count
EDITABLE = {Status.DRAFT, Status.RETURNED}


@dataclass
class StaleValue(Exception):
    """The value changed since the form or file was read: saving would overwrite that change."""

    current: Value


@dataclass(frozen=True)
class CleanValue:
    number: Decimal | None
    text: str
    disaggregation: dict


def _number(raw) -> Decimal:
    """A finite number from a number or from text in plain ASCII digits ("12", "12.5")."""
    if isinstance(raw, bool) or not (
        isinstance(raw, int | float | Decimal) or PLAIN.fullmatch(str(raw))
    ):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    return number


def clean_value(indicator: Indicator, *, number=None, text="", disaggregation=None) -> CleanValue:
    """Checks a value against its indicator's kind and dimensions. No database access, so that
    imports can check thousands of rows quickly. Raises ValidationError with messages per field."""
    kind = indicator.kind
    text = (text or "").strip()
    if kind == Indicator.Kind.TEXT:
        if not text:
            raise ValidationError({"text": _("Write the value.")})
        if len(text) > 500:
            raise ValidationError({"text": _("Keep it under 500 characters.")})
        if disaggregation:
            raise ValidationError({"disaggregation": _("A text value has no breakdown.")})
        return CleanValue(None, text, {})

    if number in (None, ""):
        raise ValidationError({"number": _("Enter the value.")})
    try:
        number = _number(number)
    except ValidationError as error:
        raise ValidationError({"number": error.messages}) from None
    if number < 0:
        raise ValidationError({"number": _("The value cannot be negative.")})
    if kind == Indicator.Kind.COUNT:
        if number != number.to_integral_value():
            raise ValidationError({"number": _("A count is a whole number.")})
        if number > MAX_NUMBER:
            raise ValidationError({"number": _("This number is too large to be a count.")})
    elif kind == Indicator.Kind.PERCENTAGE:
        if number > 100:
            raise ValidationError({"number": _("A percentage is between 0 and 100.")})
        if number != number.quantize(CENTS):
            raise ValidationError({"number": _("Use at most two decimals.")})
    elif kind == Indicator.Kind.YES_NO and number not in (0, 1):
        raise ValidationError({"number": _("Answer yes (1) or no (0).")})
    breakdown = _clean_disaggregation(indicator, number, disaggregation or {})
    return CleanValue(number.quantize(CENTS), "", breakdown)  # as the column stores it


def _clean_disaggregation(indicator: Indicator, total: Decimal, breakdown) -> dict:
    if not breakdown:
        return {}
    if indicator.kind != Indicator.Kind.COUNT or not isinstance(breakdown, dict):
        raise ValidationError({"disaggregation": _("This indicator has no breakdown.")})
    errors, clean = [], {}
    for key, categories in breakdown.items():
        dimension = DIMENSIONS.get(key)
        if dimension is None or key not in indicator.disaggregations:
            errors.append(
                _("%(dimension)s is not a breakdown of this indicator.") % {"dimension": key}
            )
            continue
        if not isinstance(categories, dict):
            errors.append(
                _("%(dimension)s: give a number per category.") % {"dimension": dimension.label}
            )
            continue
        counts = {}
        for category, raw in categories.items():
            if category not in dimension.categories:
                errors.append(
                    _("%(dimension)s: “%(category)s” is not one of its categories.")
                    % {"dimension": dimension.label, "category": category}
                )
                continue
            if raw in (None, ""):
                continue
            try:
                count = _number(raw)
            except ValidationError:
                count = Decimal(-1)
            if count < 0 or count != count.to_integral_value():
                errors.append(
                    _("%(dimension)s, %(category)s: enter a whole number, 0 or more.")
                    % {"dimension": dimension.label, "category": dimension.categories[category]}
                )
                continue
            counts[category] = int(count)
        difference = sum(counts.values()) - total
        if not errors and difference:
            numbers = {
                "dimension": dimension.label,
                "sum": sum(counts.values()),
                "difference": abs(difference),
                "total": int(total),
            }
            if difference > 0:
                message = _(
                    "%(dimension)s adds up to %(sum)s: %(difference)s over the total %(total)s."
                )
            else:
                message = _(
                    "%(dimension)s adds up to %(sum)s: %(difference)s under the total %(total)s."
                )
            errors.append(message % numbers)
        if counts:
            clean[key] = counts
    if errors:
        raise ValidationError({"disaggregation": errors})
    return clean


def _check_period(period: Period, indicator: Indicator) -> None:
    state = period.state
    if state == Period.State.LOCKED:
        raise ValidationError({"period": _("Period %(period)s is locked.") % {"period": period}})
    if state == Period.State.UPCOMING:
        raise ValidationError(
            {"period": _("Period %(period)s is not open yet.") % {"period": period}}
        )
    if period.kind != indicator.frequency:
        raise ValidationError(
            {
                "period": _("This indicator is reported per %(frequency)s, not per %(kind)s.")
                % {
                    "frequency": indicator.get_frequency_display(),
                    "kind": period.get_kind_display(),
                }
            }
        )


def snapshot(value: Value) -> dict:
    """What the audit trail keeps of a value, before and after each change."""
    return {
        "number": None if value.number is None else str(value.number),
        "text": value.text,
        "disaggregation": value.disaggregation,
        "status": value.status,
        "comment": value.comment,
        "review_comment": value.review_comment,
    }


def _record(value: Value, *, user, action, path, before, note="") -> None:
    ValueAudit.objects.create(
        value=value,
        user=user,
        action=action,
        path=path,
        before=before,
        after=snapshot(value),
        note=note,
    )


def _locked_for_update(value: Value, version: int | None) -> Value:
    current = (
        # Lock the value's row only: PostgreSQL cannot lock the nullable side of the country join.
        Value.objects.select_for_update(of=("self",))
        .select_related("indicator", "period", "country")
        .get(pk=value.pk)
    )
    if version is not None and current.version != version:
        raise StaleValue(current)
    return current


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
    _check_period(period, indicator)
    value = Value.objects.filter(indicator=indicator, country=country, period=period).first()
    if value is None:
        value = Value(indicator=indicator, country=country, period=period)
        before = None
    else:
        value = _locked_for_update(value, version)
        if value.status not in EDITABLE:
            raise ValidationError(
                {
                    "status": _("This value is %(status)s: it can no longer be changed here.")
                    % {"status": value.get_status_display()}
                }
            )
        before = snapshot(value)
        value.version += 1
    value.number, value.text, value.disaggregation = clean.number, clean.text, clean.disaggregation
    value.comment = (comment or "").strip()
    value.status = Status.DRAFT if value.status != Status.RETURNED else Status.RETURNED
    value.updated_at = timezone.now()
    if before is None:
        create_unless_someone_just_did(
            value, StaleValue, indicator=indicator, country=country, period=period
        )
    else:
        value.save()
    _record(value, user=user, action=ValueAudit.Action.SAVED, path=path, before=before)
    return value


def create_unless_someone_just_did(row, stale: type[Exception], **cell) -> None:
    """Inserts a new row for a cell (a value, a narrative) that was empty when the person looked.
    Two people filling the same empty cell at once: the second insert meets the first one's row
    and raises `stale` with it, like any other late save, instead of failing on the constraint."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        current = type(row).objects.filter(**cell).first()
        if current is None:
            raise
        raise stale(current) from None


def _transition(value, *, user, allowed_from, to, action, path, version, note="", may=None):
    if not (may or access.can_review_values)(user):
        raise PermissionDenied
    value = _locked_for_update(value, version)
    if value.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("This value is %(status)s: it cannot be %(action)s.")
                % {"status": value.get_status_display(), "action": ValueAudit.Action(action).label}
            }
        )
    before = snapshot(value)
    value.status = to
    value.version += 1
    value.updated_at = timezone.now()
    return value, before


@transaction.atomic
def value_submit(*, user, value: Value, path: str, version: int | None = None) -> Value:
    """A draft or returned value goes to the secretariat; after the close date it is late."""
    value, before = _transition(
        value,
        user=user,
        allowed_from=EDITABLE,
        to=Status.SUBMITTED,
        action=ValueAudit.Action.SUBMITTED,
        path=path,
        version=version,
        may=lambda u: access.can_enter_values(u, value.country),
    )
    _check_period(value.period, value.indicator)
    value.submitted_at = timezone.now()
    value.late = timezone.localdate() > value.period.closes_on
    value.save()
    _record(value, user=user, action=ValueAudit.Action.SUBMITTED, path=path, before=before)
    return value


@transaction.atomic
def value_return(
    *, user, value: Value, comment: str, path: str, version: int | None = None
) -> Value:
    """The secretariat sends a submitted value back to its country with a comment."""
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what needs fixing.")})
    value, before = _transition(
        value,
        user=user,
        allowed_from={Status.SUBMITTED},
        to=Status.RETURNED,
        action=ValueAudit.Action.RETURNED,
        path=path,
        version=version,
    )
    value.review_comment = comment.strip()
    value.save()
    _record(
        value, user=user, action=ValueAudit.Action.RETURNED, path=path, before=before, note=comment
    )
    transaction.on_commit(lambda: notices.value_reviewed(value.pk, Status.RETURNED), robust=True)
    return value


@transaction.atomic
def value_validate(*, user, value: Value, path: str, version: int | None = None) -> Value:
    """The secretariat accepts a submitted value: from now on it is locked on every write path."""
    value, before = _transition(
        value,
        user=user,
        allowed_from={Status.SUBMITTED},
        to=Status.VALIDATED,
        action=ValueAudit.Action.VALIDATED,
        path=path,
        version=version,
    )
    value.review_comment = ""
    value.save()
    _record(value, user=user, action=ValueAudit.Action.VALIDATED, path=path, before=before)
    transaction.on_commit(lambda: notices.value_reviewed(value.pk, Status.VALIDATED), robust=True)
    return value


@transaction.atomic
def value_reopen(
    *, user, value: Value, reason: str, path: str, version: int | None = None
) -> Value:
    """The secretariat unlocks a validated value so that its country can correct it."""
    if not (reason or "").strip():
        raise ValidationError({"review_comment": _("Say why the value is reopened.")})
    value, before = _transition(
        value,
        user=user,
        allowed_from={Status.VALIDATED},
        to=Status.RETURNED,
        action=ValueAudit.Action.REOPENED,
        path=path,
        version=version,
    )
    if value.period.state == Period.State.LOCKED:
        raise ValidationError(
            {
                "period": _("Period %(period)s is locked: unlock it first.")
                % {"period": value.period}
            }
        )
    value.review_comment = reason.strip()
    value.save()
    _record(
        value, user=user, action=ValueAudit.Action.REOPENED, path=path, before=before, note=reason
    )
    return value
