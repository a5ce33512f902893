"""Referral routes drawn as flowcharts from their steps: one box per step, arrows between them,
a title and a description for screen readers, links from the regional route to each national
route, no script or style attribute, bounded queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.flowchart import route_flowchart, wrap
from referrals.models import Actor, Route, RouteStep
from strategy.models import Country

pytestmark = pytest.mark.django_db


def svg_of(page: str) -> str:
    return page[page.index("<svg") : page.index("</svg>") + 6]


@pytest.mark.parametrize("code", ["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"])
def test_each_countrys_route_renders_as_a_flowchart(client, code):
    response = client.get(f"/es/directory/routes/{code}/")
    assert response.status_code == 200
    page = response.content.decode()
    svg = svg_of(page)
    route = Route.objects.get(country__code=code)
    steps = list(route.steps.order_by("order"))
    assert svg.count('href="#step-') == len(steps)
    assert svg.count("<polygon") == len(steps) - 1  # one arrow between consecutive boxes
    assert f'<title id="flowchart-title">{route.title_es}</title>' in svg
    assert steps[0].title_es in svg
    for step in steps:
        assert f'id="step-{step.order}"' in page  # each box's target, with the full text


def test_flowchart_names_the_specific_actors(client):
    svg = svg_of(client.get("/es/directory/routes/HN/").content.decode())
    assert "DINAF" in svg and "CICESCT" in svg


def test_regional_route_links_each_national_route(client):
    page = client.get("/en/directory/routes/regional/").content.decode()
    svg = svg_of(page)
    for country in Country.objects.all():
        assert f'href="/en/directory/routes/{country.code}/"' in svg
    assert "Regional referral route" in page


def test_flowcharts_have_no_script_and_no_style_attribute(client):
    for code in ["HN", "regional"]:
        svg = svg_of(client.get(f"/es/directory/routes/{code}/").content.decode())
        assert "<script" not in svg and not re.search(r"\sstyle=", svg)
        assert 'font-family="' in svg


def test_the_flowchart_is_a_list_of_links_with_the_drawing_hidden(client):
    """No link inside a role="img" graphic (unreachable to screen readers): the chart is a list
    with an item per step, each a link named by what its box shows (its tooltip the whole step);
    the drawing is hidden."""
    svg = svg_of(client.get("/es/directory/routes/regional/").content.decode())
    route = Route.objects.get(country=None)
    steps = list(route.steps.order_by("order"))
    assert 'role="img"' not in svg
    assert svg.count('role="list"') == 1 and svg.count('role="listitem"') == len(steps)
    first = steps[0]
    assert f'aria-label="1 {first.title_es}' in svg and f"<title>Paso 1: {first.title_es}. " in svg
    assert 'aria-label="GT — Ruta nacional de referencia: Guatemala"' in svg
    links = re.findall(r"<a [^>]*>", svg)
    assert links and all("aria-label=" in link for link in links)
    drawn = re.findall(r"<(?:rect|text|circle|line|polygon)\b", svg)
    hidden = sum(
        len(re.findall(r"<(?:rect|text|circle|line|polygon)\b", group))
        for group in re.findall(r'<g aria-hidden="true">(.*?)</g>', svg, re.S)
    )
    assert drawn and hidden == len(drawn)


def test_the_flowchart_follows_the_steps_order_and_text():
    route = Route.objects.with_steps().get(country__code="GT")
    RouteStep.objects.filter(route=route, order=1).update(title_es="Primero: observar")
    route = Route.objects.with_steps().get(country__code="GT")
    svg = route_flowchart(route)
    assert svg.index("Primero: observar") < svg.index("Protección inmediata")


def test_wrap_cuts_long_texts_with_an_ellipsis():
    lines = wrap("palabra " * 100, 13, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert wrap("corto", 13, 3) == ["corto"]


def test_unknown_route_is_404(client):
    assert client.get("/es/directory/routes/XX/").status_code == 404
    assert client.get("/es/directory/routes/REGIONAL/").status_code == 404


def test_route_page_queries_do_not_grow_with_steps(client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        client.get("/es/directory/routes/HN/")
    route = Route.objects.get(country__code="HN")
    honduras_actors = list(Actor.objects.filter(country__code="HN"))
    for order in range(10, 40):
        step = RouteStep.objects.create(route=route, order=order, title_es="Paso", action_es="x")
        step.actors.set(honduras_actors)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/es/directory/routes/HN/")
    assert response.content.decode().count('href="#step-') == 36
