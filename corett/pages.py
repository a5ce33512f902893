"""The public pages that show several apps together: the home page (the plan's axes with the
region's identified victims) and a country's page (its instruments, its identified victims and
where to get help: complaint lines, governing body, referral route).

They are composed here, above the apps, so that strategy, which monitoring and referrals build
on, imports neither of them; each app gives what the page needs through its public names
(monitoring's Value queryset, referrals.selectors.country_help). They are routed with the
strategy's pages, under its names (corett/urls.py): strategy:home and strategy:country.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from monitoring.models import Value
from monitoring.populations.rates import victim_rates
from referrals.selectors import country_help
from strategy.models import Axis, Country, Crime
from strategy.selectors import passages

from .charts import bar_chart

VICTIMS_INDICATOR = "identified-victims"


def home(request):
    axes = Axis.objects.current().annotate(
        activity_count=Count(
            "operational_objectives__activities",
            filter=Q(operational_objectives__activities__retired_at__isnull=True),
            distinct=True,
        ),
        indicator_count=Count(
            "operational_objectives__activities__goals__indicators",
            filter=Q(
                operational_objectives__activities__goals__indicators__retired_at__isnull=True
            ),
            distinct=True,
        ),
    )
    totals = Value.objects.validated().for_indicator(VICTIMS_INDICATOR).regional_totals()
    chart = bar_chart(list(totals.items()), title=_("Identified victims in the region"))
    return render(
        request,
        "strategy/home.html",
        {
            "axes": axes,
            "countries": Country.objects.select_related("governing_body"),
            "victims_chart": chart,
            "victims_code": VICTIMS_INDICATOR,
            **passages("general-objective"),
        },
    )


def country_detail(request, code):
    country = get_object_or_404(Country.objects.select_related("governing_body"), code=code.upper())
    victims = list(
        Value.objects.validated()
        .for_indicator(VICTIMS_INDICATOR)
        .filter(country=country)
        .select_related("period")
        .order_by("period__starts_on")
    )
    rates = victim_rates([v.period for v in victims], [(country, [v.number for v in victims])])
    instruments = list(country.national_instruments.all())
    return render(
        request,
        "strategy/country_detail.html",
        {
            "country": country,
            "ratifications": country.ratifications.select_related("instrument"),
            "trafficking_instruments": [i for i in instruments if i.crime == Crime.TRAFFICKING],
            "smuggling_instruments": [i for i in instruments if i.crime == Crime.SMUGGLING],
            "victims": victims,
            # each year's figure beside its rate per 100,000 inhabitants
            "victim_rows": list(zip(victims, rates.rows[0][1], strict=True)),
            "rates": rates,
            "victims_code": VICTIMS_INDICATOR,
            "victims_chart": bar_chart(
                [(v.period.code, v.number) for v in victims],
                title=_("Identified victims in %(country)s") % {"country": country.name},
            ),
            # Complaint lines, governing body entry and referral route, shown first.
            **country_help(country),
        },
    )
