"""The inbox (monitoring/inbox/): what is due, for accounts that report (focal points, each their
own country; the secretariat, every country). Observers get 403, which SIGNED_IN and
API_SIGNED_IN accept: tests/test_inbox.py checks it exactly, and that each sees only its own."""

from tests.access_rules import API_SIGNED_IN, SIGNED_IN, Rule

RULES = {
    "monitoring:inbox": Rule(SIGNED_IN),
    "api-inbox": Rule(API_SIGNED_IN),
}
