"""The secretariat's review of country narratives: a narrative's page, with Validate and Return
for the secretariat, and the list of narratives waiting for review shown on the queue.

Access is decided by corett.access; narratives change only through the workflow
(monitoring.values.workflow.transition), as values do.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corett import access

from ...periods.models import Period
from ...values import workflow
from ...values.models import Narrative, Status
from ...values.workflow import StaleNarrative
from ..forms import NarrativeReturnForm, VersionForm

reviewer_required = access.requires(access.can_review_values)
FORMS = {workflow.VALIDATE: VersionForm, workflow.RETURN: NarrativeReturnForm}


def _narrative(pk):
    return Narrative.objects.select_related("country", "period").filter(pk=pk).first()


def _page(request, narrative: Narrative, *, bound=None, unsent: str = ""):
    reviewer = access.can_review_values(request.user)
    bound = bound or {}
    context = {
        "narrative": narrative,
        "period_state": Period.State(narrative.period.state).label,
        "reviewer": reviewer,
        "is_focal_point": access.is_focal_point_of(request.user, narrative.country),
        "unsent": unsent,
    }
    if reviewer and narrative.status == Status.SUBMITTED:
        initial = {"version": narrative.version}
        context["validate_form"] = VersionForm(initial=initial)
        context["return_form"] = bound.get("return") or NarrativeReturnForm(initial=initial)
    return render(request, "monitoring/review/narrative.html", context)


@access.sign_in_instead_of_404
def narrative_detail(request, pk):
    """The secretariat and the country's focal point see it in every state; anyone else only
    once validated (404 otherwise, as for no narrative at all); anonymous visitors sign in."""
    narratives = Narrative.objects.select_related("country", "period")
    return _page(request, access.get_narrative_to_read(request.user, narratives, pk))


def _decide(request, pk, action):
    narrative = _narrative(pk)
    if narrative is None:
        raise Http404
    form = FORMS[action](request.POST)
    note = request.POST.get("comment", "").strip()
    if not form.is_valid():
        if "version" in form.errors:  # not from the page: its hidden input always has one
            return HttpResponseBadRequest()
        return _page(request, narrative, bound={action: form})
    data = form.cleaned_data
    try:
        done = workflow.transition(
            narrative,
            action,
            user=request.user,
            version=data["version"],
            note=data.get("comment", ""),
        )
    except StaleNarrative as stale:
        current = stale.current
        messages.error(
            request,
            _(
                "The narrative changed since you opened it (state now: %(status)s). Nothing was "
                "done: read it again before deciding."
            )
            % {"status": current.get_status_display()},
        )
        current = _narrative(current.pk)
        again = {}
        if note and current.status == Status.SUBMITTED:
            typed = {"version": current.version, "comment": note}
            again = {workflow.RETURN: NarrativeReturnForm(typed)}
        return _page(request, current, bound=again, unsent=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, _narrative(pk), bound={action: form}, unsent=note)
    if action == workflow.VALIDATE:
        messages.success(
            request,
            _("Narrative of %(country)s for %(period)s validated.")
            % {"country": done.country.name, "period": done.period.code},
        )
    else:
        messages.success(
            request,
            _("Narrative of %(country)s for %(period)s returned to its focal point.")
            % {"country": done.country.name, "period": done.period.code},
        )
    return redirect("monitoring:narrative", pk=done.pk)


@reviewer_required
@require_POST
def narrative_validate(request, pk):
    return _decide(request, pk, workflow.VALIDATE)


@reviewer_required
@require_POST
def narrative_return(request, pk):
    return _decide(request, pk, workflow.RETURN)
