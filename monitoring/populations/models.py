"""A country's population in a year: the denominator of the rates per 100,000 inhabitants. Its
writes are in monitoring.populations.services."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategy.models import Country

FIRST_YEAR, LAST_YEAR = 1950, 2100
# The parts of the total a source may give, in pairs that add up to it (or to less, where a
# source leaves some unclassified): (women, men) and (children, adults).
PAIRS = (("women", "men"), ("children", "adults"))
PARTS = tuple(part for pair in PAIRS for part in pair)


def _part(label, help_text):
    return models.PositiveBigIntegerField(label, null=True, blank=True, help_text=help_text)


class Population(models.Model):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    total = models.PositiveBigIntegerField(_("total population"), validators=[MinValueValidator(1)])
    women = _part(_("women"), _("Female population, where the source gives it."))
    men = _part(_("men"), _("Male population, where the source gives it."))
    children = _part(_("children (0 to 17)"), _("Population under 18, where the source gives it."))
    adults = _part(_("adults (18 and over)"), _("Population aged 18 and over, where known."))
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("The publication, its edition and the series, e.g. a census or projection."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_date = models.DateField(
        _("source dated"), help_text=_("The date of the edition, or when the figure was read.")
    )
    to_be_verified = models.BooleanField(
        _("to be verified"),
        default=True,
        help_text=_("Seed or imported data that the secretariat has not confirmed yet."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["country__code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year"],
                name="population_once_a_year",
                violation_error_message=_("This country already has a population for this year."),
            ),
            models.CheckConstraint(
                condition=Q(total__gte=1),
                name="population_total_positive",
                violation_error_message=_("The total population must be at least 1."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{part}__isnull": True}) | Q(**{f"{part}__lte": F("total")}),
                    name=f"population_{part}_within_total",
                    violation_error_message=_("No part can be larger than the total population."),
                )
                for part in PARTS
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{first}__isnull": True})
                    | Q(**{f"{second}__isnull": True})
                    | Q(total__gte=F(first) + F(second)),
                    name=f"population_{first}_{second}_within_total",
                    violation_error_message=_(
                        "Women and men, or children and adults, cannot add up to more than the "
                        "total population."
                    ),
                )
                for first, second in PAIRS
            ),
        ]

    def __str__(self):
        return f"{self.country.code} {self.year}"

    def part(self, name: str) -> int | None:
        """The population of a part ("women", "children"…) or the total ("total")."""
        return self.total if name == "total" else getattr(self, name)


def parts_problems(total: int | None, parts: dict) -> dict[str, str]:
    """{part: message} for the parts of a population that do not fit in its total (the same rules
    as the database's constraints, said beside the field, without a query)."""
    if total is None:
        return {}
    problems = {
        part: str(_("No part can be larger than the total population."))
        for part, figure in parts.items()
        if figure is not None and figure > total
    }
    for first, second in PAIRS:
        both = parts.get(first), parts.get(second)
        if None not in both and sum(both) > total and second not in problems:
            problems[second] = str(
                _(
                    "Women and men, or children and adults, cannot add up to more than the "
                    "total population."
                )
            )
    return problems
