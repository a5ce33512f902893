"""Monitoring URLs not built yet (stubs answering 404): the areas' own modules replace these."""

from tests.access_rules import PUBLIC, Rule

RULES = {
    "monitoring:entry_home": Rule(PUBLIC),
    "monitoring:queue": Rule(PUBLIC),
    "monitoring:value": Rule(PUBLIC, {"pk": 1}),
    "monitoring:matrix": Rule(PUBLIC),
    "monitoring:dashboard": Rule(PUBLIC),
}
