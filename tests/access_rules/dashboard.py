"""Dashboards: public, validated figures only (small cells protected for whoever is looking)."""

from tests.access_rules import PUBLIC, Rule

RULES = {
    "monitoring:dashboard": Rule(PUBLIC),
    "monitoring:country_dashboard": Rule(PUBLIC, {"code": "HN"}),
}
