"""A country's values per indicator and period, their audit trail, and its narrative of the
period (section VIII).

Values change only through monitoring.values.services, which validates them, runs the workflow
(draft → submitted → returned or validated, monitoring.values.workflow) and writes the audit record
of every change; narratives through monitoring.values.narratives.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.periods.models import Period
from strategy.models import Country, Indicator


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    VALIDATED = "validated", _("validated")


# The longest text each path accepts (form, API, spreadsheet import): declared once, here.
TEXT_MAX_LENGTH = 500  # a text indicator's value
COMMENT_MAX_LENGTH = 2000  # a country's comment on its value
SOURCE_MAX_LENGTH = 300

# A country may still change what it reported in these states; the others wait for, or have had,
# the secretariat's decision (monitoring.values.workflow).
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class ValueQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=Status.VALIDATED)

    def validated_or_of_country(self, country_id):
        """Validated values, and every value of one country whatever its state."""
        return self.filter(Q(status=Status.VALIDATED) | Q(country_id=country_id))

    def for_indicator(self, code: str):
        return self.filter(indicator__code=code)

    def of_countries(self):
        """Country values only: regional figures are computed from these, never typed."""
        return self.filter(country__isnull=False)

    def regional_totals(self):
        """{period code: sum over countries}, in one query."""
        rows = (
            self.of_countries()
            .values("period__code")
            .annotate(total=Sum("number"))
            .order_by("period__code")
        )
        return {row["period__code"]: row["total"] for row in rows}


class Value(models.Model):
    """A country's figure for an indicator in a period (country empty: a regional figure the
    document gives as such, e.g. the 2019 percentages). Typed by the indicator's kind: count,
    percentage and yes/no (1 or 0) in `number`, text in `text`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="values"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)
    disaggregation = models.JSONField(
        _("disaggregation"),
        default=dict,
        blank=True,
        help_text=_('Per dimension, per category: {"sex": {"women": 7, "men": 5}}.'),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    review_comment = models.TextField(_("secretariat's comment"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/", blank=True)
    source = models.CharField(_("source"), max_length=SOURCE_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Empty for the figures loaded from the document; set by the services on every change.
    updated_at = models.DateTimeField(_("updated on"), null=True, blank=True)
    # Invented by `manage.py demo` (monitoring.demo) to try the portal; removed by `demo --remove`.
    is_demo = models.BooleanField(_("demonstration"), default=False, editable=False)
    # Quality checks (monitoring.values.quality): the previous period's figure when this one
    # changed from it beyond the indicator's tolerance, set on every save; the secretariat's mark.
    unusual_from = models.DecimalField(
        _("previous period's value (unusual change)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    follow_up = models.BooleanField(_("to follow up"), default=False)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["indicator", "country", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "period"],
                condition=Q(country__isnull=False),
                name="one_value_per_cell",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(country__isnull=True),
                name="one_regional_value_per_period",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0), name="value_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            # The values API's order: a page of the list (of one period, or of all) reads its
            # fifty rows in order instead of sorting a whole period's values.
            models.Index(fields=["period", "indicator", "country"], name="value_period_cell"),
            # The secretariat's queue, counted on every page it sees.
            models.Index(
                fields=["status"], condition=Q(status="submitted"), name="value_submitted"
            ),
            # Whether any demonstration figure exists, asked (cached) by every page's banner.
            models.Index(fields=["is_demo"], condition=Q(is_demo=True), name="value_demo"),
            # The values to follow up, listed on the secretariat's queue: a few among all.
            models.Index(fields=["follow_up"], condition=Q(follow_up=True), name="value_follow_up"),
        ]

    def __str__(self):
        where = self.country.code if self.country_id else "—"
        return f"{self.indicator.code} {where} {self.period}: {self.shown}"

    @property
    def shown(self) -> str:
        return self.text if self.indicator.kind == Indicator.Kind.TEXT else str(self.number)


class ValueAudit(models.Model):
    """One change of a value: who, when, from which path, before and after. Never edited."""

    class Action(models.TextChoices):
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        VALIDATED = "validated", _("validated")
        REOPENED = "reopened", _("reopened")
        FOLLOW_UP = "follow_up", _("marked for follow-up")
        RESOLVED = "resolved", _("follow-up resolved")

    class Path(models.TextChoices):
        FORM = "form", _("form")
        API = "api", _("API")
        IMPORT = "import", _("spreadsheet import")
        FIXTURE = "fixture", _("reference data")

    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="audits")
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    path = models.CharField(_("path"), max_length=8, choices=Path)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"))
    note = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("value audit record")
        verbose_name_plural = _("value audit records")
        ordering = ["value", "at", "pk"]

    def __str__(self):
        return f"{self.value_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # An audit trail that can be rewritten is no audit trail: records are only ever added.
        if self.pk is not None:
            raise ValueError("audit records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit records are never deleted")


class Narrative(models.Model):
    """A country's account of a period: progress, obstacles, adjustments proposed (section VIII)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="narratives")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="narratives")
    progress = models.TextField(_("progress"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    adjustments = models.TextField(_("adjustments proposed"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    review_comment = models.TextField(_("secretariat's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demonstration"), default=False, editable=False)

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(fields=["country", "period"], name="one_narrative_per_period")
        ]

    def __str__(self):
        return f"{self.country} {self.period}"

    @property
    def is_validated(self) -> bool:
        return self.status == Status.VALIDATED
