"""Health and metrics for the IT unit's machines (issue 16): liveness and readiness are public (a
load balancer asks without signing in, and they tell nothing but "ok"/"error" per part);
metrics are for the scraper holding METRICS_TOKEN only (tests/test_health.py)."""

from . import OPERATOR, PUBLIC, Rule

RULES = {
    "readyz": Rule(PUBLIC),
    "metrics": Rule(OPERATOR),
}
