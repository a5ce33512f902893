"""The life of a report request: asked for, sent to the workers, rendered, written, downloaded.

- `report_request` (a person, from a page or the API): checks access and input, saves the request
  as queued and, once committed, sends it to the workers (`report_dispatch`). The same report on
  the same data already rendered is reused at once. A broker that cannot be reached leaves the
  request queued, never an error for the person: the sweep sends it when the broker is back.
- `report_generate` (the Celery task, from the request's id): renders and writes the file
  atomically; idempotent, so that a message delivered twice does no harm.
- `reports_sweep` (Celery beat, every minute): sends requests never sent, and those whose worker
  died; gives up with the reason after settings.REPORTS_MAX_ATTEMPTS attempts.
- `reports_for_closed_periods` (Celery beat, daily): when a period closes, the regional report and
  every country's (`report_scopes`), in each language of settings.REPORTS_SCHEDULE_LANGUAGES.

With no broker (CELERY_TASK_ALWAYS_EAGER, `make run`) the task runs in-process when dispatched,
so the file is there as soon as the request is saved.
"""

import datetime
import logging

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country

from ..periods.models import Period
from . import storage
from .generation import State, fail, gave_up_reason
from .models import ReportRequest
from .tasks import generate_report
from .versions import data_version

logger = logging.getLogger(__name__)

# Publishing a message: the broker is down or unreachable.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)
# One quick retry, then give up: the person waits for an answer, the sweep sends it later.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
NEVER_SENT_GRACE = 30  # seconds: a request just saved is about to be sent by its own commit


# --- Asking for a report -----------------------------------------------------------------------


def _check(*, period: Period, language: str) -> None:
    errors = {}
    if period.starts_on > timezone.localdate():
        errors["period"] = _(
            "Period %(period)s has not started yet: there is nothing to report."
        ) % {"period": period.code}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose Spanish or English.")
    if errors:
        raise ValidationError(errors)


def _reusable(*, country, period, language: str, draft: bool, version: str):
    """A finished report of the same inputs on the same data, whose file is still there."""
    done = ReportRequest.objects.filter(
        country=country,
        period=period,
        language=language,
        draft=draft,
        status=State.DONE,
        data_version=version,
    ).first()
    return done if done and storage.exists(done.file) else None


@transaction.atomic
def report_request(
    *,
    user,
    country: Country | None,
    period: Period,
    language: str,
    draft: bool = False,
    scheduled: bool = False,
) -> ReportRequest:
    """Saves a request for the report of `country` (None: the regional report) and sends it to
    the workers once committed. Raises PermissionDenied or ValidationError (per field)."""
    if not scheduled and not access.can_request_report(user, country, draft=draft):
        raise PermissionDenied
    _check(period=period, language=language)
    report = ReportRequest(
        country=country,
        period=period,
        language=language,
        draft=draft,
        requested_by=user if user is not None and user.is_authenticated else None,
        scheduled=scheduled,
    )
    version = data_version(country=country, period=period, language=language, draft=draft)
    done = _reusable(
        country=country, period=period, language=language, draft=draft, version=version.digest
    )
    if done is not None:
        now = timezone.now()
        report.status, report.progress = State.DONE, 100
        report.file, report.pages, report.size = done.file, done.pages, done.size
        report.data_version, report.data_as_of = done.data_version, done.data_as_of
        report.started_at = report.finished_at = now
    # The fields' own rules; not the references (the objects just read: a query each again) nor
    # the constraints (a query and two savepoints each): the database keeps those, and the
    # schedule counts on its IntegrityError when two runs race.
    report.full_clean(exclude={"country", "period", "requested_by"}, validate_constraints=False)
    report.save()
    if done is None:
        transaction.on_commit(lambda: report_dispatch(report.pk))
    return report


def report_dispatch(report_id: int) -> bool:
    """Sends the request to the workers (in-process without a broker). False when the broker
    cannot be reached: the request stays queued, never sent, for the sweep."""
    ReportRequest.objects.filter(pk=report_id, status=State.QUEUED).update(
        dispatched_at=timezone.now()
    )
    try:
        generate_report.apply_async((report_id,), retry=True, retry_policy=PUBLISH_RETRY)
    except PUBLISH_ERRORS as error:
        logger.warning("report %s stays queued: the broker is unreachable (%s)", report_id, error)
        ReportRequest.objects.filter(pk=report_id, status=State.QUEUED).update(dispatched_at=None)
        return False
    return True


