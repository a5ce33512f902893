"""A PDF progress report asked for: its scope, period and language, and its life."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.periods.models import Period
from strategy.models import Country

REGIONAL = "regional"  # the scope of the regional report, where a country's code would be


def scope_code(country: Country | None) -> str:
    return country.code if country else REGIONAL


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
