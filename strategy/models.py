"""The strategy as the coalition approved it: reference data loaded from fixtures/strategy/."""

from django.db import models
from django.db.models import Prefetch, Q
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
