"""The referral directory: key actors and their contact persons, complaint lines, referral routes
with their ordered steps, and detection indicators.

Institutions only: nothing here may hold personal data of a victim or of a person observed
(tests/test_data_minimisation.py walks every model). Contact persons are institutional contacts,
shown to signed-in users only (corett.access.sees_contact_persons).

Multi-choice fields (an actor's roles and populations) are JSON lists of choice values: they read
and write the same on PostgreSQL and SQLite. `ActorQuerySet.with_choice` filters them.
"""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from strategy.models import Country

STALE_AFTER = datetime.timedelta(days=365)


def normalise(text: str) -> str:
    """Text for accent- and case-insensitive matching: "Niñez" and "ninez" both become "ninez".

    NFKD splits "ñ" into "n" and a combining tilde, which is dropped; the same function is applied
    to the stored column and to the query, so the match works alike on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("government")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    INTERNATIONAL = "international", _("international organization")
    ACADEMIA = "academia", _("academia")
    PRIVATE = "private", _("private sector")
    MEDIA = "media", _("media")


class Role(models.TextChoices):
    """The links of the referral chain, in the order a case goes through them; coordination (of
    the national or regional response, the governing bodies' part) comes first."""

    COORDINATION = "coordination", _("coordination of the response")
    DETECTION = "detection", _("detection")
    PROTECTION = "protection", _("immediate protection")
    COMPLAINT = "complaint", _("complaint and investigation")
    IDENTIFICATION = "identification", _("formal identification")
    ASSISTANCE = "assistance", _("assistance and shelter")
    RETURN = "return", _("repatriation and reintegration")
    HOTLINE = "hotline", _("complaint line")


class Population(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    CHILDREN = "children", _("children and adolescents")
    WOMEN = "women", _("women")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ persons")
    MIGRANTS = "migrants", _("migrants and refugees")
    DISABILITIES = "disabilities", _("persons with disabilities")
    INDIGENOUS = "indigenous", _("indigenous peoples")


@deconstructible
class ChoiceListValidator:
    """A JSON list whose items are all values of the named TextChoices of this module."""

    def __init__(self, choices_name: str):
        self.choices_name = choices_name

    def __call__(self, value):
        choices = globals()[self.choices_name]
        if not isinstance(value, list) or any(item not in choices.values for item in value):
            raise ValidationError(
                _("Use a list of these values: %(values)s.")
                % {"values": ", ".join(choices.values)},
                code="invalid_choice",
            )

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices_name == self.choices_name


class Verifiable(models.Model):
    """Who confirmed an entry and when; an entry is stale 12 months after (or until) that."""

    verified_at = models.DateTimeField(_("last verified on"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    to_be_verified = models.BooleanField(
        _("to be verified"),
        default=True,
        help_text=_("Seed or imported data that no focal point has confirmed yet."),
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the information comes from: a publication, a page, a protocol."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_date = models.DateField(
        _("source read on"), null=True, blank=True, help_text=_("When the source was read.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def is_stale(self, now=None) -> bool:
        now = now or timezone.now()
        return self.verified_at is None or self.verified_at < now - STALE_AFTER


class VerifiableQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Entries never verified, or last verified more than 12 months ago."""
        limit = (now or timezone.now()) - STALE_AFTER
        return self.filter(Q(verified_at__isnull=True) | Q(verified_at__lt=limit))

    def for_country(self, country):
        return self.filter(country=country)


class ActorQuerySet(VerifiableQuerySet):
    def with_choice(self, field: str, value: str):
        """Actors whose list `field` (roles, populations) holds `value`.

        The JSON text holds each value in double quotes; no value is a quoted part of another,
        so this is exact, and it works on SQLite, where JSON containment is not available."""
        return self.filter(**{f"{field}__icontains": f'"{value}"'})

    def matching(self, text: str):
        """Every word of `text` somewhere in the actor's texts, ignoring accents and case."""
        queryset = self
        for word in normalise(text).split()[:10]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def listed(self):
        """In the order of the directory: regional entries first, then by country and name."""
        return self.select_related("country", "verified_by__country").order_by(
            F("country__name").asc(nulls_first=True), "-is_governing_body", "name"
        )


class Actor(Verifiable):
    """A key actor of the referral chain: an institution, national or regional."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text=_("Empty for regional and international actors."),
    )
    name = models.CharField(_("institution"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    is_governing_body = models.BooleanField(
        _("national governing body"),
        default=False,
        help_text=_("The country's governing body on trafficking and smuggling."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    roles = models.JSONField(
        _("roles in the referral chain"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator("Role")],
    )
    populations = models.JSONField(
        _("populations served"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator("Population")],
    )
    services = models.TextField(_("services"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    address = models.CharField(_("institutional address"), max_length=300, blank=True)
    phone = models.CharField(_("institutional phone"), max_length=60, blank=True)
    email = models.EmailField(_("institutional e-mail"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # Every text of the entry in every language, normalised (see `normalise`): kept by a pre_save
    # handler (referrals.apps), which also runs for fixtures, so free-text search works the same
    # on PostgreSQL and SQLite without a database extension.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("key actor")
        verbose_name_plural = _("key actors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(is_governing_body=True),
                name="one_governing_body_per_country",
            ),
            models.CheckConstraint(
                condition=Q(is_governing_body=False) | Q(country__isnull=False),
                name="governing_body_has_a_country",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def searchable_text(self) -> str:
        parts = [self.address, self.phone, self.email, self.website]
        for field in ("name", "acronym", "services", "languages", "hours"):
            parts += [getattr(self, f"{field}_{lang}", "") for lang, _name in settings.LANGUAGES]
        if self.country_id:
            parts += [self.country.code, self.country.name_es, self.country.name_en]
        return normalise(" ".join(p for p in parts if p))

    def role_labels(self) -> list[str]:
        return [Role(value).label for value in Role.values if value in (self.roles or [])]

    def population_labels(self) -> list[str]:
        return [Population(v).label for v in Population.values if v in (self.populations or [])]


class ContactPerson(models.Model):
    """A named contact at an institution (an official's work details, never a case's person).
    Shown to signed-in users only."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="contact_persons", verbose_name=_("actor")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("work phone"), max_length=60, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["actor", "name"]

    def __str__(self):
        return self.name


def tel_uri(number: str) -> str:
    """A tel: address for a number as people write it ("800 5533 000", "3399-4699")."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return f"tel:{digits}" if digits else ""


class Hotline(Verifiable):
    """A complaint line of a country: recorded only where a public source states it."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="hotlines"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    number = models.CharField(_("number"), max_length=40, blank=True)
    operator = models.CharField(_("operator"), max_length=300, blank=True)
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("operator in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotlines",
    )
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=40, blank=True)
    web_form = models.URLField(_("web form"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = VerifiableQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint line")
        verbose_name_plural = _("complaint lines")
        ordering = ["country__name", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(number="") | ~Q(whatsapp="") | ~Q(web_form=""),
                name="hotline_has_a_channel",
                violation_error_message=_("Give a number, a WhatsApp number or a web form."),
            )
        ]

    def __str__(self):
        return f"{self.country.code} {self.number or self.web_form or self.whatsapp}"

    @property
    def tel(self) -> str:
        return tel_uri(self.number)

    @property
    def whatsapp_url(self) -> str:
        digits = "".join(c for c in self.whatsapp if c.isdigit())
        return f"https://wa.me/{digits}" if digits else ""


class RouteQuerySet(VerifiableQuerySet):
    def with_steps(self):
        """Routes with their ordered steps and the steps' actors, in three queries."""
        return self.select_related("country").prefetch_related(
            models.Prefetch(
                "steps",
                RouteStep.objects.order_by("order").prefetch_related(
                    models.Prefetch("actors", Actor.objects.select_related("country"))
                ),
            )
        )


class Route(Verifiable):
    """A referral route: a country's national route, or the regional route (no country) for
    cases that cross borders between member countries."""

    country = models.OneToOneField(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="route",
        help_text=_("Empty for the regional route."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = RouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral route")
        verbose_name_plural = _("referral routes")
        ordering = [F("country__name").asc(nulls_first=True)]
        constraints = [
            # One route per country and one regional route: NULLs would not collide in a plain
            # unique index, so the regional route counts as country 0.
            models.UniqueConstraint(
                Coalesce("country", models.Value(0)), name="one_route_per_country_or_region"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_regional(self) -> bool:
        return self.country_id is None


class RouteStep(models.Model):
    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="steps", verbose_name=_("route")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    action = models.TextField(_("what to do"))
    actor_types = models.CharField(
        _("who acts"),
        max_length=400,
        blank=True,
        help_text=_("Kinds of actors, e.g. police, prosecutors, child protection services."),
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="route_steps", verbose_name=_("specific actors")
    )
    links_national_routes = models.BooleanField(
        _("links to the national routes"),
        default=False,
        help_text=_("Regional route: this step goes on in a country's own route."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="unique_step_order_in_route")
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def country(self):
        """Whose step it is, for access checks: the route's country (None: regional)."""
        return self.route.country


class DetectionIndicator(models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", _("general")
        CHILDREN = "children", _("children and adolescents")
        SEXUAL = "sexual", _("sexual exploitation")
        LABOUR = "labour", _("labour exploitation")
        SMUGGLING = "smuggling", _("vulnerability in smuggling of migrants")

    class Source(models.TextChoices):
        ILO_EC = "ilo_ec", _("ILO and European Commission, Operational indicators")
        UNODC = "unodc", _("UNODC, Human trafficking indicators")
        COUNTRY = "country", _("a country's protocol")

    category = models.CharField(_("category"), max_length=12, choices=Category)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("indicator"), max_length=400)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    source_reference = models.CharField(_("source reference"), max_length=400, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The country whose protocol this indicator comes from."),
    )

    class Meta:
        verbose_name = _("detection indicator")
        verbose_name_plural = _("detection indicators")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="country") | Q(country__isnull=False),
                name="country_protocol_indicator_has_a_country",
            )
        ]

    def __str__(self):
        return self.text
