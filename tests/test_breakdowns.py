"""Breakdowns as each reader sees them (monitoring.values.breakdowns): every output's one path to
the disclosure pattern, in full for the secretariat and the country's own focal point."""

import pytest
from django.core.cache import cache
from django.utils import translation

from monitoring.disclosure import Reported, fingerprint
from monitoring.models import Period, Value
from monitoring.values.breakdowns import (
    CACHE_PREFIX,
    _clean,
    regional_breakdown,
    value_breakdown,
    value_breakdowns,
)
from monitoring.values.models import Status
from strategy.models import Country, Indicator

pytestmark = pytest.mark.django_db

LEVEL = "TRA-2.1.1-a"


def make(country, number, level, *, status=Status.VALIDATED, code=LEVEL, period="2026"):
    return Value.objects.create(
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country),
        period=Period.objects.get(code=period),
        number=number,
        status=status,
        disaggregation={"level": level},
    )


@pytest.fixture
def honduras():
    """The issue's example: 20 = national 17 + regional 3 + extra-regional 0."""
    return make("HN", 20, {"national": 17, "regional": 3, "extra_regional": 0})


def anonymous(client):
    return client.get("/").wsgi_request.user


def test_a_lone_small_cell_next_to_its_total_takes_another_cell_with_it(
    honduras, client, observer, focal_sv
):
    for user in (anonymous(client), observer, focal_sv):
        shown = value_breakdown(honduras, user)["level"]
        assert shown["regional"] == "<5"
        assert shown["national"] == "n.p."  # 20 − 0 − x would give it away
        assert shown["extra_regional"] == 0  # zero is not small


def test_the_secretariat_and_the_countrys_focal_point_see_every_cell(
    honduras, secretariat, focal_hn
):
    for user in (secretariat, focal_hn):
        assert value_breakdown(honduras, user) == honduras.disaggregation


def test_markers_are_in_the_readers_language(honduras, observer):
    with translation.override("es"):
        shown = value_breakdown(honduras, observer)["level"]
    assert shown["regional"] == "<5" and shown["national"] == "n.p."


def test_the_threshold_is_configurable_and_zero_turns_it_off(honduras, observer, settings):
    settings.SMALL_CELL_THRESHOLD = 20
    assert value_breakdown(honduras, observer)["level"]["national"] == "<20"
    settings.SMALL_CELL_THRESHOLD = 0
    assert value_breakdown(honduras, observer) == honduras.disaggregation


def test_a_value_not_validated_publishes_nothing_of_its_breakdown_to_a_protected_reader(observer):
    draft = make("GT", 30, {"national": 20, "regional": 10}, status=Status.SUBMITTED)
    assert value_breakdown(draft, observer) == {"level": {"national": "n.p.", "regional": "n.p."}}


def test_the_region_is_summed_and_protected_across_countries(
    honduras, client, focal_hn, secretariat
):
    make("SV", 10, {"national": 10})
    make("GT", 10, {"national": 10})
    indicator, period = honduras.indicator_id, honduras.period_id
    full = regional_breakdown(indicator, period, secretariat)["level"]
    assert full["national"] == 37 and full["regional"] == 3
    for user in (anonymous(client), focal_hn):  # the region is no country's own figure
        shown = regional_breakdown(indicator, period, user)["level"]
        assert shown["regional"] == "<5"
        assert shown["national"] == "n.p."


def test_one_query_for_a_page_of_values_whatever_its_size(
    honduras, observer, django_assert_num_queries
):
    values = [honduras] + [
        make(code, 12, {"national": 8, "regional": 4}) for code in ("SV", "GT", "CR", "PA")
    ]
    for value in values:
        value.country  # noqa: B018 — loaded, as the outputs' select_related does
    with django_assert_num_queries(1):
        shown = value_breakdowns(values, observer)
    assert {shown[v.pk]["level"]["regional"] for v in values} == {"<5"}
    with django_assert_num_queries(1):  # the pattern comes from the cache
        value_breakdowns(values, observer)
    reported = {
        v.country.code: Reported(12 if v != honduras else 20, _clean(v.disaggregation))
        for v in values
    }
    assert cache.get(CACHE_PREFIX + fingerprint(reported, threshold=5)) is not None
