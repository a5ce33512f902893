"""What the inbox reads: per country and period that takes values today, the close date, how many
days until it (or since), how many indicators are missing, draft, returned (with the secretariat's
comments), submitted and validated. Five queries whatever the number of countries and periods."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from strategy.models import Country, Indicator

from ..periods.models import Period
from ..values.models import Status, Value
from ..values.selectors import countries_report, reportable_periods

# What "late" sorts by: outstanding work of periods past their close date first.
SORTS = ("country", "late")
OUTSTANDING = (Status.DRAFT, Status.RETURNED)


@dataclass
class Returned:
    value_id: int
    indicator_code: str
    indicator_name: str
    comment: str


@dataclass
class Due:
    """One country's work in one period."""

    country: Country
    period: Period
    days: int  # until the close date; negative once closed
    counts: dict  # missing, draft, returned, submitted, validated, total
    returned: list = field(default_factory=list)  # [Returned]

    @property
    def closed(self) -> bool:
        return self.days < 0

    @property
    def deadline(self) -> str:
        """ "closes in 3 days", "closes today", "closed 12 days ago", in the active language."""
        if self.days > 0:
            return ngettext("closes in %(days)d day", "closes in %(days)d days", self.days) % {
                "days": self.days
            }
        if self.days == 0:
            return _("closes today")
        return ngettext("closed %(days)d day ago", "closed %(days)d days ago", -self.days) % {
            "days": -self.days
        }

    @property
    def outstanding(self) -> int:
        """Indicators the country still has to send: missing, draft or returned."""
        return self.counts["missing"] + self.counts["draft"] + self.counts["returned"]

    @property
    def late(self) -> int:
        """What is outstanding once the period has closed; 0 before."""
        return self.outstanding if self.closed else 0


def _indicators_per_kind(kinds) -> dict[str, set[int]]:
    """{period kind: ids of the indicators countries report at it} (values.selectors'
    indicators_to_report, for every kind in one query)."""
    rows = (
        Indicator.objects.current()
        .filter(frequency__in=kinds)
        .filter(countries_report())
        .values_list("frequency", "pk")
    )
    per_kind = defaultdict(set)
    for kind, pk in rows:
        per_kind[kind].add(pk)
    return per_kind


def inbox(countries, day: datetime.date, *, sort: str = "country") -> list[Due]:
    """Every (country, period) of `countries` (a queryset or list) that is due on `day`: the
    periods that take values, newest first, each country in turn (or sorted by what is late)."""
    periods = list(reportable_periods(day))
    countries = list(countries)
    if not periods or not countries:
        return []
    per_kind = _indicators_per_kind({p.kind for p in periods})
    all_indicators = set().union(*per_kind.values()) if per_kind else set()
    cells = Value.objects.filter(
        period__in=periods, country__in=countries, indicator_id__in=all_indicators
    )
    counts = Counter()
    for row in cells.values("period_id", "country_id", "status").annotate(n=Count("id")).order_by():
        counts[(row["period_id"], row["country_id"], row["status"])] = row["n"]
    returned = defaultdict(list)
    for value in (
        cells.filter(status=Status.RETURNED)
        .select_related("indicator")
        .order_by("indicator__order")
        .only(
            "pk", "period_id", "country_id", "review_comment", "indicator__code", "indicator__name"
        )
    ):
        returned[(value.period_id, value.country_id)].append(
            Returned(value.pk, value.indicator.code, value.indicator.name, value.review_comment)
        )
    due = []
    for period in periods:
        total = len(per_kind.get(period.kind, ()))
        for country in countries:
            tally = {status: counts[(period.pk, country.pk, status)] for status in Status.values}
            tally["missing"] = total - sum(tally.values())
            tally["total"] = total
            due.append(
                Due(
                    country=country,
                    period=period,
                    days=(period.closes_on - day).days,
                    counts=tally,
                    returned=returned[(period.pk, country.pk)],
                )
            )
    if sort == "late":
        due.sort(key=lambda d: (-d.late, d.days, -d.outstanding, d.country.name))
    return due
