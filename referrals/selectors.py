"""Reads of the directory, each in a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from corett import access
from strategy.models import Country

from .models import Actor, ContactPerson, DetectionIndicator, Hotline, Route


@dataclass
class CountryLines:
    country: Country
    hotlines: list = field(default_factory=list)


def complaint_lines() -> list[CountryLines]:
    """Every member country with its complaint lines (possibly none), in two queries."""
    by_country = {}
    for hotline in Hotline.objects.select_related("actor").order_by("order", "pk"):
        by_country.setdefault(hotline.country_id, []).append(hotline)
    return [CountryLines(c, by_country.get(c.pk, [])) for c in Country.objects.order_by("name")]


def country_help(country: Country) -> dict:
    """What a country page shows first: its complaint lines, its governing body's directory
    entry and its referral route, in three queries."""
    return {
        "hotlines": list(country.hotlines.select_related("actor").order_by("order", "pk")),
        "governing_body_entry": Actor.objects.filter(country=country, is_governing_body=True)
        .only("pk")
        .first(),
        "route": Route.objects.filter(country=country).only("pk", "country").first(),
    }


def actor_for_page(pk: int, user):
    """An actor with its complaint lines, route steps and, for signed-in users only, its contact
    persons."""
    queryset = Actor.objects.select_related("country", "verified_by__country").prefetch_related(
        Prefetch("hotlines", Hotline.objects.order_by("order", "pk")),
        Prefetch("route_steps__route"),
    )
    if access.sees_contact_persons(user):
        queryset = queryset.prefetch_related(
            Prefetch("contact_persons", ContactPerson.objects.order_by("name"))
        )
    return queryset.get(pk=pk)


def route_for(country: Country | None):
    """The national route of a country, or the regional route (None), with its steps."""
    return Route.objects.with_steps().select_related("verified_by__country").get(country=country)


def indicators_by_category() -> list[tuple]:
    """(category value, label, [indicators]) in the order of the categories, in one query."""
    grouped = {value: [] for value in DetectionIndicator.Category.values}
    for indicator in DetectionIndicator.objects.select_related("country").order_by("order"):
        grouped[indicator.category].append(indicator)
    return [
        (value, DetectionIndicator.Category(value).label, grouped[value])
        for value in DetectionIndicator.Category.values
        if grouped[value]
    ]


def entries_to_verify(user) -> dict:
    """The stale actors, complaint lines and routes this user should verify."""
    return {
        "actors": list(access.directory_entries_to_verify(user, Actor.objects.stale()).listed()),
        "hotlines": list(
            access.directory_entries_to_verify(user, Hotline.objects.stale()).select_related(
                "country"
            )
        ),
        "routes": list(
            access.directory_entries_to_verify(user, Route.objects.stale()).select_related(
                "country"
            )
        ),
    }


def count_to_verify(user) -> int:
    """How many entries wait for this user's verification (three counts; none for the public)."""
    if not access.can_work_on_directory(user):
        return 0
    return sum(
        access.directory_entries_to_verify(user, model.objects.stale()).count()
        for model in (Actor, Hotline, Route)
    )
