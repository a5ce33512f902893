"""Backs up the database and the stored files, with a manifest (corett/backups.py).

manage.py backup --to /srv/backups                 a new folder corett-<UTC time> there
manage.py backup --to s3://corett-backups/nightly  the same in a bucket (the AWS_* settings)
"""

import time

from django.core.management import BaseCommand, CommandError

from corett import backups


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="a folder, or s3://bucket/prefix")
        parser.add_argument("--name", help="the backup's folder (default: corett-<UTC time>)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            outcome = backups.backup(options["to"], name=options["name"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = outcome.manifest
        files = sum(len(entries) for entries in manifest["files"].values())
        size = manifest["database"]["size"] + sum(
            entry["size"] for entries in manifest["files"].values() for entry in entries
        )
        self.stdout.write(
            f"backed up to {outcome.where}: database {manifest['database']['size']:,} bytes, "
            f"{files} files, {size:,} bytes in all, in {time.perf_counter() - started:.1f} s"
        )
