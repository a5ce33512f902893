from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from corett.env import env_bool

DEMO_PASSWORD = "corett-demo-2026"
DEMO_USERS = [
    # username, first name, last name, is_staff, is_superuser
    ("secretariat", "Secretaría", "Técnica", True, True),
    ("focal-hn", "Enlace", "Honduras", False, False),
    ("focal-sv", "Enlace", "El Salvador", False, False),
    ("observer", "Observador", "Regional", False, False),
]


class Command(BaseCommand):
    help = f"Creates the demo accounts (password {DEMO_PASSWORD!r}). Only in DEBUG or DEMO_MODE."

    def handle(self, *args, **options):
        if not (settings.DEBUG or env_bool("DEMO_MODE")):
            raise CommandError(
                "Demo accounts have a public password: set DEBUG or DEMO_MODE to create them."
            )
        User = get_user_model()
        for username, first, last, staff, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": staff,
                    "is_superuser": superuser,
                    "email": f"{username}@corett.invalid",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.stdout.write(f"{'created' if created else 'kept'} {username}")
