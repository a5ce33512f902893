"""The public on a phone, in Spanish: from the home page to Guatemala's page, its governing body
and complaint line, then its referral route. No account, and nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Hotline, Route
from strategy.models import Country
from tests.browser.conftest import PHONE, es

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_public_finds_a_countrys_complaint_line_and_referral_route_on_a_phone(open_page, shoot):
    guatemala = Country.objects.select_related("governing_body").get(code="GT")
    hotline = Hotline.objects.filter(country=guatemala).exclude(number="").first()
    route = Route.objects.get(country=guatemala)

    page = open_page("/es/", viewport=PHONE)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Estrategia Regional")
    assert fits_the_screen(page)
    shoot(page, "public-phone-home", docs=True)

    # A country, from the list of member countries.
    members = page.get_by_role("region", name=es("Member countries"))
    members.get_by_role("link", name="GT Guatemala").click()
    expect(page).to_have_url(re.compile(r"/es/countries/GT/#help$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Guatemala")
    help_title = es("To report a possible case in %(country)s") % {"country": "Guatemala"}
    line = page.get_by_role("region", name=help_title)
    expect(line).to_be_in_viewport()  # the page opens at the line, not at the top
    number = line.get_by_role("link", name=hotline.number)
    expect(number).to_have_attribute("href", re.compile(r"^tel:"))
    assert fits_the_screen(page)
    shoot(page, "public-phone-country", docs=True)

    body = page.get_by_role("heading", name=es("National governing body"))
    expect(body.locator("xpath=..")).to_contain_text(guatemala.governing_body.name)

    # Its referral route: the flowchart, then the steps in order.
    line.get_by_role("link", name=es("Referral route (flowchart)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(route.title_es)
    expect(page.get_by_role("region", name=es("Flowchart")).locator("svg")).to_be_visible()
    titles = list(route.steps.order_by("order").values_list("title_es", flat=True))
    steps = page.get_by_role("region", name=es("Steps")).get_by_role("heading", level=3)
    expect(steps).to_have_count(len(titles))
    expect(steps).to_contain_text(titles)  # in this order
    expect(page.get_by_role("link", name=hotline.number).first).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "public-phone-route", docs=True)
