"""Dashboards, public: progress against targets, the secretariat's qualifications, the countries'
narratives and the identified-victims series, for the region and per country. Validated values
only; small cells protected for whoever is looking (monitoring.values.breakdowns)."""

import re

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy.models import Country
from strategy.selectors import current_axes

from ...periods.models import Period
from ...populations.rates import country_group_rates, victim_rates
from ...values.breakdowns import value_breakdowns
from ...values.formatting import breakdown_list, breakdown_rows
from .. import selectors

ISO_CODE = re.compile(r"[A-Za-z]{2}")


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Reporting period"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no such reporting period: choose one from the list."
            )
        },
    )

    def __init__(self, data):
        super().__init__(data)
        self.periods = list(Period.objects.all())
        self.fields["period"].choices = [(p.code, p.code) for p in self.periods]

    def chosen(self) -> Period | None:
        """The period asked for, or the default one when nothing (or nothing valid) was asked."""
        if self.is_bound and self.is_valid() and self.cleaned_data["period"]:
            return next(p for p in self.periods if p.code == self.cleaned_data["period"])
        return selectors.default_period(self.periods)


def _render(request, template, form, context):
    # A period that does not exist is the visitor's mistake: say so beside the field (400).
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


def dashboard(request):
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    axes = current_axes()
    countries = selectors.in_chart_order(Country.objects.all())
    victims = selectors.victims_series(countries)
    context = {
        "period": period,
        "axes": axes,
        "countries": countries,
        "victims": victims,
        "rates": victim_rates(victims.periods, victims.rows),
        "victims_code": selectors.VICTIMS,
        "victims_chart": victims.chart(title=_("Identified victims per country and year")),
        "victims_totals_chart": victims.totals_chart(
            title=_("Identified victims in the region (sum of the countries)")
        ),
        "regional_2019": selectors.regional_2019(),
        "band": selectors.band_percent(),
    }
    if period is not None:
        checks = selectors.target_checks(period)
        by_axis = selectors.progress_by_axis(checks, axes)
        by_country = selectors.progress_by_country(checks, countries)
        qualifications = selectors.qualifications(period)
        regional = {q.axis_id: q for q in qualifications if q.country_id is None}
        context |= {
            "checks": checks,
            "axis_progress": by_axis,
            "axis_chart": selectors.progress_chart(
                by_axis, title=_("Targets on track per axis, %(period)s") % {"period": period}
            ),
            "country_progress": by_country,
            "country_chart": selectors.progress_chart(
                by_country,
                title=_("Targets on track per country, %(period)s") % {"period": period},
            ),
            "qualified": bool(qualifications),
            "regional_qualifications": [(axis, regional.get(axis.pk)) for axis in axes],
            "qualification_grid": selectors.qualification_grid(qualifications, axes, countries),
            "narratives": selectors.validated_narratives(period),
            "breakdown": breakdown_list(
                selectors.regional_breakdown(victims.values, period, request.user)
            ),
        }
    return _render(request, "monitoring/dashboard/regional.html", form, context)


def country_dashboard(request, code):
    if not ISO_CODE.fullmatch(code):  # before the database: PostgreSQL refuses a NUL byte
        raise Http404
    country = get_object_or_404(Country, code=code.upper())
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    axes = current_axes()
    victims = selectors.victims_series([country], country=country)
    rates = victim_rates(victims.periods, victims.rows)
    context = {
        "country": country,
        "period": period,
        "axes": axes,
        "victims": victims,
        "rates": rates,
        "victims_code": selectors.VICTIMS,
        "victims_chart": victims.first_row_chart(
            title=_("Identified victims in %(country)s") % {"country": country.name}
        ),
        "band": selectors.band_percent(),
    }
    if period is not None:
        checks = selectors.target_checks(period, country=country)
        by_axis = selectors.progress_by_axis(checks, axes)
        qualifications = selectors.qualifications(period, country=country)
        own = {q.axis_id: q for q in qualifications if q.country_id == country.pk}
        regional = {q.axis_id: q for q in qualifications if q.country_id is None}
        context |= {
            "checks": checks,
            "axis_progress": by_axis,
            "axis_chart": selectors.progress_chart(
                by_axis, title=_("Targets on track per axis, %(period)s") % {"period": period}
            ),
            "target_chart": selectors.target_chart(
                checks, title=_("Validated figure against target, %(period)s") % {"period": period}
            )
            if checks
            else "",
            "qualifications": [(axis, own.get(axis.pk), regional.get(axis.pk)) for axis in axes],
            "narrative": next(iter(selectors.validated_narratives(period, country=country)), None),
            "values": _with_breakdowns(selectors.country_values(country, period), request.user),
            "group_rates": country_group_rates(rates, victims.values, period, request.user),
        }
    return _render(request, "monitoring/dashboard/country.html", form, context)


def _with_breakdowns(values, user) -> list[tuple]:
    shown = value_breakdowns(values, user)
    return [(v, breakdown_list(breakdown_rows(shown[v.pk]))) for v in values]
