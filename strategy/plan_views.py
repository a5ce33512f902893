"""The plan workspace: the secretariat edits the operative plan in the browser.

Every view is guarded by corett.access (anonymous users go to the login page, everyone else but the
secretariat gets 403), and every write goes through strategy.services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from corett.access import get_plan_item_for_edit, plan_editor_required
from corett.editing import add_errors, posted_version, stale_message

from . import services
from .forms import FORMS
from .models import Activity, Axis, Goal, Indicator, OperationalObjective, PlanItem
from .plan_changes import conflict_rows, history_entries
from .services import PARENT_FIELD, StaleVersion

KINDS: dict[str, type[PlanItem]] = {
    "axis": Axis,
    "objective": OperationalObjective,
    "activity": Activity,
    "goal": Goal,
    "indicator": Indicator,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
PARENT_KIND = {
    "objective": "axis",
    "activity": "objective",
    "goal": "activity",
    "indicator": "goal",
}


def title(item: PlanItem) -> str:
    """How people name an item: 'Activity 1.1', 'Operational objective 2'…"""
    if isinstance(item, Axis):
        return _("Axis %(number)s: %(name)s") % {"number": item.number, "name": item.name}
    if isinstance(item, OperationalObjective):
        return _("Operational objective %(number)s") % {"number": item.number}
    names = {
        Activity: _("Activity %(code)s"),
        Goal: _("Goal %(code)s"),
        Indicator: _("Indicator %(code)s"),
    }
    return names[type(item)] % {"code": item.code}


def _workspace_url(item: PlanItem | None = None, hide_retired: bool = False) -> str:
    url = reverse("plan:index")
    if hide_retired:
        url += "?retired=hide"
    if item is not None:
        url += f"#{KIND_OF[type(item)]}-{item.pk}"
    return url


def _back(request, item: PlanItem):
    return redirect(_workspace_url(item, hide_retired=request.POST.get("retired") == "hide"))


def _in_place(items: list[PlanItem]) -> list[PlanItem]:
    """Marks which items may move up or down: only among the siblings in force."""
    current = [item for item in items if not item.is_retired]
    for item in items:
        item.can_move_up = item.can_move_down = False
        item.title = title(item)
    for n, item in enumerate(current):
        item.can_move_up = n > 0
        item.can_move_down = n < len(current) - 1
    return items


def _workspace_axes(hide_retired: bool) -> list[Axis]:
    """The four axes with their whole matrix, retired items included unless hidden: one query per
    level, whatever the size of the plan."""

    def items(model):
        return model.objects.current() if hide_retired else model.objects.all()

    indicators = Prefetch("indicators", items(Indicator))
    goals = Prefetch("goals", items(Goal).prefetch_related(indicators))
    activities = Prefetch("activities", items(Activity).prefetch_related(goals))
    objectives = Prefetch(
        "operational_objectives", items(OperationalObjective).prefetch_related(activities)
    )
    axes = list(items(Axis).prefetch_related(objectives))
    for axis in axes:
        axis.title = title(axis)
        axis.children = _in_place(list(axis.operational_objectives.all()))
        for objective in axis.children:
            objective.children = _in_place(list(objective.activities.all()))
            for activity in objective.children:
                activity.children = _in_place(list(activity.goals.all()))
                for goal in activity.children:
                    goal.children = _in_place(list(goal.indicators.all()))
    return axes


@plan_editor_required
def index(request):
    hide_retired = request.GET.get("retired") == "hide"
    context_indicators = Indicator.objects.filter(goal=None)
    if hide_retired:
        context_indicators = context_indicators.current()
    return render(
        request,
        "plan/index.html",
        {
            "axes": _workspace_axes(hide_retired),
            "context_indicators": _in_place(list(context_indicators)),
            "hide_retired": hide_retired,
        },
    )


NEW = {
    "objective": gettext_lazy("New operational objective"),
    "activity": gettext_lazy("New activity"),
    "goal": gettext_lazy("New goal"),
    "indicator": gettext_lazy("New indicator"),
}


def _form_page(request, form, *, item=None, parent=None, kind, conflict=None):
    if item:
        heading = _("Edit %(item)s") % {"item": title(item)}
    elif kind == "indicator" and parent is None:
        heading = _("New context indicator")
    else:
        heading = NEW[kind]
    return render(
        request,
        "plan/form.html",
        {
            "form": form,
            "item": item,
            "heading": heading,
            "parent_title": title(parent) if parent else None,
            "kind": kind,
            "conflict": conflict,
        },
    )


@plan_editor_required
def edit(request, kind, pk):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    form_class = FORMS[type(item)]
    conflict = None
    if request.method != "POST":
        form = form_class(instance=item)
    else:
        form = form_class(request.POST, instance=item)
        if form.is_valid():
            try:
                services.plan_item_update(
                    user=request.user,
                    instance=item,
                    data=form.content,
                    version=form.cleaned_data["version"],
                )
            except StaleVersion as stale:
                conflict = conflict_rows(form.cleaned_data, stale.current)
                # Keep what the person typed, now against the version they have just seen:
                # saving again applies their values knowingly.
                data = request.POST.copy()
                data["version"] = stale.current.version
                item = stale.current
                form = form_class(data, instance=type(item).objects.get(pk=item.pk))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(item)s saved.") % {"item": title(item)})
                return redirect(_workspace_url(item))
    parent = getattr(item, PARENT_FIELD[type(item)]) if type(item) in PARENT_FIELD else None
    return _form_page(request, form, item=item, parent=parent, kind=kind, conflict=conflict)


@plan_editor_required
def create(request, kind, parent_pk=None):
    model = KINDS[kind]
    parent = None
    if parent_pk is not None:
        parent = get_plan_item_for_edit(request.user, KINDS[PARENT_KIND[kind]], parent_pk)
    in_place = {PARENT_FIELD[model]: parent}
    form_class = FORMS[model]
    if request.method != "POST":
        form = form_class(instance=model(**in_place))
    else:
        form = form_class(request.POST, instance=model(**in_place))
        if form.is_valid():
            try:
                item = services.plan_item_create(
                    user=request.user, model=model, data={**in_place, **form.content}
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(item)s created.") % {"item": title(item)})
                return redirect(_workspace_url(item))
    return _form_page(request, form, parent=parent, kind=kind)


@plan_editor_required
@require_POST
def retire(request, kind, pk):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    if (version := posted_version(request)) is None:
        return HttpResponseBadRequest()
    try:
        services.plan_item_retire(user=request.user, instance=item, version=version)
    except StaleVersion:
        messages.error(request, _stale_message(item))
    else:
        messages.success(
            request,
            _("%(item)s retired: it no longer shows on the public pages.") % {"item": title(item)},
        )
    return _back(request, item)


@plan_editor_required
@require_POST
def restore(request, kind, pk):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    if (version := posted_version(request)) is None:
        return HttpResponseBadRequest()
    try:
        services.plan_item_restore(user=request.user, instance=item, version=version)
    except StaleVersion:
        messages.error(request, _stale_message(item))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(item)s restored.") % {"item": title(item)})
    return _back(request, item)


@plan_editor_required
@require_POST
def move(request, kind, pk, direction):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    try:
        moved = services.plan_item_move(user=request.user, instance=item, direction=direction)
    except ValueError:
        messages.error(request, _("Retired items don't move: restore it first."))
    else:
        if moved is None:
            messages.info(request, _("%(item)s is already at that end.") % {"item": title(item)})
    return _back(request, item)


def _stale_message(item: PlanItem) -> str:
    return stale_message(title(item), item.version)


@plan_editor_required
def history(request, kind, pk):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    return render(
        request,
        "plan/history.html",
        {"item": item, "item_title": title(item), "kind": kind, "entries": history_entries(item)},
    )


@plan_editor_required
@require_POST
def revert(request, kind, pk, history_id):
    item = get_plan_item_for_edit(request.user, KINDS[kind], pk)
    if (version := posted_version(request)) is None:
        return HttpResponseBadRequest()
    try:
        reverted = services.plan_item_revert(
            user=request.user, instance=item, history_id=history_id, version=version
        )
    except type(item).history.model.DoesNotExist:
        raise Http404 from None
    except StaleVersion:
        messages.error(request, _stale_message(item))
    except ValidationError as error:
        messages.error(
            request,
            _("That version can't be brought back as it is: %(errors)s")
            % {"errors": " ".join(error.messages)},
        )
    else:
        record = type(item).history.get(pk=history_id)
        messages.success(
            request,
            _("Version %(old)s brought back: recorded as version %(new)s.")
            % {"old": record.version, "new": reverted.version},
        )
    return redirect("plan:history", kind, pk)
