"""The report request form and the archive's filters (django-filter). The scopes offered are those
corett.access lets the user ask for; the service checks again whatever arrives."""

import django_filters
from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from corett import access
from strategy.models import Country

from ..periods.models import Period
from .models import REGIONAL, ReportRequest


def scope_choices(user, *, countries=None) -> list[tuple[str, str]]:
    """(code, label) of the reports this user may ask for: the region first, then countries."""
    countries = list(Country.objects.order_by("name")) if countries is None else countries
    choices = (
        [(REGIONAL, _("The region (regional report)"))]
        if access.can_request_report(user, None)
        else []
    )
    return choices + [(c.code, c.name) for c in countries if access.can_request_report(user, c)]


def reportable_periods():
    """Periods already started, latest first: a report of a period not begun says nothing."""
    return Period.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on", "kind")


class ReportRequestForm(forms.Form):
    scope = forms.ChoiceField(label=pgettext_lazy("noun: a PDF report", "Report"))
    period = forms.ChoiceField(label=_("Reporting period"))
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    draft = forms.BooleanField(
        label=_("Include my country's figures not validated yet (a draft for your eyes only)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.countries = {c.code: c for c in Country.objects.order_by("name")}
        self.periods = {p.code: p for p in reportable_periods()}
        self.fields["scope"].choices = scope_choices(user, countries=list(self.countries.values()))
        self.fields["period"].choices = [(code, code) for code in self.periods]
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE
        if not self.may_ask_for_drafts:
            del self.fields["draft"]

    @property
    def may_ask_for_drafts(self) -> bool:
        own = getattr(self.user, "country", None)
        return own is not None and access.can_request_report(self.user, own, draft=True)

    def clean(self):
        data = super().clean()
        if data.get("draft") and data.get("scope") == REGIONAL:
            self.add_error("draft", _("Drafts go only in a country's report."))
        return data

    @property
    def chosen_country(self) -> Country | None:
        scope = self.cleaned_data["scope"]
        return None if scope == REGIONAL else self.countries[scope]

    @property
    def chosen_period(self) -> Period:
        return self.periods[self.cleaned_data["period"]]


class ScopeFilter(django_filters.ChoiceFilter):
    def filter(self, reports, value):
        if not value:
            return reports
        if value == REGIONAL:
            return reports.filter(country__isnull=True)
        return reports.filter(country__code=value)


class ReportFilter(django_filters.FilterSet):
    scope = ScopeFilter(label=pgettext_lazy("noun: a PDF report", "Report"))
    period = django_filters.ChoiceFilter(field_name="period__code", label=_("Period"))
    language = django_filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("Language"))
    status = django_filters.ChoiceFilter(choices=ReportRequest.State.choices, label=_("State"))

    class Meta:
        model = ReportRequest
        fields = ["scope", "period", "language", "status"]

    def __init__(self, data, queryset, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["scope"].extra["choices"] = scope_choices(user)
        self.filters["period"].extra["choices"] = [
            (code, code) for code in reportable_periods().values_list("code", flat=True)
        ]
