"""The monitoring matrix: cell states, who sees what, filters, completeness and timeliness, the
regional column, bad filter values, and a number of queries that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.matrix import selectors
from monitoring.matrix.selectors import CellState
from monitoring.models import Period, Status, Value
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CAMPAIGNS = "SEN-1.1.1-a"  # axis 1, a count
CASES = "SEN-1.2.1-a"  # axis 1, a count
WORKSHOPS = "SEN-2.1.1-a"  # axis 1, a count
TRAINED = "SEN-2.1.1-b"  # axis 1, a count
BUDGETED_PLAN = "SEN-2.1.3-a"  # axis 1, yes/no
TRAINED_PEOPLE = "TRA-1.1.1-a"  # axis 2, a count
MEDIA = "TRA-2.1.2-a"  # axis 2, text
VICTIMS = "identified-victims"  # Chart 3, a context indicator
AFTER_THE_CLOSE = datetime.date(2027, 4, 10)  # 2026 closes on 31 March 2027


def url(**params):
    with translation.override("en"):
        base = reverse("monitoring:matrix")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{base}?{query}" if query else base


def save(user, country, code, number=None, text="", period="2026"):
    return services.value_save(
        user=user,
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country),
        period=Period.objects.get(code=period),
        number=number,
        text=text,
        path="form",
    )


def submit(user, value):
    return services.value_submit(user=user, value=value, path="form")


def validate(secretariat, value):
    return services.value_validate(user=secretariat, value=value, path="form")


@pytest.fixture
def after_the_close(monkeypatch):
    """Today is after 2026's close date: submissions are accepted and flagged late."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: AFTER_THE_CLOSE)


@pytest.fixture
def values_2026(secretariat, focal_hn, focal_sv, monkeypatch):
    """A small known data set in 2026, one value per state (axis 1 has 6 indicators):
    HN  campaigns submitted on time, cases validated on time, workshops draft, trained submitted
        late, budgeted plan validated (yes);
    SV  campaigns validated after arriving late, cases returned, workshops draft, budgeted plan
        validated (no);
    HN and SV trained people (axis 2) validated: 10 and 5."""
    made = {}
    made["hn-campaigns"] = submit(focal_hn, save(focal_hn, "HN", CAMPAIGNS, 3))
    made["hn-cases"] = validate(secretariat, submit(focal_hn, save(focal_hn, "HN", CASES, 1234)))
    made["hn-workshops"] = save(focal_hn, "HN", WORKSHOPS, 2)
    made["sv-workshops"] = save(focal_sv, "SV", WORKSHOPS, 7)
    made["hn-plan"] = validate(
        secretariat, submit(focal_hn, save(focal_hn, "HN", BUDGETED_PLAN, 1))
    )
    made["sv-plan"] = validate(
        secretariat, submit(focal_sv, save(focal_sv, "SV", BUDGETED_PLAN, 0))
    )
    made["sv-cases"] = services.value_return(
        user=secretariat,
        value=submit(focal_sv, save(focal_sv, "SV", CASES, 4)),
        comment="Check the source.",
        path="form",
    )
    for country, user, number in (("HN", focal_hn, 10), ("SV", focal_sv, 5)):
        made[f"{country.lower()}-trained-people"] = validate(
            secretariat, submit(user, save(user, country, TRAINED_PEOPLE, number))
        )
    with monkeypatch.context() as late:
        late.setattr(timezone, "localdate", lambda *args: AFTER_THE_CLOSE)
        made["hn-trained"] = submit(focal_hn, save(focal_hn, "HN", TRAINED, 8))
        made["sv-campaigns"] = validate(
            secretariat, submit(focal_sv, save(focal_sv, "SV", CAMPAIGNS, 6))
        )
    assert made["hn-trained"].late and made["sv-campaigns"].late
    assert not made["hn-campaigns"].late
    return made


