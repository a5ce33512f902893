"""The operative matrix, the editable part of the plan: axes, objectives,
activities, goals and indicators."""

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _


class PlanItemQuerySet(models.QuerySet):
    def current(self):
        """Items in force: retired ones stay in history and past reports, not on current pages."""
        return self.filter(retired_at__isnull=True)


class PlanItem(models.Model):
    """An editable part of the plan: versioned against concurrent edits, retired not deleted."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    retired_at = models.DateTimeField(_("retired on"), null=True, blank=True, editable=False)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class AxisQuerySet(PlanItemQuerySet):
    def with_matrix(self):
        """Axes with their whole current operative matrix, in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch(
                "operational_objectives",
                OperationalObjective.objects.current().prefetch_related(
                    Prefetch(
                        "activities",
                        Activity.objects.current().prefetch_related(
                            Prefetch(
                                "goals",
                                Goal.objects.current().prefetch_related(
                                    Prefetch("indicators", Indicator.objects.current())
                                ),
                            )
                        ),
                    )
                ),
            )
        )


class Axis(PlanItem):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    specific_objective = models.TextField(_("specific objective"))
    description = models.TextField(_("description"))

    objects = AxisQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        ordering = ["number"]

    def __str__(self):
        return self.name


class OperationalObjective(PlanItem):
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="operational_objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("operational objective")
        verbose_name_plural = _("operational objectives")
        ordering = ["axis__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["axis", "number"], name="unique_objective_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Activity(PlanItem):
    objective = models.ForeignKey(
        OperationalObjective, on_delete=models.PROTECT, related_name="activities"
    )
    code = models.CharField(
        _("number"), max_length=10, help_text=_("As in the document: 1.1, 1.2…")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    responsible = models.CharField(_("responsible"), max_length=200)
    timeframe = models.CharField(_("timeframe"), max_length=200)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order"]

    def __str__(self):
        return f"{self.code} {self.text}"


class Goal(PlanItem):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="goals")
    code = models.CharField(_("number"), max_length=12, help_text=_("As in the document: 1.1.1…"))
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order"]

    def __str__(self):
        return f"{self.code} {self.text}"


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("annual")
    SEMESTER = "semester", _("semester")
    QUARTER = "quarter", _("quarter")


class Indicator(PlanItem):
    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        PERCENTAGE = "percentage", _("percentage")
        YES_NO = "yes_no", _("yes/no")
        TEXT = "text", _("text")

    code = models.CharField(_("code"), max_length=20, unique=True)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        related_name="indicators",
        null=True,
        blank=True,
        help_text=_("Empty for context indicators that stand outside the operative matrix."),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.COUNT)
    frequency = models.CharField(
        _("reporting frequency"), max_length=10, choices=Frequency, default=Frequency.ANNUAL
    )
    disaggregations = models.JSONField(
        _("disaggregations"),
        default=list,
        blank=True,
        help_text=_('Dimensions the indicator is reported by, e.g. ["level"].'),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target stated in the document"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Quality checks at entry (monitoring.values.quality), set by the secretariat.
    minimum = models.DecimalField(
        _("lowest acceptable value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: a value below it is refused on every path."),
    )
    maximum = models.DecimalField(
        _("highest acceptable value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: a value above it is refused on every path."),
    )
    change_tolerance = models.PositiveSmallIntegerField(
        _("year-on-year tolerance (%)"),
        default=50,
        help_text=_(
            "A value that changes more than this from the previous period needs a comment "
            "before it is submitted."
        ),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="indicator_minimum_below_maximum",
                violation_error_message=_("The lowest value must not exceed the highest."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
