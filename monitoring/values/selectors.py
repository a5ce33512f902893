"""What a country reports: the periods that take values on a day, and the indicators reported in
a period (what the data-entry page lists and what the reminders count as missing)."""

from django.db.models import Exists, OuterRef, Q

from corett.caching import forget, remembered
from strategy.models import Indicator

from ..periods.models import Period
from .models import Status, Value

# How many values wait for the secretariat's review: every page's header shows it to the
# secretariat. Counted once, then read from Django's cache (Redis wherever several processes
# serve the portal) until a value enters or leaves the submitted state: workflow.transition, the
# one function that moves a value between states, forgets it (the demo too, when it writes
# values in bulk). The timeout only bounds what a write racing a count could leave behind.
SUBMITTED_KEY = "monitoring:submitted-count"
SUBMITTED_SECONDS = 5 * 60


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
    return indicators.filter(countries_report())


def countries_report() -> Q:
    """The indicators countries report: the operative matrix's, and the context indicators some
    country has a value for. (EXISTS, one index probe per context indicator: `pk IN (values)`
    read every value of every period on each page.)"""
    reported = Value.objects.filter(indicator=OuterRef("pk"), country__isnull=False)
    return Q(goal__isnull=False) | Q(Exists(reported))


def submitted_count() -> int:
    """How many values are submitted, waiting for review (see SUBMITTED_KEY)."""
    return remembered(
        SUBMITTED_KEY,
        lambda: Value.objects.filter(status=Status.SUBMITTED).count(),
        SUBMITTED_SECONDS,
    )


def forget_submitted_count() -> None:
    """A value entered or left the submitted state: count again, now and once it is committed
    (a page may have counted in between)."""
    forget(SUBMITTED_KEY)
