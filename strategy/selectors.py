"""Reads of the strategy's content that pages in several places share."""

from corett.caching import forget, remembered

from .models import Activity, Axis, Frequency, Goal, Indicator, OperationalObjective, Passage

# The plan's structure, read by every data-entry page (its indicators) and every monitoring page
# (its axes): kept in Django's cache (Redis wherever several processes serve the portal) and
# forgotten whenever an item of the plan is saved or deleted, by any path (plan_forget, connected
# in apps.StrategyConfig.ready).
PLAN_ITEMS = (Axis, OperationalObjective, Activity, Goal, Indicator)
PLAN_KEY = "strategy:plan-indicators:{frequency}"
AXES_KEY = "strategy:plan-axes"
PLAN_SECONDS = 10 * 60  # bounds what a cache of one process only keeps (CACHE_URL unset)


def passages(*keys) -> dict:
    """The passages of the document under these keys, for a template: {"general_objective":
    Passage or None, …} (dashes become underscores), in one query."""
    found = {p.key: p for p in Passage.objects.filter(key__in=keys)}
    return {key.replace("-", "_"): found.get(key) for key in keys}


def plan_position(indicator: Indicator) -> tuple:
    """Where an indicator stands in the plan: axis, objective, activity, goal, its own order;
    context indicators, outside the operative matrix, last."""
    goal = indicator.goal
    if goal is None:
        return (1, 0, 0, 0, 0, indicator.order, indicator.pk)
    objective = goal.activity.objective
    return (
        0,
        objective.axis.number,
        objective.number,
        goal.activity.order,
        goal.order,
        indicator.order,
        indicator.pk,
    )


def plan_indicators(frequency: str) -> list[Indicator]:
    """The current indicators reported at this frequency, each with its goal, activity, objective
    and axis, in the plan's order: one query, then from the cache until the plan changes. Goals,
    activities, objectives and axes are shared between their indicators (and so kept once)."""
    key = PLAN_KEY.format(frequency=frequency)
    return remembered(key, lambda: _plan_indicators(frequency), PLAN_SECONDS)


def plan_axes() -> list[Axis]:
    """Every axis, retired ones too (past values may belong to them), by number: one query, then
    from the cache until the plan changes."""
    return remembered(AXES_KEY, lambda: list(Axis.objects.order_by("number", "pk")), PLAN_SECONDS)


def current_axes() -> list[Axis]:
    """The axes in force, by number (Axis.objects.current(), from the cache)."""
    return [axis for axis in plan_axes() if axis.retired_at is None]


def _plan_indicators(frequency: str) -> list[Indicator]:
    rows = (
        Indicator.objects.current()
        .filter(frequency=frequency)
        .select_related("goal__activity__objective__axis")
    )
    shared = {}

    def one(item):
        return shared.setdefault((type(item), item.pk), item) if item is not None else None

    indicators = []
    for indicator in rows:
        goal = indicator.goal
        if goal is not None:
            activity = goal.activity
            objective = activity.objective
            objective.axis = one(objective.axis)
            activity.objective = one(objective)
            goal.activity = one(activity)
            indicator.goal = one(goal)
        indicators.append(indicator)
    return sorted(indicators, key=plan_position)


def plan_forget(**_signal) -> None:
    """Forgets the cached plan (its axes, and its indicators of every frequency): an item of the
    plan changed. Again once the change is committed, in case a page read the plan in between and
    kept what it read."""
    forget(AXES_KEY, *(PLAN_KEY.format(frequency=f) for f in Frequency.values))
