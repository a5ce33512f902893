"""One shared world: the strategy document's content, loaded once per test session."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_strategy", verbosity=0)
