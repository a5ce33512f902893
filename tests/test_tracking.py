"""The indicator tracking table: target beside actual per period, the on-track band, who sees
what, the regional table, filters, and a number of queries that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from monitoring.matrix import selectors
from monitoring.matrix.selectors import Band, classify
from monitoring.models import Period, Status, Target, Value
from strategy.models import Country, Indicator
from tests.conftest import signed_in
from tests.test_matrix import (
    BUDGETED_PLAN,
    CAMPAIGNS,
    MEDIA,
    TRAINED_PEOPLE,
    VICTIMS,
    WORKSHOPS,
    save,
    submit,
    validate,
)

pytestmark = pytest.mark.django_db


def url(scope="HN", **params):
    with translation.override("en"):
        base = reverse("monitoring:tracking", kwargs={"scope": scope})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{base}?{query}" if query else base


def target(code, country, period, value):
    return Target.objects.create(
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country) if country else None,
        period=Period.objects.get(code=period),
        value=value,
    )


def cells_of(response):
    """{(indicator code, period code): cell} of the table a page shows."""
    table = response.context["table"]
    return {
        (row.indicator.code, period.code): cell
        for _axis, rows in table.groups
        for row in rows
        for period, cell in zip(table.periods, row.cells, strict=True)
    }


# --- The band -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actual, expected",
    [
        (100, Band.ON_TRACK),
        (85, Band.ON_TRACK),  # the edges are inside the band
        (115, Band.ON_TRACK),
        (Decimal("84.99"), Band.BEHIND),
        (0, Band.BEHIND),
        (Decimal("115.01"), Band.AHEAD),
        (300, Band.AHEAD),
    ],
)
def test_values_are_classified_against_a_band_of_15_percent_by_default(actual, expected):
    assert classify(actual, 100) == expected


def test_no_target_or_no_value_is_not_classified():
    assert classify(12, None) is None
    assert classify(None, 100) is None


def test_a_target_of_zero_is_met_by_zero_and_exceeded_by_more():
    assert classify(0, 0) == Band.ON_TRACK
    assert classify(1, 0) == Band.AHEAD


def test_the_band_is_a_setting(settings):
    settings.TRACKING_BAND = 0.05
    assert classify(90, 100) == Band.BEHIND
    assert classify(104, 100) == Band.ON_TRACK
    settings.TRACKING_BAND = "0.5"
    assert classify(60, 100) == Band.ON_TRACK
    assert selectors.tracking_band() == Decimal("0.5")


def test_without_the_setting_the_band_is_15_percent(settings):
    del settings.TRACKING_BAND
    assert selectors.tracking_band() == Decimal("0.15")


@pytest.mark.parametrize("band", [-0.1, "wide", float("nan")])
def test_a_bad_band_setting_fails_loudly(settings, band):
    settings.TRACKING_BAND = band
    with pytest.raises(ImproperlyConfigured, match="TRACKING_BAND"):
        selectors.tracking_band()


# --- The country table --------------------------------------------------------------------------


@pytest.fixture
def hn_2026(secretariat, focal_hn, focal_sv):
    """HN in 2026 against targets of 100: trained people 90 (on track), campaigns 50 (behind),
    workshops 200 (ahead), all validated; a media text without target; a draft of the plan."""
    target(TRAINED_PEOPLE, "HN", "2026", 100)
    target(CAMPAIGNS, "HN", "2026", 100)
    target(WORKSHOPS, "HN", "2026", 100)
    target(BUDGETED_PLAN, "HN", "2026", 1)
    made = {
        code: validate(secretariat, submit(focal_hn, save(focal_hn, "HN", code, number)))
        for code, number in ((TRAINED_PEOPLE, 90), (CAMPAIGNS, 50), (WORKSHOPS, 200))
    }
    made[MEDIA] = validate(
        secretariat, submit(focal_hn, save(focal_hn, "HN", MEDIA, text="Two guides for editors"))
    )
    made[BUDGETED_PLAN] = save(focal_hn, "HN", BUDGETED_PLAN, 1)
    return made


def test_each_value_stands_beside_its_target_with_its_band(client, hn_2026):
    response = client.get(url("HN"))
    cells = cells_of(response)
    assert (cells[TRAINED_PEOPLE, "2026"].target, cells[TRAINED_PEOPLE, "2026"].actual) == (
        100,
        90,
    )
    assert cells[TRAINED_PEOPLE, "2026"].band == Band.ON_TRACK
    assert cells[CAMPAIGNS, "2026"].band == Band.BEHIND
    assert cells[WORKSHOPS, "2026"].band == Band.AHEAD
    html = response.content.decode()
    for band, label in (("on_track", "on track"), ("behind", "behind"), ("ahead", "ahead")):
        assert f"band band-{band}" in html
        assert f'<small class="band-text">{label}</small>' in html


def test_a_value_without_target_is_shown_plain(client, hn_2026):
    cells = cells_of(client.get(url("HN")))
    media = cells[MEDIA, "2026"]
    assert (media.band, media.target, media.actual_shown) == (None, None, "Two guides for editors")


def test_the_periods_are_the_columns_up_to_the_current_one(client):
    periods = [p.code for p in client.get(url("HN")).context["table"].periods]
    assert periods == [str(year) for year in range(2017, 2027)]  # 2027 has not opened


def test_chart_3_appears_in_the_country_table(client):
    cells = cells_of(client.get(url("HN")))
    victims = Value.objects.for_indicator(VICTIMS).filter(country__code="HN")
    for value in victims.select_related("period"):
        assert cells[VICTIMS, value.period.code].actual == value.number


def test_a_focal_point_sees_their_own_draft_marked_as_such(client, focal_hn, hn_2026):
    response = signed_in(client, focal_hn).get(url("HN"))
    plan = cells_of(response)[BUDGETED_PLAN, "2026"]
    assert (plan.status, plan.actual, plan.band) == (Status.DRAFT, 1, Band.ON_TRACK)
    assert '<small class="tag status-draft">draft</small>' in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "observer", "focal_sv"])
def test_others_see_validated_values_only(client, request, hn_2026, role):
    if role != "anonymous":
        signed_in(client, request.getfixturevalue(role))
    response = client.get(url("HN"))
    cells = cells_of(response)
    assert cells[BUDGETED_PLAN, "2026"].actual is None
    assert cells[TRAINED_PEOPLE, "2026"].actual == 90
    link = reverse("monitoring:value", kwargs={"pk": hn_2026[BUDGETED_PLAN].pk})
    assert link not in response.content.decode()


def test_actuals_link_to_the_value(client, hn_2026):
    html = client.get(url("HN")).content.decode()
    assert reverse("monitoring:value", kwargs={"pk": hn_2026[TRAINED_PEOPLE].pk}) in html


def test_the_band_setting_changes_the_page(client, settings, hn_2026):
    settings.TRACKING_BAND = 0.05
    response = client.get(url("HN"))
    assert cells_of(response)[TRAINED_PEOPLE, "2026"].band == Band.BEHIND
    assert "Within ±5% of the target is on track" in response.content.decode()


# --- The region ---------------------------------------------------------------------------------


def test_the_region_adds_up_validated_country_values(
    client, secretariat, focal_hn, focal_sv, hn_2026
):
    validate(secretariat, submit(focal_sv, save(focal_sv, "SV", TRAINED_PEOPLE, 60)))
    save(focal_sv, "SV", CAMPAIGNS, 500)  # a draft: not added
    target(TRAINED_PEOPLE, None, "2026", 200)
    cells = cells_of(signed_in(client, secretariat).get(url("region")))
    people = cells[TRAINED_PEOPLE, "2026"]
    assert (people.actual, people.target, people.band, people.reporting) == (150, 200, "behind", 2)
    assert cells[CAMPAIGNS, "2026"].actual == 50


def test_the_regional_victims_are_the_sum_of_chart_3(client):
    cells = cells_of(client.get(url("region")))
    totals = Value.objects.validated().for_indicator(VICTIMS).regional_totals()
    for year in ("2017", "2018", "2019"):
        assert cells[VICTIMS, year].actual == totals[year]


def test_the_region_counts_countries_for_what_cannot_be_added(client, hn_2026, secretariat):
    response = client.get(url("region"))
    cells = cells_of(response)
    assert (cells[MEDIA, "2026"].reporting, cells[MEDIA, "2026"].actual) == (1, None)
    assert cells[BUDGETED_PLAN, "2026"].reporting is None  # HN's is only a draft
    assert '<small class="reporting">1 country</small>' in response.content.decode()


def test_a_regional_target_is_met_by_a_figure_reported_for_the_region(client, secretariat):
    from monitoring.values import services

    target(CAMPAIGNS, None, "2026", 2)
    value = services.value_save(
        user=secretariat,
        indicator=Indicator.objects.get(code=CAMPAIGNS),
        country=None,
        period=Period.objects.get(code="2026"),
        number=2,
        path="form",
    )
    validate(secretariat, submit(secretariat, value))
    campaigns = cells_of(client.get(url("region")))[CAMPAIGNS, "2026"]
    assert (campaigns.actual, campaigns.band, campaigns.value_id) == (2, Band.ON_TRACK, value.pk)


# --- Filters and bad input ----------------------------------------------------------------------


def test_filters_by_axis_and_period_range(client):
    table = client.get(url("HN", axis=2, first="2019", last="2021")).context["table"]
    assert [p.code for p in table.periods] == ["2019", "2020", "2021"]
    assert [axis.number for axis, _rows in table.groups] == [2]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"first": "1800"}, "first"),
        ({"last": "never"}, "last"),
        ({"axis": "7"}, "axis"),
        ({"frequency": "daily"}, "frequency"),
        ({"first": "2024", "last": "2019"}, "last"),
    ],
)
def test_invalid_filter_values_give_a_message_never_a_500(client, params, field):
    response = client.get(url("HN", **params))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "was not applied" in html
    assert response.context["table"].periods  # the defaults still show a table


def test_a_range_the_wrong_way_round_says_so(client):
    html = client.get(url("HN", first="2024", last="2019")).content.decode()
    assert "The last period comes before the first one." in html


@pytest.mark.parametrize("scope", ["XX", "regions", "H", "1"])
def test_an_unknown_country_is_not_found(client, scope):
    assert client.get(url(scope)).status_code == 404


def test_a_country_code_in_lower_case_is_accepted(client):
    assert client.get(url("hn")).context["country"].code == "HN"


# --- Bounded queries ----------------------------------------------------------------------------


def queries_for(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("scope", ["HN", "region"])
def test_the_tracking_table_needs_the_same_queries_with_many_values(
    client, focal_hn, django_assert_max_num_queries, scope
):
    from tests.test_matrix import many_values

    signed_in(client, focal_hn)
    client.get(url(scope))  # the plan's axes read once, into the cache
    before = queries_for(client, url(scope))
    many_values()
    Target.objects.bulk_create(
        Target(indicator=i, country=c, period=p, value=10)
        for p in Period.objects.filter(starts_on__lt=datetime.date(2026, 1, 1))
        for i in Indicator.objects.all()
        for c in [None, *Country.objects.all()]
    )
    assert queries_for(client, url(scope)) == before
    with django_assert_max_num_queries(16):
        client.get(url(scope))
