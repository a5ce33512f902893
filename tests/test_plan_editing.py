"""The plan workspace: the secretariat edits the operative plan in the browser, with history."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from strategy import services
from strategy.forms import FORMS
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from strategy.services import CONTENT_FIELDS
from tests.conftest import make_user, signed_in

pytestmark = pytest.mark.django_db

PLAN_MODELS = (Axis, OperationalObjective, Activity, Goal, Indicator)


def url(lang, name, *args):
    with translation.override(lang):
        return reverse(f"plan:{name}", args=args)


def text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def activity(code="1.1", axis="sensitization"):
    return Activity.objects.get(objective__axis__slug=axis, code=code)


def form_data(item, **changes):
    """What the edit form posts for item as it is stored, with some fields changed."""
    initial = FORMS[type(item)](instance=item).initial
    data = {name: initial[name] for name in CONTENT_FIELDS[type(item)]}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return {**data, "version": item.version, **changes}


def snapshot():
    """Every plan item's version and retirement, and every historical record."""
    return {
        model.__name__: (
            list(model.objects.order_by("pk").values_list("pk", "version", "retired_at")),
            model.history.count(),
        )
        for model in PLAN_MODELS
    }


# Editing, the public page, history and revert


def test_secretariat_edits_an_activity_in_both_languages(client, secretariat):
    item = activity()
    signed_in(client, secretariat)
    page = client.get(url("es", "edit", "activity", item.pk))
    assert page.status_code == 200
    assert item.text_es in text(page) and item.text_en in text(page)
    assert f'name="version" value="{item.version}"' in page.content.decode()

    response = client.post(
        url("es", "edit", "activity", item.pk),
        form_data(
            item,
            text_es="Campañas regionales de sensibilización, revisadas",
            text_en="Regional awareness campaigns, revised",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url("es", "index") + f"#activity-{item.pk}"

    spanish = text(client.get("/es/axes/sensitization/"))
    english = text(client.get("/en/axes/sensitization/"))
    assert "Campañas regionales de sensibilización, revisadas" in spanish
    assert "Regional awareness campaigns, revised" in english
    assert item.text_en not in english
    item.refresh_from_db()
    assert item.version == 2


def test_history_shows_who_changed_what_and_revert_restores_it(client, secretariat):
    item = activity()
    original_es, original_en = item.text_es, item.text_en
    signed_in(client, secretariat)
    client.post(
        url("en", "edit", "activity", item.pk),
        form_data(item, text_es="Texto nuevo", text_en="New text"),
    )

    history = client.get(url("en", "history", "activity", item.pk))
    assert history.status_code == 200
    page = text(history)
    assert "secretariat" in page
    assert "Version 2 · Edited" in page
    assert f"Text (Spanish) {original_es} Texto nuevo" in page
    assert f"Text (English) {original_en} New text" in page
    assert "Responsible (Spanish)" not in page.split("Version 1")[0]  # unchanged: not in the diff

    baseline = item.history.get(version=1)
    response = client.post(
        url("en", "revert", "activity", item.pk, baseline.history_id), {"version": 2}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text_es, item.text_en, item.version) == (original_es, original_en, 3)
    assert item.history.count() == 3
    assert original_en in text(client.get("/en/axes/sensitization/"))
    page = text(client.get(url("en", "history", "activity", item.pk)))
    assert "Version 3 · Reverted to version 1" in page
    assert f"Text (English) New text {original_en}" in page


def test_revert_with_a_stale_version_changes_nothing(client, secretariat):
    item = activity()
    signed_in(client, secretariat)
    client.post(url("en", "edit", "activity", item.pk), form_data(item, text_en="New text"))
    baseline = item.history.get(version=1)
    client.post(url("en", "revert", "activity", item.pk, baseline.history_id), {"version": 1})
    item.refresh_from_db()
    assert (item.text_en, item.version) == ("New text", 2)


def test_stale_save_is_refused_and_shows_the_other_change(client, secretariat):
    item = activity()
    loaded = form_data(item)  # the form as the person opened it, at version 1
    colleague = make_user("colleague", secretariat.role)
    services.plan_item_update(
        user=colleague,
        instance=item,
        data={"text_en": "The colleague's wording"},
        version=item.version,
    )

    signed_in(client, secretariat)
    response = client.post(
        url("en", "edit", "activity", item.pk), {**loaded, "text_en": "My own wording"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "This item changed while you were editing it" in page
    assert "colleague saved version 2" in page
    assert "The colleague's wording" in page and "My own wording" in page
    assert 'name="version" value="2"' in response.content.decode()  # saving again is knowing
    assert "My own wording" in response.content.decode().split("<form")[-1]  # input kept
    item.refresh_from_db()
    assert (item.text_en, item.version) == ("The colleague's wording", 2)

    # Having seen the other change, the person saves again: now it applies.
    client.post(
        url("en", "edit", "activity", item.pk),
        {**loaded, "text_en": "My own wording", "version": 2},
    )
    item.refresh_from_db()
    assert (item.text_en, item.version) == ("My own wording", 3)


@pytest.mark.parametrize(
    "lang, message", [("es", "Este campo es requerido."), ("en", "This field is required.")]
)
def test_validation_error_keeps_the_input_in_the_users_language(client, secretariat, lang, message):
    item = activity()
    before = snapshot()
    signed_in(client, secretariat)
    response = client.post(
        url(lang, "edit", "activity", item.pk),
        form_data(item, text_es="", text_en="Typed but not saved", responsible_en="Typed too"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Typed but not saved" in html and 'value="Typed too"' in html
    # The error sits beside the Spanish text field.
    assert re.search(r'name="text_es"[^>]*>\s*</textarea>\s*<p class="error"', html)
    assert snapshot() == before


def test_activity_codes_are_unique_within_an_axis(client, secretariat):
    signed_in(client, secretariat)
    item = activity("1.1")
    response = client.post(url("en", "edit", "activity", item.pk), form_data(item, code="1.2"))
    assert response.status_code == 200
    assert "Activity 1.2 already exists in this axis" in text(response)
    assert activity("1.1").version == 1

    # Another axis may use it: training has no activity 1.2.
    other = activity("2.1", axis="training")
    response = client.post(url("en", "edit", "activity", other.pk), form_data(other, code="1.2"))
    assert response.status_code == 302


def test_indicator_form_stores_disaggregation_keys_and_refuses_a_taken_code(client, secretariat):
    goal = Goal.objects.get(activity__objective__axis__slug="sensitization", code="1.1.1")
    signed_in(client, secretariat)
    data = {
        "code": "SEN-1.1.1-z",
        "name_es": "Personas alcanzadas",
        "name_en": "People reached",
        "unit_es": "personas",
        "unit_en": "people",
        "kind": "count",
        "disaggregations": ["level", "sex"],
        "baseline": "",
        "target": "1500",
    }
    page = client.get(url("en", "create", "indicator", goal.pk))
    for key in ("sex", "age", "level", "nationality", "exploitation"):
        assert f'value="{key}"' in page.content.decode()
    response = client.post(url("en", "create", "indicator", goal.pk), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="SEN-1.1.1-z")
    assert indicator.goal == goal
    assert indicator.disaggregations == ["sex", "level"]
    assert indicator.target == 1500
    assert indicator.order > goal.indicators.exclude(pk=indicator.pk).get().order

    response = client.post(url("en", "create", "indicator", goal.pk), data)
    assert response.status_code == 200
    assert "Another indicator already has this code" in text(response)
    assert Indicator.objects.filter(code="SEN-1.1.1-z").count() == 1


def test_secretariat_adds_an_objective_activity_and_goal(client, secretariat):
    axis = Axis.objects.get(slug="dissemination")
    signed_in(client, secretariat)
    client.post(
        url("es", "create", "objective", axis.pk),
        {"text_es": "Objetivo nuevo", "text_en": "New objective"},
    )
    objective = axis.operational_objectives.get(text_en="New objective")
    assert objective.number == 2
    client.post(
        url("es", "create", "activity", objective.pk),
        {
            "code": "2.1",
            "text_es": "Actividad nueva",
            "text_en": "New activity",
            "responsible_es": "CORETT",
            "responsible_en": "CORETT",
            "timeframe_es": "2027",
            "timeframe_en": "2027",
        },
    )
    new_activity = objective.activities.get()
    client.post(
        url("es", "create", "goal", new_activity.pk),
        {"code": "2.1.1", "text_es": "Meta nueva", "text_en": "New goal"},
    )
    assert new_activity.goals.get().text_en == "New goal"
    page = text(client.get("/en/axes/dissemination/"))
    assert "New objective" in page and "2.1 New activity" in page and "New goal" in page
    assert [r.history_user for r in new_activity.history.all()] == [secretariat]


def test_axis_is_edited_in_both_languages_but_not_retired_or_moved(client, secretariat):
    axis = Axis.objects.get(slug="training")
    signed_in(client, secretariat)
    response = client.post(
        url("en", "edit", "axis", axis.pk), form_data(axis, name_en="Training and education")
    )
    assert response.status_code == 302
    assert "Training and education" in text(client.get("/en/axes/training/"))
    for path in (
        f"/en/plan/axis/{axis.pk}/retire/",
        f"/en/plan/axis/{axis.pk}/move/up/",
        f"/en/plan/axis/new/under/{axis.pk}/",
    ):
        assert client.post(path, {"version": 2}).status_code == 404


# Reorder, retire, restore


def test_move_up_and_down_reorders_the_public_page(client, secretariat):
    first, second = activity("2.1", axis="training"), activity("2.2", axis="training")
    signed_in(client, secretariat)

    assert client.get(url("en", "move", "activity", second.pk, "up")).status_code == 405
    response = client.post(url("en", "move", "activity", second.pk, "up"))
    assert response.status_code == 302
    page = text(client.get("/en/axes/training/"))
    assert page.index(second.text_en) < page.index(first.text_en)

    client.post(url("en", "move", "activity", second.pk, "down"))
    page = text(client.get("/en/axes/training/"))
    assert page.index(first.text_en) < page.index(second.text_en)

    objective = OperationalObjective.objects.get(axis__slug="training", number=2)
    client.post(url("en", "move", "objective", objective.pk, "up"))
    objective.refresh_from_db()
    assert objective.number == 1
    assert "Operational objective 1 " + objective.text_en in text(client.get("/en/axes/training/"))


def test_retire_hides_from_public_pages_and_restore_brings_back(client, secretariat):
    item = activity("1.2")
    signed_in(client, secretariat)
    assert client.get(url("en", "retire", "activity", item.pk)).status_code == 405

    response = client.post(url("en", "retire", "activity", item.pk), {"version": 1}, follow=True)
    assert response.redirect_chain == [(url("en", "index") + f"#activity-{item.pk}", 302)]
    assert item.text_en not in text(client.get("/en/axes/sensitization/"))
    matrix = Axis.objects.with_matrix().get(slug="sensitization")
    activities = [a for o in matrix.operational_objectives.all() for a in o.activities.all()]
    assert item not in activities
    assert "Retired" in text(client.get(url("en", "history", "activity", item.pk)))

    workspace = client.get(url("en", "index"))
    assert re.search(
        rf'id="activity-{item.pk}".*?1\.2.*?class="tag plan-retired-tag">retired',
        workspace.content.decode(),
        re.S,
    )
    hidden = client.get(url("en", "index") + "?retired=hide")
    assert f'id="activity-{item.pk}"' not in hidden.content.decode()

    # A stale restore does nothing; the right version brings it back.
    client.post(url("en", "restore", "activity", item.pk), {"version": 1})
    item.refresh_from_db()
    assert item.is_retired
    client.post(url("en", "restore", "activity", item.pk), {"version": 2})
    item.refresh_from_db()
    assert not item.is_retired
    assert item.text_en in text(client.get("/en/axes/sensitization/"))


def test_retiring_an_indicator_hides_it_from_the_public_axis_page(client, secretariat):
    indicator = Indicator.objects.get(code="SEN-2.1.1-b")
    signed_in(client, secretariat)
    client.post(url("es", "retire", "indicator", indicator.pk), {"version": 1}, follow=True)
    assert "SEN-2.1.1-b" not in text(client.get("/es/axes/sensitization/"))
    assert "SEN-2.1.1-a" in text(client.get("/es/axes/sensitization/"))


# The workspace


def test_workspace_shows_the_whole_matrix_with_actions(client, secretariat):
    signed_in(client, secretariat)
    response = client.get(url("es", "index"))
    assert response.status_code == 200
    html = response.content.decode()
    for model, kind in (
        (OperationalObjective, "objective"),
        (Activity, "activity"),
        (Goal, "goal"),
    ):
        for pk in model.objects.values_list("pk", flat=True):
            assert f'id="{kind}-{pk}"' in html
            assert url("es", "edit", kind, pk) in html
            assert url("es", "history", kind, pk) in html
            assert url("es", "retire", kind, pk) in html
    for indicator in Indicator.objects.all():
        assert indicator.code in html
    for axis in Axis.objects.all():
        assert url("es", "edit", "axis", axis.pk) in html
        assert url("es", "create", "objective", axis.pk) in html
    assert url("es", "create_context") in html
    # The first activity of an objective can't move up; the last can't move down.
    first = activity("2.1", axis="training")
    assert re.search(rf"{url('es', 'move', 'activity', first.pk, 'up')}.*?disabled", html, re.S)


def test_workspace_queries_stay_bounded(client, secretariat, django_assert_max_num_queries):
    axis = Axis.objects.get(slug="training")
    objectives = OperationalObjective.objects.bulk_create(
        OperationalObjective(axis=axis, number=10 + n, text_es=f"O{n}", text_en=f"O{n}")
        for n in range(10)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            objective=objective,
            code=f"9.{n}",
            order=100 + n,
            text_es="A",
            text_en="A",
            responsible_es="R",
            responsible_en="R",
            timeframe_es="T",
            timeframe_en="T",
        )
        for objective in objectives
        for n in range(5)
    )
    goals = Goal.objects.bulk_create(
        Goal(activity=a, code=f"g{n}", order=n, text_es="G", text_en="G")
        for a in activities
        for n in range(2)
    )
    Indicator.objects.bulk_create(
        Indicator(goal=g, code=f"BULK-{g.pk}-{n}", order=n, name_es="I", name_en="I")
        for g in goals
        for n in range(2)
    )
    retired = [a.pk for a in activities[::3]]
    Activity.objects.filter(pk__in=retired).update(retired_at=timezone.now())
    signed_in(client, secretariat)
    with django_assert_max_num_queries(13):
        response = client.get(url("es", "index"))
    assert response.status_code == 200
    assert response.content.decode().count("plan-retired-tag") >= 17
    with django_assert_max_num_queries(13):
        client.get(url("es", "index") + "?retired=hide")


def test_history_queries_stay_bounded(client, secretariat, django_assert_max_num_queries):
    item = activity()
    for n in range(15):
        services.plan_item_update(
            user=secretariat, instance=item, data={"text_en": f"Text {n}"}, version=n + 1
        )
    signed_in(client, secretariat)
    with django_assert_max_num_queries(9):
        response = client.get(url("en", "history", "activity", item.pk))
    assert text(response).count("Revert to this version") == 15


# Access: the secretariat only, for every plan URL


def plan_urls():
    """Every plan URL with real items in place: (pages, actions). Pages answer GET and POST;
    actions answer POST only."""
    item = activity()
    goal = item.goals.first()
    axis = Axis.objects.first()
    record = item.history.first()
    pages = [
        url("es", "index"),
        url("es", "edit", "axis", axis.pk),
        url("es", "edit", "activity", item.pk),
        url("es", "history", "activity", item.pk),
        url("es", "create", "objective", axis.pk),
        url("es", "create", "goal", item.pk),
        url("es", "create", "indicator", goal.pk),
        url("es", "create_context"),
    ]
    actions = [
        url("es", "retire", "activity", item.pk),
        url("es", "restore", "activity", item.pk),
        url("es", "move", "activity", item.pk, "down"),
        url("es", "move", "activity", item.pk, "up"),
        url("es", "revert", "activity", item.pk, record.history_id),
    ]
    return pages, actions


def every_request():
    pages, actions = plan_urls()
    return [(method, path) for path in pages + actions for method in ("get", "post")]


@pytest.fixture
def edited(secretariat):
    """An activity with some history, so that there is a version to revert to."""
    item = activity()
    services.plan_item_update(user=secretariat, instance=item, data={"text_en": "X"}, version=1)
    return item


POST_DATA = {
    "code": "9.9",
    "text_es": "Intruso",
    "text_en": "Intruder",
    "name_es": "Intruso",
    "name_en": "Intruder",
    "specific_objective_es": "x",
    "specific_objective_en": "x",
    "description_es": "x",
    "description_en": "x",
    "responsible_es": "x",
    "responsible_en": "x",
    "timeframe_es": "x",
    "timeframe_en": "x",
    "kind": "count",
    "version": 2,
}


@pytest.mark.parametrize("who", ["observer", "focal_hn", "focal_sv"])
def test_other_roles_get_403_on_every_plan_url(client, edited, who, request):
    signed_in(client, request.getfixturevalue(who))
    before = snapshot()
    for method, path in every_request():
        response = getattr(client, method)(path, POST_DATA)
        assert response.status_code == 403, (method, path)
    assert snapshot() == before


def test_anonymous_is_sent_to_login_on_every_plan_url(client, edited):
    before = snapshot()
    login = reverse("accounts:login")
    for method, path in every_request():
        response = getattr(client, method)(path, POST_DATA)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(login), (method, path)
    assert snapshot() == before


def test_secretariat_reaches_every_plan_page(client, edited, secretariat):
    """The counterpart of the two tests above: the same URLs do answer the secretariat."""
    signed_in(client, secretariat)
    pages, actions = plan_urls()
    for path in pages:
        assert client.get(path).status_code == 200, path
    for path in actions:
        assert client.get(path).status_code == 405, path