def grid_of(response):
    """{(indicator code, country code): cell} of the matrix a page shows."""
    grid = response.context["matrix"]
    return {
        (row.indicator.code, country.code): cell
        for group in grid.groups
        for row in group.rows
        for country, cell in zip(grid.countries, row.cells, strict=True)
    }


def rates_of(response):
    grid = response.context["matrix"]
    return {country.code: rate for country, rate in grid.columns}


def row_of(response, code):
    grid = response.context["matrix"]
    return next(row for group in grid.groups for row in group.rows if row.indicator.code == code)


# --- States -------------------------------------------------------------------------------------


def test_each_cell_shows_the_state_of_its_value(client, secretariat, values_2026):
    cells = grid_of(signed_in(client, secretariat).get(url()))
    assert cells[CAMPAIGNS, "HN"].state == CellState.SUBMITTED
    assert cells[CASES, "HN"].state == CellState.VALIDATED
    assert cells[WORKSHOPS, "HN"].state == CellState.DRAFT
    assert cells[TRAINED, "HN"].state == CellState.LATE
    assert cells[CASES, "SV"].state == CellState.RETURNED
    assert cells[CAMPAIGNS, "SV"].state == CellState.VALIDATED
    assert cells[CAMPAIGNS, "SV"].late  # validated, but it came in late
    assert cells[CAMPAIGNS, "GT"].state == CellState.NOTHING


def test_every_state_has_a_colour_and_a_text_not_colour_alone(client, secretariat, values_2026):
    html = signed_in(client, secretariat).get(url()).content.decode()
    for state, label in [
        ("draft", "draft"),
        ("submitted", "submitted"),
        ("late", "late"),
        ("returned", "returned"),
        ("validated", "validated"),
    ]:
        assert f'class="cell state-{state}"' in html
        assert f'<span class="visually-hidden"> ({label}' in html
    assert (
        '<td class="cell state-nothing"><span class="state-icon" aria-hidden="true"></span>' in html
    )
    assert '<span class="visually-hidden">no value</span>' in html
    assert "submitted late" in html  # the validated value that came in late says so
    assert 'class="state-legend"' in html


def test_cells_link_to_the_value_and_its_history(client, secretariat, values_2026):
    html = signed_in(client, secretariat).get(url()).content.decode()
    for value in values_2026.values():
        assert f'href="{reverse("monitoring:value", kwargs={"pk": value.pk})}"' in html


def test_numbers_are_formatted_and_texts_shortened(client, secretariat, focal_hn, values_2026):
    long_text = "Journalists of the three national newspapers were trained " * 3
    save(focal_hn, "HN", MEDIA, text=long_text)
    response = signed_in(client, secretariat).get(url())
    cells = grid_of(response)
    assert cells[CASES, "HN"].shown == "1,234"
    assert cells[BUDGETED_PLAN, "HN"].shown == "Yes"
    assert cells[BUDGETED_PLAN, "SV"].shown == "No"
    excerpt = cells[MEDIA, "HN"].shown
    assert excerpt.endswith("…") and len(excerpt) == selectors.EXCERPT_LENGTH
    html = response.content.decode()
    assert "1,234" in html and excerpt in html
    assert long_text.strip() in html  # the whole text in the cell's title


def test_percentages_show_at_most_two_decimals():
    with translation.override("en"):
        assert selectors.cell_text(Indicator.Kind.PERCENTAGE, Decimal("45.50"), "") == "45.5%"
        assert selectors.cell_text(Indicator.Kind.PERCENTAGE, Decimal("100.00"), "") == "100%"
        assert selectors.cell_text(Indicator.Kind.COUNT, Decimal("1791.00"), "") == "1,791"


# --- Who sees what ------------------------------------------------------------------------------


