"""The directory's public pages: complaint lines of every country first, filters (accents do not
matter), the printable variant, exports that cannot run formulas, an actor's page, contact persons
for signed-in users only, the way from the home page to each country's help, and bounded
queries."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from referrals.models import Actor, ContactPerson, Hotline
from strategy.models import Country
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Rosa Contacto Privado"
CONTACT_PHONE = "+504 9999-1234"


@pytest.fixture
def contact():
    actor = Actor.objects.get(country__code="HN", is_governing_body=True)
    return ContactPerson.objects.create(
        actor=actor,
        name=CONTACT_NAME,
        position_es="Enlace técnico",
        phone=CONTACT_PHONE,
        email="enlace@example.org",
    )


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_directory_shows_every_countrys_complaint_lines_first(client, lang):
    page = html(client.get(f"/{lang}/directory/"))
    lines = page.index('id="lines-title"')
    assert lines < page.index('id="actors-title"')
    for country in Country.objects.all():
        assert f'id="lines-{country.code}"' in page
    assert 'href="tel:145"' in page and "800 5533 000" in page
    salvador = page[page.index('id="lines-SV"') :]
    salvador = salvador[: salvador.index("</li>")]
    assert "tel:" not in salvador  # none recorded: said so, no number made up


def test_a_country_without_a_line_says_none_is_recorded_yet(client):
    page = html(client.get("/en/directory/"))
    salvador = page[page.index('id="lines-SV"') :]
    assert "No complaint line recorded yet." in salvador[: salvador.index("</li>")]


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ("country=HN", ["DINAF", "CICESCT"], ["CONATT", "CORETT"]),
        ("country=regional", ["CORETT"], ["CICESCT"]),
        ("sector=international", ["CORETT", "UNODC"], ["CICESCT"]),
        ("role=identification", ["ERI"], ["CICESCT"]),
        ("population=children", ["DINAF"], ["CONATT"]),
        ("q=ninez", ["DINAF"], ["CONATT"]),
        ("q=Niñez", ["DINAF"], ["CONATT"]),
        ("q=migracion&country=CR", ["DGME"], ["ERI"]),
    ],
)
def test_filters(client, query, present, absent):
    page = html(client.get(f"/es/directory/?{query}"))
    results = page[page.index('id="actors-title"') :]
    for text in present:
        assert f'<span class="tag">{text}</span>' in results, text
    for text in absent:
        assert f'<span class="tag">{text}</span>' not in results, text


def test_an_unknown_filter_value_is_a_message_not_an_error(client):
    response = client.get("/en/directory/?country=ZZ&role=flying")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_printable_directory(client):
    page = html(client.get("/en/directory/print/?country=HN"))
    assert re.search(r"/static/css/referrals\.[0-9a-f]{12}\.css", page)  # hashed: cached for good
    assert "145" in page and "3399-4699" in page
    assert "Directorate of Children, Adolescents and Family" in page and "DINAF" in page
    assert "Interinstitutional Commission against Commercial Sexual Exploitation" in page
    assert "CONATT" not in page  # filtered to Honduras


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_exports_cannot_run_formulas(client):
    Actor.objects.create(
        name_es='=HYPERLINK("http://x","y")', sector="media", services_es="+1 ayuda", phone="-12"
    )
    rows = csv_rows(client.get("/es/directory/export.csv?sector=media"))
    header, row = rows[0], rows[1]
    assert row[header.index("name_es")] == '\'=HYPERLINK("http://x","y")'
    assert row[header.index("services_es")] == "'+1 ayuda"
    assert row[header.index("phone")] == "'-12"
    workbook = load_workbook(
        io.BytesIO(client.get("/es/directory/export.xlsx?sector=media").content)
    )
    sheet = workbook.active
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://x","y")' in values
    assert all(
        not (isinstance(v, str) and v.startswith("="))
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )


def test_exports_follow_the_filters(client):
    rows = csv_rows(client.get("/es/directory/export.csv?country=HN"))
    countries = {row[rows[0].index("country")] for row in rows[1:]}
    assert countries == {"HN"}


def test_actor_page(client):
    actor = Actor.objects.get(acronym_es="CICESCT")
    page = html(client.get(f"/en/directory/actors/{actor.pk}/"))
    assert "National governing body" in page
    assert 'href="tel:145"' in page  # the line it runs
    assert "/en/directory/routes/HN/" in page  # where it acts in the route
    assert "Not verified yet" in page


def test_a_stale_entry_is_flagged(client):
    actor = Actor.objects.get(acronym_es="CICESCT")
    actor.verified_at = timezone.now() - datetime.timedelta(days=400)
    actor.to_be_verified = False
    actor.save()
    assert "Not verified in the last 12 months." in html(
        client.get(f"/en/directory/actors/{actor.pk}/")
    )
    assert "not verified in the last 12 months" in html(client.get("/en/directory/?country=HN"))


def test_contact_persons_for_signed_in_users_only(client, contact, observer):
    url = f"/en/directory/actors/{contact.actor_id}/"
    anonymous = html(client.get(url))
    assert CONTACT_NAME not in anonymous and CONTACT_PHONE not in anonymous
    assert "shown to signed-in users only" in anonymous
    page = html(signed_in(client, observer).get(url))
    assert CONTACT_NAME in page and CONTACT_PHONE in page


def test_no_anonymous_page_or_answer_shows_a_contact_person(client, contact):
    actor = contact.actor_id
    urls = [
        "/es/directory/",
        "/es/directory/?q=CICESCT",
        "/es/directory/print/",
        "/es/directory/export.csv",
        f"/es/directory/actors/{actor}/",
        "/es/directory/routes/HN/",
        "/es/directory/routes/regional/",
        "/es/directory/detection/?country=HN&indicator=1",
        "/es/countries/HN/",
        "/api/v1/actors/",
        f"/api/v1/actors/{actor}/",
        "/api/v1/routes/?country=HN",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert CONTACT_NAME not in body and CONTACT_PHONE not in body, url
        assert "enlace@example.org" not in body, url
    xlsx = client.get("/es/directory/export.xlsx").content
    cells = [
        v for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True) for v in row
    ]
    assert CONTACT_NAME not in cells and CONTACT_PHONE not in cells


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("code", ["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"])
def test_governing_body_and_complaint_line_two_clicks_from_home(client, lang, code):
    home = html(client.get(f"/{lang}/"))
    link = f"/{lang}/countries/{code}/#help"
    assert f'href="{link}"' in home  # click 1
    page = html(client.get(link.split("#")[0]))  # the country page: everything is there
    country = Country.objects.select_related("governing_body").get(code=code)
    body = country.governing_body
    assert (body.name_es if lang == "es" else body.name_en) in page
    help_box = page[page.index('id="help"') :]
    help_box = help_box[: help_box.index("</section>")]
    lines = Hotline.objects.filter(country=country)
    for line in lines:
        assert (line.number or line.web_form) in help_box
    if not lines:
        assert 'class="muted"' in help_box
    assert f"/{lang}/directory/routes/{code}/" in help_box  # its route, one more click


def test_main_navigation_leads_to_the_directory(client):
    assert 'href="/es/directory/"' in html(client.get("/es/glossary/"))


def test_index_queries_do_not_grow_with_the_directory(client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        html(client.get("/es/directory/"))
    honduras = Country.objects.get(code="HN")
    for number in range(60):
        Actor.objects.create(
            name_es=f"Organización {number}",
            sector="civil_society",
            country=honduras,
            roles=["assistance"],
        )
        Hotline.objects.create(country=honduras, number=f"555-{number:04}")
    with django_assert_max_num_queries(len(few)):
        html(client.get("/es/directory/"))
    with django_assert_max_num_queries(len(few)):
        html(client.get("/es/directory/print/"))


def test_pages_have_no_inline_style_or_script(client):
    for url in ["/es/directory/", "/es/directory/routes/regional/", "/es/directory/detection/"]:
        page = html(client.get(url))
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
