"""Writing and removing the demonstration figures (`manage.py demo`, `manage.py demo --remove`).

Every row written here is marked `is_demo`; removal deletes those rows only. The document's own
figures are never touched: the demo writes only the operative matrix's indicators (context
indicators such as identified victims, and any indicator with a figure from the document, are
left out), and never a cell, target, qualification or narrative someone already has.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from corett.models import User
from strategy.dimensions import DIMENSIONS
from strategy.models import Axis, Country, Frequency, Indicator

from ..periods.models import Period, Qualification, Target
from ..values.cleaning import clean_value
from ..values.models import Narrative, Status, Value, ValueAudit
from ..values.selectors import forget_submitted_count
from . import selectors, shapes

SOURCE = "Demostración: cifra inventada para probar el portal"
RETURN_COMMENT = "Demostración: la cifra se aleja mucho de la del año anterior; confirme la fuente."
NARRATIVE = {
    "progress": "Demostración: avances inventados en la coordinación interinstitucional y la "
    "formación del personal de primera línea.",
    "obstacles": "Demostración: rotación de personal y presupuesto limitado para campañas.",
    "adjustments": "Demostración: concentrar las campañas en los municipios fronterizos.",
}
REASON = {
    Qualification.Rating.ON_TRACK: "Demostración: las metas del eje avanzan según lo previsto.",
    Qualification.Rating.AT_RISK: "Demostración: parte de las metas del eje va con retraso.",
    Qualification.Rating.OFF_TRACK: "Demostración: el eje no alcanzará sus metas sin ajustes.",
}


@dataclass
class Rows:
    """What the demo writes, before it is written."""

    values: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    qualifications: list = field(default_factory=list)
    narratives: list = field(default_factory=list)


def demo_indicators():
    """The operative matrix's annual indicators, without any that has a figure from the document
    (loaded from the fixtures: no update time, not demo)."""
    from_document = Value.objects.filter(is_demo=False, updated_at__isnull=True).values("indicator")
    return (
        Indicator.objects.current()
        .filter(goal__isnull=False, frequency=Frequency.ANNUAL)
        .exclude(pk__in=from_document)
        .order_by("order", "pk")
    )


def _period(year: int) -> Period:
    period = Period.objects.filter(kind=Frequency.ANNUAL, starts_on__year=year).first()
    if period is None:
        period = Period.objects.create(
            code=str(year),
            kind=Frequency.ANNUAL,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year + 1, 3, 31),
            is_demo=True,
        )
    return period


def demo_periods(today: datetime.date) -> list[Period]:
    """The two years before this one, then this one (the open period), created if missing."""
    return [_period(year) for year in (today.year - 2, today.year - 1, today.year)]


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _value(indicator, country, period, number, *, state, rng, today) -> Value:
    if indicator.kind == Indicator.Kind.TEXT:
        clean = clean_value(indicator, text=rng.choice(shapes.TEXT_ANSWERS))
    else:
        categories = {}
        if indicator.kind == Indicator.Kind.COUNT:
            for key in indicator.disaggregations:
                names = list(DIMENSIONS[key].categories)
                categories[key] = shapes.breakdown(int(number), names, rng)
        clean = clean_value(indicator, number=number, disaggregation=categories)
    day = min(period.closes_on, period.ends_on + datetime.timedelta(days=rng.randint(10, 80)))
    if day > today:  # the open period: sent in the weeks before today, never in the future
        day = max(period.starts_on, today - datetime.timedelta(days=rng.randint(0, 40)))
    if state == shapes.DRAFT:
        day = period.starts_on + datetime.timedelta(days=rng.randint(30, 300))
    status = {
        shapes.DRAFT: Status.DRAFT,
        shapes.SUBMITTED: Status.SUBMITTED,
        shapes.LATE: Status.SUBMITTED,
        shapes.RETURNED: Status.RETURNED,
    }.get(state, Status.VALIDATED)
    return Value(
        indicator=indicator,
        country=country,
        period=period,
        number=clean.number,
        text=clean.text,
        disaggregation=clean.disaggregation,
        status=status,
        review_comment=RETURN_COMMENT if state == shapes.RETURNED else "",
        source=SOURCE,
        submitted_at=None if status == Status.DRAFT else _moment(day),
        late=state == shapes.LATE,
        updated_at=_moment(day),
        is_demo=True,
    )


def _series(indicator, country_index, periods, rng) -> shapes.Series | None:
    behind = shapes.is_behind(country_index)
    if indicator.kind == Indicator.Kind.YES_NO:
        return shapes.yes_no_series(periods, behind=behind, rng=rng)
    if indicator.kind == Indicator.Kind.COUNT:
        return shapes.count_series(indicator.unit, periods, behind=behind, rng=rng)
    return None  # text: no target


def _plan(periods, countries, indicators, taken, today) -> Rows:
    rows = Rows()
    *past, current = periods
    for c_index, country in enumerate(countries):
        for i_index, indicator in enumerate(indicators):
            rng = shapes.generator(indicator.code, country.code, current.code)
            series = _series(indicator, c_index, len(periods), rng)
            for p_index, period in enumerate(periods):
                if (
                    series is not None
                    and (indicator.pk, country.pk, period.pk) not in taken.targets
                ):
                    rows.targets.append(
                        Target(
                            indicator=indicator,
                            country=country,
                            period=period,
                            value=series.targets[p_index],
                            is_demo=True,
                        )
                    )
                state = (
                    shapes.open_state(c_index, i_index, rng)
                    if period == current
                    else shapes.VALIDATED
                )
                if state == shapes.MISSING or (indicator.pk, country.pk, period.pk) in taken.values:
                    continue
                number = series.values[p_index] if series else None
                rows.values.append(
                    _value(indicator, country, period, number, state=state, rng=rng, today=today)
                )
    return rows


def _regional_targets(rows: Rows, taken) -> None:
    sums: dict[tuple, Decimal] = {}
    for target in rows.targets:
        if target.indicator.kind == Indicator.Kind.COUNT:
            key = (target.indicator, target.period)
            sums[key] = sums.get(key, Decimal(0)) + target.value
    for (indicator, period), total in sums.items():
        if (indicator.pk, None, period.pk) not in taken.targets:
            rows.targets.append(
                Target(indicator=indicator, country=None, period=period, value=total, is_demo=True)
            )


def _rating(country_index: int | None, axis: Axis, period_index: int):
    if country_index is None:
        return Qualification.Rating.AT_RISK if axis.number % 2 else Qualification.Rating.ON_TRACK
    if shapes.is_behind(country_index):
        return Qualification.Rating.OFF_TRACK if period_index == 2 else Qualification.Rating.AT_RISK
    return Qualification.Rating.ON_TRACK


def _qualifications_and_narratives(rows, periods, countries, taken, secretariat) -> None:
    axes = list(Axis.objects.current().order_by("number"))
    places = [(None, None), *enumerate(countries)]
    for p_index, period in enumerate(periods):
        is_open = p_index == len(periods) - 1
        for c_index, country in places:
            # The open period: the region and every other country qualified so far.
            if is_open and c_index is not None and c_index % 2:
                continue
            for axis in axes:
                if (axis.pk, period.pk, country and country.pk) in taken.qualifications:
                    continue
                rating = _rating(c_index, axis, p_index)
                rows.qualifications.append(
                    Qualification(
                        axis=axis,
                        period=period,
                        country=country,
                        rating=rating,
                        reason=REASON[rating],
                        updated_by=secretariat,
                        is_demo=True,
                    )
                )
        narrative_states = [Status.VALIDATED] * len(countries)
        if is_open:
            cycle = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VALIDATED, None]
            narrative_states = [cycle[index % len(cycle)] for index in range(len(countries))]
        for country, status in zip(countries, narrative_states, strict=True):
            if status is None or (country.pk, period.pk) in taken.narratives:
                continue
            rows.narratives.append(
                Narrative(
                    country=country,
                    period=period,
                    status=status,
                    review_comment=RETURN_COMMENT if status == Status.RETURNED else "",
                    is_demo=True,
                    **NARRATIVE,
                )
            )


@dataclass
class Taken:
    """Cells somebody (the document or a person) already has: the demo leaves them alone."""

    values: set
    targets: set
    qualifications: set
    narratives: set

    @classmethod
    def read(cls, periods) -> "Taken":
        ids = [p.pk for p in periods]
        return cls(
            values=set(
                Value.objects.filter(period__in=ids).values_list("indicator", "country", "period")
            ),
            targets=set(
                Target.objects.filter(period__in=ids).values_list("indicator", "country", "period")
            ),
            qualifications=set(
                Qualification.objects.filter(period__in=ids).values_list(
                    "axis", "period", "country"
                )
            ),
            narratives=set(
                Narrative.objects.filter(period__in=ids).values_list("country", "period")
            ),
        )


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> dict[str, int]:
    """Writes the demonstration figures, unless they are there already (then writes nothing).
    Returns how many rows of each kind it wrote."""
    if selectors.demo_rows_exist():
        return {}
    today = today or timezone.localdate()
    periods = demo_periods(today)
    countries = list(Country.objects.order_by("code"))
    indicators = list(demo_indicators())
    secretariat = User.objects.filter(role=User.Role.SECRETARIAT).order_by("pk").first()
    taken = Taken.read(periods)
    rows = _plan(periods, countries, indicators, taken, today)
    _regional_targets(rows, taken)
    _qualifications_and_narratives(rows, periods, countries, taken, secretariat)
    written = {
        "periods": sum(period.is_demo for period in periods),
        "values": len(Value.objects.bulk_create(rows.values)),
        "targets": len(Target.objects.bulk_create(rows.targets)),
        "qualifications": len(Qualification.objects.bulk_create(rows.qualifications)),
        "narratives": len(Narrative.objects.bulk_create(rows.narratives)),
    }
    # The past periods are complete: lock them (and unlock them again on removal).
    for period in periods[:-1]:
        if period.locked_at is None:
            period.locked_at = _moment(period.closes_on + datetime.timedelta(days=1))
            period.demo_locked = True
            period.save(update_fields=["locked_at", "demo_locked"])
    transaction.on_commit(selectors.forget)
    forget_submitted_count()  # its values include submitted ones
    return written


@transaction.atomic
def demo_remove() -> dict[str, int]:
    """Deletes every demonstration row and unlocks the periods the demo locked; nothing else."""
    demo_values = Value.objects.filter(is_demo=True)
    # A person may have acted on a demo value (validated it, say): its audit records go with it.
    # A queryset delete, as ValueAudit.delete() refuses on purpose for real values.
    ValueAudit.objects.filter(value__in=demo_values).delete()
    removed = {
        "values": demo_values.delete()[0],
        "targets": Target.objects.filter(is_demo=True).delete()[0],
        "qualifications": Qualification.objects.filter(is_demo=True).delete()[0],
        "narratives": Narrative.objects.filter(is_demo=True).delete()[0],
    }
    Period.objects.filter(demo_locked=True).update(locked_at=None, demo_locked=False)
    # A period the demo created stays if a person has since used it.
    used = (
        Q(values__isnull=False)
        | Q(targets__isnull=False)
        | Q(qualifications__isnull=False)
        | Q(narratives__isnull=False)
        | Q(report_requests__isnull=False)
    )
    unused = Period.objects.filter(is_demo=True).exclude(pk__in=Period.objects.filter(used))
    removed["periods"] = unused.delete()[0]
    Period.objects.filter(is_demo=True).update(is_demo=False)
    transaction.on_commit(selectors.forget)
    forget_submitted_count()  # its values include submitted ones
    return removed