def test_a_focal_point_sees_their_own_drafts_but_not_another_countrys(
    client, focal_hn, values_2026
):
    response = signed_in(client, focal_hn).get(url())
    cells = grid_of(response)
    assert cells[WORKSHOPS, "HN"].state == CellState.DRAFT
    assert cells[WORKSHOPS, "SV"].state == CellState.NOTHING
    assert cells[CASES, "SV"].state == CellState.NOTHING  # returned: not validated
    assert cells[CAMPAIGNS, "SV"].state == CellState.VALIDATED
    html = response.content.decode()
    assert reverse("monitoring:value", kwargs={"pk": values_2026["hn-workshops"].pk}) in html
    assert reverse("monitoring:value", kwargs={"pk": values_2026["sv-workshops"].pk}) not in html


def test_the_other_focal_point_sees_the_mirror_image(client, focal_sv, values_2026):
    cells = grid_of(signed_in(client, focal_sv).get(url()))
    assert cells[WORKSHOPS, "SV"].state == CellState.DRAFT
    assert cells[CASES, "SV"].state == CellState.RETURNED
    assert cells[WORKSHOPS, "HN"].state == CellState.NOTHING
    assert cells[TRAINED, "HN"].state == CellState.NOTHING


@pytest.mark.parametrize("role", ["anonymous", "observer"])
def test_the_public_and_observers_see_validated_values_only(client, observer, values_2026, role):
    if role == "observer":
        signed_in(client, observer)
    response = client.get(url())
    visible = {key for key, cell in grid_of(response).items() if cell.value_id}
    validated = {
        (v.indicator.code, v.country.code)
        for v in values_2026.values()
        if v.status == Status.VALIDATED
    }
    assert visible == validated
    html = response.content.decode()
    for value in values_2026.values():
        link = reverse("monitoring:value", kwargs={"pk": value.pk})
        assert (link in html) == (value.status == Status.VALIDATED)


def test_the_secretariat_sees_every_value(client, secretariat, values_2026):
    visible = {
        cell.value_id for cell in grid_of(signed_in(client, secretariat).get(url())).values()
    }
    assert {v.pk for v in values_2026.values()} <= visible


# --- Filters ------------------------------------------------------------------------------------


def test_the_default_period_is_the_latest_open_one(client):
    assert client.get(url()).context["period"].code == "2026"


def test_the_latest_open_period_falls_back_to_the_latest_closed_one():
    periods = list(Period.objects.all())
    assert selectors.latest_open_period(periods, today=datetime.date(2026, 6, 1)).code == "2026"
    # After 2026 closes and before 2027 opens nothing is open: the latest closed period.
    upcoming = [p for p in periods if p.code != "2027"]
    assert selectors.latest_open_period(upcoming, today=datetime.date(2027, 6, 1)).code == "2026"


def test_the_period_filter_shows_chart_3_with_its_regional_total_computed(client):
    response = client.get(url(period="2019"))
    cells = grid_of(response)
    chart_3 = Value.objects.validated().for_indicator(VICTIMS).filter(period__code="2019")
    for value in chart_3.select_related("country"):
        assert cells[VICTIMS, value.country.code].value_id == value.pk
    regional = row_of(response, VICTIMS).regional
    assert (
        regional.total == Value.objects.validated().for_indicator(VICTIMS).regional_totals()["2019"]
    )
    assert regional.reporting == 9
    assert f"Σ {regional.shown}" in response.content.decode()


def test_the_axis_filter_keeps_that_axis_only(client, values_2026):
    response = client.get(url(axis=2))
    codes = {code for code, _country in grid_of(response)}
    assert TRAINED_PEOPLE in codes and MEDIA in codes
    assert not any(code.startswith(("SEN", "DIS", "DET")) for code in codes)
    assert VICTIMS not in codes  # context indicators belong to no axis
    assert [group.axis.number for group in response.context["matrix"].groups] == [2]


@pytest.mark.parametrize(
    "state, codes",
    [
        ("draft", {WORKSHOPS}),
        ("late", {TRAINED}),
        ("returned", {CASES}),
        ("submitted", {CAMPAIGNS}),
    ],
)
def test_the_state_filter_keeps_rows_with_a_cell_in_that_state(
    client, secretariat, values_2026, state, codes
):
    response = signed_in(client, secretariat).get(url(state=state))
    cells = grid_of(response)
    assert {code for code, _country in cells} == codes
    matching = [cell for cell in cells.values() if not cell.dimmed]
    assert matching and all(cell.state == state for cell in matching)
    assert 'is-dimmed"' in response.content.decode()


