"""Writes to the operative plan: versions, history, positions, retirement and reverts."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from strategy import services
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from strategy.services import StaleVersion

pytestmark = pytest.mark.django_db


def activity(code, axis="sensitization"):
    return Activity.objects.get(objective__axis__slug=axis, code=code)


def reasons(item):
    return [r.history_change_reason for r in item.history.order_by("history_date", "history_id")]


def test_update_bumps_the_version_and_records_who_and_what(secretariat):
    item = activity("1.1")
    services.plan_item_update(
        user=secretariat, instance=item, data={"text_en": "New text"}, version=item.version
    )
    item.refresh_from_db()
    assert item.version == 2
    assert item.text_en == "New text"
    latest = item.history.first()
    assert (latest.history_user, latest.text_en, latest.version) == (secretariat, "New text", 2)


def test_first_change_keeps_the_document_text_in_the_history(secretariat):
    item = activity("1.1")
    original = item.text_es
    assert not item.history.exists()  # loaded from fixtures: no history yet
    services.plan_item_update(
        user=secretariat, instance=item, data={"text_es": "Otro"}, version=item.version
    )
    baseline, change = item.history.order_by("history_date", "history_id")
    assert (baseline.text_es, baseline.version, baseline.history_user) == (original, 1, None)
    assert baseline.history_change_reason == services.BASELINE
    assert (change.text_es, change.version) == ("Otro", 2)


def test_stale_update_is_refused_and_changes_nothing(secretariat):
    item = activity("1.1")
    services.plan_item_update(user=secretariat, instance=item, data={"text_en": "First"}, version=1)
    with pytest.raises(StaleVersion) as stale:
        services.plan_item_update(
            user=secretariat, instance=item, data={"text_en": "Second"}, version=1
        )
    assert stale.value.current.text_en == "First"
    item.refresh_from_db()
    assert (item.text_en, item.version) == ("First", 2)
    assert item.history.count() == 2  # the baseline and the first change only


def test_create_puts_the_item_last_among_its_siblings(secretariat):
    axis = Axis.objects.get(slug="sensitization")
    objective = services.plan_item_create(
        user=secretariat,
        model=OperationalObjective,
        data={"axis": axis, "text_es": "Tercer objetivo", "text_en": "Third objective"},
    )
    assert objective.number == 3
    first = axis.operational_objectives.get(number=1)
    new = services.plan_item_create(
        user=secretariat,
        model=Activity,
        data={
            "objective": first,
            "code": "1.3",
            "text_es": "Nueva",
            "text_en": "New",
            "responsible_es": "CORETT",
            "responsible_en": "CORETT",
            "timeframe_es": "2027",
            "timeframe_en": "2027",
        },
    )
    assert list(first.activities.all())[-1] == new
    assert new.history.get().history_change_reason == services.CREATED


def test_activity_codes_are_unique_within_an_axis_retired_ones_included(secretariat):
    item = activity("1.1")
    with pytest.raises(ValidationError) as error:
        services.plan_item_update(user=secretariat, instance=item, data={"code": "1.2"}, version=1)
    assert "code" in error.value.message_dict
    assert activity("1.1").code == "1.1"

    # Another axis may use the same code.
    other = activity("2.1", axis="training")
    services.plan_item_update(user=secretariat, instance=other, data={"code": "1.2"}, version=1)

    services.plan_item_retire(user=secretariat, instance=activity("1.2"), version=1)
    with translation.override("en"), pytest.raises(ValidationError, match="retired"):
        services.plan_item_update(user=secretariat, instance=item, data={"code": "1.2"}, version=1)


def test_goal_codes_are_unique_within_an_axis(secretariat):
    goal = Goal.objects.get(activity__objective__axis__slug="sensitization", code="1.1.1")
    with pytest.raises(ValidationError):
        services.plan_item_update(
            user=secretariat, instance=goal, data={"code": "1.2.1"}, version=1
        )


def test_indicator_codes_are_unique(secretariat):
    indicator = Indicator.objects.get(code="SEN-1.1.1-a")
    with pytest.raises(ValidationError):
        services.plan_item_update(
            user=secretariat, instance=indicator, data={"code": "TRA-1.1.1-a"}, version=1
        )


def test_retire_and_restore(secretariat):
    item = activity("1.2")
    services.plan_item_retire(user=secretariat, instance=item, version=1)
    assert not Activity.objects.current().filter(pk=item.pk).exists()
    with pytest.raises(StaleVersion):
        services.plan_item_restore(user=secretariat, instance=item, version=1)
    services.plan_item_restore(user=secretariat, instance=item, version=2)
    item.refresh_from_db()
    assert (item.is_retired, item.version) == (False, 3)
    assert reasons(item) == [services.BASELINE, services.RETIRED, services.RESTORED]


def test_move_swaps_positions_with_the_neighbour_in_force(secretariat):
    first, second, third = (activity(code, axis="training") for code in ("2.1", "2.2", "2.3"))
    services.plan_item_retire(user=secretariat, instance=second, version=1)

    # The retired 2.2 is skipped: 2.3 swaps with 2.1.
    neighbour = services.plan_item_move(user=secretariat, instance=third, direction="up")
    assert neighbour == first
    orders = dict(Activity.objects.filter(pk__in=[first.pk, third.pk]).values_list("pk", "order"))
    assert (orders[third.pk], orders[first.pk]) == (first.order, third.order)
    assert reasons(activity("2.3", axis="training"))[-1] == services.MOVED
    assert activity("2.3", axis="training").version == 2

    # At the top already; and activities of another objective are not neighbours.
    assert services.plan_item_move(user=secretariat, instance=third, direction="up") is None
    assert activity("1.1", axis="training").order == 5
    with pytest.raises(ValueError):
        services.plan_item_move(user=secretariat, instance=second, direction="down")


def test_move_objectives_keeps_numbers_unique(secretariat):
    axis = Axis.objects.get(slug="sensitization")
    one, two = axis.operational_objectives.order_by("number")
    services.plan_item_move(user=secretariat, instance=two, direction="up")
    one.refresh_from_db()
    two.refresh_from_db()
    assert (two.number, one.number) == (1, 2)


def test_axes_have_a_fixed_position(secretariat):
    with pytest.raises(ValueError):
        services.plan_item_move(user=secretariat, instance=Axis.objects.first(), direction="down")


def test_revert_brings_back_content_as_a_new_change(secretariat):
    item = activity("1.1")
    original = (item.text_es, item.text_en)
    services.plan_item_update(
        user=secretariat, instance=item, data={"text_es": "A", "text_en": "B"}, version=1
    )
    services.plan_item_retire(user=secretariat, instance=item, version=2)
    baseline = item.history.get(version=1)

    reverted = services.plan_item_revert(
        user=secretariat, instance=item, history_id=baseline.history_id, version=3
    )
    assert (reverted.text_es, reverted.text_en) == original
    assert reverted.version == 4
    assert reverted.is_retired  # retirement has its own action
    latest = item.history.first()
    assert latest.history_change_reason == "reverted to version 1"
    assert latest.history_user == secretariat


def test_revert_refuses_a_stale_version_or_another_items_record(secretariat):
    item, other = activity("1.1"), activity("1.2")
    services.plan_item_update(user=secretariat, instance=item, data={"text_en": "B"}, version=1)
    services.plan_item_update(user=secretariat, instance=other, data={"text_en": "C"}, version=1)
    with pytest.raises(StaleVersion):
        services.plan_item_revert(
            user=secretariat,
            instance=item,
            history_id=item.history.last().history_id,
            version=1,
        )
    with pytest.raises(Activity.history.model.DoesNotExist):
        services.plan_item_revert(
            user=secretariat,
            instance=item,
            history_id=other.history.last().history_id,
            version=2,
        )
    item.refresh_from_db()
    assert (item.text_en, item.version) == ("B", 2)
