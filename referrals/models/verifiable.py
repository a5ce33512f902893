"""What every directory entry carries: who confirmed it and when, its source and its version; an
entry is stale 12 months after (or until) it was verified."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STALE_AFTER = datetime.timedelta(days=365)


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
