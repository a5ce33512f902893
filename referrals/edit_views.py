"""Editing the directory: actors (with their contact persons), complaint lines, routes and their
steps; marking entries as verified; the list of entries to verify.

Who may: corett.access.can_edit_directory_entry (the secretariat; a focal point for their own
country's entries only). Anonymous visitors are sent to sign in; anyone else gets 403 before
anything is read or written. Each form carries the version it was opened at: a save based on an
old version is refused with the entry as it is now (services.StaleEntry)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from corett import access
from corett.editing import add_errors, posted_version, stale_message

from . import selectors, services
from .forms import ActorForm, ContactPersonFormSet, HotlineForm, RouteForm, RouteStepForm
from .history import history_entries
from .models import Actor, Hotline, Route, RouteStep
from .views import country_or_regional

work_required = access.requires(access.can_work_on_directory)


def _stale_message(current) -> str:
    return stale_message(_("this entry"), current.version)


def _country_for_edit(request, code):
    return access.get_directory_country_for_edit(request.user, lambda: country_or_regional(code))


def _form_page(request, template_context: dict, status: int = 200):
    return render(request, "referrals/entry_form.html", template_context, status=status)


def _save(request, form, *, on_saved, save=services.entry_save, **arguments):
    """Runs a save service (entry_save unless told); returns (a redirect or None, the entry as it
    is now when someone else saved first)."""
    try:
        entry = save(user=request.user, form=form, version=posted_version(request), **arguments)
    except services.StaleEntry as stale:
        messages.error(request, _stale_message(stale.current))
        return None, stale.current
    except ValidationError as error:
        add_errors(form, error)
        return None, None
    messages.success(request, _("Saved."))
    return redirect(on_saved(entry)), None


# --- Actors -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    actor = access.get_directory_entry_for_edit(
        request.user, Actor.objects.select_related("country"), pk
    )
    return _actor_form(request, actor, actor.country)


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request, code):
    country = _country_for_edit(request, code)
    return _actor_form(request, Actor(country=country), country)


def _actor_form(request, actor, country):
    user = request.user
    form = ActorForm(request.POST or None, instance=actor, user=user)
    formset = ContactPersonFormSet(request.POST or None, instance=actor, prefix="contacts")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            response, current = _save(
                request,
                form,
                save=services.actor_save,
                contacts=formset,
                on_saved=lambda entry: reverse("referrals:actor", args=[entry.pk]),
            )
            if response:
                return response
            if current is not None:
                form = ActorForm(instance=current, user=user)
                formset = ContactPersonFormSet(instance=current, prefix="contacts")
                actor = current
    return _form_page(
        request,
        {
            "kind": "actor",
            "form": form,
            "formset": formset,
            "entry": actor,
            "country": country,
            "history": history_entries(actor) if actor.pk else [],
            "cancel_url": reverse("referrals:actor", args=[actor.pk])
            if actor.pk
            else reverse("referrals:index"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def actor_verify(request, pk):
    actor = access.get_directory_entry_for_edit(request.user, Actor.objects.all(), pk)
    return _verify(request, actor, reverse("referrals:actor", args=[pk]))


def _verify(request, entry, back: str):
    if (version := posted_version(request)) is None:  # without it, no check: every button sends it
        return HttpResponseBadRequest()
    try:
        services.entry_mark_verified(user=request.user, entry=entry, version=version)
    except services.StaleEntry as stale:
        messages.error(request, _stale_message(stale.current))
    else:
        messages.success(request, _("Marked as verified today."))
    return redirect(request.POST.get("next") if _safe_next(request) else back)


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


# --- Complaint lines ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hotline_edit(request, pk):
    hotline = access.get_directory_entry_for_edit(
        request.user, Hotline.objects.select_related("country"), pk
    )
    return _hotline_form(request, hotline, hotline.country)


@login_required
@require_http_methods(["GET", "POST"])
def hotline_create(request, code):
    country = _country_for_edit(request, code)
    if country is None:
        raise PermissionDenied  # complaint lines belong to a country
    return _hotline_form(request, Hotline(country=country), country)


def _hotline_form(request, hotline, country):
    form = HotlineForm(request.POST or None, instance=hotline, country=country)
    back = reverse("referrals:route", args=[country.code])
    if request.method == "POST" and form.is_valid():
        response, current = _save(request, form, on_saved=lambda entry: back)
        if response:
            return response
        if current is not None:
            form, hotline = HotlineForm(instance=current, country=country), current
    return _form_page(
        request,
        {
            "kind": "hotline",
            "form": form,
            "entry": hotline,
            "country": country,
            "history": history_entries(hotline) if hotline.pk else [],
            "cancel_url": back,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def hotline_verify(request, pk):
    hotline = access.get_directory_entry_for_edit(
        request.user, Hotline.objects.select_related("country"), pk
    )
    return _verify(request, hotline, reverse("referrals:route", args=[hotline.country.code]))


# --- Routes and their steps ---------------------------------------------------------------------


def _route_for_edit(request, code):
    country = _country_for_edit(request, code)
    return get_object_or_404(Route.objects.select_related("country"), country=country)


def _route_url(route) -> str:
    return reverse("referrals:route", args=[route.country.code if route.country else "regional"])


@login_required
@require_http_methods(["GET", "POST"])
def route_edit(request, code):
    route = _route_for_edit(request, code)
    form = RouteForm(request.POST or None, instance=route)
    if request.method == "POST" and form.is_valid():
        response, current = _save(request, form, on_saved=_route_url)
        if response:
            return response
        if current is not None:
            form, route = RouteForm(instance=current), current
    return _form_page(
        request,
        {
            "kind": "route",
            "form": form,
            "entry": route,
            "country": route.country,
            "history": history_entries(route),
            "cancel_url": _route_url(route),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def route_verify(request, code):
    route = _route_for_edit(request, code)
    return _verify(request, route, _route_url(route))


@login_required
@require_http_methods(["GET", "POST"])
def step_create(request, code):
    route = _route_for_edit(request, code)
    step = RouteStep(route=route, order=services.next_step_order(route))
    return _step_form(request, step)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk):
    step = access.get_directory_entry_for_edit(
        request.user, RouteStep.objects.select_related("route__country"), pk
    )
    return _step_form(request, step)


def _step_form(request, step):
    route = step.route
    form = RouteStepForm(request.POST or None, instance=step, route=route)
    if request.method == "POST" and form.is_valid():
        response, current = _save(
            request, form, on_saved=lambda entry: f"{_route_url(route)}#step-{entry.order}"
        )
        if response:
            return response
        if current is not None:
            form, step = RouteStepForm(instance=current, route=route), current
    return _form_page(
        request,
        {
            "kind": "step",
            "form": form,
            "entry": step,
            "route": route,
            "country": route.country,
            "history": history_entries(step) if step.pk else [],
            "cancel_url": _route_url(route),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def step_delete(request, pk):
    step = access.get_directory_entry_for_edit(
        request.user, RouteStep.objects.select_related("route__country"), pk
    )
    if (version := posted_version(request)) is None:  # without it, no check: the button sends it
        return HttpResponseBadRequest()
    try:
        services.step_delete(user=request.user, step=step, version=version)
    except services.StaleEntry as stale:
        messages.error(request, _stale_message(stale.current))
    else:
        messages.success(request, _("Step deleted; it stays in the route's history."))
    return redirect(_route_url(step.route))


# --- Entries to verify --------------------------------------------------------------------------


@work_required
@require_http_methods(["GET"])
def to_verify(request):
    entries = selectors.entries_to_verify(request.user)
    context = {**entries, "total": sum(len(v) for v in entries.values())}
    return render(request, "referrals/to_verify.html", context)
