"""Disclosure control as an outsider attacks it: every published figure becomes an equation, and
an LP solver (tests/disclosure_attack.py) looks for a hidden cell it can pin down."""

import functools
import random

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.disclosure import Hidden, Reported, fingerprint, label, protect
from strategy.dimensions import DIMENSIONS
from tests.disclosure_attack import (
    exposed,
    pattern_figures,
    random_reported,
    ranges,
    rerun_attack,
)

CATEGORIES = {key: list(dimension.categories) for key, dimension in DIMENSIONS.items()}
SMALL, SUPPRESSED, WITHHELD = Hidden.SMALL, Hidden.SUPPRESSED, Hidden.WITHHELD


def attack(reported, pattern, *, reader=None, categories=CATEGORIES):
    """What a reader (anyone, or a focal point knowing its country's row) can work out exactly."""
    published, truth = pattern_figures(pattern, reported, categories=categories, reader=reader)
    found = exposed(published, truth)
    if reader is not None:  # its own row it knows; another country's cell is what matters
        found = {cell: n for cell, n in found.items() if cell[0] == "x" and cell[1] != reader}
    return found


def assert_safe(reported, pattern, categories=CATEGORIES):
    for reader in [None, *reported]:
        assert attack(reported, pattern, reader=reader, categories=categories) == {}, reader


def cells(pattern, country, dimension):
    return dict(pattern.countries[country][dimension].cells)


# --- The two examples ---

HONDURAS_LEVEL = {
    "HN": Reported(20, {"level": {"national": 17, "regional": 3, "extra_regional": 0}})
}


def test_a_small_cell_next_to_a_published_total_takes_a_second_cell_with_it():
    pattern = protect(HONDURAS_LEVEL, threshold=5)
    assert cells(pattern, "HN", "level") == {
        "national": SUPPRESSED,
        "regional": SMALL,
        "extra_regional": 0,
    }
    # the regional breakdown of a single country is that country's: it hides the same cells
    assert pattern.regional["level"].cells["regional"] is SMALL
    assert pattern.regional["level"].cells["national"] is SUPPRESSED
    published, _ = pattern_figures(pattern, HONDURAS_LEVEL, categories=CATEGORIES)
    found = ranges(published)
    assert found[("x", "HN", "level", "regional")] == (1, 4)  # a range, not 3
    assert found[("x", "HN", "level", "national")] == (16, 19)


IDENTIFIED_BY_SEX = {
    "SV": Reported(15, {"sex": {"women": 5, "men": 10}}),
    "GT": Reported(22, {"sex": {"women": 12, "men": 10}}),
    "HN": Reported(18, {"sex": {"women": 14, "men": 3, "other": 1}}),
}


def test_a_regional_sum_does_not_give_away_the_one_country_hidden_in_it():
    pattern = protect(IDENTIFIED_BY_SEX, threshold=5)
    assert cells(pattern, "HN", "sex") == {"women": 14, "men": SMALL, "other": SMALL}
    assert pattern.regional["sex"].cells["men"] is not None
    assert isinstance(pattern.regional["sex"].cells["men"], Hidden)  # no more "Men: 23"
    published, _ = pattern_figures(pattern, IDENTIFIED_BY_SEX, categories=CATEGORIES)
    found = ranges(published)
    assert found[("x", "HN", "sex", "men")] == (1, 3)
    assert found[("x", "HN", "sex", "other")] == (1, 3)
    assert_safe(IDENTIFIED_BY_SEX, pattern)


def test_with_primary_suppression_only_both_examples_fall_to_subtraction():
    pattern = protect(HONDURAS_LEVEL, threshold=5, secondary=False)
    assert attack(HONDURAS_LEVEL, pattern) == {
        ("x", "HN", "level", "regional"): 3,
        ("c", "level", "regional"): 3,
    }
    pattern = protect(IDENTIFIED_BY_SEX, threshold=5, secondary=False)
    assert attack(IDENTIFIED_BY_SEX, pattern) == {
        ("x", "HN", "sex", "men"): 3,
        ("x", "HN", "sex", "other"): 1,
        ("c", "sex", "other"): 1,
    }


# --- A focal point knows its own country's row ---

TWO_COUNTRIES = {
    "GT": Reported(13, {"sex": {"men": 3, "not_specified": 10}}),
    "HN": Reported(29, {"sex": {"women": 10, "men": 10, "other": 7, "not_specified": 2}}),
}


