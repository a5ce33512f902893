"""The hostile suite's world: the shared accounts (tests/conftest.py), each signed in past the
second factor, and the rows that the review pages act on."""

import pytest
from axes.utils import reset as reset_sign_in_lockouts

from corett.models import User
from monitoring.models import Period
from monitoring.values import narratives, services
from strategy.models import Country, Indicator
from tests.conftest import make_user, signed_in


class World:
    """The accounts by role, and rows made on first use."""

    def __init__(self, users):
        self.users = users

    def __getitem__(self, role):
        return self.users[role]

    def submitted_value(self, code="TRA-2.1.1-a", number=4):
        """A value of Honduras for 2026, submitted to the secretariat."""
        focal = self.users["focal-hn"]
        value = services.value_save(
            user=focal,
            indicator=Indicator.objects.get(code=code),
            country=Country.objects.get(code="HN"),
            period=Period.objects.get(code="2026"),
            number=number,
            path="form",
        )
        return services.value_submit(user=focal, value=value, path="form", version=value.version)

    def validated_value(self):
        value = self.submitted_value(code="SEN-1.1.1-a", number=2)
        return services.value_validate(
            user=self.users["secretariat"], value=value, path="form", version=value.version
        )

    def submitted_narrative(self):
        focal = self.users["focal-hn"]
        narrative = narratives.narrative_save(
            user=focal,
            country=Country.objects.get(code="HN"),
            period=Period.objects.get(code="2026"),
            progress="Two shelters opened.",
        )
        return narratives.narrative_submit(user=focal, narrative=narrative)


@pytest.fixture(autouse=True)
def files_in_a_temporary_folder(settings, tmp_path):
    """Evidence files and reports that a hostile request might write stay out of the project."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db, secretariat, observer, focal_hn, focal_sv):
    reset_sign_in_lockouts()
    return World(
        {
            "secretariat": secretariat,
            "observer": observer,
            "focal-hn": focal_hn,
            "focal-sv": focal_sv,
            "anonymous": None,
        }
    )


def client_as(client, world, role):
    """The test client for this role: anonymous, or signed in past the second factor; with
    "-unverified", signed in with the password only; "-verified", past the second factor."""
    if role == "anonymous":
        return client
    if role.endswith("-unverified"):
        client.force_login(world[role.removesuffix("-unverified")])
        return client
    return signed_in(client, world[role.removesuffix("-verified")])


__all__ = ["World", "client_as", "make_user", "User"]
