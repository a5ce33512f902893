"""The secretariat's queue: the submitted values, oldest first, grouped by period and country, with
the narratives waiting beside them; and validating the ticked values at once (all or none).
Access through corett.access; values change only through monitoring.values.services."""

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from corett import access

from ...values import quality, services
from ...values.formatting import shown
from ...values.models import ValueAudit
from .. import selectors
from ..forms import BulkValidateForm, QueueFilterForm
from ..rows import Labels, queue_row

reviewer_required = access.requires(access.can_review_values)
QUEUE_PAGE = 100
FOLLOW_UPS_SHOWN = 200


def _queue_page(request, *, ticked=frozenset()):
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    values = selectors.queue(period=chosen.get("period"), country=chosen.get("country"))
    page = Paginator(values, QUEUE_PAGE).get_page(request.GET.get("page"))
    # Grouped by period and country; the group with the oldest submission comes first.
    groups: dict[tuple, dict] = {}
    labels = Labels()
    for value in page:
        group = groups.setdefault(
            (value.period_id, value.country_id),
            {"period": value.period, "country": value.country, "values": []},
        )
        value.figure = shown(value)
        value.flag = quality.flag(value)
        value.row = queue_row(value, labels, ticked)
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
            "follow_ups": selectors.follow_ups()[:FOLLOW_UPS_SHOWN],
        },
    )


@reviewer_required
def queue(request):
    return _queue_page(request)


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
        count = services.values_validate(
            user=request.user, selection=selection, path=ValueAudit.Path.FORM
        )
    except services.BulkRefused as refused:
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
