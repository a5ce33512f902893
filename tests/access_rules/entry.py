"""Data entry (monitoring/entry_urls.py): a country's page for a period, for its own focal point
and the secretariat. The entry home is open to accounts that report (focal points, secretariat);
observers get 403 there, which SIGNED_IN accepts: tests/test_data_entry.py checks it exactly."""

from tests.access_rules import COUNTRY, SIGNED_IN, Rule

# What a focal point's browser would post: a value for SEN-1.1.1-a (pk 1 in the plan's fixtures)
# and a narrative, both new (version 0), so that a refused request has something to write.
ENTRY_POST = {
    "action": "save",
    "v1-number": "3",
    "v1-version": "0",
    "v1-seen": "-",
    "narrative-progress": "Written by someone who may not",
    "narrative-version": "0",
    "narrative-seen": "-",
}

RULES = {
    "monitoring:entry_home": Rule(SIGNED_IN),
    "monitoring:entry": Rule(
        COUNTRY,
        {"country": "HN", "period": "2026"},
        methods=("get", "post"),
        data=ENTRY_POST,
        country="HN",
    ),
}
