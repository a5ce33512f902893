import pytest

from monitoring.models import Period, Value
from monitoring.privacy import protected_breakdown
from strategy.models import Country, Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def value():
    return Value(
        indicator=Indicator.objects.get(code="TRA-2.1.1-a"),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        number=12,
        disaggregation={
            "level": {"national": 8, "regional": 3, "extra_regional": 0, "not_specified": 1}
        },
    )


def test_small_cells_are_hidden_from_the_public_observers_and_other_countries(
    value, observer, focal_sv, client
):
    anonymous = client.get("/").wsgi_request.user
    for user in (anonymous, observer, focal_sv):
        assert protected_breakdown(value, user) == {
            "level": {"national": 8, "regional": "<5", "extra_regional": 0, "not_specified": "<5"}
        }


def test_the_secretariat_and_the_countrys_focal_point_see_every_cell(value, secretariat, focal_hn):
    for user in (secretariat, focal_hn):
        assert protected_breakdown(value, user) == value.disaggregation


def test_the_threshold_is_configurable_and_zero_turns_it_off(value, observer, settings):
    settings.SMALL_CELL_THRESHOLD = 10
    assert protected_breakdown(value, observer)["level"]["national"] == "<10"
    settings.SMALL_CELL_THRESHOLD = 0
    assert protected_breakdown(value, observer) == value.disaggregation
