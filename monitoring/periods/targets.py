"""Targets: what each indicator should reach in a period, per country and for the region, set by
the secretariat in a grid (monitoring.periods.views.targets). Checked with the values' own rules."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from strategy.models import Country, Indicator

from ..values.cleaning import clean_value
from ..values.formatting import input_number
from .models import Period, Target
from .services import require_manager

REGION = "region"  # the place of regional targets, which have no country
TARGET_KINDS = (Indicator.Kind.COUNT, Indicator.Kind.PERCENTAGE, Indicator.Kind.YES_NO)


def place_key(country: Country | None) -> str:
    return country.code if country else REGION


def target_field(part: str, indicator: Indicator, country: Country | None) -> str:
    """The name of a target grid's input: part is "target" or "baseline"."""
    return f"{part}-{indicator.pk}-{place_key(country)}"


def target_indicators():
    """The indicators that take numeric targets: text indicators have none."""
    return (
        Indicator.objects.current()
        .filter(kind__in=TARGET_KINDS)
        .select_related("goal__activity__objective__axis")
        .order_by("goal__activity__objective__axis__number", "order", "code")
    )


def period_indicators(period: Period):
    return target_indicators().filter(frequency=period.kind)


def targets_of(period: Period) -> dict[tuple[int, int | None], Target]:
    """{(indicator id, country id or None): target} for a period, in one query."""
    return {(t.indicator_id, t.country_id): t for t in Target.objects.filter(period=period)}


def _parsed(raw: str) -> Decimal | None:
    """A shown value back to a number, to compare it with what is stored now."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class TargetCell:
    """One cell of the target grid as the form sent it: what is typed now and what was shown."""

    indicator: Indicator
    country: Country | None
    target: str
    baseline: str
    shown_target: str = ""
    shown_baseline: str = ""


def _checked(indicator: Indicator, raw: str) -> Decimal:
    """A target or baseline: the indicator's kind rules (whole counts, 0 to 100 per cent, yes or
    no as 1 or 0, never negative), the same as for values."""
    try:
        return clean_value(indicator, number=raw).number
    except ValidationError as error:
        raise ValidationError(error.message_dict.get("number", error.messages)) from None


@transaction.atomic
def targets_save(*, user, period: Period, cells: list[TargetCell]) -> int:
    """Saves the cells of a period's target grid, all or nothing. An empty target removes it.

    A cell whose stored target changed since the page was shown is refused, so that two people
    editing the grid do not undo each other's figures. Raises ValidationError keyed by the grid's
    input names (target_field). Returns the number of cells changed."""
    require_manager(user)
    current = {
        (t.indicator_id, t.country_id): t
        for t in Target.objects.select_for_update().filter(period=period)
    }
    errors: dict[str, list[str]] = {}
    creates, updates, deletes = [], [], []
    for cell in cells:
        indicator, country = cell.indicator, cell.country
        key = (indicator.pk, country.pk if country else None)
        target_name = target_field("target", indicator, country)
        baseline_name = target_field("baseline", indicator, country)
        if indicator.kind not in TARGET_KINDS:
            errors[target_name] = [_("A text indicator has no numeric target.")]
            continue
        stored = current.get(key)
        now = (stored.value, stored.baseline) if stored else (None, None)
        if now != (_parsed(cell.shown_target), _parsed(cell.shown_baseline)):
            errors[target_name] = [
                _(
                    "Someone changed this target while you were editing: it is now %(target)s "
                    "(baseline %(baseline)s). Check it and save again."
                )
                % {"target": input_number(now[0]) or "—", "baseline": input_number(now[1]) or "—"}
            ]
            continue
        target, baseline = (cell.target or "").strip(), (cell.baseline or "").strip()
        value = base = None
        try:
            value = _checked(indicator, target) if target else None
        except ValidationError as error:
            errors[target_name] = error.messages
        try:
            base = _checked(indicator, baseline) if baseline else None
        except ValidationError as error:
            errors[baseline_name] = error.messages
        if not target and baseline:
            errors.setdefault(target_name, [_("Set the target too, or clear the baseline.")])
        if target_name in errors or baseline_name in errors:
            continue
        if value is None:
            if stored:
                deletes.append(stored.pk)
        elif stored is None:
            creates.append(
                Target(
                    indicator=indicator, country=country, period=period, value=value, baseline=base
                )
            )
        elif (stored.value, stored.baseline) != (value, base):
            stored.value, stored.baseline = value, base
            updates.append(stored)
    if errors:
        raise ValidationError(errors)
    for target in creates + updates:
        # The related rows were just read; checking them again would cost a query per cell.
        target.clean_fields(exclude=["indicator", "country", "period"])
    Target.objects.filter(pk__in=deletes).delete()
    Target.objects.bulk_create(creates)
    Target.objects.bulk_update(updates, ["value", "baseline"])
    return len(creates) + len(updates) + len(deletes)
