"""What the periods page reads: every period with its state and how complete its values are."""

from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone

from strategy.models import Country, Indicator

from ..values.models import Status, Value
from .models import Period
from .services import LOCKED, UNLOCKED


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
