"""Every public page answers in both languages, with the document's content, in bounded queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Period, Value
from strategy.models import Country, GlossaryTerm, Indicator, Instrument, Ratification

pytestmark = pytest.mark.django_db

PAGES = [
    # path, Spanish text expected, English text expected
    ("", "Sensibilización", "Sensitization"),
    ("strategy/", "Principios", "Principles"),
    ("axes/sensitization/", "Matriz operativa", "Operative matrix"),
    ("axes/training/", "Capacitación", "Training"),
    ("axes/dissemination/", "Difusión", "Dissemination"),
    ("axes/detection-referral/", "Detección", "Detection"),
    ("countries/", "Países miembros", "Member countries"),
    ("countries/HN/", "Víctimas identificadas", "Identified victims"),
    ("normative-framework/", "Marco normativo", "Normative framework"),
    ("conceptual-framework/", "Tráfico ilícito de migrantes", "Smuggling of migrants"),
    ("glossary/", "Glosario", "Glossary"),
    ("small-figures/", "Qué significan los signos", "What the signs mean"),
]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("path, spanish, english", PAGES)
def test_public_page_in_each_language(client, lang, path, spanish, english):
    response = client.get(f"/{lang}/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert (spanish if lang == "es" else english) in html
    other = "en" if lang == "es" else "es"
    assert f'hreflang="{other}"' in html  # the language switch


def test_root_follows_the_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-HN")["Location"] == "/es/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/es/"


def test_language_switch_keeps_the_page(client):
    html = client.get("/es/countries/HN/").content.decode()
    assert 'href="/en/countries/HN/"' in html


def test_home_shows_the_general_objective_and_the_regional_victims_chart(client):
    html = client.get("/es/").content.decode()
    assert "Fortalecer y articular" in html
    assert "<svg" in html and "1,791" in html  # 2017 regional total, grouped as in the region


def test_country_page_shows_its_series_ratifications_and_instruments(client):
    html = client.get("/en/countries/GT/").content.decode()
    for figure in ("316", "371", "434"):
        assert figure in html
    assert "Convention on the Rights of the Child" in html
    assert "SVET" in html


def test_axis_page_lists_activities_goals_and_indicators(client):
    text = re.sub(r"<[^>]+>", " ", client.get("/en/axes/sensitization/").content.decode())
    for code in (
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "1.1.1",
        "1.2.1",
        "2.1.1",
        "2.1.2",
        "2.1.3",
        "SEN-2.1.1-b",
    ):
        assert re.search(rf"(?<![\d.]){re.escape(code)}(?![\d.])", text), code
    assert "CORETT" in text and "2019-2027" in text


def test_ratification_chart_filters_by_country_and_type(client):
    html = client.get(
        "/en/normative-framework/?country=BZ&country=MX&kind=protocol"
    ).content.decode()
    grid = html[html.index('<table class="grid">') :]
    headers = re.findall(r'<th scope="col"><abbr title="[^"]+">(\w\w)</abbr>', grid)
    assert sorted(headers) == ["BZ", "MX"]
    rows = re.findall(r'<span class="instrument-name">', grid)
    assert len(rows) == Instrument.objects.filter(kind="protocol").count()


def test_ratification_chart_marks_doubtful_cells_with_their_note(client):
    html = client.get("/en/normative-framework/?kind=covenant").content.decode()
    assert (
        html.count('class="doubtful"')
        == Ratification.objects.filter(doubtful=True, instrument__kind="covenant").count()
        > 0
    )
    assert "another column order" in client.get("/en/countries/MX/").content.decode()


def test_ratification_chart_ignores_bad_filters_with_a_message(client):
    response = client.get("/en/normative-framework/?country=ZZ&kind=<script>")
    assert response.status_code == 200
    assert "were not valid" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_glossary_search_in_each_language(client):
    es = client.get("/es/glossary/", {"q": "migración"}).content.decode()
    en = client.get("/en/glossary/", {"q": "migration"}).content.decode()
    assert "Migración irregular" in es
    assert "Irregular migration" in en
    assert "No term matches" in client.get("/en/glossary/", {"q": "zzzz"}).content.decode()


@pytest.mark.parametrize(
    "path", ["/es/countries/XX/", "/en/axes/no-such-axis/", "/es/nothing-here/"]
)
def test_unknown_pages_answer_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "CORETT" in response.content.decode()


def test_pages_carry_a_content_security_policy_and_no_inline_script(client):
    response = client.get("/es/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"


def _grow_the_data():
    """Adds rows to every table the pages read, to show query counts do not grow with them."""
    countries = Country.objects.all()
    extra = Instrument.objects.bulk_create(
        Instrument(
            order=1000 + i,
            short_name=f"Extra {i}",
            name=f"Extra instrument {i}",
            kind="convention",
            system="un",
            year=2000,
        )
        for i in range(10)
    )
    Ratification.objects.bulk_create(
        Ratification(instrument=i, country=c) for i in extra for c in countries
    )
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(slug=f"extra-{i}", term=f"Extra {i}", definition="…") for i in range(30)
    )
    period = Period.objects.create(
        code="2030",
        starts_on="2030-01-01",
        ends_on="2030-12-31",
        opens_on="2030-01-01",
        closes_on="2031-03-31",
    )
    victims = Indicator.objects.get(code="identified-victims")
    Value.objects.bulk_create(
        Value(indicator=victims, country=c, period=period, number=1, status="validated")
        for c in countries
    )


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", [f"/es/{p}" for p, _es, _en in PAGES])
def test_queries_do_not_grow_with_the_data(client, path):
    before = _queries(client, path)
    _grow_the_data()
    after = _queries(client, path)
    assert after == before
    assert after <= 12
