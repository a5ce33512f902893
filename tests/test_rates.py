"""Identified victims per 100,000 inhabitants (monitoring.populations.rates): computed from the
validated figures of Chart 3 (fixtures/monitoring/01_identified_victims.yaml) and the seeded
populations (fixtures/monitoring/04_populations.yaml, World Bank SP.POP.TOTL), never stored."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monitoring.matrix import selectors
from monitoring.models import Period, Population, ReportRequest, Value
from monitoring.populations.rates import group_rates, per_100k, victim_rates
from monitoring.reports import content
from monitoring.values.breakdowns import value_breakdown
from monitoring.values.formatting import rate_text
from strategy.models import Country
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Chart 3's figures and the seeded populations, added up by hand (the region's rate is the sum of
# the victims over the sum of the same countries' populations):
#   2017: 9 + 39 + 72 + 316 + 150 + 1,080 + 12 + 11 + 102 = 1,791 victims;
#         373,202 + 4,913,177 + 6,213,533 + 16,567,357 + 9,588,137 + 123,400,057 + 6,316,231
#         + 4,098,707 + 10,666,843 = 182,137,244 inhabitants → 179,100,000 / 182,137,244 = 0.983…
#   2018: 1,437 victims; 184,092,450 inhabitants → 0.780…
#   2019: 1,582 victims; 186,030,518 inhabitants → 0.850 4… (rounded half up: 0.9)
REGION = {
    "2017": (1791, 182_137_244, Decimal("1.0")),
    "2018": (1437, 184_092_450, Decimal("0.8")),
    "2019": (1582, 186_030_518, Decimal("0.9")),
}
# Honduras 2019: 84 victims, 9,943,633 inhabitants → 8,400,000 / 9,943,633 = 0.844 7… → 0.8
HONDURAS_2019 = (Decimal(84), 9_943_633, Decimal("0.8"))


def chart_3():
    countries = selectors.in_chart_order(Country.objects.all())
    return selectors.victims_series(countries)


def test_honduras_2019_against_the_hand_computed_rate():
    series = chart_3()
    rates = victim_rates(series.periods, series.rows)
    column = [p.code for p in rates.periods].index("2019")
    honduras = dict(rates.rows)[Country.objects.get(code="HN")][column]
    assert (honduras.victims, honduras.population, honduras.value) == HONDURAS_2019
    assert honduras.text == "0.8"
    assert per_100k(84, 9_943_633) == Decimal("0.8")


def test_the_region_2017_to_2019_is_the_sum_of_victims_over_the_sum_of_populations():
    series = chart_3()
    rates = victim_rates(series.periods, series.rows)
    for period, total in zip(rates.periods, rates.totals, strict=True):
        if period.code in REGION:
            victims, population, rate = REGION[period.code]
            assert (total.victims, total.population, total.value) == (victims, population, rate)
    assert [t.text for p, t in zip(rates.periods, rates.totals, strict=True)][:3] == [
        "1.0",
        "0.8",
        "0.9",
    ]


def test_rates_are_worked_out_in_one_query():
    series = chart_3()
    with CaptureQueriesContext(connection) as queries:
        rates = victim_rates(series.periods, series.rows)
    assert len(queries) == 1
    Population.objects.create(
        country=Country.objects.get(code="HN"),
        year=2020,
        total=10_000_000,
        source="x",
        source_date="2026-01-01",
    )
    with CaptureQueriesContext(connection) as queries:
        victim_rates(series.periods, series.rows)
    assert len(queries) == 1
    assert rates.sources and all(s.to_be_verified for s in rates.sources)


def test_no_population_no_rate_and_the_region_says_which_country_is_missing():
    Population.objects.filter(country__code="HN", year=2019).delete()
    series = chart_3()
    with translation.override("en"):
        rates = victim_rates(series.periods, series.rows)
        column = [p.code for p in rates.periods].index("2019")
        honduras = dict(rates.rows)[Country.objects.get(code="HN")][column]
        assert honduras.value is None and honduras.text == "—"
        assert honduras.note == "no population recorded"
        region = rates.totals[column]
        assert region.value is None
        assert region.note == "no population recorded for Honduras"
        assert rates.totals[column - 1].text == "0.8"  # 2018 is complete
    with translation.override("es"):
        assert honduras.note == "sin población registrada"
        assert "Honduras" in victim_rates(series.periods, series.rows).totals[column].note


def test_no_rate_for_a_year_without_victims():
    assert per_100k(None, 100) is None
    assert per_100k(5, None) is None
    assert per_100k(5, 0) is None


@pytest.mark.parametrize("lang", ["es", "en"])
def test_rates_read_with_one_decimal_in_both_languages(lang):
    with translation.override(lang):
        assert rate_text(Decimal("0.8")) == "0.8"
        assert rate_text(Decimal("1")) == "1.0"
        assert rate_text(Decimal("1234.56")) == "1,234.6"
        assert rate_text(None) == "—"


@pytest.mark.parametrize(
    "lang, heading, missing",
    [
        ("es", "Por cada 100,000 habitantes", "sin población registrada"),
        ("en", "Per 100,000 inhabitants", "no population recorded"),
    ],
)
def test_the_country_page_shows_the_rate_beside_the_count_with_its_source(
    client, lang, heading, missing, django_assert_max_num_queries
):
    html = client.get(f"/{lang}/countries/HN/").content.decode()
    assert heading in html
    assert '<td class="num">84</td><td class="num">0.8</td>' in html
    assert "SP.POP.TOTL" in html  # the denominator's source
    Population.objects.filter(country__code="HN", year=2019).delete()
    html = client.get(f"/{lang}/countries/HN/").content.decode()
    assert missing in html


def test_the_dashboards_show_the_rates_and_the_region(client):
    html = client.get("/en/monitoring/dashboard/?period=2019").content.decode()
    assert "Identified victims per 100,000 inhabitants" in html
    assert "sum of the victims ÷ sum of the populations" in html
    region = html.split("sum of the victims ÷ sum of the populations")[1].split("</tr>")[0]
    assert ">1.0<" in region and ">0.8<" in region and ">0.9<" in region
    country = client.get("/es/monitoring/dashboard/HN/?period=2019").content.decode()
    assert "Víctimas identificadas por cada 100,000 habitantes" in country
    assert ">0.8<" in country


@pytest.fixture
def honduras_by_sex():
    """Honduras's 2019 figure broken down by sex (3 women: a small cell) and its population."""
    Value.objects.filter(
        indicator__code="identified-victims", country__code="HN", period__code="2019"
    ).update(disaggregation={"sex": {"women": 3, "men": 81}})
    Population.objects.filter(country__code="HN", year=2019).update(women=5_000_000, men=4_943_633)
    return Value.objects.select_related("country").get(
        indicator__code="identified-victims", country__code="HN", period__code="2019"
    )