def was_sent(report: ReportRequest) -> bool:
    """Did the workers get it (or, without a broker, has it run)? For telling the person."""
    report.refresh_from_db()
    return report.status != State.QUEUED or report.dispatched_at is not None


# --- The sweep and the schedule (Celery beat) ----------------------------------------------------


def reports_sweep(*, now: datetime.datetime | None = None, grace: int = NEVER_SENT_GRACE) -> dict:
    """Sends requests left queued and never sent (the broker was down), or sent long ago (the
    message was lost); sends again those running past settings.REPORTS_STUCK_AFTER (their worker
    died: the hard time limit is shorter), or marks them failed after the last attempt. Deletes
    temporary files dead workers left. Returns the counts, for the log."""
    now = now or timezone.now()
    stuck = datetime.timedelta(seconds=settings.REPORTS_STUCK_AFTER)
    counts = {"sent": 0, "restarted": 0, "failed": 0}
    unfinished = ReportRequest.objects.filter(status__in=[State.QUEUED, State.RUNNING])
    to_send = list(
        unfinished.filter(
            status=State.QUEUED,
            dispatched_at__isnull=True,
            created_at__lte=now - datetime.timedelta(seconds=grace),
        ).values_list("pk", flat=True)
    )
    to_send += unfinished.filter(status=State.QUEUED, dispatched_at__lt=now - stuck).values_list(
        "pk", flat=True
    )
    for report in unfinished.filter(status=State.RUNNING, started_at__lt=now - stuck):
        with translation.override(report.language):
            report.error = _("The worker stopped before finishing the report.")
            if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
                fail(report, gave_up_reason(report))
                counts["failed"] += 1
                continue
        changed = ReportRequest.objects.filter(
            pk=report.pk, status=State.RUNNING, started_at=report.started_at
        ).update(status=State.QUEUED, progress=0, error=report.error, file="")
        if changed:
            counts["restarted"] += 1
            to_send.append(report.pk)
    for report_id in to_send:
        counts["sent"] += report_dispatch(report_id)
    counts["leftovers"] = storage.remove_leftovers(older_than=stuck.total_seconds())
    return counts


def periods_just_closed(today: datetime.date):
    """Periods that closed (their close date passed, or they were locked) within the last
    settings.REPORTS_SCHEDULE_DAYS days. A period has no "close" event: its state follows from
    its dates (monitoring.periods), so the daily schedule looks back over a few days."""
    since = today - datetime.timedelta(days=settings.REPORTS_SCHEDULE_DAYS)
    closed = Q(closes_on__gte=since, closes_on__lt=today) | Q(
        locked_at__date__gte=since, locked_at__date__lte=today
    )
    return Period.objects.filter(closed).order_by("starts_on")


def report_scopes() -> list[Country | None]:
    """A period's set of reports, in the order they are sent to the workers: the regional one
    first, the most read and the longest to render (about three countries' time), so that workers
    sharing the countries' reports after it finish the set together; then each country's."""
    return [None, *Country.objects.order_by("code")]


def reports_for_closed_periods(*, today: datetime.date | None = None) -> list[ReportRequest]:
    """Every country's report and the regional one for each period just closed that has no
    scheduled set yet, in each scheduled language; sent to the workers once committed."""
    today = today or timezone.localdate()
    created = []
    countries = report_scopes()
    for period in periods_just_closed(today):
        if ReportRequest.objects.filter(period=period, scheduled=True).exists():
            continue
        try:
            with transaction.atomic():
                created += [
                    report_request(
                        user=None, country=country, period=period, language=language, scheduled=True
                    )
                    for language in settings.REPORTS_SCHEDULE_LANGUAGES
                    for country in countries
                ]
        except IntegrityError:
            logger.info("the reports of %s were scheduled by another run", period)
    return created
