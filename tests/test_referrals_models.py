"""The directory's models: accent-insensitive search, multi-choice filters, staleness, and the
invariants the database enforces whatever the path (forms, imports, admin, fixtures)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals.models import Actor, Hotline, Route, normalise
from strategy.models import Country

pytestmark = pytest.mark.django_db


def make_actor(**fields):
    fields.setdefault("sector", "civil_society")
    fields.setdefault("name_es", fields.get("name_en", "Institución"))
    return Actor.objects.create(**fields)


@pytest.mark.parametrize(
    "text, expected",
    [("Niñez", "ninez"), ("NIÑEZ  y   adolescencia", "ninez y adolescencia"), ("Panamá", "panama")],
)
def test_normalise_drops_accents_case_and_extra_spaces(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "stored, query", [("Casa de la Niñez", "ninez"), ("Casa de la Ninez", "Niñez")]
)
def test_search_ignores_accents_both_ways(stored, query):
    actor = make_actor(name_es=stored)
    assert actor in Actor.objects.matching(query)
    assert actor not in Actor.objects.matching("adultos")


def test_search_needs_every_word_and_looks_in_both_languages():
    actor = make_actor(name_es="Refugio Esperanza", name_en="Hope Shelter", services_en="legal aid")
    assert actor in Actor.objects.matching("hope esperanza")
    assert actor in Actor.objects.matching("LEGAL aid")
    assert actor not in Actor.objects.matching("hope medical")


def test_the_search_column_follows_every_save():
    actor = make_actor(name_es="Zafiro")
    actor.name_es = "Ámbar Azul"
    actor.save()
    assert list(Actor.objects.matching("ambar")) == [actor]
    assert not Actor.objects.matching("zafiro").exists()


def test_seeded_actors_are_searchable_as_loaded_from_the_fixtures():
    # DINAF (Honduras) is loaded by loaddata, which saves raw: the column is filled all the same.
    assert Actor.objects.matching("ninez").filter(acronym_es="DINAF").exists()
    assert Actor.objects.matching("Honduras").filter(is_governing_body=True).count() == 1


def test_choice_lists_filter_exactly():
    both = make_actor(roles=["detection", "return"], populations=["children"])
    other = make_actor(roles=["assistance"])
    assert both in Actor.objects.with_choice("roles", "return")
    assert other not in Actor.objects.with_choice("roles", "return")
    assert both in Actor.objects.with_choice("populations", "children")


def test_unknown_choices_are_refused_by_validation():
    actor = Actor(name_es="X", sector="government", roles=["detection", "rescue"])
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert "roles" in error.value.message_dict


def test_staleness_is_twelve_months_or_never():
    now = timezone.now()
    never = make_actor()
    recent = make_actor(verified_at=now - datetime.timedelta(days=330))
    old = make_actor(verified_at=now - datetime.timedelta(days=370))
    stale = set(Actor.objects.stale(now))
    assert never in stale and old in stale and recent not in stale
    assert never.is_stale(now) and old.is_stale(now) and not recent.is_stale(now)


def test_one_governing_body_per_country():
    honduras = Country.objects.get(code="HN")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_actor(country=honduras, is_governing_body=True)


def test_a_governing_body_has_a_country():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_actor(is_governing_body=True)


def test_a_complaint_line_has_a_channel():
    with pytest.raises(IntegrityError), transaction.atomic():
        Hotline.objects.create(country=Country.objects.get(code="SV"))
    line = Hotline(country=Country.objects.get(code="SV"))
    with pytest.raises(ValidationError):
        line.full_clean()


def test_one_regional_route_and_one_route_per_country():
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.create(country=None, title_es="Otra ruta regional")
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.create(country=Country.objects.get(code="HN"), title_es="Otra")


def test_tel_links_keep_only_digits():
    line = Hotline(number="800 5533 000")
    assert line.tel == "tel:8005533000"
    assert Hotline(number="", web_form="https://example.org").tel == ""
