"""Reporting periods (list, creation, locking), targets and qualifications: the secretariat's alone,
validated the same way on every path."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Period, Qualification, Status, Target, Value
from monitoring.periods import services as period_services
from monitoring.periods import targets as target_services
from monitoring.periods.qualifications import StaleQualification, qualification_set
from monitoring.periods.targets import TargetCell
from monitoring.values import services
from strategy.models import Axis, Country, Indicator
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CAMPAIGNS = "SEN-1.1.1-a"  # a count of axis 1, on the targets page's first tab


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"monitoring:{name}", kwargs=kwargs or None)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def period(code="2026") -> Period:
    return Period.objects.get(code=code)


def indicator(code=CAMPAIGNS) -> Indicator:
    return Indicator.objects.get(code=code)


def country(code) -> Country:
    return Country.objects.get(code=code)


NEW_PERIOD = {
    "code": "2028",
    "kind": "annual",
    "starts_on": "2028-01-01",
    "ends_on": "2028-12-31",
    "opens_on": "2028-01-01",
    "closes_on": "2029-03-31",
}


def fingerprint():
    return (
        list(Period.objects.order_by("pk").values_list()),
        list(Target.objects.order_by("pk").values_list()),
        list(Qualification.objects.order_by("pk").values_list()),
        LogEntry.objects.count(),
    )


# --- Access ------------------------------------------------------------------------------------

PAGES = [
    ("periods", {}, "get", {}),
    ("period_create", {}, "post", NEW_PERIOD),
    ("period_lock", {"pk": 11}, "post", {}),
    ("period_unlock", {"pk": 1}, "post", {}),
    ("targets", {"pk": 11}, "post", {"shown": "{}", "target-1-region": "2"}),
    (
        "qualifications",
        {"pk": 11},
        "post",
        {"form": "q-1-region", "q-1-region-rating": "at_risk", "q-1-region-reason": "Slow"},
    ),
]


@pytest.mark.parametrize("who", ["observer", "focal_hn", "focal_sv"])
@pytest.mark.parametrize("name, kwargs, method, data", PAGES)
def test_only_the_secretariat_manages_periods_targets_and_qualifications(
    client, request, who, name, kwargs, method, data
):
    kwargs = {"pk": period("2026").pk} if kwargs.get("pk") == 11 else kwargs
    kwargs = {"pk": period("2017").pk} if name == "period_unlock" else kwargs
    signed_in(client, request.getfixturevalue(who))
    before = fingerprint()
    assert client.get(url(name, **kwargs)).status_code in {403, 405}
    assert getattr(client, method)(url(name, **kwargs), data).status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize("name, kwargs, method, data", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_write_nothing(
    client, name, kwargs, method, data
):
    kwargs = {"pk": period("2026").pk} if kwargs else kwargs
    before = fingerprint()
    response = getattr(client, method)(url(name, **kwargs), data)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert fingerprint() == before


# --- The list of periods -----------------------------------------------------------------------


def test_periods_show_their_derived_state_and_completeness(client, secretariat, focal_hn):
    value = services.value_save(
        user=focal_hn,
        indicator=indicator(),
        country=country("HN"),
        period=period("2026"),
        number=2,
        path="form",
    )
    services.value_submit(user=focal_hn, value=value, path="form")

    page = signed_in(client, secretariat).get(url("periods"))

    rows = {row.period.code: row for row in page.context["rows"]}
    today = timezone.localdate()
    assert rows["2017"].state == "locked"
    assert rows["2025"].state == ("closed" if today > period("2025").closes_on else "open")
    assert rows["2026"].state == period("2026").state_on(today)
    assert rows["2027"].state == ("upcoming" if today < period("2027").opens_on else "open")
    indicators = Indicator.objects.current().filter(frequency="annual", goal__isnull=False)
    assert rows["2017"].expected == 9 * indicators.count()
    # As in the matrix: Chart 3's context indicator is not expected from every country.
    assert (rows["2017"].reported, rows["2017"].validated) == (0, 0)
    assert (rows["2026"].reported, rows["2026"].validated) == (1, 0)
    assert rows["2026"].completeness == round(100 / rows["2026"].expected)
    assert "locked" in text(page).lower()


def test_the_periods_page_queries_do_not_grow_with_periods_and_values(
    client, secretariat, django_assert_max_num_queries
):
    signed_in(client, secretariat)
    client.get(url("periods"))
    with django_assert_max_num_queries(12) as few:
        client.get(url("periods"))
    for year in range(2030, 2060):
        Period.objects.create(
            code=str(year),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year + 1, 3, 31),
            locked_at=timezone.now(),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("periods"))


# --- Creating a period -------------------------------------------------------------------------


def test_the_creation_form_suggests_the_next_year(client, secretariat):
    form = signed_in(client, secretariat).get(url("period_create")).context["form"]
    assert form["code"].value() == "2028"
    assert form["closes_on"].value() == datetime.date(2029, 3, 31)


def test_the_secretariat_creates_a_period(client, secretariat):
    response = signed_in(client, secretariat).post(url("period_create"), NEW_PERIOD, follow=True)
    created = period("2028")
    assert (created.kind, created.starts_on, created.closes_on) == (
        "annual",
        datetime.date(2028, 1, 1),
        datetime.date(2029, 3, 31),
    )
    assert "Period 2028 created" in text(response)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"ends_on": "2027-12-31"}, "ends_on", "cannot end before it starts"),
        ({"closes_on": "2027-06-30"}, "closes_on", "cannot close before they open"),
        ({"closes_on": "2028-06-30"}, "closes_on", "cannot close before the period ends"),
        ({"opens_on": "2027-12-01"}, "opens_on", "cannot open before the period starts"),
        ({"code": "2026"}, "code", "Period 2026 already exists"),
        ({"code": "2028-S1"}, "code", "named like 2026"),
        ({"code": "2029"}, "code", "starts in 2028"),
        ({"kind": "semester", "code": "2028-S3"}, "code", "named like 2026-S1"),
        ({"starts_on": "2027-06-01", "opens_on": "2027-06-01"}, "starts_on", "overlap period 2027"),
        ({"starts_on": "31/02/2028"}, "starts_on", "Enter a valid date"),
        ({"code": ""}, "code", "This field is required"),
        ({"kind": "weekly"}, "kind", "Select a valid choice"),
    ],
)
def test_a_bad_period_is_refused_beside_its_field_and_keeps_what_was_typed(
    client, secretariat, changes, field, message
):
    data = {**NEW_PERIOD, **changes}
    count = Period.objects.count()
    response = signed_in(client, secretariat).post(url("period_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert form["code"].value() == data["code"]
    assert Period.objects.count() == count


def test_a_quarter_can_sit_inside_a_year(secretariat):
    quarter = period_services.period_create(
        user=secretariat,
        data={
            "code": "2026-Q3",
            "kind": "quarter",
            "starts_on": datetime.date(2026, 7, 1),
            "ends_on": datetime.date(2026, 9, 30),
            "opens_on": datetime.date(2026, 7, 1),
            "closes_on": datetime.date(2026, 10, 31),
        },
    )
    assert quarter.state_on(datetime.date(2026, 8, 1)) == "open"


def test_only_the_secretariat_creates_periods_even_through_the_service(focal_hn):
    with pytest.raises(PermissionDenied):
        period_services.period_create(user=focal_hn, data={})


# --- Locking -----------------------------------------------------------------------------------


def test_a_locked_period_refuses_value_saves_until_unlocked(client, secretariat, focal_hn):
    signed_in(client, secretariat)
    response = client.post(url("period_lock", pk=period().pk), follow=True)
    assert "Period 2026 locked" in text(response)
    assert period().state == Period.State.LOCKED
    entry = LogEntry.objects.get(object_id=str(period().pk), change_message="locked")
    assert entry.user == secretariat
    assert "Locked by secretariat" in text(response)

    with pytest.raises(ValidationError, match="locked"):
        services.value_save(
            user=focal_hn,
            indicator=indicator(),
            country=country("HN"),
            period=period(),
            number=2,
            path="form",
        )
    assert not Value.objects.filter(period=period()).exists()

    client.post(url("period_unlock", pk=period().pk))
    assert period().locked_at is None
    assert LogEntry.objects.filter(object_id=str(period().pk), change_message="unlocked").exists()
    value = services.value_save(
        user=focal_hn,
        indicator=indicator(),
        country=country("HN"),
        period=period(),
        number=2,
        path="form",
    )
    assert value.status == Status.DRAFT


def test_locking_a_locked_period_says_so_without_changing_it(client, secretariat):
    locked_at = period("2017").locked_at
    response = signed_in(client, secretariat).post(
        url("period_lock", pk=period("2017").pk), follow=True
    )
    assert "already locked" in text(response)
    assert period("2017").locked_at == locked_at
    assert not LogEntry.objects.exists()


def test_locking_needs_a_post(client, secretariat):
    response = signed_in(client, secretariat).get(url("period_lock", pk=period().pk))
    assert response.status_code == 405
    assert period().locked_at is None


# --- Targets -----------------------------------------------------------------------------------


def grid_post(client, period_code="2026", shown=None, axis="1", **cells):
    """Posts the target grid as the page would, with `cells` typed over what it showed."""
    page = client.get(url("targets", pk=period(period_code).pk), {"axis": axis})
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(cells)
    if shown is not None:
        data["shown"] = shown
    return client.post(f"{url('targets', pk=period(period_code).pk)}?axis={axis}", data)


def test_the_secretariat_sets_regional_and_country_targets_with_a_baseline(client, secretariat):
    signed_in(client, secretariat)
    ind = indicator()
    response = grid_post(
        client,
        **{
            f"target-{ind.pk}-region": "2",
            f"target-{ind.pk}-HN": "3",
            f"baseline-{ind.pk}-HN": "1",
        },
    )
    assert response.status_code == 302
    regional = Target.objects.get(indicator=ind, period=period(), country=None)
    honduras = Target.objects.get(indicator=ind, period=period(), country=country("HN"))
    assert (regional.value, regional.baseline) == (2, None)
    assert (honduras.value, honduras.baseline) == (3, 1)
    assert Target.objects.count() == 2

    page = client.get(response["Location"])
    assert "2 targets saved." in text(page)
    assert page.context["form"][f"target-{ind.pk}-HN"].value() == "3"


def test_an_empty_target_removes_it(client, secretariat):
    ind = indicator()
    Target.objects.create(indicator=ind, period=period(), country=None, value=2)
    signed_in(client, secretariat)
    grid_post(client, **{f"target-{ind.pk}-region": ""})
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "code, typed, message",
    [
        (CAMPAIGNS, "-1", "cannot be negative"),
        (CAMPAIGNS, "1.5", "A count is a whole number"),
        (CAMPAIGNS, "1,5", "Enter a number"),
        (CAMPAIGNS, "NaN", "Enter a number"),
        ("percentage", "100.5", "between 0 and 100"),
        ("yes_no", "2", "yes (1) or no (0)"),
    ],
)
def test_bad_targets_are_refused_beside_the_cell_and_nothing_is_saved(
    client, secretariat, code, typed, message
):
    ind = indicator()
    if code != CAMPAIGNS:
        Indicator.objects.filter(pk=ind.pk).update(kind=code)
    signed_in(client, secretariat)
    response = grid_post(
        client,
        **{f"target-{ind.pk}-region": "2", f"target-{ind.pk}-HN": typed},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[f"target-{ind.pk}-HN"])
    assert form[f"target-{ind.pk}-HN"].value() == typed
    assert form[f"target-{ind.pk}-region"].value() == "2"  # kept, though not saved
    assert not Target.objects.exists()


def test_a_baseline_needs_a_target(client, secretariat):
    ind = indicator()
    signed_in(client, secretariat)
    response = grid_post(client, **{f"baseline-{ind.pk}-GT": "4"})
    assert "Set the target too" in " ".join(response.context["form"].errors[f"target-{ind.pk}-GT"])
    assert not Target.objects.exists()


def test_a_percentage_target_takes_two_decimals(secretariat):
    ind = indicator()
    Indicator.objects.filter(pk=ind.pk).update(kind="percentage")
    ind.refresh_from_db()
    target_services.targets_save(
        user=secretariat,
        period=period(),
        cells=[TargetCell(indicator=ind, country=None, target="87.5", baseline="60")],
    )
    target = Target.objects.get()
    assert (str(target.value), str(target.baseline)) == ("87.50", "60.00")


def test_a_cell_changed_by_someone_else_meanwhile_is_not_overwritten(client, secretariat):
    ind = indicator()
    signed_in(client, secretariat)
    page = client.get(url("targets", pk=period().pk), {"axis": "1"})
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    # A colleague sets Honduras and Guatemala meanwhile.
    Target.objects.create(indicator=ind, period=period(), country=country("HN"), value=9)
    Target.objects.create(indicator=ind, period=period(), country=country("GT"), value=7)
    data[f"target-{ind.pk}-HN"] = "3"  # this person types over Honduras
    data[f"target-{ind.pk}-region"] = "2"

    response = client.post(f"{url('targets', pk=period().pk)}?axis=1", data)

    assert response.status_code == 200
    again = response.context["form"]
    assert "it is now 9" in " ".join(again.errors[f"target-{ind.pk}-HN"])
    assert Target.objects.get(country=country("HN")).value == 9
    assert not Target.objects.filter(country=None).exists()  # all or nothing
    # What they typed stays; the colleague's Guatemala now shows, and saving again keeps it.
    assert again[f"target-{ind.pk}-HN"].value() == "3"
    assert again[f"target-{ind.pk}-GT"].value() == "7"
    resubmit = {name: again[name].value() or "" for name in again.fields}
    assert client.post(f"{url('targets', pk=period().pk)}?axis=1", resubmit).status_code == 302
    assert Target.objects.get(country=country("HN")).value == 3
    assert Target.objects.get(country=country("GT")).value == 7
    assert Target.objects.get(country=None).value == 2


def test_cells_left_alone_are_not_written(client, secretariat):
    ind = indicator()
    signed_in(client, secretariat)
    page = client.get(url("targets", pk=period().pk), {"axis": "1"})
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    Target.objects.create(indicator=ind, period=period(), country=country("PA"), value=5)
    data[f"target-{ind.pk}-region"] = "2"
    assert client.post(f"{url('targets', pk=period().pk)}?axis=1", data).status_code == 302
    assert Target.objects.get(country=country("PA")).value == 5  # not blanked by a stale page


@pytest.mark.parametrize("shown", ["not json", "[1, 2]", json.dumps({"x": 1})])
def test_a_tampered_grid_is_refused_without_error(client, secretariat, shown):
    signed_in(client, secretariat)
    response = grid_post(client, shown=shown, **{f"target-{indicator().pk}-region": "2"})
    assert response.status_code == 200
    assert "reload it" in text(response)
    assert not Target.objects.exists()


def test_targets_have_no_text_indicators_and_a_tab_per_axis(client, secretariat):
    signed_in(client, secretariat)
    page = client.get(url("targets", pk=period().pk), {"axis": "context"})
    context = [row["indicator"] for row in page.context["form"].rows]
    assert "identified-victims" in [ind.code for ind in context]
    assert all(ind.goal_id is None for ind in context)
    every = Indicator.objects.current().exclude(kind="text").count()
    listed = sum(
        len(client.get(url("targets", pk=period().pk), {"axis": tab}).context["form"].rows)
        for tab in ["1", "2", "3", "4", "context"]
    )
    assert listed == every
    assert client.get(url("targets", pk=period().pk), {"axis": "99"}).status_code == 200


def test_the_targets_page_queries_do_not_grow_with_targets(
    client, secretariat, django_assert_max_num_queries
):
    signed_in(client, secretariat)
    page = url("targets", pk=period().pk)
    client.get(page)
    with django_assert_max_num_queries(12) as few:
        client.get(page)
    Target.objects.bulk_create(
        Target(indicator=ind, period=period(), country=place, value=1, baseline=0)
        for ind in Indicator.objects.current().exclude(kind="text")
        for place in [None, *Country.objects.all()]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)


def test_only_the_secretariat_saves_targets_even_through_the_service(focal_hn):
    with pytest.raises(PermissionDenied):
        target_services.targets_save(
            user=focal_hn,
            period=period(),
            cells=[TargetCell(indicator=indicator(), country=None, target="2", baseline="")],
        )
    assert not Target.objects.exists()


# --- Qualifications ----------------------------------------------------------------------------


def axis(number=1) -> Axis:
    return Axis.objects.get(number=number)


def test_the_secretariat_qualifies_an_axis_for_the_region_and_a_country(client, secretariat):
    signed_in(client, secretariat)
    prefix = f"q-{axis().pk}-region"
    response = client.post(
        url("qualifications", pk=period().pk),
        {"form": prefix, f"{prefix}-rating": "at_risk", f"{prefix}-reason": "One campaign only"},
        follow=True,
    )
    regional = Qualification.objects.get(axis=axis(), period=period(), country=None)
    assert (regional.rating, regional.reason, regional.updated_by) == (
        "at_risk",
        "One campaign only",
        secretariat,
    )
    assert "saved" in text(response)

    prefix = f"q-{axis().pk}-SV"
    client.post(
        url("qualifications", pk=period().pk),
        {"form": prefix, f"{prefix}-rating": "on_track", f"{prefix}-reason": "Both done"},
    )
    assert Qualification.objects.get(country=country("SV")).rating == "on_track"


@pytest.mark.parametrize(
    "rating, reason, field, message",
    [
        ("at_risk", "   ", "reason", "Give the reason"),
        ("", "Because", "rating", "Choose on track"),
        ("excellent", "Because", "rating", "Select a valid choice"),
    ],
)
def test_a_qualification_needs_a_rating_and_a_reason(
    client, secretariat, rating, reason, field, message
):
    signed_in(client, secretariat)
    prefix = f"q-{axis(2).pk}-HN"
    response = client.post(
        url("qualifications", pk=period().pk),
        {"form": prefix, f"{prefix}-rating": rating, f"{prefix}-reason": reason},
    )
    assert response.status_code == 200
    bound = next(
        row["form"]
        for section in response.context["sections"]
        for row in section["rows"]
        if row["prefix"] == prefix
    )
    assert message in " ".join(bound.errors[field])
    assert bound[f"{'reason' if field == 'rating' else 'rating'}"].value() == (
        reason if field == "rating" else rating
    )
    assert not Qualification.objects.exists()


def test_an_unknown_qualification_form_is_a_bad_request(client, secretariat):
    signed_in(client, secretariat)
    response = client.post(url("qualifications", pk=period().pk), {"form": "q-999-XX"})
    assert response.status_code == 400


def test_a_qualification_changed_meanwhile_is_not_overwritten(client, secretariat, observer):
    signed_in(client, secretariat)
    prefix = f"q-{axis().pk}-region"
    page = client.get(url("qualifications", pk=period().pk))
    assert page.context["sections"][0]["rows"][0]["form"]["seen"].value() == ""
    qualification_set(
        user=secretariat,
        axis=axis(),
        period=period(),
        country=None,
        rating="off_track",
        reason="Nothing done",
    )
    response = client.post(
        url("qualifications", pk=period().pk),
        {
            "form": prefix,
            f"{prefix}-rating": "on_track",
            f"{prefix}-reason": "All good",
            f"{prefix}-seen": "",
        },
    )
    assert response.status_code == 200
    assert "changed this qualification meanwhile" in text(response)
    assert Qualification.objects.get().rating == "off_track"
    form = response.context["sections"][0]["rows"][0]["form"]
    assert form["reason"].value() == "All good"
    # Saving again, now against what was shown, replaces it knowingly.
    response = client.post(
        url("qualifications", pk=period().pk),
        {
            "form": prefix,
            f"{prefix}-rating": "on_track",
            f"{prefix}-reason": "All good",
            f"{prefix}-seen": form["seen"].value(),
        },
    )
    assert response.status_code == 302
    assert Qualification.objects.get().rating == "on_track"


def test_qualification_set_checks_access_and_records_who(secretariat, focal_hn):
    with pytest.raises(PermissionDenied):
        qualification_set(
            user=focal_hn,
            axis=axis(),
            period=period(),
            country=country("HN"),
            rating="on_track",
            reason="x",
        )
    first = qualification_set(
        user=secretariat,
        axis=axis(),
        period=period(),
        country=country("HN"),
        rating="on_track",
        reason="Done",
    )
    assert first.updated_by == secretariat
    with pytest.raises(StaleQualification):
        qualification_set(
            user=secretariat,
            axis=axis(),
            period=period(),
            country=country("HN"),
            rating="at_risk",
            reason="Late",
            seen=None,
        )
    assert Qualification.objects.get().rating == "on_track"


def test_the_qualifications_page_queries_do_not_grow(
    client, secretariat, django_assert_max_num_queries
):
    signed_in(client, secretariat)
    page = url("qualifications", pk=period().pk)
    client.get(page)
    with django_assert_max_num_queries(12) as few:
        client.get(page)
    for ax in Axis.objects.all():
        for place in [None, *Country.objects.all()]:
            Qualification.objects.create(
                axis=ax,
                period=period(),
                country=place,
                rating="at_risk",
                reason="r",
                updated_by=secretariat,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)
