"""The secretariat's "follow up" mark on a value: set with a note, cleared when resolved. Access
through corett.access; the mark changes only through monitoring.values.services.value_follow_up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corett import access

from ...values import services
from ...values.formatting import describe
from ...values.models import Value
from ..forms import FollowUpForm, ResolveForm

marker_required = access.requires(access.can_mark_follow_up)


def _mark(request, pk, *, resolve: bool):
    value = get_object_or_404(Value.objects.select_related("indicator", "country", "period"), pk=pk)
    form = (ResolveForm if resolve else FollowUpForm)(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("monitoring:value", pk=value.pk)
    try:
        services.value_follow_up(
            user=request.user, value=value, note=form.cleaned_data["note"], resolve=resolve
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("%(value)s: follow-up resolved.")
            if resolve
            else _("%(value)s marked for follow-up: it is listed in the queue until resolved.")
        )
        messages.success(request, done % {"value": describe(value)})
    return redirect("monitoring:value", pk=value.pk)


@marker_required
@require_POST
def follow_up(request, pk):
    return _mark(request, pk, resolve=False)


@marker_required
@require_POST
def follow_up_resolve(request, pk):
    return _mark(request, pk, resolve=True)
