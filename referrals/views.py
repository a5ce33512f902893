"""Public pages of the referral directory: the directory with every country's complaint lines,
its printable variant, an actor's page, the referral routes as flowcharts, the detection aid.
The work pages (edits, import, entries to verify) are in edit_views.py and spreadsheet_views.py."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from corett import access
from strategy.models import Country

from . import selectors
from .filters import REGIONAL, ActorFilter
from .flowchart import route_flowchart
from .models import Actor, DetectionIndicator, Role

PAGE_SIZE = 50
PRINT_LIMIT = 500


def country_or_regional(code: str):
    """The member country of an ISO code, or None for "regional"; 404 for anything else."""
    if code == REGIONAL:
        return None
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise Http404
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    return country


def filtered_actors(request) -> ActorFilter:
    return ActorFilter(request.GET or None, queryset=Actor.objects.listed())


@require_GET
def index(request):
    filterset = filtered_actors(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "lines": selectors.complaint_lines(),
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_work": access.can_work_on_directory(request.user),
        "to_verify": selectors.count_to_verify(request.user),
        "add_actor_code": _add_actor_code(request.user),
        "countries": Country.objects.order_by("name"),
    }
    return render(request, "referrals/index.html", context)


def _add_actor_code(user) -> str | None:
    """Where this user adds an actor from the directory's page: their own country for a focal
    point; regional entries for the secretariat (national ones from each country's route page)."""
    if access.is_secretariat(user):
        return REGIONAL
    if access.can_work_on_directory(user):
        return user.country.code
    return None


@require_GET
def print_view(request):
    filterset = filtered_actors(request)
    actors = list(filterset.qs[:PRINT_LIMIT])
    context = {
        "lines": selectors.complaint_lines(),
        "filter": filterset,
        "actors": actors,
        "cut": len(actors) == PRINT_LIMIT,
        "today": timezone.localdate(),
    }
    return render(request, "referrals/print.html", context)


@require_GET
def actor_detail(request, pk):
    try:
        actor = selectors.actor_for_page(pk, request.user)
    except Actor.DoesNotExist:
        raise Http404 from None
    context = {
        "actor": actor,
        "routes": sorted({step.route for step in actor.route_steps.all()}, key=lambda r: r.pk),
        "sees_contact_persons": access.sees_contact_persons(request.user),
        "can_edit": access.can_edit_directory_entry(request.user, actor.country),
    }
    return render(request, "referrals/actor_detail.html", context)


@require_GET
def route(request, code):
    country = country_or_regional(code)
    route = selectors.route_for(country)
    countries = list(Country.objects.order_by("name"))
    context = {
        "route": route,
        "country": country,
        "flowchart": route_flowchart(route, countries=countries if country is None else ()),
        "countries": countries,
        "hotlines": list(country.hotlines.order_by("order", "pk")) if country else [],
        "can_edit": access.can_edit_directory_entry(request.user, country),
        "code": code.upper() if country else REGIONAL,
    }
    return render(request, "referrals/route.html", context)


class DetectionForm(forms.Form):
    """What a person observed (indicators) and where (a country): nothing about who."""

    indicator = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label=_("Signs observed")
    )
    country = forms.ChoiceField(label=_("Country where you are"))

    def __init__(self, *args, groups, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (indicator.pk, indicator.text) for _v, _l, items in groups for indicator in items
        ]
        self.fields["country"].choices = [("", _("Choose a country")), *countries]


# Which roles of the referral chain to show first for what was observed.
FIRST_ROLES = [Role.PROTECTION, Role.COMPLAINT, Role.IDENTIFICATION, Role.HOTLINE]


@require_GET
def detection(request):
    groups = selectors.indicators_by_category()
    countries = [(c.code, c.name) for c in Country.objects.order_by("name")]
    form = DetectionForm(
        request.GET if "country" in request.GET else None, groups=groups, countries=countries
    )
    result, ticked = None, set()
    if form.is_bound and form.is_valid():
        result = _detection_result(form.cleaned_data, groups)
        ticked = set(form.cleaned_data["indicator"])
    context = {"form": form, "groups": groups, "result": result, "ticked": ticked}
    response = render(request, "referrals/detection.html", context)
    # The ticks travel in the address: keep it out of caches and of the links followed from here.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _detection_result(data, groups) -> dict:
    country = Country.objects.get(code=data["country"])
    ticked = set(data["indicator"])
    observed = [(label, [i for i in items if i.pk in ticked]) for _v, label, items in groups]
    observed = [(label, items) for label, items in observed if items]
    children = any(
        i.category == DetectionIndicator.Category.CHILDREN for _l, its in observed for i in its
    )
    actors = Actor.objects.filter(country=country).listed()
    first = [
        actor
        for actor in actors
        if actor.is_governing_body or set(actor.roles) & {r.value for r in FIRST_ROLES}
    ]
    if children:
        first.sort(key=lambda actor: "children" not in actor.populations)
    return {
        "country": country,
        "observed": observed,
        "count": len(ticked),
        "children": children,
        "help": selectors.country_help(country),
        "actors": first,
    }
