"""Key actors with their institutional contact persons, and complaint lines."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from strategy.models import Country

from .choices import ChoiceListValidator, Population, Role, Sector, normalise
from .verifiable import Verifiable, VerifiableQuerySet


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