def test_the_state_filter_for_missing_values_finds_the_gaps(client, secretariat, values_2026):
    grid = signed_in(client, secretariat).get(url(state="nothing", axis=1)).context["matrix"]
    assert len([row for group in grid.groups for row in group.rows]) == 6


def test_filters_combine(client, secretariat, values_2026):
    cells = grid_of(signed_in(client, secretariat).get(url(period="2026", axis=1, state="draft")))
    assert {code for code, _country in cells} == {WORKSHOPS}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"period": "1999"}, "period"),
        ({"period": "<script>"}, "period"),
        ({"axis": "99"}, "axis"),
        ({"axis": "one"}, "axis"),
        ({"state": "lost"}, "state"),
        ({"period": "2026", "axis": "-1", "state": "validated"}, "axis"),
    ],
)
def test_invalid_filter_values_give_a_message_beside_the_field_never_a_500(client, params, field):
    response = client.get(url(**params))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Select a valid choice" in html
    assert "was not applied" in html
    assert response.context["period"].code == params.get("period", "2026").replace(
        "1999", "2026"
    ).replace("<script>", "2026")
    assert "<script>" not in html.split('id="main"')[1]


def test_invalid_filters_fall_back_and_keep_the_valid_ones(client, secretariat, values_2026):
    response = signed_in(client, secretariat).get(url(period="nope", axis=2, state="validated"))
    grid = response.context["matrix"]
    assert grid.period.code == "2026" and grid.state == "validated"
    assert [group.axis.number for group in grid.groups] == [2]


def test_messages_are_in_the_users_language(client):
    with translation.override("es"):
        base = reverse("monitoring:matrix")
    html = client.get(f"{base}?axis=99").content.decode()
    assert "Escoja una opción válida" in html


# --- Completeness and timeliness ----------------------------------------------------------------


def test_completeness_and_timeliness_per_country(client, secretariat, values_2026):
    rates = rates_of(signed_in(client, secretariat).get(url(axis=1)))
    # HN, axis 1 (6 cells): campaigns submitted, cases and plan validated, trained late.
    assert (rates["HN"].expected, rates["HN"].reported, rates["HN"].on_time) == (6, 4, 3)
    assert (rates["HN"].completeness_percent, rates["HN"].timeliness_percent) == (67, 50)
    # SV: campaigns validated but late, plan validated; returned cases and draft workshops are not
    # counted.
    assert (rates["SV"].reported, rates["SV"].on_time) == (2, 1)
    assert (rates["SV"].completeness_percent, rates["SV"].timeliness_percent) == (33, 17)
    assert (rates["GT"].completeness_percent, rates["GT"].timeliness_percent) == (0, 0)


def test_completeness_and_timeliness_per_axis_and_overall(client, secretariat, values_2026):
    grid = signed_in(client, secretariat).get(url()).context["matrix"]
    by_axis = {group.axis.number if group.axis else None: group.rate for group in grid.groups}
    assert (by_axis[1].expected, by_axis[1].reported, by_axis[1].on_time) == (54, 6, 4)
    assert (by_axis[2].expected, by_axis[2].reported, by_axis[2].on_time) == (45, 2, 2)
    assert by_axis[3].reported == by_axis[4].reported == 0
    assert (grid.rate.reported, grid.rate.on_time) == (8, 6)
    assert grid.rate.expected == sum(rate.expected for rate in by_axis.values())


def test_rates_count_only_what_the_viewer_may_see(client, values_2026):
    rates = rates_of(client.get(url(axis=1)))
    assert (rates["HN"].reported, rates["HN"].on_time) == (2, 2)  # cases, plan
    assert (rates["SV"].reported, rates["SV"].on_time) == (2, 1)


