"""E-mail of the monitoring workflow, to the focal points of a country, in Spanish then English.

- A value returned or validated by the secretariat: a notice linking straight to the value.
  The workflow queues it once the review is committed (monitoring.values.tasks.value_reviewed);
  a Celery task sends it (`send_value_notice` there, which calls `send_value_notice_now`).
- Reminders before a period closes (`send_reminders`, run daily by Celery beat): 14 and 3 days
  before the close date, the focal points of each country that still has values to submit get one
  e-mail listing them. "Once" holds by construction: a period is due on the two days whose
  distance to its close date is exactly 14 or 3, and beat runs the task once a day (a crontab, so
  that a restart does not run it again).

Links are absolute, built from settings.PORTAL_URL (the address people reach the portal at).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corett.models import User
from strategy.models import Country, Indicator

from ..periods.models import Period
from .formatting import shown
from .models import Status, Value
from .selectors import indicators_to_report

logger = logging.getLogger(__name__)

LANGUAGES = ("es", "en")  # Spanish first: the region works in Spanish
REMINDER_DAYS = (14, 3)
REVIEW_ACTIONS = {Status.RETURNED, Status.VALIDATED}
REPORTED = {Status.SUBMITTED, Status.VALIDATED}


def portal_url(path: str) -> str:
    base = settings.PORTAL_URL
    return base.rstrip("/") + path


def focal_point_addresses(country_ids) -> dict[int, list[str]]:
    """{country id: e-mail addresses of its active focal points}, in one query."""
    addresses = defaultdict(list)
    users = User.objects.filter(
        role=User.Role.FOCAL_POINT, is_active=True, country_id__in=country_ids
    ).exclude(email="")
    for country_id, email in users.order_by("pk").values_list("country_id", "email"):
        addresses[country_id].append(email)
    return addresses


def _bilingual(template: str, subject, context) -> tuple[str, str]:
    """(subject, body) in Spanish then English; `subject` and `context` are called once per
    language, with that language active, so that names and links come in that language."""
    subjects, bodies = [], []
    for code in LANGUAGES:
        with translation.override(code):
            subjects.append(subject())
            bodies.append(render_to_string(template, context()).strip())
    return " / ".join(dict.fromkeys(subjects)), "\n\n---\n\n".join(bodies) + "\n"


def _send(subject: str, body: str, addresses: list[str]) -> int:
    """One message per person: focal points do not see each other's addresses."""
    messages = [EmailMessage(subject, body, None, [address]) for address in addresses]
    return mailers.default.send_messages(messages) or 0


# --- Notices of the secretariat's review --------------------------------------------------------


def send_value_notice_now(value_id: int, action: str) -> int:
    """E-mails the focal points of the value's country that it was returned or validated.
    Returns the number of messages sent (0 for a regional value: it has no focal points)."""
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"no notice for {action!r}")
    value = (
        Value.objects.select_related("indicator", "country", "period").filter(pk=value_id).first()
    )
    if value is None or value.country_id is None:
        return 0
    addresses = focal_point_addresses([value.country_id])[value.country_id]
    if not addresses:
        return 0

    def subject():
        names = {
            "indicator": value.indicator.code,
            "country": value.country.name,
            "period": value.period.code,
        }
        if action == Status.RETURNED:
            return _("Value returned: %(indicator)s, %(country)s, %(period)s") % names
        return _("Value validated: %(indicator)s, %(country)s, %(period)s") % names

    def context():
        return {
            "value": value,
            "returned": action == Status.RETURNED,
            "shown": shown(value),
            "indicator_name": value.indicator.name,
            "link": portal_url(reverse("monitoring:value", kwargs={"pk": value.pk})),
        }

    subject_line, body = _bilingual("monitoring/email/value_notice.txt", subject, context)
    return _send(subject_line, body, addresses)


# --- Reminders before a period closes -----------------------------------------------------------


def periods_due(today: datetime.date):
    """Periods whose close date is exactly 14 or 3 days away and that take values today."""
    days = {today + datetime.timedelta(days=n) for n in REMINDER_DAYS}
    return Period.objects.open_on(today).filter(closes_on__in=days).order_by("closes_on", "kind")


def missing_values(period: Period) -> dict[int, list[tuple[Indicator, str | None]]]:
    """{country id: [(indicator, status or None)]}: what each country has not submitted yet for
    the period, in the plan's order (None: no value; draft or returned: not submitted). Countries
    with nothing missing are left out. Three queries."""
    indicators = list(indicators_to_report(period))
    states = {
        (country_id, indicator_id): status
        for country_id, indicator_id, status in Value.objects.filter(
            period=period, country__isnull=False, indicator__in=indicators
        ).values_list("country_id", "indicator_id", "status")
    }
    missing = {}
    for country_id in Country.objects.values_list("pk", flat=True):
        rows = [
            (indicator, states.get((country_id, indicator.pk)))
            for indicator in indicators
            if states.get((country_id, indicator.pk)) not in REPORTED
        ]
        if rows:
            missing[country_id] = rows
    return missing


def reminder(period: Period, country: Country, rows, days: int) -> tuple[str, str]:
    """(subject, body) of the reminder to a country's focal points."""

    def subject():
        return ngettext(
            "Reminder: %(period)s closes in %(days)s day for %(country)s",
            "Reminder: %(period)s closes in %(days)s days for %(country)s",
            days,
        ) % {"period": period.code, "days": days, "country": country.name}

    def context():
        link = reverse("monitoring:entry", kwargs={"country": country.code, "period": period.code})
        return {
            "country": country,
            "period": period,
            "days": days,
            "rows": [
                {
                    "indicator": indicator,
                    "state": Status(status).label if status else _("no value yet"),
                }
                for indicator, status in rows
            ],
            "link": portal_url(link),
        }

    return _bilingual("monitoring/email/reminder.txt", subject, context)


def send_reminders(today: datetime.date) -> int:
    """Reminds the focal points of every country with values missing for a period that closes in
    14 or 3 days. Returns the number of messages sent."""
    sent = 0
    for period in periods_due(today):
        missing = missing_values(period)
        if not missing:
            continue
        addresses = focal_point_addresses(missing.keys())
        countries = Country.objects.in_bulk(list(addresses))
        days = (period.closes_on - today).days
        for country_id, emails in addresses.items():
            subject, body = reminder(period, countries[country_id], missing[country_id], days)
            try:
                sent += _send(subject, body, emails)
            except Exception:  # noqa: BLE001 — one country's failure must not stop the others
                logger.exception("could not send the reminder for %s to %s", period, country_id)
    return sent
