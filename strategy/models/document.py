"""Who the strategy is about and how it speaks: member countries, their governing bodies, the
document's passages, approaches, audience and glossary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    source_gaps = models.TextField(
        _("gaps in the source document"),
        blank=True,
        help_text=_("What the strategy document's copy leaves out or cuts short for this country."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GoverningBody(models.Model):
    """A member country's national governing body on trafficking and smuggling."""

    country = models.OneToOneField(Country, on_delete=models.PROTECT, related_name="governing_body")
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("national governing body")
        verbose_name_plural = _("national governing bodies")

    def __str__(self):
        return self.acronym or self.name


class Passage(models.Model):
    """A titled text of the document, such as the general objective or the target audience."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["key"]

    def __str__(self):
        return self.title


class Approach(models.Model):
    """The approaches and principles guiding the strategy (section V)."""

    class Kind(models.TextChoices):
        APPROACH = "approach", _("approach")
        PRINCIPLE = "principle", _("principle")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("approach or principle")
        verbose_name_plural = _("approaches and principles")
        ordering = ["kind", "order"]

    def __str__(self):
        return self.name


class AudienceSector(models.Model):
    """A sector of the target audience (section VI)."""

    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    is_core = models.BooleanField(_("central nucleus"), default=False)

    class Meta:
        verbose_name = _("target audience sector")
        verbose_name_plural = _("target audience sectors")
        ordering = ["order"]

    def __str__(self):
        return self.name


class GlossaryTerm(models.Model):
    slug = models.SlugField(unique=True)
    term = models.CharField(_("term"), max_length=100)
    definition = models.TextField(_("definition"))

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["term"]

    def __str__(self):
        return self.term