def test_rates_are_shown_as_numbers_and_bars(client, secretariat, values_2026):
    html = signed_in(client, secretariat).get(url(axis=1)).content.decode()
    assert '<span class="rate-number">67%</span>' in html
    assert '<rect class="rate-fill" width="67"' in html
    assert '<span class="rate-number">50%</span>' in html
    assert "Completeness and timeliness by axis" in html


# --- The regional column ------------------------------------------------------------------------


def test_the_region_adds_up_validated_counts_only(client, secretariat, values_2026):
    response = signed_in(client, secretariat).get(url())
    people = row_of(response, TRAINED_PEOPLE).regional
    assert (people.total, people.reporting, people.is_sum) == (15, 2, True)
    # Campaigns: HN submitted (3) is not added; SV validated (6) is.
    campaigns = row_of(response, CAMPAIGNS).regional
    assert (campaigns.total, campaigns.reporting) == (6, 1)
    assert row_of(response, WORKSHOPS).regional.is_sum is False  # drafts only


def test_the_region_counts_countries_for_yes_no_and_texts(client, secretariat, values_2026):
    response = signed_in(client, secretariat).get(url())
    plan = row_of(response, BUDGETED_PLAN).regional
    assert (plan.total, plan.reporting, plan.yes, plan.is_sum) == (None, 2, 1, False)
    html = response.content.decode()
    assert "2 of 9 countries · 1 yes" in html


def test_the_region_does_not_add_up_percentages(client, secretariat, focal_hn, focal_sv):
    share = Indicator.objects.create(
        code="TEST-PCT", order=200, name="Share of cases prosecuted", kind="percentage"
    )
    for country, user, number in (("HN", focal_hn, "40"), ("SV", focal_sv, "60")):
        validate(secretariat, submit(user, save(user, country, share.code, number)))
    response = client.get(url())
    regional = row_of(response, share.code).regional
    assert (regional.total, regional.reporting, regional.shown) == (None, 2, "")
    assert "2 of 9 countries" in response.content.decode()


def test_a_figure_reported_for_the_region_shows_beside_the_computed_one(client, secretariat):
    value = services.value_save(
        user=secretariat,
        indicator=Indicator.objects.get(code=MEDIA),
        country=None,
        period=Period.objects.get(code="2026"),
        text="A regional media guide",
        path="form",
    )
    regional = row_of(signed_in(client, secretariat).get(url()), MEDIA).regional
    assert regional.cell.value_id == value.pk and regional.cell.state == CellState.DRAFT
    client.logout()
    assert row_of(client.get(url()), MEDIA).regional.cell is None  # a draft: not public


# --- Bounded queries ----------------------------------------------------------------------------


def many_values(periods=12):
    """Values for every indicator and country in 12 more periods, and every state: the matrix must
    still read only the selected period."""
    indicators = list(Indicator.objects.all())
    countries = list(Country.objects.all())
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VALIDATED]
    new_periods = Period.objects.bulk_create(
        Period(
            code=f"Q{n}",
            kind="annual",
            starts_on=datetime.date(1900 + n, 1, 1),
            ends_on=datetime.date(1900 + n, 12, 31),
            opens_on=datetime.date(1900 + n, 1, 1),
            closes_on=datetime.date(1901 + n, 3, 31),
        )
        for n in range(periods)
    )
    existing = set(
        Value.objects.filter(period__code="2026").values_list("indicator_id", "country_id")
    )
    rows = [
        Value(
            indicator=i,
            country=c,
            period=p,
            number=n % 50,
            text="x" if i.kind == "text" else "",
            status=statuses[n % 4],
        )
        for n, (p, i, c) in enumerate(
            (p, i, c) for p in new_periods for i in indicators for c in countries
        )
    ]
    rows += [
        Value(indicator=i, country=c, period=Period.objects.get(code="2026"), number=1)
        for i in indicators
        for c in countries
        if (i.pk, c.pk) not in existing
    ]
    Value.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def queries_for(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "observer", "focal_hn", "secretariat"])
