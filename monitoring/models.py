"""Reporting periods and indicator values per country: the monitoring matrix of section VIII."""

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from strategy.models import Country, Indicator


class Period(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual")
        SEMESTER = "semester", _("semester")
        QUARTER = "quarter", _("quarter")

    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("e.g. 2019"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ANNUAL)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="period_ends_after_start",
            )
        ]

    def __str__(self):
        return self.code


class ValueQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=Value.Status.VALIDATED)

    def for_indicator(self, code: str):
        return self.filter(indicator__code=code)

    def regional_totals(self):
        """{period code: sum over countries}, in one query."""
        rows = self.values("period__code").annotate(total=Sum("total")).order_by("period__code")
        return {row["period__code"]: row["total"] for row in rows}


class Value(models.Model):
    """A country's figure for an indicator in a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        VALIDATED = "validated", _("validated")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["indicator", "country", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "period"], name="one_value_per_cell"
            ),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.country.code} {self.period}: {self.total}"
