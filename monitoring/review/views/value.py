"""A value's page, with its audit trail (what the e-mail notices link to, and the matrix's cells),
its evidence file, and the secretariat's decisions on it: validate, return, reopen.

Access is decided by corett.access; values change only through the workflow
(monitoring.values.workflow.transition), as on every other path.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corett import access

from ...periods.models import Period
from ...values import quality, workflow
from ...values.breakdowns import value_breakdown
from ...values.formatting import breakdown_rows, describe, shown
from ...values.models import Status, Value, ValueAudit
from ...values.workflow import StaleValue
from .. import selectors
from ..forms import FollowUpForm, ReopenForm, ResolveForm, ReturnForm, VersionForm
from ..trail import audit_trail

reviewer_required = access.requires(access.can_review_values)
RELATED = ("indicator", "country", "period")
FORM = ValueAudit.Path.FORM  # the audit's path for every decision taken on these pages


def _value_page(request, value: Value, *, forms=None, unsent: str = ""):
    full = access.sees_value_in_full(request.user, value.country)
    reviewer = access.can_review_values(request.user)
    forms = forms or {}
    context = {
        "value": value,
        "figure": shown(value),
        "period_state": Period.State(value.period.state).label,
        "breakdown": breakdown_rows(value_breakdown(value, request.user)),
        "trail": audit_trail(value, full=full),
        "full": full,
        "reviewer": reviewer,
        "is_focal_point": access.is_focal_point_of(request.user, value.country),
        "unsent": unsent,
        "unusual": quality.flag(value) if full else "",
        "marker": access.can_mark_follow_up(request.user),
    }
    if context["marker"]:
        context["follow_up_form"] = ResolveForm() if value.follow_up else FollowUpForm()
    if reviewer:
        initial = {"version": value.version}
        if value.status == Status.SUBMITTED:
            context["validate_form"] = VersionForm(initial=initial)
            context["return_form"] = forms.get("return") or ReturnForm(initial=initial)
        elif value.status == Status.VALIDATED:
            context["reopen_form"] = forms.get("reopen") or ReopenForm(initial=initial)
        context["next_waiting"] = selectors.next_waiting(after=value)
    return render(request, "monitoring/review/value.html", context)


@access.sign_in_instead_of_404
def value_detail(request, pk):
    """Anyone who may read the value (its country's drafts too, for its focal point and the
    secretariat); 404 otherwise, the same for a draft as for no value at all."""
    values = Value.objects.select_related(*RELATED)
    return _value_page(request, access.get_value_to_read(request.user, values, pk))


@access.sign_in_instead_of_404
def value_evidence(request, pk):
    """The evidence file, for those who see the value in full; 404 for everyone else."""
    values = Value.objects.select_related("country")
    value = access.get_value_in_full(request.user, values, pk)
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
FORMS = {workflow.VALIDATE: VersionForm, workflow.RETURN: ReturnForm, workflow.REOPEN: ReopenForm}
NOTE = {workflow.RETURN: "comment", workflow.REOPEN: "reason"}  # each form's note, if it has one


def _review(request, pk, step: str):
    value = get_object_or_404(Value.objects.select_related(*RELATED), pk=pk)
    form = FORMS[step](request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return HttpResponseBadRequest()
        return _value_page(request, value, forms={step: form})
    note = form.cleaned_data.get(NOTE.get(step), "")
    try:
        done = workflow.transition(
            value,
            step,
            user=request.user,
            version=form.cleaned_data["version"],
            note=note,
            path=FORM,
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
            request, current, forms={step: FORMS[step](data)} if note else {}, unsent=note
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _value_page(request, value, forms={step: form}, unsent=note)
    messages.success(request, SUCCESS[step](done))
    return redirect("monitoring:value", pk=done.pk)


@reviewer_required
@require_POST
def review_validate(request, pk):
    return _review(request, pk, workflow.VALIDATE)


@reviewer_required
@require_POST
def review_return(request, pk):
    return _review(request, pk, workflow.RETURN)


@reviewer_required
@require_POST
def review_reopen(request, pk):
    return _review(request, pk, workflow.REOPEN)
