"""Reporting periods and targets: the secretariat's calendar and what each indicator should reach.

Writes check access through corett.access, validate the same way on every path and raise
ValidationError with messages per field. Locking and unlocking a period are recorded in Django's
admin log (who and when), so that the period's history shows in the back office too without a
model of its own.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country, Frequency, Indicator

from .models import Period, Status, Target, Value
from .services import clean_value

LOCKED, UNLOCKED = "locked", "unlocked"  # change messages of the admin log entries
CODE_PATTERNS = {
    Frequency.ANNUAL: (re.compile(r"(?P<year>\d{4})"), "2026"),
    Frequency.SEMESTER: (re.compile(r"(?P<year>\d{4})-S[12]"), "2026-S1"),
    Frequency.QUARTER: (re.compile(r"(?P<year>\d{4})-Q[1-4]"), "2026-Q3"),
}
PERIOD_FIELDS = ("code", "kind", "starts_on", "ends_on", "opens_on", "closes_on")


def _require_manager(user) -> None:
    if not access.can_manage_periods(user):
        raise PermissionDenied


# --- Periods -----------------------------------------------------------------------------------


def period_problems(data: dict) -> dict[str, str]:
    """What is wrong with a new period's fields, per field, in the user's language."""
    problems = {}
    code, kind = (data.get("code") or "").strip(), data.get("kind")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    opens, closes = data.get("opens_on"), data.get("closes_on")
    if kind in CODE_PATTERNS and code:
        pattern, example = CODE_PATTERNS[kind]
        match = pattern.fullmatch(code)
        if match is None:
            problems["code"] = _("A period of this kind is named like %(example)s.") % {
                "example": example
            }
        elif starts and int(match["year"]) != starts.year:
            problems["code"] = _("The code names %(year)s but the period starts in %(start)s.") % {
                "year": match["year"],
                "start": starts.year,
            }
    if starts and ends and ends < starts:
        problems["ends_on"] = _("The period cannot end before it starts.")
    if opens and starts and opens < starts:
        problems["opens_on"] = _("Submissions cannot open before the period starts.")
    if closes and opens and closes < opens:
        problems["closes_on"] = _("Submissions cannot close before they open.")
    elif closes and ends and closes < ends:
        problems["closes_on"] = _("Submissions cannot close before the period ends.")
    if code and Period.objects.filter(code=code).exists():
        problems["code"] = _("Period %(code)s already exists.") % {"code": code}
    if kind and starts and ends and "ends_on" not in problems:
        overlap = Period.objects.filter(kind=kind, starts_on__lte=ends, ends_on__gte=starts).first()
        if overlap:
            problems["starts_on"] = _(
                "These dates overlap period %(code)s (%(start)s to %(end)s), of the same kind."
            ) % {"code": overlap.code, "start": overlap.starts_on, "end": overlap.ends_on}
    return problems


@transaction.atomic
def period_create(*, user, data: dict) -> Period:
    """A new reporting period; its state (upcoming, open, closed) follows from its dates."""
    _require_manager(user)
    fields = {name: data.get(name) for name in PERIOD_FIELDS}
    fields["code"] = (fields["code"] or "").strip()
    if problems := period_problems(fields):
        raise ValidationError(problems)
    period = Period(**fields)
    period.full_clean()
    period.save()
    return period


def period_suggestion(today: datetime.date | None = None) -> dict:
    """The next annual period after the last one, on the portal's calendar: entries from the first
    day of the year, due by 31 March of the next year."""
    last = Period.objects.filter(kind=Frequency.ANNUAL).order_by("-starts_on").first()
    year = last.starts_on.year + 1 if last else (today or timezone.localdate()).year
    return {
        "code": str(year),
        "kind": Frequency.ANNUAL,
        "starts_on": datetime.date(year, 1, 1),
        "ends_on": datetime.date(year, 12, 31),
        "opens_on": datetime.date(year, 1, 1),
        "closes_on": datetime.date(year + 1, 3, 31),
    }


def _log(user, period: Period, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[period], action_flag=CHANGE, change_message=message
    )


@transaction.atomic
def period_lock(*, user, period: Period) -> Period:
    """No value of a locked period can be saved or submitted any more, on any path."""
    _require_manager(user)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.locked_at:
        raise ValidationError(_("Period %(period)s is already locked.") % {"period": period})
    period.locked_at = timezone.now()
    period.save(update_fields=["locked_at"])
    _log(user, period, LOCKED)
    return period


@transaction.atomic
def period_unlock(*, user, period: Period) -> Period:
    """The period follows its dates again: open, or closed with late submissions flagged."""
    _require_manager(user)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.locked_at:
        raise ValidationError(_("Period %(period)s is not locked.") % {"period": period})
    period.locked_at = None
    period.save(update_fields=["locked_at"])
    _log(user, period, UNLOCKED)
    return period


@dataclass
class PeriodRow:
    period: Period
    state: str
    expected: int  # countries × the axes' indicators reported at this period's frequency
    reported: int  # submitted or validated
    validated: int
    late: int
    lock: LogEntry | None  # the last lock or unlock, if done in the portal

    @property
    def state_label(self) -> str:
        return Period.State(self.state).label

    @property
    def completeness(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 0


def period_overview() -> list[PeriodRow]:
    """Every period with its state and completeness, in four queries whatever the data."""
    today = timezone.localdate()
    periods = list(Period.objects.order_by("-starts_on", "kind"))
    countries = Country.objects.count()
    # As the matrix counts: the axes' indicators only; context indicators (outside the axes,
    # like Chart 3's) are not expected from every country every period.
    indicators = dict(
        Indicator.objects.current()
        .filter(goal__isnull=False)
        .order_by()
        .values_list("frequency")
        .annotate(n=Count("pk"))
        .values_list("frequency", "n")
    )
    counts = {
        row["period"]: row
        for row in Value.objects.of_countries()
        .filter(
            indicator__retired_at__isnull=True,
            indicator__goal__isnull=False,
            indicator__frequency=F("period__kind"),
        )
        .order_by()
        .values("period")
        .annotate(
            reported=Count("pk", filter=Q(status__in=[Status.SUBMITTED, Status.VALIDATED])),
            validated=Count("pk", filter=Q(status=Status.VALIDATED)),
            late=Count("pk", filter=Q(late=True)),
        )
    }
    logs = {}
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Period),
        change_message__in=[LOCKED, UNLOCKED],
    ).select_related("user")
    for entry in entries.order_by("action_time", "pk"):
        logs[entry.object_id] = entry  # the last one wins
    rows = []
    for period in periods:
        row = counts.get(period.pk, {})
        rows.append(
            PeriodRow(
                period=period,
                state=period.state_on(today),
                expected=countries * indicators.get(period.kind, 0),
                reported=row.get("reported", 0),
                validated=row.get("validated", 0),
                late=row.get("late", 0),
                lock=logs.get(str(period.pk)),
            )
        )
    return rows


# --- Targets -----------------------------------------------------------------------------------

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


def plain(number: Decimal | None) -> str:
    """A stored number as typed: 12.00 → "12", 12.50 → "12.5"."""
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


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
    _require_manager(user)
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
                % {"target": plain(now[0]) or "—", "baseline": plain(now[1]) or "—"}
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
