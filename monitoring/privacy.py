"""Small-cell protection: a breakdown cell of 1 to N-1 people could point at a person, so pages, the
API and reports show it as "<N" to anyone but the secretariat and the country's own focal point."""

from django.conf import settings

from corett import access


def protected_breakdown(value, user) -> dict:
    """The value's breakdown as this user may see it: counts, or "<N" for the small cells."""
    threshold = settings.SMALL_CELL_THRESHOLD
    if not threshold or access.sees_small_cells(user, value.country):
        return value.disaggregation
    return {
        dimension: {
            category: f"<{threshold}" if 0 < count < threshold else count
            for category, count in categories.items()
        }
        for dimension, categories in value.disaggregation.items()
    }
