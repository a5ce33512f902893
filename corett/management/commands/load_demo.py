from django.conf import settings
from django.core.management import BaseCommand, CommandError

from corett.models import User
from strategy.models import Country

DEMO_PASSWORD = "corett-demo"


def demo_accounts():
    """(username, role, country) of every demo account: one focal point per member country."""
    yield "secretariat", User.Role.SECRETARIAT, None
    yield "observer", User.Role.OBSERVER, None
    for country in Country.objects.order_by("code"):
        yield f"focal-{country.code.lower()}", User.Role.FOCAL_POINT, country


class Command(BaseCommand):
    help = f"Creates the demo accounts (password {DEMO_PASSWORD!r}). Only in demo mode."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo accounts have a public password: they are created only in demo mode "
                "(DEBUG on or CORETT_DEMO=1)."
            )
        for username, role, country in demo_accounts():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "country": country, "email": f"{username}@corett.invalid"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({role.label})")