def test_no_rate_from_a_cell_the_reader_sees_suppressed(honduras_by_sex, observer, secretariat):
    population = Population.objects.get(country__code="HN", year=2019)
    seen = value_breakdown(honduras_by_sex, observer)
    assert not isinstance(seen["sex"]["women"], int)  # "<5" for the observer
    with translation.override("en"):
        rates = {g.category: g for g in group_rates(seen, population)}
        assert rates["women"].rate.value is None
        assert rates["women"].count == "<5"
        assert "withheld" in rates["women"].rate.note
        for group in rates.values():  # whatever the complement, no rate from a hidden cell
            assert (group.rate.value is None) == (not group.count[:1].isdigit())
    full = {
        g.category: g
        for g in group_rates(value_breakdown(honduras_by_sex, secretariat), population)
    }
    assert full["women"].rate.value == Decimal("0.1")  # 300,000 / 5,000,000 = 0.06 → 0.1
    assert full["men"].rate.value == Decimal("1.6")  # 8,100,000 / 4,943,633 = 1.638…


def test_the_country_dashboard_gives_no_rate_from_a_suppressed_cell(
    client, honduras_by_sex, observer, secretariat
):
    path = "/en/monitoring/dashboard/HN/?period=2019"
    html = signed_in(client, observer).get(path).content.decode()
    assert "the count is withheld to protect small numbers" in html
    assert ">0.1<" not in html
    html = signed_in(client, secretariat).get(path).content.decode()
    assert ">0.1<" in html and ">1.6<" in html


def test_the_pdf_reports_carry_the_rates():
    for country, expected in (("HN", "0.8"), (None, "0.9")):
        report = ReportRequest(
            country=Country.objects.get(code=country) if country else None,
            period=Period.objects.get(code="2019"),
            language="en",
        )
        with translation.override("en"):
            context = content.report_context(report, as_of=None)
        rates = context["rates"]
        last = rates.rows[0][1][-1] if country else rates.totals[-1]
        assert rates.periods[-1].code == "2019"
        assert last.text == expected
