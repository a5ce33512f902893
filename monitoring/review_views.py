"""The secretariat's review: the queue of submitted values, a value's page with its audit trail
(also what the e-mail notices link to), reporting periods, targets and qualifications.

Access is decided by corett.access; values change only through monitoring.services, periods and
targets through monitoring.periods, qualifications through monitoring.qualifications.
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from corett import access
from strategy.dimensions import DIMENSIONS
from strategy.models import Axis, Country, Indicator

from . import selectors, services
from .models import Period, Status, Value, ValueAudit
from .periods import selectors as period_selectors
from .periods import services as period_services
from .periods import targets as target_services
from .periods.qualifications import StaleQualification, qualification_set, qualifications_of
from .periods.targets import TargetCell, plain
from .privacy import protected_breakdown
from .review_forms import (
    BulkValidateForm,
    PeriodForm,
    QualificationForm,
    QueueFilterForm,
    ReopenForm,
    ReturnForm,
    TargetGridForm,
    VersionForm,
    qualification_prefix,
)
from .services import StaleValue

reviewer_required = access.requires(access.can_review_values)
manager_required = access.requires(access.can_manage_periods)
QUEUE_PAGE = 100
RELATED = ("indicator", "country", "period")
FORM = ValueAudit.Path.FORM  # the audit's path for every decision taken on these pages


# --- How values read ---------------------------------------------------------------------------


def figure(indicator: Indicator, number, text: str = "") -> str:
    """A value as people read it, by its indicator's kind."""
    if indicator.kind == Indicator.Kind.TEXT:
        return text or "—"
    if number is None or number == "":
        return "—"
    if indicator.kind == Indicator.Kind.YES_NO:
        return _("Yes") if float(number) == 1 else _("No")
    shown = plain(Decimal(number))  # audit records keep numbers as text
    return f"{shown} %" if indicator.kind == Indicator.Kind.PERCENTAGE else shown


def describe(value: Value) -> str:
    """A value named briefly: "HN · TRA-2.1.1-a · 2026"."""
    where = value.country.code if value.country_id else _("Region")
    return f"{where} · {value.indicator.code} · {value.period.code}"


def _category_labels(key: str) -> tuple[str, dict]:
    dimension = DIMENSIONS.get(key)
    if dimension is None:
        return key, {}
    return str(dimension.label), dimension.categories


def breakdown_rows(breakdown: dict) -> list[dict]:
    """Each dimension with its categories in the dimension's own order."""
    rows = []
    for key, categories in breakdown.items():
        label, labels = _category_labels(key)
        order = list(labels)
        ordered = sorted(categories.items(), key=lambda item: _position(order, item[0]))
        rows.append(
            {"label": label, "cells": [(labels.get(cat, cat), count) for cat, count in ordered]}
        )
    return rows


def _position(order: list, key) -> int:
    return order.index(key) if key in order else len(order)


STATUS_LABELS = dict(Status.choices)


def _changes(indicator: Indicator, before: dict | None, after: dict) -> list[dict]:
    """What an audit record changed, field by field and breakdown cell by cell, as people read
    it. The first record of a value (before is None) lists what it was created with."""
    before = before or {}
    labels = {
        "status": _("State"),
        "number": _("Value"),
        "text": _("Value"),
        "comment": _("Comment"),
        "review_comment": _("Secretariat's comment"),
    }
    rows = []
    for key, label in labels.items():
        old, new = before.get(key), after.get(key)
        if old == new or (not old and not new):
            continue
        if key == "status":
            old, new = capfirst(STATUS_LABELS.get(old, old)), capfirst(STATUS_LABELS.get(new, new))
        elif key in {"number", "text"}:
            old = figure(indicator, old, old) if old not in (None, "") else None
            new = figure(indicator, new, new) if new not in (None, "") else None
        rows.append({"label": label, "before": old or "—", "after": new or "—"})
    old_b, new_b = before.get("disaggregation") or {}, after.get("disaggregation") or {}
    dimensions = sorted(set(old_b) | set(new_b), key=lambda k: _position(list(DIMENSIONS), k))
    for key in dimensions:
        label, categories = _category_labels(key)
        old_cells, new_cells = old_b.get(key) or {}, new_b.get(key) or {}
        order = list(categories)
        for cat in sorted(set(old_cells) | set(new_cells), key=lambda c: _position(order, c)):
            old, new = old_cells.get(cat), new_cells.get(cat)
            if old != new:
                rows.append(
                    {
                        "label": f"{label} · {categories.get(cat, cat)}",
                        "before": "—" if old is None else old,
                        "after": "—" if new is None else new,
                    }
                )
    return rows


