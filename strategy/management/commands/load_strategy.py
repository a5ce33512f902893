from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

FIXTURE_FOLDERS = ["strategy", "monitoring", "referrals"]


def strategy_fixtures() -> list[Path]:
    """The strategy document as reference data, in loading order."""
    root = Path(settings.BASE_DIR) / "fixtures"
    return [path for folder in FIXTURE_FOLDERS for path in sorted((root / folder).glob("*.yaml"))]


class Command(BaseCommand):
    help = (
        "Loads the strategy document (fixtures/strategy, fixtures/monitoring) and the referral "
        "directory's seed data (fixtures/referrals). Idempotent."
    )

    def handle(self, *args, **options):
        call_command("loaddata", *map(str, strategy_fixtures()), verbosity=options["verbosity"])
