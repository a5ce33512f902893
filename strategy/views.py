"""Public pages of the strategy: nothing here needs a login. The home page and a country's page,
which also show values and the directory, are composed above the apps, in corett/pages.py."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .filters import RatificationFilter
from .models import (
    Approach,
    AudienceSector,
    Axis,
    Country,
    Crime,
    Definition,
    Difference,
    GlossaryTerm,
    Instrument,
    Ratification,
    RegionalInstrument,
)
from .selectors import passages


def about(request):
    approaches = Approach.objects.all()
    return render(
        request,
        "strategy/about.html",
        {
            "approaches": [a for a in approaches if a.kind == Approach.Kind.APPROACH],
            "principles": [a for a in approaches if a.kind == Approach.Kind.PRINCIPLE],
            "sectors": AudienceSector.objects.all(),
            "axes": Axis.objects.current(),
            **passages(
                "presentation", "methodology", "general-objective", "target-audience", "monitoring"
            ),
        },
    )


def axis_detail(request, slug):
    axis = get_object_or_404(Axis.objects.current().with_matrix(), slug=slug)
    return render(
        request, "strategy/axis_detail.html", {"axis": axis, "axes": Axis.objects.current()}
    )


def country_list(request):
    countries = Country.objects.select_related("governing_body").annotate(
        ratified=Count("ratifications", filter=Q(ratifications__date__isnull=False))
    )
    return render(
        request,
        "strategy/country_list.html",
        {"countries": countries, "instrument_count": Instrument.objects.count()},
    )


def normative_framework(request):
    filterset = RatificationFilter(request.GET, queryset=Ratification.objects.all())
    ratifications = filterset.qs.select_related("instrument", "country")
    # Build the countries × instruments grid from the filtered cells, in one query.
    countries, instruments, cells = {}, {}, {}
    for r in ratifications.order_by("instrument__order", "country__name"):
        countries[r.country_id] = r.country
        instruments[r.instrument_id] = r.instrument
        cells[r.instrument_id, r.country_id] = r
    countries = sorted(countries.values(), key=lambda c: c.name)
    grid = [
        (instrument, [cells.get((instrument.pk, c.pk)) for c in countries])
        for instrument in instruments.values()
    ]
    regional = RegionalInstrument.objects.prefetch_related("countries")
    return render(
        request,
        "strategy/normative_framework.html",
        {
            "filter": filterset,
            "countries": countries,
            "grid": grid,
            "corett_instruments": [
                i for i in regional if i.group == RegionalInstrument.Group.CORETT
            ],
            "consulted_instruments": [
                i for i in regional if i.group == RegionalInstrument.Group.CONSULTED
            ],
        },
    )


def conceptual_framework(request):
    definitions = list(Definition.objects.all())
    return render(
        request,
        "strategy/conceptual_framework.html",
        {
            "trafficking": [d for d in definitions if d.protocol == Crime.TRAFFICKING],
            "smuggling": [d for d in definitions if d.protocol == Crime.SMUGGLING],
            "differences": Difference.objects.all(),
        },
    )


def small_figures(request):
    """Why some figures show "<5": the disclosure rule (monitoring.disclosure) in plain words."""
    threshold = settings.SMALL_CELL_THRESHOLD
    return render(
        request,
        "strategy/small_figures.html",
        {"threshold": threshold, "largest_small": threshold - 1, "protected": threshold > 1},
    )


def glossary(request):
    # No term has a NUL, and PostgreSQL refuses one in a search with an error.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    terms = GlossaryTerm.objects.all()
    if query:
        terms = terms.filter(Q(term__icontains=query) | Q(definition__icontains=query))
    return render(request, "strategy/glossary.html", {"terms": terms, "query": query})
