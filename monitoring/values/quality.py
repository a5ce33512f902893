"""Quality checks at entry: the one set of rules that the data-entry page, the values API and the
spreadsheet import apply (through monitoring.values.services, .imports and .workflow), with the
same messages.

- Bounds: an indicator may have a lowest and a highest acceptable value, set by the secretariat
  (strategy's Indicator.minimum and .maximum); a value outside them is refused on every path.
- Year-on-year change: a value that differs from the same country's value of the previous period
  (same frequency) by more than the indicator's tolerance (Indicator.change_tolerance, 50% unless
  changed), and by at least MIN_CHANGE units so that 2 → 4 does not trip it, is unusual. It is
  saved as a draft with the previous figure kept in Value.unusual_from, but it cannot be submitted
  without a comment explaining it. The secretariat sees the flag and the comment in the queue and
  on the value's page.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from strategy.models import Indicator

from ..periods.models import Period
from .models import Value

MIN_CHANGE = Decimal(5)  # units (or percentage points): smaller changes are never unusual
CHECKED_KINDS = (Indicator.Kind.COUNT, Indicator.Kind.PERCENTAGE)


def _figure(number: Decimal) -> str:
    return number_format(number.normalize() if number == number.to_integral() else number)


def check_bounds(indicator: Indicator, number: Decimal | None) -> None:
    """Raises ValidationError under "number" when the value is outside the indicator's bounds."""
    if number is None or indicator.kind not in CHECKED_KINDS:
        return
    if indicator.minimum is not None and number < indicator.minimum:
        raise ValidationError(
            {
                "number": _(
                    "%(value)s is below the lowest value accepted for this indicator (%(bound)s)."
                )
                % {"value": _figure(number), "bound": _figure(indicator.minimum)}
            }
        )
    if indicator.maximum is not None and number > indicator.maximum:
        raise ValidationError(
            {
                "number": _(
                    "%(value)s is above the highest value accepted for this indicator (%(bound)s)."
                )
                % {"value": _figure(number), "bound": _figure(indicator.maximum)}
            }
        )


def unusual(indicator: Indicator, number: Decimal | None, previous: Decimal | None) -> bool:
    """Whether going from `previous` to `number` is beyond the indicator's tolerance."""
    if number is None or previous is None or indicator.kind not in CHECKED_KINDS:
        return False
    change = abs(number - previous)
    if change < MIN_CHANGE:
        return False
    return previous == 0 or change * 100 > previous * indicator.change_tolerance


def previous_numbers(period: Period, indicator_ids, country_ids) -> dict:
    """{(indicator id, country id): number} of the previous period, for many cells at once (the
    import): two queries whatever their number."""
    before = period.previous
    if before is None:
        return {}
    rows = Value.objects.filter(
        period=before, indicator_id__in=indicator_ids, country_id__in=country_ids
    ).values_list("indicator_id", "country_id", "number")
    return {(indicator, country): number for indicator, country, number in rows}


def unusual_from(indicator: Indicator, country, period: Period, number) -> Decimal | None:
    """The previous period's figure if `number` changed from it beyond the tolerance, else None."""
    if country is None or number is None or indicator.kind not in CHECKED_KINDS:
        return None
    country_id = getattr(country, "pk", country)
    previous = previous_numbers(period, [indicator.pk], [country_id]).get(
        (indicator.pk, country_id)
    )
    return previous if unusual(indicator, number, previous) else None


def change_message(indicator: Indicator, number: Decimal, previous: Decimal) -> str:
    """What the person entering an unusual value is told, on every path, in their language."""
    names = {
        "value": _figure(number),
        "previous": _figure(previous),
        "tolerance": indicator.change_tolerance,
    }
    if previous:
        names["change"] = f"{(number - previous) * 100 / previous:+.0f}"
        return (
            _(
                "%(value)s changes by %(change)s%% from the previous period (%(previous)s), more "
                "than the %(tolerance)s%% expected: explain the change in the comment before "
                "submitting."
            )
            % names
        )
    return (
        _(
            "%(value)s changes from %(previous)s in the previous period: explain the change in "
            "the comment before submitting."
        )
        % names
    )


def flag(value) -> str:
    """What the secretariat reads of an unusual value (in the queue, on its page); "" if none."""
    if value.unusual_from is None or value.number is None:
        return ""
    return _("Unusual change: %(value)s against %(previous)s in the previous period.") % {
        "value": _figure(value.number),
        "previous": _figure(value.unusual_from),
    }


def warning(value) -> str:
    """The message of an unusual value still without its explanation; "" otherwise."""
    if value.unusual_from is None or (value.comment or "").strip():
        return ""
    return change_message(value.indicator, value.number, value.unusual_from)


def check_submittable(value: Value) -> None:
    """An unusual value goes to the secretariat only with a comment explaining it."""
    message = warning(value)
    if message:
        raise ValidationError({"comment": message})