def test_a_focal_point_cannot_work_out_another_countrys_hidden_cell_from_the_regional_sums():
    outsiders_only = protect(TWO_COUNTRIES, threshold=5, insiders=False)
    assert attack(TWO_COUNTRIES, outsiders_only) == {}
    # Guatemala's focal point knows its 3 men, so the regional 13 gives Honduras's 10, then its 2
    assert attack(TWO_COUNTRIES, outsiders_only, reader="GT") == {
        ("x", "HN", "sex", "men"): 10,
        ("x", "HN", "sex", "not_specified"): 2,
    }
    pattern = protect(TWO_COUNTRIES, threshold=5)
    assert_safe(TWO_COUNTRIES, pattern)


# --- Edges ---


def test_zeros_are_not_small_and_a_table_of_zeros_is_published_whole():
    reported = {
        "HN": Reported(0, {"sex": {"women": 0, "men": 0}}),
        "SV": Reported(0, {"sex": {"women": 0, "men": 0}}),
    }
    pattern = protect(reported, threshold=5)
    assert cells(pattern, "HN", "sex") == {"women": 0, "men": 0}
    assert pattern.regional["sex"].cells == {"women": 0, "men": 0}


def test_large_cells_are_published_whole():
    reported = {"HN": Reported(40, {"sex": {"women": 25, "men": 15}})}
    pattern = protect(reported, threshold=5)
    assert cells(pattern, "HN", "sex") == {"women": 25, "men": 15}
    assert pattern.regional["sex"].cells == {"women": 25, "men": 15}


def test_when_no_other_cell_can_cover_a_small_one_the_dimension_is_not_published():
    reported = {"HN": Reported(3, {"sex": {"women": 3, "men": 0}})}
    pattern = protect(reported, threshold=5)
    assert pattern.countries["HN"]["sex"].withheld
    assert set(cells(pattern, "HN", "sex")) == set(CATEGORIES["sex"])  # all of them, not given
    assert pattern.regional["sex"].withheld
    assert_safe(reported, pattern)


def test_a_dimension_of_one_category_and_not_specified():
    categories = {"disability": ["with_disability", "not_specified"]}
    reported = {
        "HN": Reported(20, {"disability": {"with_disability": 3, "not_specified": 17}}),
        "SV": Reported(9, {"disability": {"with_disability": 9, "not_specified": 0}}),
    }
    pattern = protect(reported, threshold=5, categories=categories)
    assert cells(pattern, "HN", "disability")["with_disability"] is SMALL
    assert_safe(reported, pattern, categories)


def test_when_every_cell_is_small_the_regional_sums_carry_the_protection():
    rng = random.Random(7)
    reported = {}
    for country in ("CR", "GT", "HN", "NI", "SV"):
        counts = {c: rng.randint(1, 4) for c in CATEGORIES["sex"]}
        reported[country] = Reported(sum(counts.values()), {"sex": counts})
    pattern = protect(reported, threshold=5)
    for country in reported:
        assert all(isinstance(c, Hidden) for c in cells(pattern, country, "sex").values())
    assert_safe(reported, pattern)


def test_a_country_that_did_not_break_a_dimension_down_counts_as_not_specified():
    reported = {
        "HN": Reported(12, {"sex": {"women": 9, "men": 3}}),
        "SV": Reported(30, {}),
    }
    pattern = protect(reported, threshold=5)
    assert "SV" not in pattern.countries
    assert pattern.regional["sex"].cells["not_specified"] in (30, SUPPRESSED)
    assert_safe(reported, pattern)


def test_a_breakdown_that_does_not_add_up_to_its_total_is_not_published():
    reported = {"HN": Reported(20, {"sex": {"women": 9, "men": 8, "other": 2}})}
    assert protect(reported, threshold=5).countries["HN"]["sex"].withheld


@pytest.mark.parametrize("threshold", [0, 1])
def test_a_threshold_of_zero_or_one_turns_the_protection_off(threshold):
    pattern = protect(IDENTIFIED_BY_SEX, threshold=threshold)
    assert cells(pattern, "HN", "sex") == {"women": 14, "men": 3, "other": 1}
    assert pattern.regional["sex"].cells == {"women": 31, "men": 23, "other": 1}


def test_a_threshold_of_two_hides_the_ones_though_the_marker_alone_would_say_one():
    # "<2" with zero not small could only be 1: those rows go unpublished rather than marked
    pattern = protect(IDENTIFIED_BY_SEX, threshold=2)
    assert pattern.countries["HN"]["sex"].withheld
    assert pattern.hidden_count()[SMALL] == 0  # a "<2" can only be 1: never shown
    assert_safe(IDENTIFIED_BY_SEX, pattern)


def test_negative_or_fractional_counts_are_refused():
    with pytest.raises(ValueError):
        protect({"HN": Reported(2, {"sex": {"women": 3, "men": -1}})}, threshold=5)


# --- The same data gives the same pattern ---


