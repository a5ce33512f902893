"""The seed data: the strategy's nine governing bodies, complaint lines only with a public source,
a route per country plus the regional one, sourced detection indicators, and a source note that
lists every seeded entry."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from referrals.models import Actor, DetectionIndicator, Hotline, Route
from strategy.models import Country, GoverningBody

pytestmark = pytest.mark.django_db
NOTES = Path(settings.BASE_DIR) / "docs" / "source-notes" / "referrals.md"


def test_each_member_country_has_its_governing_body_as_in_the_strategy():
    for body in GoverningBody.objects.select_related("country"):
        actor = Actor.objects.get(country=body.country, is_governing_body=True)
        assert (actor.name_es, actor.name_en) == (body.name_es, body.name_en)
        assert actor.acronym_es == body.acronym_es
        assert "coordination" in actor.roles
    assert Actor.objects.filter(is_governing_body=True).count() == Country.objects.count() == 9


def test_complaint_lines_have_a_source_a_date_and_await_verification():
    assert Hotline.objects.exists()
    for line in Hotline.objects.all():
        assert line.source_es and line.source_en and line.source_url.startswith("https://")
        assert line.source_date is not None
        assert line.to_be_verified and line.verified_at is None
        assert line.number or line.web_form or line.whatsapp


def test_no_line_is_recorded_without_a_source_found():
    assert not Hotline.objects.filter(country__code="SV").exists()


def test_every_country_has_a_route_and_there_is_a_regional_route():
    for country in Country.objects.all():
        route = Route.objects.get(country=country)
        assert route.steps.count() >= 6
        assert route.to_be_verified
    regional = Route.objects.get(country=None)
    assert regional.steps.filter(links_national_routes=True).count() >= 2


def test_detection_indicators_are_sourced_in_both_languages():
    indicators = list(DetectionIndicator.objects.all())
    assert 30 <= len(indicators) <= 40
    assert {i.category for i in indicators} == set(DetectionIndicator.Category.values)
    for indicator in indicators:
        assert indicator.text_es and indicator.text_en and indicator.text_es != indicator.text_en
        assert indicator.source in {"ilo_ec", "unodc"} and indicator.source_reference_en


def test_the_source_note_lists_every_seeded_entry():
    notes = NOTES.read_text()
    for line in Hotline.objects.all():
        assert (line.number or line.web_form) in notes, line
    for actor in Actor.objects.all():
        assert f"[{actor.pk}]" in notes, actor
    for country in Country.objects.all():
        assert f"({country.code})" in notes


def test_loading_twice_changes_nothing():
    before = (Actor.objects.count(), Hotline.objects.count(), Route.objects.count())
    call_command("load_strategy", verbosity=0)
    assert (Actor.objects.count(), Hotline.objects.count(), Route.objects.count()) == before
