"""The monitoring matrix and the indicator tracking tables: public pages whose content is filtered
by corett.access.values_visible_to (tested in tests/test_matrix.py and tests/test_tracking.py)."""

from tests.access_rules import PUBLIC, Rule

RULES = {
    "monitoring:matrix": Rule(PUBLIC),
    "monitoring:tracking": Rule(PUBLIC, {"scope": "HN"}),
}