def test_the_pattern_does_not_depend_on_the_order_the_data_comes_in():
    rng = random.Random(3)
    reported = random_reported(rng, categories=CATEGORIES)
    shuffled = list(reported.items())
    rng.shuffle(shuffled)
    reordered = {
        country: Reported(
            value.total,
            {
                d: dict(reversed(list(c.items())))
                for d, c in reversed(list(value.breakdown.items()))
            },
        )
        for country, value in shuffled
    }
    categories = {d: list(reversed(c)) for d, c in CATEGORIES.items()}
    first = protect(reported, threshold=5)
    second = protect(reordered, threshold=5, categories=categories)
    assert {c: {d: dict(b.cells) for d, b in ds.items()} for c, ds in first.countries.items()} == {
        c: {d: dict(b.cells) for d, b in ds.items()} for c, ds in second.countries.items()
    }
    assert {d: dict(b.cells) for d, b in first.regional.items()} == {
        d: dict(b.cells) for d, b in second.regional.items()
    }
    assert fingerprint(reported, threshold=5) == fingerprint(
        reordered, threshold=5, categories=categories
    )
    assert fingerprint(reported, threshold=5) != fingerprint(reported, threshold=10)


def test_markers_read_the_same_in_both_languages():
    assert label(SMALL, 5) == "<5"
    assert label(7, 5) == "7"
    with translation.override("es"):
        assert label(SUPPRESSED, 5) == "n.p."
        assert label(WITHHELD, 5) == "n.p."


# --- Proof by attack over random tables ---


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rng=st.randoms(use_true_random=False),
    countries=st.integers(1, 5),
    threshold=st.sampled_from([3, 5]),
)
def test_no_reader_can_work_out_a_hidden_cell_of_a_random_table(rng, countries, threshold):
    codes = ("CR", "GT", "HN", "NI", "SV")[:countries]
    reported = random_reported(rng, countries=codes, categories=CATEGORIES)
    assert_safe(reported, protect(reported, threshold=threshold))


SEEDED = [random_reported(random.Random(seed), categories=CATEGORIES) for seed in range(3)]


@pytest.mark.parametrize("secondary", [True, False], ids=["secondary", "primary only"])
def test_the_seeded_period_keeps_every_hidden_cell_a_range(secondary):
    """Three indicators, nine countries, every dimension, cells of 0-12: anyone reading everything
    finds nothing exact with complementary suppression, and many cells with the small ones alone."""
    found = {}
    for number, reported in enumerate(SEEDED):
        pattern = protect(reported, threshold=5, secondary=secondary)
        found |= {(number, *cell): n for cell, n in attack(reported, pattern).items()}
    if secondary:
        assert found == {}
    else:
        assert len(found) > 20


# --- The public page that explains the rule ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, heading, rule",
    [
        ("es", "Por qué algunas cifras aparecen como “&lt;5”", "Entre 1 y 4 personas."),
        ("en", "Why some figures show “&lt;5”", "Between 1 and 4 people."),
    ],
)
def test_the_page_explains_the_rule_in_each_language(client, lang, heading, rule):
    html = client.get(f"/{lang}/small-figures/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert rule in html
    assert "n.p." in html


@pytest.mark.django_db
def test_the_page_follows_the_configured_threshold(client, settings):
    settings.SMALL_CELL_THRESHOLD = 10
    html = client.get("/en/small-figures/").content.decode()
    assert "show “&lt;10”" in html and "Between 1 and 9 people." in html
    settings.SMALL_CELL_THRESHOLD = 0
    assert "turned off" in client.get("/en/small-figures/").content.decode()


@pytest.mark.django_db
def test_every_page_links_to_the_explanation_from_its_footer(client):
    html = client.get("/es/").content.decode()
    assert '<a href="/es/small-figures/">Por qué algunas cifras no se muestran</a>' in html


# --- An attacker who re-runs the rule ---

RERUN_TABLES = {
    "Honduras by level": HONDURAS_LEVEL,
    "identified victims by sex": IDENTIFIED_BY_SEX,
    "two countries": TWO_COUNTRIES,
    # one "<5" at 1 and another with room: the choice of cells must not tell them apart
    "a small cell at the edge of its range": {
        "GT": Reported(13, {"sex": {"women": 5, "men": 2, "other": 6, "not_specified": 0}}),
        "HN": Reported(15, {"sex": {"women": 1, "men": 8, "other": 1, "not_specified": 5}}),
    },
}


@pytest.mark.parametrize("reported", RERUN_TABLES.values(), ids=RERUN_TABLES.keys())
def test_re_running_the_rule_on_every_consistent_table_pins_nothing_down(reported):
    rule = functools.partial(protect, threshold=5)
    assert rerun_attack(rule, reported, categories=CATEGORIES) == {}
