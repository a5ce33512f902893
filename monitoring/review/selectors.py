"""What the secretariat's review reads: the queue of submitted values, the narratives waiting, and
how many values wait (shown in every page's header)."""

from ..values.models import Narrative, Status, Value
from ..values.selectors import submitted_count

RELATED = ("indicator", "country", "period")


def queue(*, period=None, country=None):
    """The submitted values, oldest submission first, of a period and a country if given; without
    their breakdowns, which the queue does not show (decoding them took a tenth of its time)."""
    values = (
        Value.objects.filter(status=Status.SUBMITTED)
        .select_related(*RELATED)
        .defer("disaggregation")
        .order_by("submitted_at", "pk")
    )
    if period:
        values = values.filter(period=period)
    if country:
        values = values.filter(country=country)
    return values


def queue_size() -> int:
    """Cached until a value enters or leaves the queue (values.selectors.submitted_count)."""
    return submitted_count()


def next_waiting(*, after: Value) -> int | None:
    """The id of the oldest submitted value other than `after`, for a "next" link."""
    return queue().exclude(pk=after.pk).values_list("pk", flat=True).first()


def narratives_waiting():
    """Submitted narratives, for the secretariat's queue: one query whatever their number."""
    return (
        Narrative.objects.filter(status=Status.SUBMITTED)
        .select_related("country", "period")
        .order_by("period__starts_on", "country__name", "pk")
    )


def follow_ups():
    """Values the secretariat marked for follow-up, whatever their state, by period and country."""
    return (
        Value.objects.filter(follow_up=True)
        .select_related(*RELATED)
        .order_by("period__starts_on", "country__name", "indicator__order", "pk")
    )
