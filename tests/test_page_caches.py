"""What every request used to work out again is kept in Django's cache (issue 13): the plan's
structure that the data-entry page lists, and the number of values waiting for review that every
page's header shows the secretariat. Each is forgotten by the writes that change it, so that the
next page shows the change at once."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from strategy.models import Axis, Country, Indicator
from strategy.selectors import current_axes, plan_axes, plan_indicators
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ENTRY = "/en/monitoring/entry/HN/2026/"
CAMPAIGNS = "SEN-1.1.1-a"  # a count of the annual plan
FORM = ValueAudit.Path.FORM


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def badge(response) -> str | None:
    found = re.search(r'To review <span class="badge">(\d+)</span>', response.content.decode())
    return found and found.group(1)


def draft(indicator_code=CAMPAIGNS, country="HN", number="4") -> Value:
    return Value.objects.create(
        indicator=Indicator.objects.get(code=indicator_code),
        country=Country.objects.get(code=country),
        period=Period.objects.get(code="2026"),
        number=Decimal(number),
        status=Status.DRAFT,
    )


# --- The plan ------------------------------------------------------------------------------------


def test_the_entry_page_reads_the_plan_once_then_from_the_cache(client, focal_hn):
    client = signed_in(client, focal_hn)
    first = queries(client, ENTRY)
    again = queries(client, ENTRY)
    assert any('"strategy_axis"' in sql for sql in first)
    assert not any('"strategy_axis"' in sql for sql in again)
    assert len(again) == len(first) - 1


def test_a_renamed_indicator_shows_on_the_next_entry_page(client, focal_hn):
    client = signed_in(client, focal_hn)
    assert "Campaigns run, renamed" not in client.get(ENTRY).content.decode()
    indicator = Indicator.objects.get(code=CAMPAIGNS)
    indicator.name_en = "Campaigns run, renamed"
    indicator.save()
    assert "Campaigns run, renamed" in client.get(ENTRY).content.decode()


def test_a_new_or_retired_indicator_shows_at_once(client, focal_hn):
    client = signed_in(client, focal_hn)
    campaigns = Indicator.objects.get(code=CAMPAIGNS)
    client.get(ENTRY)
    Indicator.objects.create(
        code="NEW-1", goal=campaigns.goal, order=99, name="A new indicator", kind="count"
    )
    assert "A new indicator" in client.get(ENTRY).content.decode()
    Indicator.objects.get(code="NEW-1").delete()
    assert "A new indicator" not in client.get(ENTRY).content.decode()


def test_a_moved_goal_moves_its_indicators(client, focal_hn):
    """The cached plan keeps goals, activities, objectives and axes once each: a change to one
    of them is seen through every indicator under it."""
    campaigns = Indicator.objects.get(code=CAMPAIGNS)
    plan_indicators(campaigns.frequency)
    goal = campaigns.goal
    goal.text_en = "A goal written again"
    goal.save()
    cached = {i.code: i for i in plan_indicators(campaigns.frequency)}
    assert cached[CAMPAIGNS].goal.text_en == "A goal written again"
    siblings = [i for i in cached.values() if i.goal_id == goal.pk]
    assert len({id(i.goal) for i in siblings}) == 1


def test_the_axes_are_read_once_then_forgotten_when_one_changes(django_assert_num_queries):
    assert [axis.pk for axis in current_axes()] == list(
        Axis.objects.current().values_list("pk", flat=True)
    )
    with django_assert_num_queries(0):
        axes = current_axes()
    axis = Axis.objects.get(pk=axes[0].pk)
    axis.name_en = "An axis written again"
    axis.save()
    assert current_axes()[0].name_en == "An axis written again"
    axis.retired_at = timezone.now()
    axis.save()
    assert axis.pk not in [a.pk for a in current_axes()]
    assert axis.pk in [a.pk for a in plan_axes()]  # its past values still have an axis


def test_the_cached_plan_is_the_plans_order(focal_hn):
    indicators = plan_indicators("annual")
    assert indicators == sorted(indicators, key=lambda i: (i.goal is None, *_position(i)))


def _position(indicator) -> tuple:
    goal = indicator.goal
    if goal is None:
        return (0, 0, 0, 0, indicator.order, indicator.pk)
    objective = goal.activity.objective
    return (
        objective.axis.number,
        objective.number,
        goal.activity.order,
        goal.order,
        indicator.order,
        indicator.pk,
    )


# --- The review queue's size in the header --------------------------------------------------------


def test_the_header_counts_the_queue_once_then_from_the_cache(client, secretariat):
    client = signed_in(client, secretariat)
    first = queries(client, "/en/")
    again = queries(client, "/en/")
    count = [sql for sql in first if "COUNT(" in sql and '"monitoring_value"' in sql]
    assert len(count) == 1
    assert not [sql for sql in again if "COUNT(" in sql and '"monitoring_value"' in sql]


def test_a_submission_and_a_decision_show_in_the_header_at_once(client, secretariat, focal_hn):
    client = signed_in(client, secretariat)
    before = badge(client.get("/en/"))
    waiting = int(before or 0)
    value = services.value_submit(user=focal_hn, value=draft(), path=FORM)
    assert badge(client.get("/en/")) == str(waiting + 1)
    services.value_validate(user=secretariat, value=value, path=FORM)
    assert badge(client.get("/en/")) == before


def test_a_value_returned_leaves_the_queue_at_once(client, secretariat, focal_hn):
    client = signed_in(client, secretariat)
    value = services.value_submit(user=focal_hn, value=draft(), path=FORM)
    shown = int(badge(client.get("/en/")))
    services.value_return(user=secretariat, value=value, comment="Check the total.", path=FORM)
    after = badge(client.get("/en/"))
    assert int(after or 0) == shown - 1


# --- Without the cache ---------------------------------------------------------------------------


def test_pages_and_writes_go_on_when_the_cache_cannot_be_reached(
    client, focal_hn, secretariat, settings
):
    """The cache only saves work: with its server down, pages read the database and writes are
    not refused for want of forgetting what it kept."""
    client = signed_in(client, secretariat)
    value = draft()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    assert client.get(ENTRY).status_code == 200
    services.value_submit(user=focal_hn, value=value, path=FORM)
    assert badge(client.get("/en/")) == "1"
