"""Reporting periods, targets and the secretariat's qualifications: the calendar of section VIII
and what each indicator should reach. Their writes are in monitoring.periods.services."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from strategy.models import Axis, Country, Frequency, Indicator


class PeriodQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        return self.filter(opens_on__lte=day, locked_at__isnull=True)


class Period(models.Model):
    """A reporting period of the strategic plan 2019–2027 (annual by default)."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("not open yet")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed (late submissions flagged)")
        LOCKED = "locked", _("locked")

    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("e.g. 2026, 2026-S1")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Frequency, default=Frequency.ANNUAL)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    opens_on = models.DateField(_("submissions open on"))
    closes_on = models.DateField(_("submissions close on"))
    locked_at = models.DateTimeField(_("locked on"), null=True, blank=True)
    # Demonstration figures (monitoring.demo): a period the demo created, or one it locked and
    # unlocks again when the demo is removed.
    is_demo = models.BooleanField(_("demonstration"), default=False, editable=False)
    demo_locked = models.BooleanField(
        _("locked by the demonstration"), default=False, editable=False
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="period_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.code

    def state_on(self, day: datetime.date) -> str:
        """Derived, never stored: only locking is a decision; the rest follows from the dates."""
        if self.locked_at:
            return self.State.LOCKED
        if day < self.opens_on:
            return self.State.UPCOMING
        if day > self.closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    @cached_property
    def previous(self) -> "Period | None":
        """The period before, of the same kind (its values are "last period's"): read once per
        instance, as a page or a save asks for every row."""
        return (
            Period.objects.filter(kind=self.kind, starts_on__lt=self.starts_on)
            .order_by("-starts_on")
            .first()
        )


class Target(models.Model):
    """What an indicator should reach in a period, in one country or in the region (no country)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="targets"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demonstration"), default=False, editable=False)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "period"],
                condition=Q(country__isnull=False),
                name="one_country_target_per_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(country__isnull=True),
                name="one_regional_target_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.country or _('region')} {self.period}: {self.value}"


class Qualification(models.Model):
    """The secretariat's qualification of an axis in a period, for a country or the region."""

    class Rating(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        OFF_TRACK = "off_track", _("off track")

    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="qualifications")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="qualifications")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="qualifications"
    )
    rating = models.CharField(_("qualification"), max_length=10, choices=Rating)
    reason = models.TextField(_("reason"))
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demonstration"), default=False, editable=False)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "period", "country"],
                condition=Q(country__isnull=False),
                name="one_country_qualification",
            ),
            models.UniqueConstraint(
                fields=["axis", "period"],
                condition=Q(country__isnull=True),
                name="one_regional_qualification",
            ),
        ]

    def __str__(self):
        return f"{self.axis} {self.period} {self.country or _('region')}: {self.rating}"
