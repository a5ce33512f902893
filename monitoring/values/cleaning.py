"""What a value may be, checked against its indicator's kind and dimensions: the one set of rules
that forms, the API, spreadsheet imports and target grids apply. No database access, so that an
import can check thousands of rows quickly. Raises ValidationError with messages per field."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

from .models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH

# Digits as people type them; Decimal would also take "1e3", "٣" or "NaN".
PLAIN = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]+)?\s*", re.ASCII)
MAX_NUMBER = Decimal("999999999999")
CENTS = Decimal("0.01")  # what the column holds, and more than any real count


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


def too_long(limit: int) -> str:
    """The one message for a text over its limit, on every path."""
    return _("Keep it under %(limit)s characters.") % {"limit": limit}


# For a form field's error_messages, read when shown, in the reader's language.
too_long_lazy = lazy(too_long, str)


def clean_comment(comment) -> str:
    """A country's comment, stripped; ValidationError {"comment": …} when over its limit."""
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": too_long(COMMENT_MAX_LENGTH)})
    return comment


def clean_value(indicator: Indicator, *, number=None, text="", disaggregation=None) -> CleanValue:
    """Checks a value against its indicator's kind and dimensions. No database access, so that
    imports can check thousands of rows quickly. Raises ValidationError with messages per field."""
    kind = indicator.kind
    text = (text or "").strip()
    if kind == Indicator.Kind.TEXT:
        if not text:
            raise ValidationError({"text": _("Write the value.")})
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError({"text": too_long(TEXT_MAX_LENGTH)})
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
