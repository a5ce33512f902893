"""The directory's filters, shared by the pages, the exports and the API: country (or regional),
sector, role in the referral chain, population served, and free text that ignores accents and
case ("niñez" finds "ninez" and the other way round)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from strategy.models import Country

from .models import Actor, Population, Role, Sector

REGIONAL = "regional"


def country_choices():
    return [
        (REGIONAL, _("Regional and international")),
        *Country.objects.values_list("code", "name"),
    ]


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        help_text=_("Words in the name, acronym, services or address; accents do not matter."),
    )
    country = django_filters.ChoiceFilter(
        choices=country_choices,
        method="filter_country",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors")
    )
    role = django_filters.ChoiceFilter(
        choices=Role.choices,
        method="filter_role",
        label=_("Role in the referral chain"),
        empty_label=_("All roles"),
    )
    population = django_filters.ChoiceFilter(
        choices=Population.choices,
        method="filter_population",
        label=_("Population served"),
        empty_label=_("All populations"),
    )

    class Meta:
        model = Actor
        fields = ["q", "country", "sector", "role", "population"]

    def filter_text(self, queryset, name, value):
        return queryset.matching(value[:200])

    def filter_country(self, queryset, name, value):
        if value == REGIONAL:
            return queryset.filter(country__isnull=True)
        return queryset.filter(country__code=value)

    def filter_role(self, queryset, name, value):
        return queryset.with_choice("roles", value)

    def filter_population(self, queryset, name, value):
        return queryset.with_choice("populations", value)

    def applied(self) -> list[tuple[str, str]]:
        """(filter label, value as people read it) for each filter in use, for printouts."""
        if not self.is_bound or not self.form.is_valid():
            return []
        readable = {
            "country": dict(country_choices()),
            "sector": dict(Sector.choices),
            "role": dict(Role.choices),
            "population": dict(Population.choices),
        }
        return [
            (str(self.form[name].label), str(readable.get(name, {}).get(value, value)))
            for name, value in self.form.cleaned_data.items()
            if value
        ]

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.form.cleaned_data.get(f) for f in self.Meta.fields)
