"""What the open data reads: the indicators with an address, which one an address names (its
current code, or one it had before a renaming), their validated values, and how fresh those are.

Freshness is what harvesters compare (ETag, Last-Modified), computed without reading the figures:
per indicator, how many validated values it has, the sum of their versions (every validation and
every reopening raises a value's version) and the last validation; the indicator's own version
(every edit raises it) and code; the language, the small-cell rule and the files' layout. Whatever
changes a published figure or cell changes one of them.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.utils import translation

from strategy.models import Country, Indicator

from ..values.models import Status, Value

# The files' layout: raise it when the columns or the descriptor change, so that every ETag does.
LAYOUT = 1
ZIP_CACHE_SECONDS = 24 * 3600  # the key holds the ETag: new data, a new key

VALIDATED = Q(status=Status.VALIDATED)


def published_indicators():
    """The indicators with an address: the plan's in force, in its order (retired ones leave the
    published plan, as corett.access.can_see_retired_plan_items says for the public)."""
    return Indicator.objects.current().order_by("order", "code")


def catalogue():
    """The published indicators, each with `published` (how many validated values) and
    `last_validated` (when the last one was validated): one query."""
    validated = Q(values__status=Status.VALIDATED)
    return published_indicators().annotate(
        published=Count("values", filter=validated),
        last_validated=Max("values__updated_at", filter=validated),
    )


@dataclass(frozen=True)
class Found:
    indicator: Indicator | None = None
    renamed_to: str = ""  # the current code, when the address used one it had before


def find(code: str) -> Found:
    """The indicator whose address uses `code`: the one with that code; else the one that had it
    before the secretariat renamed it (the newest such record of the indicators' history), by its
    current code; else nothing. One query, three for an old code."""
    indicator = published_indicators().filter(code=code).first()
    if indicator is not None:
        return Found(indicator)
    current = published_indicators().values("pk")
    pk = (
        Indicator.history.filter(code=code, id__in=current)
        .order_by("-history_date", "-history_id")
        .values_list("id", flat=True)
        .first()
    )
    if pk is None:
        return Found()
    return Found(renamed_to=Indicator.objects.values_list("code", flat=True).get(pk=pk))


def country_codes() -> list[str]:
    return list(Country.objects.order_by("code").values_list("code", flat=True))


def validated_values(indicators) -> dict[int, list[Value]]:
    """{indicator id: its validated values}, each list by period and then country (a regional
    figure, without a country, first), with their countries and periods: one query."""
    values = (
        Value.objects.validated()
        .filter(indicator__in=[indicator.pk for indicator in indicators])
        .select_related("country", "period")
        .defer("comment", "review_comment", "follow_up_note", "evidence")
        .order_by(
            "indicator_id",
            "period__starts_on",
            "period__code",
            F("country__code").asc(nulls_first=True),
        )
    )
    grouped: dict[int, list[Value]] = {indicator.pk: [] for indicator in indicators}
    for value in values:
        grouped[value.indicator_id].append(value)
    return grouped


@dataclass(frozen=True)
class Freshness:
    etag: str
    last_modified: datetime | None


def freshness(indicator: Indicator | None = None) -> Freshness:
    """How fresh one indicator's files are, or (None) the whole catalogue's: two queries, three
    for the catalogue. Last-Modified is the last change of any of the values (a reopening too)
    or of the indicators, so that it never goes back in time."""
    values = Value.objects.filter(indicator__retired_at__isnull=True)
    history = Indicator.history.all()
    if indicator is None:
        plan = published_indicators().aggregate(
            count=Count("pk"), versions=Sum("version"), last=Max("pk")
        )
    else:
        values = Value.objects.filter(indicator=indicator)
        history = history.filter(id=indicator.pk)
        plan = {"pk": indicator.pk, "code": indicator.code, "version": indicator.version}
    figures = values.aggregate(
        published=Count("pk", filter=VALIDATED),
        versions=Sum("version", filter=VALIDATED),
        validated=Max("updated_at", filter=VALIDATED),
        changed=Max("updated_at"),
    )
    edited = history.aggregate(last=Max("history_date"))["last"]
    key = [
        LAYOUT,
        translation.get_language(),
        settings.SMALL_CELL_THRESHOLD,
        settings.SMALL_CELL_COMPLEMENTARY,
        plan,
        {name: figures[name] for name in ("published", "versions", "validated")},
    ]
    digest = hashlib.sha256(json.dumps(key, default=str, sort_keys=True).encode()).hexdigest()
    moments = [moment for moment in (figures["changed"], edited) if moment is not None]
    return Freshness(digest[:32], max(moments) if moments else None)


def zip_cache_key(fresh: Freshness, address: str) -> str:
    """Where the catalogue's zip is kept for its ETag and the address it names itself by."""
    return "opendata:zip:" + hashlib.sha256(f"{fresh.etag} {address}".encode()).hexdigest()


def kept_zip(fresh: Freshness, address: str, build) -> bytes:
    """The catalogue's zip as built for this ETag (Django's cache), built by `build()` once: a
    zip is seconds of work, asked for again by every harvester and visitor until the data
    changes."""
    key = zip_cache_key(fresh, address)
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, ZIP_CACHE_SECONDS)
    return content
