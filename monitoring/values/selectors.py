"""What a country reports: the periods that take values on a day, and the indicators reported in
a period (what the data-entry page lists and what the reminders count as missing)."""

from django.db.models import Q

from strategy.models import Indicator

from ..periods.models import Period
from .models import Value


def reportable_periods(day):
    """Periods that take values on this day, open or closed (late), newest first; only of the
    kinds some indicator is reported by."""
    kinds = Indicator.objects.current().values("frequency")
    return Period.objects.open_on(day).filter(kind__in=kinds).order_by("-starts_on", "kind")


def indicators_to_report(period: Period, *, regional: bool = False):
    """The indicators reported at this period's frequency: for a country, those of the operative
    matrix and the context indicators that countries report (some country has a value for them,
    like identified-victims); the context figures that the document gives only for the region
    (the 2019 percentages) are left to the regional page. One query."""
    indicators = Indicator.objects.current().filter(frequency=period.kind)
    if regional:
        return indicators
    reported = Value.objects.filter(country__isnull=False).values("indicator_id")
    return indicators.filter(Q(goal__isnull=False) | Q(pk__in=reported))
