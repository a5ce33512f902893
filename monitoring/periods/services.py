"""Reporting periods: the secretariat's calendar. Creating, locking and unlocking a period.

Writes check access through corett.access, validate the same way on every path and raise
ValidationError with messages per field. Locking and unlocking a period are recorded in Django's
admin log (who and when), so that the period's history shows in the back office too without a
model of its own (monitoring.periods.selectors.period_overview reads it back).
"""

import datetime
import re

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Frequency

from .models import Period

LOCKED, UNLOCKED = "locked", "unlocked"  # change messages of the admin log entries
CODE_PATTERNS = {
    Frequency.ANNUAL: (re.compile(r"(?P<year>\d{4})"), "2026"),
    Frequency.SEMESTER: (re.compile(r"(?P<year>\d{4})-S[12]"), "2026-S1"),
    Frequency.QUARTER: (re.compile(r"(?P<year>\d{4})-Q[1-4]"), "2026-Q3"),
}
PERIOD_FIELDS = ("code", "kind", "starts_on", "ends_on", "opens_on", "closes_on")


def require_manager(user) -> None:
    if not access.can_manage_periods(user):
        raise PermissionDenied


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
    require_manager(user)
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
    require_manager(user)
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
    require_manager(user)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.locked_at:
        raise ValidationError(_("Period %(period)s is not locked.") % {"period": period})
    period.locked_at = None
    period.save(update_fields=["locked_at"])
    _log(user, period, UNLOCKED)
    return period
