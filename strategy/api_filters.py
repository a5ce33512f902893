"""Query filters of the strategy API's lists (?axis=, ?kind=, ?search=…): each a whole number,
a choice or a text, a clear 400 otherwise."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, resolution_order

from corett.api_filters import CountryCodeFilter

from .models import (
    Activity,
    Country,
    GlossaryTerm,
    Goal,
    Indicator,
    Instrument,
    OperationalObjective,
    Ratification,
)


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


class WholeNumberFilter(django_filters.NumberFilter):
    """A number or id as a whole number within the database's integer range: anything else is a
    400 with a message (a huge id used to reach SQLite, which refuses it with an overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**31))
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class IndicatorFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(
        field_name="goal__activity__objective__axis__number", label=_("Axis number")
    )
    kind = django_filters.ChoiceFilter(choices=Indicator.Kind.choices, label=_("Kind"))

    class Meta:
        model = Indicator
        fields = ["axis", "kind"]


class ObjectiveFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="axis__number", label=_("Axis number"))

    class Meta:
        model = OperationalObjective
        fields = ["axis"]


class ActivityFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="objective__axis__number", label=_("Axis number"))
    objective = WholeNumberFilter(field_name="objective_id", label=_("Operational objective id"))

    class Meta:
        model = Activity
        fields = ["axis", "objective"]


class GoalFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="activity__objective__axis__number", label=_("Axis number"))
    activity = WholeNumberFilter(field_name="activity_id", label=_("Activity id"))

    class Meta:
        model = Goal
        fields = ["axis", "activity"]


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