def test_the_matrix_needs_the_same_queries_with_many_values(
    client, request, django_assert_max_num_queries, role, values_2026
):
    if role != "anonymous":
        signed_in(client, request.getfixturevalue(role))
    address = url(period="2026", axis=1, state="draft")
    client.get(url())  # a first page also asks, once, whether demonstration figures exist
    before = queries_for(client, url()), queries_for(client, address)
    assert many_values() > 2000
    after = queries_for(client, url()), queries_for(client, address)
    assert after == before
    with django_assert_max_num_queries(16):
        client.get(url())


def test_the_matrix_reads_only_the_selected_period(client, secretariat, values_2026):
    many_values(periods=5)
    signed_in(client, secretariat)
    with CaptureQueriesContext(connection) as queries:
        client.get(url(period="2026"))
    value_queries = [q["sql"] for q in queries if 'FROM "monitoring_value"' in q["sql"]]
    period_id = Period.objects.get(code="2026").pk
    # Not counted: the review queue's badge, and the demonstration banner's check (cached).
    badge = 'COUNT(*) AS "__count" FROM "monitoring_value" WHERE "monitoring_value"."status"'
    reads = [sql for sql in value_queries if badge not in sql and '"is_demo"' not in sql]
    assert len(reads) == 3  # the rows selected (a subquery), the page's values, the rates
    for sql in reads:  # every reading of the values, subqueries included, names the period
        assert sql.count(f'"period_id" = {period_id}') == sql.count('FROM "monitoring_value"')


# --- Pages of indicators and axis tabs ----------------------------------------------------------


def more_indicators(n, axis=2):
    """n more current annual indicators in a goal of `axis`, after the plan's own."""
    goal = Indicator.objects.filter(goal__activity__objective__axis__number=axis).first().goal
    return Indicator.objects.bulk_create(
        Indicator(code=f"TEST-MANY-{i:03d}", goal=goal, order=500 + i, name=f"Many {i}")
        for i in range(n)
    )


def codes_of(response):
    grid = response.context["matrix"]
    return [row.indicator.code for group in grid.groups for row in group.rows]


def test_a_long_plan_is_paged_by_indicators_and_rated_over_every_page(
    client, secretariat, values_2026
):
    plan = len(codes_of(signed_in(client, secretariat).get(url())))
    more_indicators(selectors.PAGE_ROWS + 30 - plan)
    first = client.get(url())
    second = client.get(url(page=2))
    assert len(codes_of(first)) == selectors.PAGE_ROWS
    assert len(codes_of(second)) == 30
    assert not set(codes_of(first)) & set(codes_of(second))
    assert codes_of(first)[0] == CAMPAIGNS
    for response in (first, second):
        grid = response.context["matrix"]
        assert grid.rate.expected == (selectors.PAGE_ROWS + 30) * 9
        assert (grid.rate.reported, grid.rate.on_time) == (8, 6)
        assert [group.axis.number for group in grid.axis_rates] == [1, 2, 3, 4]
        assert rates_of(response)["HN"].reported == 5
    html = first.content.decode()
    assert f"Indicators 1 to {selectors.PAGE_ROWS} of {selectors.PAGE_ROWS + 30}" in html
    assert 'aria-label="Pages of the matrix"' in html
    assert "Page 1 of 2" in html and 'rel="next"' in html and 'rel="prev"' not in html


def test_a_single_page_shows_no_pager(client, values_2026):
    html = client.get(url()).content.decode()
    assert "Pages of the matrix" not in html and "Indicators 1 to" not in html


