"""Filters of the matrix and the tracking table (django-filter).

Pages read the valid choices with `FilterSet.choices()`: a value that is not valid (an unknown
period, axis 99, a state that does not exist) is dropped with its message beside the field and the
page falls back to the default, so no address can break a page. Periods are offered from a list
the view has already read, so that the filters cost no query of their own for them.
"""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from corett.widgets import LongSelect
from strategy.models import Axis, Frequency

from ..periods.models import Period
from ..values.models import Status, Value
from .selectors import CellState


def _period_label(period: Period) -> str:
    return f"{period.code} · {Period.State(period.state).label}"


def _axis_label(axis: Axis) -> str:
    return f"{axis.number}. {axis.name}"


class PeriodFilter(django_filters.ChoiceFilter):
    """A period by its code, among the periods given to the FilterSet."""

    def filter(self, values, code):
        return values.filter(period__code=code) if code else values


class ChoicesMixin:
    """Periods from a list, defaults for empty fields, and the valid choices only, with the fields
    in error put back to their default so that the form shows what the page actually shows."""

    period_fields: tuple = ()

    def __init__(self, data=None, *args, periods=(), defaults=None, **kwargs):
        self.periods = {period.code: period for period in periods}
        self.defaults = {key: value for key, value in (defaults or {}).items() if value}
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for key, value in self.defaults.items():
            if not data.get(key):
                data[key] = value
        super().__init__(data, *args, **kwargs)
        for name in self.period_fields:
            self.filters[name].extra["choices"] = [
                (period.code, _period_label(period)) for period in self.periods.values()
            ]
        self.rejected = {}

    def choices(self) -> dict:
        """{field: value} of the valid, non-empty filters; periods as Period objects."""
        self.is_valid()
        for name in self.form.errors:
            self.rejected[name] = self.data.get(name, "")
            if name in self.defaults:
                self.data[name] = self.defaults[name]
            elif name in self.data:
                del self.data[name]
        chosen = {key: value for key, value in self.form.cleaned_data.items() if value}
        for name in self.period_fields:
            if name in chosen:
                chosen[name] = self.periods[chosen[name]]
        return chosen

    def form_fields(self) -> list[tuple]:
        """(bound field, the value refused in it or None), for the template."""
        return [(field, self.rejected.get(field.name)) for field in self.form]


class MatrixFilter(ChoicesMixin, django_filters.FilterSet):
    period_fields = ("period",)

    period = PeriodFilter(label=_("Period"), empty_label=None, widget=LongSelect)
    axis = django_filters.ModelChoiceFilter(
        queryset=Axis.objects.current(),
        to_field_name="number",
        field_name="indicator__goal__activity__objective__axis",
        label=_("Axis"),
        empty_label=_("All axes"),
        widget=LongSelect,
    )
    state = django_filters.ChoiceFilter(
        choices=CellState.choices,
        label=_("State"),
        empty_label=_("All states"),
        widget=LongSelect,
        method="filter_state",
    )

    class Meta:
        model = Value
        fields = ["period", "axis", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["axis"].label_from_instance = _axis_label

    def filter_state(self, values, name, state):
        """Values in a cell state. A cell with no value has no row: "nothing" matches none."""
        if state == CellState.NOTHING:
            return values.none()
        if state == CellState.LATE:
            return values.filter(status=Status.SUBMITTED, late=True)
        if state == CellState.SUBMITTED:
            return values.filter(status=Status.SUBMITTED, late=False)
        return values.filter(status=state)


class TrackingForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and self.periods[first].starts_on > self.periods[last].starts_on:
            self.add_error("last", _("The last period comes before the first one."))
        return cleaned


class TrackingFilter(ChoicesMixin, django_filters.FilterSet):
    period_fields = ("first", "last")

    frequency = django_filters.ChoiceFilter(
        field_name="indicator__frequency",
        choices=Frequency.choices,
        label=_("Reporting frequency"),
        empty_label=None,
        widget=LongSelect,
    )
    axis = django_filters.ModelChoiceFilter(
        queryset=Axis.objects.current(),
        to_field_name="number",
        field_name="indicator__goal__activity__objective__axis",
        label=_("Axis"),
        empty_label=_("All axes"),
        widget=LongSelect,
    )
    first = PeriodFilter(label=_("From"), empty_label=_("The first period"), widget=LongSelect)
    last = PeriodFilter(label=_("To"), empty_label=_("The current period"), widget=LongSelect)

    class Meta:
        model = Value
        fields = ["frequency", "axis", "first", "last"]
        form = TrackingForm

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("defaults", {"frequency": Frequency.ANNUAL})
        super().__init__(*args, **kwargs)
        self.form.periods = self.periods
        self.form.fields["axis"].label_from_instance = _axis_label

    def filter_queryset(self, values):
        # A range of periods, not one: from the first one's start to the last one's.
        chosen = self.form.cleaned_data
        first, last = self.periods.get(chosen.get("first")), self.periods.get(chosen.get("last"))
        if first:
            values = values.filter(period__starts_on__gte=first.starts_on)
        if last:
            values = values.filter(period__starts_on__lte=last.starts_on)
        for name in ("frequency", "axis"):
            values = self.filters[name].filter(values, chosen.get(name))
        return values
