"""The monitoring and follow-up matrix of section VIII: periods, targets, values, audit trail.

Values change only through monitoring/services.py, which validates them, runs the workflow
(draft → submitted → returned or validated) and writes the audit record of every change.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
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


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    VALIDATED = "validated", _("validated")


class ValueQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=Status.VALIDATED)

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
    text = models.CharField(_("text"), max_length=500, blank=True)
    disaggregation = models.JSONField(
        _("disaggregation"),
        default=dict,
        blank=True,
        help_text=_('Per dimension, per category: {"sex": {"women": 7, "men": 5}}.'),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    review_comment = models.TextField(_("secretariat's comment"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/", blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Empty for the figures loaded from the document; set by the services on every change.
    updated_at = models.DateTimeField(_("updated on"), null=True, blank=True)

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
            # The secretariat's queue, counted on every page it sees.
            models.Index(
                fields=["status"], condition=Q(status="submitted"), name="value_submitted"
            ),
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

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(fields=["country", "period"], name="one_narrative_per_period")
        ]

    def __str__(self):
        return f"{self.country} {self.period}"


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


class ReportRequest(models.Model):
    """A PDF progress report asked for (by a person, or by the schedule when a period closes): its
    scope (a country, or the region when `country` is empty), period and language, where it is in
    its life (queued → running → done or failed), and the file once written.

    monitoring/reports/services.py changes it; a Celery task renders it from its id. The file is
    shared by every request for the same scope, period, language and data version."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("country"),
        help_text=_("Empty for the regional report."),
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="report_requests", verbose_name=_("period")
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    draft = models.BooleanField(
        _("with drafts"),
        default=False,
        help_text=_("Includes the country's values not validated yet, marked as such."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    scheduled = models.BooleanField(_("generated when the period closed"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=State, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    data_version = models.CharField(_("data version"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested on"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("sent to the workers on"), null=True, blank=True)
    started_at = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(draft=False) | Q(country__isnull=False),
                name="report_draft_only_for_a_country",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="report_done_has_a_file"
            ),
            # One scheduled set per period: the schedule may run twice, never generate twice.
            models.UniqueConstraint(
                fields=["period", "country", "language"],
                condition=Q(scheduled=True, country__isnull=False),
                name="one_scheduled_country_report",
            ),
            models.UniqueConstraint(
                fields=["period", "language"],
                condition=Q(scheduled=True, country__isnull=True),
                name="one_scheduled_regional_report",
            ),
        ]
        indexes = [
            # The sweep's look for requests left queued or running.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "running"]),
                name="report_unfinished",
            ),
        ]

    def __str__(self):
        scope = self.country.code if self.country_id else "regional"
        return f"{scope} {self.period} {self.language} ({self.status})"

    @property
    def is_regional(self) -> bool:
        return self.country_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.State.DONE, self.State.FAILED)
