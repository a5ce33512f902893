"""Restores a backup made by `manage.py backup`: the database, then the stored files, each checked
against the manifest. Stop the web processes, the workers and beat first.

    manage.py restore --from /srv/backups/corett-20261207T030000Z
    manage.py restore --from s3://corett-backups/nightly/corett-20261207T030000Z --yes
"""

import time

from django.core.cache import cache
from django.core.management import BaseCommand, CommandError, call_command

from corett import backups


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="the backup's folder")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input(
                "This replaces the portal's database and puts back its files. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("nothing restored")
        started = time.perf_counter()
        try:
            summary = backups.restore(options["source"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        call_command("migrate", "--noinput", verbosity=0)  # a backup of an earlier release
        cache.clear()  # what pages kept there (the plan, counts) was read from the old database
        self.stdout.write(
            f"restored from {options['source']}: {summary['files']} files put back, "
            f"{summary['unchanged']} already there, in {time.perf_counter() - started:.1f} s"
        )
        if summary["rows_differing"]:
            raise CommandError(f"rows differ from the manifest: {summary['rows_differing']}")
