"""Dashboards: progress against targets, qualifications, narratives and Chart 3, from validated
values only, with small cells protected, regional totals summed, bounded queries, and no input
that can make them fail."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.matrix import selectors as dashboards
from monitoring.models import Narrative, Period, Qualification, Status, Target, Value
from strategy.models import Axis, Country, Goal, Indicator
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Chart 3 of the strategy, row by row in the document's order.
CHART_3 = [
    ("BZ", "9", "17", "4"),
    ("CR", "39", "30", "62"),
    ("SV", "72", "46", "124"),
    ("HN", "150", "85", "84"),
    ("GT", "316", "371", "434"),
    ("MX", "1,080", "706", "662"),
    ("NI", "12", "32", "8"),
    ("PA", "11", "54", "9"),
    ("DO", "102", "96", "195"),
]
CHART_3_TOTALS = ("1,791", "1,437", "1,582")


def cells(row_html: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def victims_table(html: str) -> tuple[list[list[str]], list[str]]:
    table = re.search(r'<table class="victims-table">(.*?)</table>', html, re.S).group(1)
    head = cells(re.search(r"<thead>(.*?)</thead>", table, re.S).group(1))
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = [cells(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    foot = re.search(r"<tfoot>(.*?)</tfoot>", table, re.S)
    return [head, *rows], cells(foot.group(1)) if foot else []


def value(code, country, period, number, status=Status.VALIDATED, **extra):
    return Value.objects.create(
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country) if country else None,
        period=Period.objects.get(code=period),
        number=number,
        status=status,
        **extra,
    )


def target(code, country, period, number):
    return Target.objects.create(
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country) if country else None,
        period=Period.objects.get(code=period),
        value=number,
    )


# --- Chart 3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chart_3_appears_on_the_dashboard_exactly_as_in_the_document(client, lang):
    response = client.get(f"/{lang}/monitoring/dashboard/")
    assert response.status_code == 200
    rows, totals = victims_table(response.content.decode())
    names = {c.code: c.name for c in Country.objects.all()}
    assert rows[0][1:] == ["2017", "2018", "2019"]
    assert rows[1:] == [[names[code], *figures] for code, *figures in CHART_3]
    assert totals[1:] == list(CHART_3_TOTALS)


def test_the_regional_chart_and_the_totals_chart_carry_the_same_figures(client):
    html = client.get("/en/monitoring/dashboard/").content.decode()
    for code, *figures in CHART_3:
        name = Country.objects.get(code=code).name
        for year, figure in zip(("2017", "2018", "2019"), figures, strict=True):
            assert f"<title>{name}, {year}: {figure}</title>" in html
    for total in CHART_3_TOTALS:
        assert f">{total}</text>" in html


def test_regional_totals_are_the_sums_of_the_countries_never_a_typed_figure(client):
    Value.objects.filter(
        indicator__code="identified-victims", country__code="BZ", period__code="2017"
    ).update(number=10)
    value("identified-victims", None, "2017", 5000)  # a regional figure typed in: ignored
    _rows, totals = victims_table(client.get("/en/monitoring/dashboard/").content.decode())
    assert totals[1:] == ["1,792", "1,437", "1,582"]
    assert "5,000" not in client.get("/en/monitoring/dashboard/").content.decode()


def test_a_country_dashboard_shows_its_own_series(client):
    html = client.get("/en/monitoring/dashboard/HN/").content.decode()
    rows, totals = victims_table(html)
    assert rows[1] == ["Honduras", "150", "85", "84"]
    assert totals == []  # one country: no regional total
    assert "Identified victims in Honduras" in html


def test_values_not_yet_validated_stay_off_the_dashboards(client):
    value("identified-victims", "HN", "2026", 777, status=Status.SUBMITTED)
    for path in ("/en/monitoring/dashboard/", "/en/monitoring/dashboard/HN/?period=2026"):
        html = client.get(path).content.decode()
        assert "777" not in html
        assert ">2026</th>" not in html


# --- Progress against targets ----------------------------------------------------------------


@pytest.fixture
def targets_2025():
    target("SEN-1.1.1-a", "HN", "2025", 2)
    value("SEN-1.1.1-a", "HN", "2025", 2)  # on track
    target("SEN-1.2.1-a", "HN", "2025", 10)
    value("SEN-1.2.1-a", "HN", "2025", 5)  # behind
    target("TRA-1.1.1-a", "HN", "2025", 10)
    value("TRA-1.1.1-a", "HN", "2025", 10, status=Status.SUBMITTED)  # not validated: missing
    target("TRA-1.1.1-b", "SV", "2025", 4)
    value("TRA-1.1.1-b", "SV", "2025", 9)  # ahead
    target("DIS-1.1.1-a", None, "2025", 20)  # regional count: HN 12 + SV 8
    value("DIS-1.1.1-a", "HN", "2025", 12)
    value("DIS-1.1.1-a", "SV", "2025", 8)
    value("DIS-1.1.1-a", None, "2025", 1)  # a typed regional figure never answers a count
    target("DET-1.4.1-a", None, "2025", 1)  # regional yes/no: the region's own answer
    value("DET-1.4.1-a", None, "2025", 1)
    target("TRA-2.1.2-a", "HN", "2025", 1)  # a text indicator: nothing to reach, left out
    return Period.objects.get(code="2025")


def test_each_target_is_classified_with_the_tracking_band(targets_2025):
    codes = dict(Country.objects.values_list("pk", "code"))
    states = {
        (c.target.indicator.code, codes.get(c.target.country_id)): c.state
        for c in dashboards.target_checks(targets_2025)
    }
    assert states == {
        ("SEN-1.1.1-a", "HN"): "on_track",
        ("SEN-1.2.1-a", "HN"): "behind",
        ("TRA-1.1.1-a", "HN"): "missing",
        ("TRA-1.1.1-b", "SV"): "ahead",
        ("DIS-1.1.1-a", None): "on_track",
        ("DET-1.4.1-a", None): "on_track",
    }


def test_the_band_follows_the_setting(targets_2025, settings):
    settings.TRACKING_BAND = 0.6  # 5 of 10 is within ±60%
    states = {c.target.indicator.code: c.state for c in dashboards.target_checks(targets_2025)}
    assert states["SEN-1.2.1-a"] == "on_track"


def test_progress_per_axis_and_per_country(targets_2025):
    checks = dashboards.target_checks(targets_2025)
    axes = list(Axis.objects.current())
    by_axis = {p.obj.number: (p.met, p.total) for p in dashboards.progress_by_axis(checks, axes)}
    assert by_axis == {1: (1, 2), 2: (1, 2), 3: (1, 1), 4: (1, 1)}
    countries = dashboards.in_chart_order(Country.objects.all())
    by_country = {
        (p.obj.code if p.obj else None): (p.met, p.total)
        for p in dashboards.progress_by_country(checks, countries)
    }
    assert by_country["HN"] == (1, 3)
    assert by_country["SV"] == (1, 1)
    assert by_country["GT"] == (0, 0)
    assert by_country[None] == (2, 2)


def test_the_dashboards_show_progress_for_the_chosen_period(client, targets_2025):
    html = client.get("/en/monitoring/dashboard/?period=2025").content.decode()
    assert "Progress against targets, 2025" in html
    assert "1 of 3 on track or ahead" in html  # Honduras
    assert "2 of 2 on track or ahead" in html  # the region
    country = client.get("/en/monitoring/dashboard/HN/?period=2025").content.decode()
    assert "1 of 3 on track or ahead" not in country  # per axis there
    assert "5 (target 10)" in country and "— (target 10)" in country
    assert "TRA-2.1.2-a" not in country


def test_a_period_without_targets_or_qualifications_says_so(client):
    html = client.get("/en/monitoring/dashboard/?period=2026").content.decode()
    assert "No targets recorded for this period." in html
    assert "The secretariat has not qualified the axes for this period yet." in html
    assert "rating-none" not in html


def test_the_default_period_is_the_latest_with_data(client):
    assert ">2019</option>" in client.get("/en/monitoring/dashboard/").content.decode()
    assert 'value="2019" selected' in client.get("/en/monitoring/dashboard/").content.decode()
    target("SEN-1.1.1-a", "HN", "2025", 2)
    assert 'value="2025" selected' in client.get("/en/monitoring/dashboard/").content.decode()


# --- Qualifications and narratives -----------------------------------------------------------


@pytest.fixture
def qualified(secretariat):
    period = Period.objects.get(code="2025")
    axis = Axis.objects.get(number=1)
    honduras, salvador = Country.objects.get(code="HN"), Country.objects.get(code="SV")
    Qualification.objects.create(
        axis=axis,
        period=period,
        rating=Qualification.Rating.AT_RISK,
        reason="Two campaigns of three; the third waits for funds.",
        updated_by=secretariat,
    )
    Qualification.objects.create(
        axis=axis,
        period=period,
        country=honduras,
        rating=Qualification.Rating.OFF_TRACK,
        reason="No campaign started in Honduras.",
        updated_by=secretariat,
    )
    Narrative.objects.create(
        country=honduras,
        period=period,
        progress="Trained 300 border officials.",
        obstacles="Budget cut in June.",
        adjustments="Move the second workshop to 2026.",
        status=Status.VALIDATED,
    )
    Narrative.objects.create(
        country=salvador, period=period, progress="A draft nobody validated.", status="submitted"
    )
    return period


def test_the_regional_dashboard_shows_qualifications_and_validated_narratives(client, qualified):
    html = client.get("/en/monitoring/dashboard/?period=2025").content.decode()
    assert "rating-at_risk" in html and "Two campaigns of three" in html
    assert "rating-off_track" in html  # Honduras in the grid, its reason on its own dashboard
    assert "No campaign started in Honduras." not in html
    assert "Trained 300 border officials." in html and "Move the second workshop" in html
    assert "A draft nobody validated." not in html


def test_a_country_dashboard_shows_its_qualification_reason_and_narrative(client, qualified):
    html = client.get("/en/monitoring/dashboard/HN/?period=2025").content.decode()
    assert "No campaign started in Honduras." in html and "rating-at_risk" in html
    assert "Budget cut in June." in html
    salvador = client.get("/en/monitoring/dashboard/SV/?period=2025").content.decode()
    assert "A draft nobody validated." not in salvador
    assert "No account validated for this period yet." in salvador


# --- Small cells -----------------------------------------------------------------------------


@pytest.fixture
def small_cell():
    Value.objects.filter(
        indicator__code="identified-victims", country__code="HN", period__code="2019"
    ).update(disaggregation={"sex": {"women": 50, "men": 31, "other": 3}})


SMALL = "Other sex or gender: <strong>&lt;5</strong>"
SHOWN = "Other sex or gender: <strong>3</strong>"


def test_small_cells_are_protected_on_the_country_dashboard(
    client, small_cell, observer, focal_sv, focal_hn, secretariat
):
    path = "/en/monitoring/dashboard/HN/?period=2019"
    assert SMALL in client.get(path).content.decode()
    for user in (observer, focal_sv):
        assert SMALL in signed_in(client, user).get(path).content.decode()
    for user in (focal_hn, secretariat):
        html = signed_in(client, user).get(path).content.decode()
        assert SHOWN in html and SMALL not in html


def test_the_regional_breakdown_is_summed_from_the_countries_and_protected(
    client, small_cell, focal_hn, secretariat
):
    path = "/en/monitoring/dashboard/?period=2019"
    html = client.get(path).content.decode()
    assert SMALL in html
    assert "Not specified: <strong>1,498</strong>" in html  # 1,582 − 84 not broken down
    assert SMALL in signed_in(client, focal_hn).get(path).content.decode()  # regional: not theirs
    assert SHOWN in signed_in(client, secretariat).get(path).content.decode()


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "period=nonsense",
        "period=%00",
        "period=<script>",
        "period=2019&period=zz",
        "period=" + "9" * 5000,
    ],
)
def test_a_period_that_does_not_exist_gets_a_message_beside_the_field(client, query):
    response = client.get(f"/en/monitoring/dashboard/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no such reporting period: choose one from the list." in html
    assert 'aria-invalid="true"' in html
    assert "<script>" not in html
    rows, _totals = victims_table(html)  # the page itself is still there
    assert len(rows) == 10


@pytest.mark.parametrize("query", ["", "period=", "other=1", "period=2019"])
def test_a_missing_or_valid_period_is_no_error(client, query):
    assert client.get(f"/en/monitoring/dashboard/HN/?{query}").status_code == 200


@pytest.mark.parametrize("code", ["ZZ", "%00", "x" * 300, "H"])
def test_an_unknown_country_is_not_found(client, code):
    assert client.get(f"/en/monitoring/dashboard/{code}/").status_code == 404


def test_a_lowercase_country_code_is_accepted(client):
    assert client.get("/en/monitoring/dashboard/hn/").status_code == 200


def test_the_pages_pass_the_content_security_policy(client):
    for path in ("/es/monitoring/dashboard/", "/es/monitoring/dashboard/GT/"):
        html = client.get(path).content.decode()
        assert "style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


# --- Bounded queries -------------------------------------------------------------------------


def grow_the_data():
    """Many more indicators, targets, values, qualifications, narratives and years of victims."""
    goal = Goal.objects.first()
    countries = list(Country.objects.all())
    period = Period.objects.get(code="2025")
    indicators = Indicator.objects.bulk_create(
        Indicator(goal=goal, code=f"X-{i}", order=500 + i, name=f"Extra {i}", kind="count")
        for i in range(40)
    )
    Target.objects.bulk_create(
        Target(indicator=i, country=c, period=period, value=10)
        for i in indicators
        for c in [*countries, None]
    )
    Value.objects.bulk_create(
        Value(
            indicator=i,
            country=c,
            period=period,
            number=7,
            status=Status.VALIDATED,
            disaggregation={"sex": {"women": 4, "men": 3}},
        )
        for i in indicators
        for c in countries
    )
    victims = Indicator.objects.get(code="identified-victims")
    Value.objects.bulk_create(
        Value(indicator=victims, country=c, period=p, number=20, status=Status.VALIDATED)
        for p in Period.objects.filter(code__in=["2020", "2021", "2022", "2023", "2024", "2025"])
        for c in countries
    )
    Qualification.objects.bulk_create(
        Qualification(axis=a, period=period, country=c, rating="on_track", reason="fine")
        for a in Axis.objects.all()
        for c in [*countries, None]
    )
    Narrative.objects.bulk_create(
        Narrative(country=c, period=period, progress="ok", status=Status.VALIDATED)
        for c in countries
    )


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "path, grown, breakdowns",
    [
        ("/en/monitoring/dashboard/?period=2025", "40 of 40 on track or ahead", 0),  # the region
        # once the country's values have breakdowns, one query reads the validated values of the
        # same indicators in every country, which the disclosure pattern is made of (a constant)
        ("/en/monitoring/dashboard/HN/?period=2025", "X-39", 1),
    ],
)
def test_queries_do_not_grow_with_the_data(
    client, path, grown, breakdowns, django_assert_max_num_queries
):
    before = count_queries(client, path)
    grow_the_data()
    with django_assert_max_num_queries(before + breakdowns):
        html = client.get(path).content.decode()
    assert grown in html  # the new rows are on the page
    assert before <= 12


def test_queries_stay_bounded_for_a_signed_in_secretariat(client, secretariat):
    signed_in(client, secretariat)
    client.get("/es/")  # a first page also asks, once, whether demonstration figures exist
    client.get("/es/monitoring/dashboard/?period=2025")  # and reads the plan's axes into the cache
    before = count_queries(client, "/es/monitoring/dashboard/?period=2025")
    grow_the_data()
    assert count_queries(client, "/es/monitoring/dashboard/?period=2025") == before


# A breakdown as templates/monitoring/dashboard/_breakdown.html wrote it before the dashboards'
# breakdowns were written in Python (monitoring.values.formatting.breakdown_list, issue 13).
OLD_BREAKDOWN = """{% load i18n %}<dl class="breakdown">{% for dimension, cells in rows %}
  <div><dt>{{ dimension }}</dt><dd>{% for label, count in cells %}<span class="cell">{{ label }}: <strong>{{ count }}</strong></span>{% endfor %}</dd></div>
{% endfor %}</dl>
"""  # noqa: E501


@pytest.mark.parametrize("lang", ["es", "en"])
def test_breakdowns_say_what_the_template_said(lang):
    from django.template import engines
    from django.utils import translation

    from monitoring.values.formatting import breakdown_list, breakdown_rows

    breakdown = {
        "sex": {"women": 1234, "men": "<5", "not_specified": 0},
        "age": {"children": 3, "adults": 12},
        "<unknown & kept>": {"<x>": 2},
    }
    template = engines["django"].from_string(OLD_BREAKDOWN)
    with translation.override(lang):
        rows = breakdown_rows(breakdown)
        assert breakdown_list(rows) == template.render({"rows": rows})
    assert breakdown_list([]) == ""
