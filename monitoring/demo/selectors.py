"""Whether demonstration figures are in the database, for the banner on every page, the API and
the reports' watermark."""

from django.conf import settings
from django.core.cache import cache

from ..periods.models import Period
from ..values.models import Value

CACHE_KEY = "monitoring:demo-figures"
CACHE_SECONDS = 60


def demo_rows_exist() -> bool:
    return Value.objects.filter(is_demo=True).exists()


def demo_figures_exist() -> bool:
    """Asked by every page: one cached query in demo mode (the demo forgets the answer when it
    changes); none outside it, where `manage.py demo` refuses to write any."""
    if not settings.DEMO_MODE:
        return False
    return cache.get_or_set(CACHE_KEY, demo_rows_exist, CACHE_SECONDS)


def forget() -> None:
    cache.delete(CACHE_KEY)


def report_includes_demo(*, period: Period, country=None) -> bool:
    """A report shows demonstration figures when any of the values it reads is one."""
    values = Value.objects.filter(period=period, is_demo=True)
    if country is not None:
        values = values.filter(country=country)
    return values.exists()
