import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Country, Instrument, Ratification


class RatificationFilter(django_filters.FilterSet):
    """Filters of the ratification chart (countries × instruments)."""

    country = django_filters.ModelMultipleChoiceFilter(
        field_name="country__code",
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country"),
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.ChoiceFilter(
        field_name="instrument__kind",
        choices=Instrument.Kind.choices,
        label=_("Instrument type"),
        empty_label=_("All types"),
    )
    system = django_filters.ChoiceFilter(
        field_name="instrument__system",
        choices=Instrument.System.choices,
        label=_("System"),
        empty_label=_("All systems"),
    )

    class Meta:
        model = Ratification
        fields = ["country", "kind", "system"]
