"""Read-only REST API over the strategy's reference data (mounted by corett/api_urls.py).

Every list runs in a fixed number of SQL queries whatever the number of rows: the
querysets below select or prefetch everything their serializers read.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, resolution_order
from rest_framework import viewsets

from . import serializers
from .models import Axis, Country, GlossaryTerm, Indicator, Instrument, Ratification

# ---------------------------------------------------------------------------
# Filters


class CountryCodeField(forms.ModelChoiceField):
    """A country by its ISO code, in any case; an unknown code is a validation error (400)."""

    default_error_messages = {
        "invalid_choice": _(
            "Unknown country code “%(value)s”; use a two-letter ISO code such as HN."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField


def localized_search(queryset, fields, value):
    """Rows whose translated `fields` contain `value` as the reader sees them.

    That is, in the active language, or in the fallback language where the active one is empty.
    """
    condition = Q()
    for field in fields:
        empty = Q()
        for lang in resolution_order(get_language(), None):
            column = build_localized_fieldname(field, lang)
            condition |= empty & Q(**{f"{column}__icontains": value})
            empty &= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return queryset.filter(condition)


class IndicatorFilter(django_filters.FilterSet):
    axis = django_filters.NumberFilter(
        field_name="goal__activity__objective__axis__number", label=_("Axis number")
    )
    kind = django_filters.ChoiceFilter(choices=Indicator.Kind.choices, label=_("Kind"))

    class Meta:
        model = Indicator
        fields = ["axis", "kind"]


class InstrumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Instrument.Kind.choices, label=_("Type"))
    system = django_filters.ChoiceFilter(choices=Instrument.System.choices, label=_("System"))

    class Meta:
        model = Instrument
        fields = ["kind", "system"]


class RatificationFilter(django_filters.FilterSet):
    country = CountryCodeFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country ISO code (case-insensitive)"),
    )
    instrument = django_filters.ModelChoiceFilter(
        queryset=Instrument.objects.all(), label=_("Instrument id")
    )
    ratified = django_filters.BooleanFilter(
        method="filter_ratified", label=_("Ratified or acceded (has a date)")
    )

    class Meta:
        model = Ratification
        fields = ["country", "instrument", "ratified"]

    def filter_ratified(self, queryset, name, value):
        return queryset.filter(date__isnull=not value)


class GlossaryFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Text in the term or its definition (active language)")
    )

    class Meta:
        model = GlossaryTerm
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        return localized_search(queryset, ["term", "definition"], value)


# ---------------------------------------------------------------------------
# Views


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Member countries and their national governing bodies. Look up by ISO code."""

    queryset = Country.objects.select_related("governing_body")
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class AxisViewSet(viewsets.ReadOnlyModelViewSet):
    """Strategic axes with their whole operative matrix. Look up by axis number."""

    queryset = Axis.objects.with_matrix()
    serializer_class = serializers.AxisSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """All indicators, flat, with the goal, activity and axis they belong to. Look up by code."""

    queryset = Indicator.objects.select_related("goal__activity__objective__axis")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """International instruments of Chart 1."""

    queryset = Instrument.objects.all()
    serializer_class = serializers.InstrumentSerializer
    filterset_class = InstrumentFilter


class RatificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Cells of Chart 1: when each country ratified or acceded to each instrument."""

    queryset = Ratification.objects.select_related("instrument", "country")
    serializer_class = serializers.RatificationSerializer
    filterset_class = RatificationFilter


class GlossaryTermViewSet(viewsets.ReadOnlyModelViewSet):
    """Glossary terms, alphabetical in the active language. Look up by slug."""

    serializer_class = serializers.GlossaryTermSerializer
    filterset_class = GlossaryFilter
    lookup_field = "slug"

    def get_queryset(self):
        # Built per request: modeltranslation rewrites order_by("term") to the active language.
        return GlossaryTerm.objects.order_by("term", "slug")