def audit_trail(value: Value, *, full: bool) -> list[dict]:
    """The value's history, newest first: in full (who, what changed, notes) for those who may
    see its drafts; otherwise only when each step of the workflow happened."""
    entries = []
    for audit in value.audits.select_related("user").order_by("-at", "-pk"):
        entry = {"audit": audit, "action": audit.get_action_display()}
        if full:
            entry["who"] = audit.user.get_full_name() or audit.user.username if audit.user else None
            entry["changes"] = _changes(value.indicator, audit.before, audit.after)
            entry["path"] = audit.get_path_display()
        entries.append(entry)
    return entries


# --- The value's page --------------------------------------------------------------------------


def _visible_value(request, pk):
    """The value if this user may see it; anonymous visitors are sent to sign in (the e-mail
    notices link here), anyone else gets 404 — the same for a draft as for no value at all."""
    values = access.values_visible_to(request.user, Value.objects.select_related(*RELATED))
    value = values.filter(pk=pk).first()
    if value is None and not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if value is None:
        raise Http404
    return value, None


def _value_page(request, value: Value, *, forms=None, unsent: str = ""):
    full = access.sees_value_in_full(request.user, value.country)
    reviewer = access.can_review_values(request.user)
    forms = forms or {}
    context = {
        "value": value,
        "figure": figure(value.indicator, value.number, value.text),
        "period_state": Period.State(value.period.state).label,
        "breakdown": breakdown_rows(protected_breakdown(value, request.user)),
        "trail": audit_trail(value, full=full),
        "full": full,
        "reviewer": reviewer,
        "is_focal_point": access.is_focal_point_of(request.user, value.country),
        "unsent": unsent,
    }
    if reviewer:
        initial = {"version": value.version}
        if value.status == Status.SUBMITTED:
            context["validate_form"] = VersionForm(initial=initial)
            context["return_form"] = forms.get("return") or ReturnForm(initial=initial)
        elif value.status == Status.VALIDATED:
            context["reopen_form"] = forms.get("reopen") or ReopenForm(initial=initial)
        context["next_waiting"] = (
            Value.objects.filter(status=Status.SUBMITTED)
            .exclude(pk=value.pk)
            .order_by("submitted_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
    return render(request, "monitoring/review/value.html", context)


def value_detail(request, pk):
    value, refusal = _visible_value(request, pk)
    return refusal or _value_page(request, value)


def value_evidence(request, pk):
    """The evidence file, for those who see the value in full; 404 for everyone else."""
    value = Value.objects.select_related("country").filter(pk=pk).first()
    if value is None or not access.sees_value_in_full(request.user, value.country):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if not value.evidence:
        raise Http404
    try:
        file = value.evidence.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(file, as_attachment=True, filename=Path(value.evidence.name).name)


SUCCESS = {
    "validate": lambda v: (
        _("%(value)s validated: it is now locked on every path until reopened.")
        % {"value": describe(v)}
    ),
    "return": lambda v: (
        _("%(value)s returned to its focal point with your comment.") % {"value": describe(v)}
    ),
    "reopen": lambda v: (
        _("%(value)s reopened: its focal point can correct it now.") % {"value": describe(v)}
    ),
}
FORMS = {"validate": VersionForm, "return": ReturnForm, "reopen": ReopenForm}


def _review(request, pk, action: str):
    value = get_object_or_404(Value.objects.select_related(*RELATED), pk=pk)
    form = FORMS[action](request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return HttpResponseBadRequest()
        return _value_page(request, value, forms={action: form})
    version, note = form.cleaned_data["version"], ""
    try:
        if action == "validate":
            done = services.value_validate(
                user=request.user, value=value, path=FORM, version=version
            )
        elif action == "return":
            note = form.cleaned_data["comment"]
            done = services.value_return(
                user=request.user, value=value, comment=note, path=FORM, version=version
            )
        else:
            note = form.cleaned_data["reason"]
            done = services.value_reopen(
                user=request.user, value=value, reason=note, path=FORM, version=version
            )
    except StaleValue as stale:
        current = stale.current
        messages.error(
            request,
            _(
                "%(value)s changed since you opened it (state now: %(status)s), so nothing was "
                "done. Here is the latest; check it and decide again."
            )
            % {"value": describe(current), "status": current.get_status_display()},
        )
        # Keep what was typed, against the version now shown, if the same decision still applies.
        data = request.POST.copy()
        data["version"] = current.version
        return _value_page(
            request, current, forms={action: FORMS[action](data)} if note else {}, unsent=note
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _value_page(request, value, forms={action: form}, unsent=note)
    messages.success(request, SUCCESS[action](done))
    return redirect("monitoring:value", pk=done.pk)


@reviewer_required
@require_POST
def review_validate(request, pk):
    return _review(request, pk, "validate")


@reviewer_required
@require_POST
def review_return(request, pk):
    return _review(request, pk, "return")


@reviewer_required
@require_POST
def review_reopen(request, pk):
    return _review(request, pk, "reopen")


# --- The queue ---------------------------------------------------------------------------------


def _queue_page(request, *, ticked=frozenset()):
    filters = QueueFilterForm(request.GET or None)
    values = (
        Value.objects.filter(status=Status.SUBMITTED)
        .select_related(*RELATED)
        .order_by("submitted_at", "pk")
    )
    if filters.is_valid():
        if period := filters.cleaned_data["period"]:
            values = values.filter(period=period)
        if country := filters.cleaned_data["country"]:
            values = values.filter(country=country)
    page = Paginator(values, QUEUE_PAGE).get_page(request.GET.get("page"))
    # Grouped by period and country; the group with the oldest submission comes first.
    groups: dict[tuple, dict] = {}
    for value in page:
        group = groups.setdefault(
            (value.period_id, value.country_id),
            {"period": value.period, "country": value.country, "values": []},
        )
        value.figure = figure(value.indicator, value.number, value.text)
        group["values"].append(value)
    for group in groups.values():
        group["late"] = Counter(v.late for v in group["values"])[True]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/review/queue.html",
        {
            "groups": list(groups.values()),
            "page": page,
            "filters": filters,
            "ticked": ticked,
            "query": query.urlencode(),
            "waiting_narratives": selectors.narratives_waiting(),
        },
    )


@reviewer_required
def queue(request):
    return _queue_page(request)


class BulkRefused(Exception):
    def __init__(self, problems: dict[int, str]):
        self.problems = problems


@transaction.atomic
def _validate_all(user, selection: dict[int, int]) -> int:
    """Validates every selected value through the service, or none: a value that changed since
    the queue was shown (returned by a colleague, resubmitted…) stops the whole batch."""
    values = Value.objects.select_related(*RELATED).in_bulk(list(selection))
    problems = {}
    for pk, version in selection.items():
        value = values.get(pk)
        if value is None:
            problems[pk] = _("One of the values no longer exists.")
            continue
        try:
            services.value_validate(user=user, value=value, path=FORM, version=version)
        except StaleValue as stale:
            problems[pk] = _(
                "%(value)s changed since the queue was shown (state now: %(status)s)."
            ) % {
                "value": describe(value),
                "status": stale.current.get_status_display(),
            }
        except ValidationError as error:
            problems[pk] = f"{describe(value)}: {' '.join(error.messages)}"
    if problems:
        raise BulkRefused(problems)
    return len(selection)


@reviewer_required
@require_POST
def queue_validate(request):
    form = BulkValidateForm(request.POST)
    back = reverse("monitoring:queue") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["value"]))
        return redirect(back)
    selection = form.selection()
    try:
        count = _validate_all(request.user, selection)
    except BulkRefused as refused:
        messages.error(
            request,
            _("Nothing was validated: %(problems)s The other values are still ticked below.")
            % {"problems": " ".join(refused.problems.values())},
        )
        return _queue_page(request, ticked=set(selection) - set(refused.problems))
    messages.success(
        request,
        ngettext("%(count)d value validated.", "%(count)d values validated.", count)
        % {"count": count},
    )
    return redirect(back)


# --- Periods -----------------------------------------------------------------------------------


@manager_required
def periods(request):
    return render(
        request, "monitoring/review/periods.html", {"rows": period_selectors.period_overview()}
    )


def _add_errors(form, error: ValidationError) -> None:
    """A service's errors beside the form's fields, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@manager_required
def period_create(request):
    if request.method != "POST":
        form = PeriodForm(initial=period_services.period_suggestion())
    else:
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = period_services.period_create(user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
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
        period_services.period_lock,
        _("Period %(period)s locked: its values can no longer be saved or submitted."),
    )


@manager_required
@require_POST
def period_unlock(request, pk):
    return _lock_change(
        request,
        pk,
        period_services.period_unlock,
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
            _add_errors(form, error)
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
                _add_errors(bound, error)
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