def test_pages_keep_the_filters_and_the_tabs_keep_period_and_state(client, secretariat):
    more_indicators(selectors.PAGE_ROWS + 5)
    response = signed_in(client, secretariat).get(url(period="2026", axis=2, state="nothing"))
    pages = response.context["pages"]
    assert pages["next"] == "?period=2026&state=nothing&axis=2&page=2"
    assert pages["last"] == pages["next"] and not pages["previous"] and not pages["first"]
    second = client.get(url(period="2026", axis=2, state="nothing", page=2))
    assert second.context["pages"]["first"] == "?period=2026&state=nothing&axis=2"
    tabs = response.context["axis_tabs"]
    assert [(axis and axis.number, current) for axis, _address, current in tabs] == [
        (None, False),
        (1, False),
        (2, True),
        (3, False),
        (4, False),
    ]
    assert tabs[0][1] == "?period=2026&state=nothing"
    assert tabs[3][1] == "?period=2026&state=nothing&axis=3"
    html = response.content.decode()
    assert 'aria-label="Axes of the matrix"' in html
    assert 'class="axis-2" aria-current="page">Axis 2:' in html


@pytest.mark.parametrize("asked, shown", [("99", 2), ("abc", 1), ("-1", 2), ("", 1)])
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_one(client, asked, shown):
    more_indicators(selectors.PAGE_ROWS + 5)
    response = client.get(url(page=asked))
    assert response.status_code == 200
    assert response.context["matrix"].page.number == shown


@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
def test_thousands_of_indicators_draw_one_page_in_the_same_queries(
    client, request, role, values_2026
):
    if role != "anonymous":
        signed_in(client, request.getfixturevalue(role))
    client.get(url())
    filtered = url(state="validated", page=3)
    before = queries_for(client, url()), queries_for(client, filtered)
    many = more_indicators(1500)
    period = Period.objects.get(code="2026")
    statuses = [Status.DRAFT, Status.VALIDATED]
    cells = [(i, c) for i in many[:400] for c in Country.objects.all()]
    Value.objects.bulk_create(
        Value(indicator=i, country=c, period=period, number=1, status=statuses[n % 2])
        for n, (i, c) in enumerate(cells)
    )
    after = queries_for(client, url()), queries_for(client, filtered)
    assert after == before
    assert len(codes_of(client.get(url(page=7)))) == selectors.PAGE_ROWS
    assert client.get(filtered).context["matrix"].page.number == 3


# --- Context indicators -------------------------------------------------------------------------


def test_context_indicators_show_only_when_reported_and_are_not_counted(
    client, secretariat, focal_hn
):
    quiet = Indicator.objects.create(code="TEST-CTX-1", order=300, name="Never reported")
    reported = Indicator.objects.create(code="TEST-CTX-2", order=301, name="Reported by HN")
    value = validate(secretariat, submit(focal_hn, save(focal_hn, "HN", reported.code, 4)))
    response = client.get(url())
    cells = grid_of(response)
    assert quiet.code not in {code for code, _country in cells}
    assert cells[reported.code, "HN"].value_id == value.pk
    grid = response.context["matrix"]
    assert grid.rate.reported == 0  # the context indicator's value is not an axis cell
    assert rates_of(response)["HN"].expected == sum(
        len(group.rows) for group in grid.groups if group.axis
    )


def test_a_regional_only_figure_shows_without_a_count_of_countries(client, secretariat):
    share = Indicator.objects.create(
        code="TEST-PCT-R", order=302, name="Share of women among victims", kind="percentage"
    )
    value = services.value_save(
        user=secretariat,
        indicator=share,
        country=None,
        period=Period.objects.get(code="2026"),
        number="30",
        path="form",
    )
    validate(secretariat, submit(secretariat, value))
    response = client.get(url())
    regional = row_of(response, share.code).regional
    assert (regional.cell.value_id, regional.cell.shown) == (value.pk, "30%")
    html = response.content.decode()
    row = html.split(share.code)[1].split("</tr>")[0]
    assert "reported for the region" in row and "30%" in row
    assert "of 9 countries" not in row


def test_without_any_period_the_page_says_so(client):
    Value.objects.all().delete()  # the document's figures, which have no audit trail to keep
    Period.objects.all().delete()
    response = client.get(url(period="2026"))
    assert response.status_code == 200
    assert "There is no reporting period yet." in response.content.decode()
