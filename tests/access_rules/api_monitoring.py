"""The monitoring API: periods and values (monitoring/api.py).

The writes touch Honduras's values: a new draft, and Chart 3's validated HN 2019 figure, which every
role may read, so that another country's focal point is refused (403) rather than not told (404).
Reading the values list, by each role, is tested in tests/test_values_api.py.
"""

from monitoring.models import Value
from tests.access_rules import API_COUNTRY, API_READ, API_WRITE, Rule


def hn_2019():
    return {
        "pk": Value.objects.get(
            indicator__code="identified-victims", country__code="HN", period__code="2019"
        ).pk
    }


NEW_VALUE = {"country": "HN", "indicator": "TRA-2.1.1-a", "period": "2026", "value": 3}

RULES = {
    "period-list": Rule(API_READ),
    "period-detail": Rule(API_READ, {"code": "2026"}),
    "value-list": Rule(API_COUNTRY, methods=("post",), data=NEW_VALUE),
    "value-detail": Rule(API_READ, hn_2019),
    "value-submit": Rule(API_COUNTRY, hn_2019, methods=("post",), data={"version": 1}),
    "value-validate": Rule(API_WRITE, hn_2019, methods=("post",), data={"version": 1}),
    "value-return": Rule(
        API_WRITE, hn_2019, methods=("post",), data={"version": 1, "comment": "Check it"}
    ),
    "value-reopen": Rule(
        API_WRITE, hn_2019, methods=("post",), data={"version": 1, "reason": "A typo"}
    ),
}
