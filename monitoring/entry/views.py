"""Data entry: a country's page for a reporting period, where its focal point (or the secretariat)
types the values of every indicator and the narrative, saves them as drafts and submits them.

Access through corett.access only: the country's own focal point and the secretariat; regional
values (country "region") are the secretariat's. Every write goes through the page's service,
monitoring.entry.services.entry_save (called by monitoring.entry.forms.EntryForms.save).
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corett import access
from strategy.models import Country

from ..periods.models import Period
from ..values.formatting import shown
from ..values.models import Narrative, Status
from ..values.selectors import reportable_periods
from . import inputs
from .forms import EntryForms, ValueRowForm
from .rows import Labels, row_html
from .selectors import REGION, WRITABLE, Row, entry_rows


def _reports_values(user) -> bool:
    """Anyone who may enter the values of some country: a focal point bound to a country, or
    the secretariat (whose own country is None, the region)."""
    return access.can_enter_values(user, user.country_id)


def _grouped(rows: list[Row]) -> tuple[list, list]:
    """Rows under their axis, operational objective and goal; context indicators apart."""
    matrix = [row for row in rows if row.indicator.goal_id]
    context = [row for row in rows if not row.indicator.goal_id]
    axes = []
    for axis, axis_rows in groupby(matrix, key=lambda r: r.indicator.goal.activity.objective.axis):
        objectives = []
        for objective, objective_rows in groupby(
            axis_rows, key=lambda r: r.indicator.goal.activity.objective
        ):
            goals = [
                {"goal": goal, "rows": list(goal_rows)}
                for goal, goal_rows in groupby(objective_rows, key=lambda r: r.indicator.goal)
            ]
            objectives.append({"objective": objective, "goals": goals})
        axes.append({"axis": axis, "objectives": objectives})
    return axes, context


def _summary(rows: list[Row]) -> dict:
    counts = {status: 0 for status in Status.values}
    for row in rows:
        if row.value is not None:
            counts[row.value.status] += 1
    counts["missing"] = sum(1 for row in rows if row.value is None)
    counts["total"] = len(rows)
    return counts


def _country_or_404(code: str) -> Country | None:
    if code == REGION:
        return None
    return get_object_or_404(Country, code=code)


@access.requires(_reports_values)
def entry_home(request):
    """A focal point lands on their country's page for the open period (or chooses among the
    periods they can still report); the secretariat chooses a country, or the region."""
    periods = list(reportable_periods(timezone.localdate()))
    for period in periods:
        period.state_label = Period.State(period.state).label
    user = request.user
    if not access.is_secretariat(user):
        open_now = [p for p in periods if p.state == Period.State.OPEN]
        if len(open_now) == 1:
            return redirect("monitoring:entry", country=user.country.code, period=open_now[0].code)
        countries = [user.country]
    else:
        countries = list(Country.objects.all())
    return render(
        request,
        "monitoring/entry/home.html",
        {
            "periods": periods,
            "countries": countries,
            "with_region": access.can_enter_values(user, None),
            "region": REGION,
        },
    )


@access.requires(_reports_values)
def entry(request, country, period):
    country = _country_or_404(country)
    if not access.can_enter_values(request.user, country):
        raise PermissionDenied
    period = get_object_or_404(Period, code=period)
    rows = entry_rows(request.user, country, period)
    narrative = (
        Narrative.objects.filter(country=country, period=period).first() if country else None
    )
    writable = period.state in WRITABLE
    is_post = request.method == "POST"
    page = EntryForms(
        country=country,
        period=period,
        rows=rows,
        narrative=narrative,
        narrative_writable=writable,
        data=request.POST if is_post else None,
        files=request.FILES if is_post else None,
    )
    errors = []
    if is_post:
        action = request.POST.get("action")
        if action not in {"save", "submit"}:
            return HttpResponseBadRequest(_("Press “Save as draft” or “Submit”."))
        if not writable:
            errors.append(_("This period does not take values: nothing was saved."))
        else:
            outcome = page.save(user=request.user, submit=action == "submit")
            if not outcome.failed:
                _tell(request, outcome, submit=action == "submit")
                return redirect(request.path)
    return render(
        request,
        "monitoring/entry/page.html",
        _page_context(request, country, period, page, rows, narrative, errors),
    )


def _tell(request, outcome, *, submit: bool) -> None:
    if submit:
        if outcome.submitted or outcome.narrative_submitted:
            message = ngettext(
                "%(count)s value submitted to the secretariat.",
                "%(count)s values submitted to the secretariat.",
                outcome.submitted,
            ) % {"count": outcome.submitted}
            if outcome.narrative_submitted:
                message += " " + _("The narrative was submitted with them.")
            if outcome.late:
                message += " " + _("The period's close date has passed: they are flagged late.")
            messages.success(request, message)
        else:
            messages.warning(request, _("Nothing to submit: no value is in draft or returned."))
        return
    if outcome.saved or outcome.narrative_saved:
        message = ngettext(
            "Saved as draft: %(count)s value.", "Saved as draft: %(count)s values.", outcome.saved
        ) % {"count": outcome.saved}
        if outcome.narrative_saved:
            message += " " + _("The narrative was saved.")
        messages.success(request, message + " " + _("Submit them when they are complete."))
    else:
        messages.info(request, _("Nothing to save: nothing was changed."))


_PK_MARK = 987654321


def _page_context(request, country, period, page, rows, narrative, errors) -> dict:
    axes, context_rows = _grouped(rows)
    # One reverse() for the page, not one per row: a value's page differs only by its pk.
    labels = Labels()
    history = reverse("monitoring:value", args=[_PK_MARK]).replace(str(_PK_MARK), "{}")
    for row in rows:
        if row.value is not None:
            row.history_url = history.format(row.value.pk)
        if row.conflict is not None:
            row.shown_conflict = shown(row.conflict, row.indicator)
        form = page.form_to_show(row)
        if row.editable and form is not None:
            row.inputs = inputs.row_inputs(form, evidence_name=row.evidence_name)
        row.html = row_html(row, labels)
    user = request.user
    others = [p for p in reportable_periods(timezone.localdate()) if p.pk != period.pk]
    place = country.code if country else REGION
    other_url = reverse("monitoring:entry", args=[place, _PK_MARK]).replace(str(_PK_MARK), "{}")
    for other in others:  # a quarter's page lists thirty: one reverse() for them all
        other.entry_url = other_url.format(other.code)
    failed_rows = [row for row in rows if row.failed]
    narrative_form = page.narrative_form
    return {
        "country": country,
        "place": country.name if country else _("Regional values"),
        "period": period,
        "state": period.state,
        "writable": period.state in WRITABLE,
        "axes": axes,
        "context_rows": context_rows,
        # Open unless long (the regional page's figures from the document), or when in use.
        "context_open": len(context_rows) <= 3
        or any(row.value or row.failed for row in context_rows),
        "rows": rows,
        "summary": _summary(rows),
        "returned": [row for row in rows if row.status == Status.RETURNED],
        "failed_rows": failed_rows,
        "errors": errors,
        "page": page,
        "narrative": narrative,
        "narrative_form": narrative_form,
        "narrative_has_errors": bool(
            page.narrative_failed or page.narrative_problems or page.narrative_conflict
        ),
        "other_periods": others,
        "entry_home_url": reverse("monitoring:entry_home"),
        "is_secretariat": access.is_secretariat(user),
        "entry_help": inputs.shared_help(ValueRowForm) if any(row.inputs for row in rows) else "",
    }
