"""The normative framework: protocol definitions, the two crimes' differences,
and the international, regional and national instruments with their ratifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .document import Country


class Crime(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in persons")
    SMUGGLING = "smuggling", _("Smuggling of migrants")


class Definition(models.Model):
    """A paragraph of article 3 of either Palermo protocol (section III)."""

    protocol = models.CharField(_("protocol"), max_length=12, choices=Crime)
    letter = models.CharField(_("paragraph"), max_length=1)
    term = models.CharField(_("term"), max_length=120)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("protocol definition")
        verbose_name_plural = _("protocol definitions")
        ordering = ["protocol", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "letter"], name="unique_definition")
        ]

    def __str__(self):
        return f"{self.get_protocol_display()} 3({self.letter})"


class Difference(models.Model):
    """A row of Chart 2: how trafficking and smuggling differ."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    aspect = models.CharField(_("aspect"), max_length=60)
    trafficking = models.TextField(_("trafficking in persons"))
    smuggling = models.TextField(_("smuggling of migrants"))

    class Meta:
        verbose_name = _("difference between the crimes")
        verbose_name_plural = _("differences between the crimes")
        ordering = ["order"]

    def __str__(self):
        return self.aspect


class Instrument(models.Model):
    """An international instrument of Chart 1."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("declaration")
        CONVENTION = "convention", _("convention")
        COVENANT = "covenant", _("covenant")
        PROTOCOL = "protocol", _("protocol")
        STATUTE = "statute", _("statute")

    class System(models.TextChoices):
        UN = "un", _("United Nations")
        ILO = "ilo", _("International Labour Organization")
        OAS = "oas", _("Inter-American system")

    order = models.PositiveSmallIntegerField(_("order in Chart 1"), unique=True)
    short_name = models.CharField(_("short name"), max_length=120)
    name = models.TextField(_("name"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind)
    system = models.CharField(_("system"), max_length=4, choices=System)
    year = models.PositiveSmallIntegerField(_("year adopted"))

    class Meta:
        verbose_name = _("international instrument")
        verbose_name_plural = _("international instruments")
        ordering = ["order"]

    def __str__(self):
        return self.short_name


class Ratification(models.Model):
    """A cell of Chart 1: when a country ratified or acceded to an instrument, if it has."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="ratifications"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="ratifications")
    date = models.DateField(_("date"), null=True, blank=True)
    accession = models.BooleanField(_("accession"), default=False)
    source_text = models.CharField(
        _("cell as printed"),
        max_length=30,
        blank=True,
        help_text=_("The cell as the document prints it."),
    )
    note = models.TextField(_("how the date was read"), blank=True)
    doubtful = models.BooleanField(
        _("doubtful"),
        default=False,
        help_text=_("The printed cell disagrees with the depositary's record (see the note)."),
    )
    source_note = models.SlugField(
        _("entry in the source notes"),
        max_length=100,
        blank=True,
        help_text=_(
            "The anchor of the entry of the normative framework's source notes that explains "
            "this cell, when its note refers to them."
        ),
    )

    class Meta:
        verbose_name = _("ratification")
        verbose_name_plural = _("ratifications")
        ordering = ["instrument__order", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "country"], name="unique_ratification"),
            models.CheckConstraint(
                condition=models.Q(date__isnull=False) | models.Q(accession=False),
                name="accession_needs_date",
            ),
        ]

    def __str__(self):
        return f"{self.instrument} – {self.country}"


class RegionalInstrument(models.Model):
    """Instruments of section II and Annexes B and C: CORETT's own, and those consulted."""

    class Group(models.TextChoices):
        CORETT = "corett", _("Instrument developed within CORETT")
        CONSULTED = "consulted", _("Declaration or instrument consulted")

    group = models.CharField(_("group"), max_length=10, choices=Group)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.TextField(_("name"))
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    adopted = models.CharField(_("date of adoption or approval"), max_length=100, blank=True)
    adopted_on = models.DateField(_("date"), null=True, blank=True)
    countries = models.ManyToManyField(Country, blank=True, verbose_name=_("countries"))
    in_annex_b = models.BooleanField(_("Annex B (trafficking in persons)"), default=False)
    in_annex_c = models.BooleanField(_("Annex C (smuggling of migrants)"), default=False)

    class Meta:
        verbose_name = _("regional instrument")
        verbose_name_plural = _("regional instruments")
        ordering = ["group", "order"]

    def __str__(self):
        return self.name


class NationalInstrument(models.Model):
    """A national instrument of a member country (Annex D)."""

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="national_instruments"
    )
    crime = models.CharField(_("crime"), max_length=12, choices=Crime)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("national instrument")
        verbose_name_plural = _("national instruments")
        ordering = ["country", "crime", "order"]

    def __str__(self):
        return self.text[:80]
