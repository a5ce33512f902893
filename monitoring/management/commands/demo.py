from django.conf import settings
from django.core.management import BaseCommand, CommandError

from monitoring.demo.services import demo_load, demo_remove


class Command(BaseCommand):
    help = (
        "Fills two past periods and the open one with invented figures to try the portal (only "
        "in demo mode; idempotent). --remove deletes them and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove", action="store_true", help="Delete the demonstration figures."
        )

    def handle(self, *args, remove=False, **options):
        if remove:
            removed = demo_remove()
            self.stdout.write("removed " + _counts(removed))
            return
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demonstration figures are invented: they are written only in demo mode "
                "(DEBUG on or CORETT_DEMO=1)."
            )
        written = demo_load()
        self.stdout.write(
            "wrote " + _counts(written) if written else "kept the demonstration figures"
        )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{number} {kind}" for kind, number in counts.items())
