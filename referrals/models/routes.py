"""Referral routes with their ordered steps, and detection indicators."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from strategy.models import Country

from .actors import Actor
from .verifiable import Verifiable, VerifiableQuerySet


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
