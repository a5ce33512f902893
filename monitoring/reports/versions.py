"""The data version of a report: a digest of everything the report shows, so that the same inputs
on the same data reuse the file already rendered, and any change renders a new one.

Cheap on purpose (a few aggregate queries, no rows read): it runs on every request, before
deciding whether to queue anything.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, Sum

from strategy.models import Activity, Axis, Country, Goal, Indicator, OperationalObjective

from ..matrix.selectors import VICTIMS
from ..periods.models import Period, Qualification, Target
from ..populations.models import Population
from ..values.models import Narrative, Status, Value, ValueAudit

# Bump when the templates or the content of the reports change, so that old files are not reused.
FORMAT = "3"
PLAN_MODELS = (Axis, OperationalObjective, Activity, Goal, Indicator)


@dataclass(frozen=True)
class DataVersion:
    digest: str
    as_of: datetime.datetime | None  # the latest change seen in the data, if any is dated


def report_values(*, country: Country | None, period: Period, draft: bool):
    """The values a report of this scope shows: validated ones; a draft report also shows its
    country's values in every state."""
    values = Value.objects.filter(period=period)
    if country is not None:
        values = values.filter(country=country)
    return values if draft else values.validated()


def data_version(
    *, country: Country | None, period: Period, language: str, draft: bool
) -> DataVersion:
    values = report_values(country=country, period=period, draft=draft)
    value_facts = values.order_by().aggregate(
        n=Count("pk"),
        pks=Sum("pk"),
        versions=Sum("version"),
        changed=Max("updated_at"),
    )
    # Every change of a value adds an audit record: the newest one dates the data.
    value_facts |= ValueAudit.objects.filter(value__in=values).aggregate(
        audit=Max("pk"), audited=Max("at")
    )
    victims = Value.objects.validated().for_indicator(VICTIMS).of_countries()
    victims = victims.filter(period__starts_on__lte=period.starts_on)
    if country is not None:
        victims = victims.filter(country=country)
    victim_facts = victims.order_by().aggregate(
        n=Count("pk"), total=Sum("number"), versions=Sum("version")
    )
    narratives = Narrative.objects.filter(period=period)
    narratives = narratives.filter(country=country) if country is not None else narratives
    if not draft:
        narratives = narratives.filter(status=Status.VALIDATED)
    narrative_facts = narratives.order_by().aggregate(
        n=Count("pk"), pks=Sum("pk"), versions=Sum("version")
    )
    qualifications = Qualification.objects.filter(period=period)
    if country is not None:
        qualifications = qualifications.filter(Q(country=country) | Q(country__isnull=True))
    qualification_facts = qualifications.order_by().aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    targets = Target.objects.filter(period=period)
    if country is not None:
        targets = targets.filter(Q(country=country) | Q(country__isnull=True))
    target_facts = targets.order_by().aggregate(
        n=Count("pk"), pks=Sum("pk"), total=Sum("value"), baselines=Sum("baseline")
    )
    # The denominators of the rates per 100,000: a changed population is a new report.
    population_facts = Population.objects.order_by().aggregate(
        n=Count("pk"), pks=Sum("pk"), versions=Sum("version"), total=Sum("total")
    )
    plan_facts = [
        model.objects.order_by().aggregate(n=Count("pk"), versions=Sum("version"))
        for model in PLAN_MODELS
    ]
    parts = [
        FORMAT,
        country.code if country else "regional",
        period.code,
        language,
        draft,
        settings.SMALL_CELL_THRESHOLD,
        settings.TRACKING_BAND,
        value_facts,
        victim_facts,
        narrative_facts,
        qualification_facts,
        target_facts,
        population_facts,
        plan_facts,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    dated = [value_facts["changed"], value_facts["audited"], qualification_facts["changed"]]
    return DataVersion(digest=digest, as_of=max((d for d in dated if d), default=None))
