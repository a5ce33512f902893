"""The secretariat's review of narratives: a narrative's page (its country's focal point and the
secretariat in every state, everyone once validated) and the decisions on it."""

from corett.models import User
from monitoring.models import Narrative, Period
from monitoring.values import narratives
from strategy.models import Country
from tests.access_rules import COUNTRY, SECRETARIAT, Rule


def hn_narrative():
    """Honduras's submitted narrative of 2026, made on first use by a GET (the matrix compares
    the database only around refused writes)."""
    narrative = Narrative.objects.filter(country__code="HN", period__code="2026").first()
    if narrative is None:
        focal = User.objects.get(username="focal-hn")
        narrative = narratives.narrative_save(
            user=focal,
            country=Country.objects.get(code="HN"),
            period=Period.objects.get(code="2026"),
            progress="Two shelters opened.",
        )
        narrative = narratives.narrative_submit(user=focal, narrative=narrative)
    return narrative


# The decisions are POSTs: their rows must exist before the database is compared, and no fixture
# holds a narrative, so they name pk 1 (refused before any lookup; 404 for the secretariat).
RULES = {
    "monitoring:narrative": Rule(COUNTRY, lambda: {"pk": hn_narrative().pk}, country="HN"),
    "monitoring:narrative_validate": Rule(
        SECRETARIAT, {"pk": 1}, methods=("post",), data={"version": 1}
    ),
    "monitoring:narrative_return": Rule(
        SECRETARIAT, {"pk": 1}, methods=("post",), data={"version": 1, "comment": "Check it"}
    ),
}
