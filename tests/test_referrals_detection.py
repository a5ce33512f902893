"""The detection aid: tick what is observed, pick a country, get the route, the complaint lines
and the institutions. It stores nothing and sends nothing, and says so; it has no field where a
person's details could be written."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.models import DetectionIndicator

pytestmark = pytest.mark.django_db


def indicator_ids(category: str) -> list[int]:
    return list(
        DetectionIndicator.objects.filter(category=category).values_list("pk", flat=True)[:2]
    )


def test_the_page_says_it_stores_and_sends_nothing(client):
    page = client.get("/en/directory/detection/").content.decode()
    assert "This page stores nothing and sends nothing." in page
    for category in DetectionIndicator.Category:
        assert str(category.label).capitalize() in page or category.label in page


def test_the_form_has_no_place_for_a_persons_details(client):
    page = client.get("/es/directory/detection/").content.decode()
    form = page[page.index('<form method="get" class="ref-detection"') :]
    form = form[: form.index("</form>")]
    assert "<textarea" not in form
    inputs = re.findall(r'<input[^>]*type="([a-z]+)"', form)
    assert set(inputs) == {"checkbox"}
    assert 'method="post"' not in form


def test_ticks_and_a_country_give_the_route_lines_and_institutions(client):
    query = "&".join(
        f"indicator={pk}" for pk in indicator_ids("children") + indicator_ids("general")
    )
    page = client.get(f"/en/directory/detection/?country=HN&{query}").content.decode()
    assert "What to do in Honduras" in page
    assert "You ticked 4 signs." in page
    assert "child protection authority must be informed" in page
    assert 'href="tel:145"' in page
    assert "/en/directory/routes/HN/" in page and "/en/directory/routes/regional/" in page
    actors = page[page.index('class="ref-result-actors"') :]
    actors = actors[: actors.index("</ul>")]
    assert actors.index("DINAF") < actors.index("CICESCT")  # children first if children involved


def test_a_country_without_a_line_still_gets_its_route(client):
    page = client.get("/en/directory/detection/?country=SV").content.decode()
    assert "No complaint line is recorded yet for El Salvador" in page
    assert "/en/directory/routes/SV/" in page


def test_nothing_is_written_no_cookie_is_set_and_the_address_stays_private(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            f"/es/directory/detection/?country=GT&indicator={indicator_ids('labour')[0]}"
        )
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "query", ["country=XX", "country=HN&indicator=abc", "country=HN&indicator=99999"]
)
def test_bad_input_is_a_message_not_an_error(client, query):
    response = client.get(f"/en/directory/detection/?{query}")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
