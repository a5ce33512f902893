"""The referral directory: key actors and their contact persons, complaint lines, referral routes
with their ordered steps, and detection indicators.

Institutions only: nothing here may hold personal data of a victim or of a person observed
(tests/test_data_minimisation.py walks every model). Contact persons are institutional contacts,
shown to signed-in users only (corett.access.sees_contact_persons).

Multi-choice fields (an actor's roles and populations) are JSON lists of choice values: they read
and write the same on PostgreSQL and SQLite. `ActorQuerySet.with_choice` filters them.
"""

from .actors import Actor, ActorQuerySet, ContactPerson, Hotline, tel_uri
from .choices import ChoiceListValidator, Population, Role, Sector, normalise
from .routes import DetectionIndicator, Route, RouteQuerySet, RouteStep
from .verifiable import STALE_AFTER, Verifiable, VerifiableQuerySet

__all__ = [
    "STALE_AFTER",
    "Actor",
    "ActorQuerySet",
    "ChoiceListValidator",
    "ContactPerson",
    "DetectionIndicator",
    "Hotline",
    "Population",
    "Role",
    "Route",
    "RouteQuerySet",
    "RouteStep",
    "Sector",
    "Verifiable",
    "VerifiableQuerySet",
    "normalise",
    "tel_uri",
]
