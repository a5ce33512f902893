"""The secretariat's calendar: reporting periods (create, lock, unlock), each period's targets and
the qualifications of the axes. Access through corett.access; periods change only through
monitoring.periods.services, targets through .targets, qualifications through .qualifications.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from corett import access
from corett.editing import add_errors
from strategy.models import Axis, Country

from . import selectors, services
from . import targets as target_services
from .forms import PeriodForm, QualificationForm, TargetGridForm, qualification_prefix
from .models import Period
from .qualifications import StaleQualification, qualification_set, qualifications_of
from .targets import TargetCell

manager_required = access.requires(access.can_manage_periods)


@manager_required
def periods(request):
    return render(request, "monitoring/review/periods.html", {"rows": selectors.period_overview()})


@manager_required
def period_create(request):
    if request.method != "POST":
        form = PeriodForm(initial=services.period_suggestion())
    else:
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Period %(period)s created (%(state)s).")
                    % {"period": period, "state": Period.State(period.state).label},
                )
                return redirect("monitoring:periods")
    return render(request, "monitoring/review/period_form.html", {"form": form})


def _lock_change(request, pk, service, done_message):
    period = get_object_or_404(Period, pk=pk)
    try:
        service(user=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message % {"period": period})
    return redirect(reverse("monitoring:periods") + f"#period-{period.pk}")


@manager_required
@require_POST
def period_lock(request, pk):
    return _lock_change(
        request,
        pk,
        services.period_lock,
        _("Period %(period)s locked: its values can no longer be saved or submitted."),
    )


@manager_required
@require_POST
def period_unlock(request, pk):
    return _lock_change(
        request,
        pk,
        services.period_unlock,
        _("Period %(period)s unlocked: it follows its dates again."),
    )


# --- Targets -----------------------------------------------------------------------------------

CONTEXT = "context"  # the tab of context indicators, outside the operative matrix


def _tabs(period: Period, chosen: str | None):
    axes = list(Axis.objects.current())
    tabs = [{"key": str(axis.number), "axis": axis} for axis in axes]
    tabs.append({"key": CONTEXT, "axis": None})
    keys = [tab["key"] for tab in tabs]
    current = chosen if chosen in keys else keys[0]
    indicators = target_services.period_indicators(period)
    if current == CONTEXT:
        indicators = indicators.filter(goal__isnull=True)
    else:
        indicators = indicators.filter(goal__activity__objective__axis__number=int(current))
    return tabs, current, list(indicators)


@manager_required
def targets(request, pk):
    period = get_object_or_404(Period, pk=pk)
    tabs, current, indicators = _tabs(period, request.GET.get("axis"))
    countries = list(Country.objects.all())
    grid = {"indicators": indicators, "countries": countries}
    stored = target_services.targets_of(period)
    form = TargetGridForm(request.POST or None, targets=stored, **grid)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_cells()
        cells = [
            TargetCell(
                indicator=cell["indicator"],
                country=cell["country"],
                target=cell["typed"]["target"],
                baseline=cell["typed"]["baseline"],
                shown_target=cell["shown"]["target"],
                shown_baseline=cell["shown"]["baseline"],
            )
            for cell in changed
        ]
        try:
            count = target_services.targets_save(user=request.user, period=period, cells=cells)
        except ValidationError as error:
            form = _grid_again(request, form, changed, grid, period)
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d target saved.", "%(count)d targets saved.", count)
                % {"count": count},
            )
            return redirect(f"{request.path}?axis={current}")
    return render(
        request,
        "monitoring/review/targets.html",
        {"period": period, "form": form, "tabs": tabs, "current": current, **grid},
    )


def _grid_again(request, form, changed, grid, period):
    """The grid after a refusal: what the person changed stays as typed; every other cell and
    what counts as "shown" take the stored figures now, so saving again overwrites nothing
    someone else changed meanwhile unless the person changed that cell too."""
    stored = target_services.targets_of(period)
    fresh = TargetGridForm(targets=stored, **grid)
    data = request.POST.copy()
    typed = {cell[part] for cell in changed for part in ("target", "baseline")}
    for name, field in fresh.fields.items():
        if name != "shown" and name not in typed:
            data[name] = field.initial
    data["shown"] = fresh.fields["shown"].initial
    again = TargetGridForm(data, targets=stored, **grid)
    again.is_valid()
    return again


# --- Qualifications ----------------------------------------------------------------------------


@manager_required
def qualifications(request, pk):
    period = get_object_or_404(Period, pk=pk)
    axes = list(Axis.objects.current())
    countries = list(Country.objects.all())
    stored = qualifications_of(period)
    places = {
        qualification_prefix(axis, country): (axis, country)
        for axis in axes
        for country in [None, *countries]
    }
    bound = None
    if request.method == "POST":
        prefix = request.POST.get("form", "")
        if prefix not in places:
            return HttpResponseBadRequest()
        axis, country = places[prefix]
        bound = QualificationForm(request.POST, prefix=prefix)
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                qualification_set(
                    user=request.user,
                    axis=axis,
                    period=period,
                    country=country,
                    rating=data["rating"],
                    reason=data["reason"],
                    seen=data["seen"],
                )
            except StaleQualification as stale:
                bound = _qualification_again(request, prefix, stale.current)
            except ValidationError as error:
                add_errors(bound, error)
            else:
                messages.success(
                    request,
                    _("Qualification of %(axis)s in %(place)s saved.")
                    % {"axis": axis, "place": country or _("the region")},
                )
                return redirect(f"{request.path}#{prefix}")
    sections = []
    for axis in axes:
        rows = []
        for country in [None, *countries]:
            prefix = qualification_prefix(axis, country)
            current = stored.get((axis.pk, country.pk if country else None))
            form = bound if bound is not None and bound.prefix == prefix else None
            if form is None:
                form = QualificationForm(
                    prefix=prefix,
                    initial={
                        "rating": current.rating if current else "",
                        "reason": current.reason if current else "",
                        "seen": current.updated_at.isoformat() if current else "",
                    },
                )
            rows.append({"country": country, "prefix": prefix, "current": current, "form": form})
        sections.append({"axis": axis, "rows": rows})
    return render(
        request,
        "monitoring/review/qualifications.html",
        {"period": period, "sections": sections},
    )


def _qualification_again(request, prefix, current):
    """Someone else changed this qualification meanwhile: what was typed stays, now against the
    qualification just shown, so that saving again replaces it knowingly."""
    data: QueryDict = request.POST.copy()
    data[f"{prefix}-seen"] = current.updated_at.isoformat() if current else ""
    form = QualificationForm(data, prefix=prefix)
    form.is_valid()
    if current:
        message = _(
            "%(person)s changed this qualification meanwhile, to “%(rating)s”: %(reason)s. "
            "Nothing was saved; save again to replace it with yours."
        ) % {
            "person": current.updated_by.get_full_name() or current.updated_by.username
            if current.updated_by
            else _("Someone"),
            "rating": current.get_rating_display(),
            "reason": current.reason,
        }
    else:
        message = _("This qualification changed meanwhile. Nothing was saved; save again.")
    form.add_error(None, message)
    return form
