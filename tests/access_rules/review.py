"""The secretariat's review: the queue, decisions on a value, periods, targets, qualifications;
and the page of one value, which its country's focal point also reaches (everyone once validated).
"""

from corett.models import User
from monitoring.models import Period, Value
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.access_rules import COUNTRY, SECRETARIAT, Rule


def chart3_value(country="HN", year="2017"):
    """A validated value loaded from the strategy document (Chart 3)."""
    return Value.objects.get(
        indicator__code="identified-victims", country__code=country, period__code=year
    )


def hn_draft():
    """A draft of Honduras for 2026: only its focal point and the secretariat may see it. Made on
    first use, by a GET (the matrix compares the database only around refused writes)."""
    value = Value.objects.filter(country__code="HN", period__code="2026").first()
    return value or services.value_save(
        user=User.objects.get(username="focal-hn"),
        indicator=Indicator.objects.get(code="TRA-2.1.1-a"),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        number=4,
        path="form",
    )


def period_pk(code="2026"):
    return {"pk": Period.objects.get(code=code).pk}


RULES = {
    "monitoring:queue": Rule(SECRETARIAT),
    "monitoring:queue_validate": Rule(SECRETARIAT, methods=("post",), data={"value": "1:1"}),
    "monitoring:value": Rule(COUNTRY, lambda: {"pk": hn_draft().pk}, country="HN"),
    "monitoring:value_evidence": Rule(COUNTRY, lambda: {"pk": chart3_value("HN").pk}, country="HN"),
    "monitoring:review_validate": Rule(
        SECRETARIAT, lambda: {"pk": chart3_value().pk}, methods=("post",), data={"version": 1}
    ),
    "monitoring:review_return": Rule(
        SECRETARIAT,
        lambda: {"pk": chart3_value().pk},
        methods=("post",),
        data={"version": 1, "comment": "Check it"},
    ),
    "monitoring:review_reopen": Rule(
        SECRETARIAT,
        lambda: {"pk": chart3_value().pk},
        methods=("post",),
        data={"version": 1, "reason": "A correction"},
    ),
    "monitoring:value_follow_up": Rule(
        SECRETARIAT,
        lambda: {"pk": chart3_value().pk},
        methods=("post",),
        data={"note": "Ask for the source"},
    ),
    "monitoring:value_follow_up_resolve": Rule(
        SECRETARIAT, lambda: {"pk": chart3_value().pk}, methods=("post",), data={"note": "Done"}
    ),
    "monitoring:periods": Rule(SECRETARIAT),
    "monitoring:period_create": Rule(
        SECRETARIAT,
        methods=("get", "post"),
        data={
            "code": "2028",
            "kind": "annual",
            "starts_on": "2028-01-01",
            "ends_on": "2028-12-31",
            "opens_on": "2028-01-01",
            "closes_on": "2029-03-31",
        },
    ),
    "monitoring:period_lock": Rule(SECRETARIAT, period_pk, methods=("post",)),
    "monitoring:period_unlock": Rule(SECRETARIAT, lambda: period_pk("2017"), methods=("post",)),
    # Fixture rows: indicator 1 is SEN-1.1.1-a (axis 1, the targets page's first tab), axis 1.
    "monitoring:targets": Rule(
        SECRETARIAT,
        period_pk,
        methods=("get", "post"),
        data={"shown": "{}", "target-1-region": "2", "target-1-HN": "1"},
    ),
    "monitoring:qualifications": Rule(
        SECRETARIAT,
        period_pk,
        methods=("get", "post"),
        data={"form": "q-1-region", "q-1-region-rating": "at_risk", "q-1-region-reason": "Slow"},
    ),
}
