"""The narratives waiting for review, for the secretariat's queue (its view is another area's)."""

from django import template

from monitoring.narrative_views import narratives_waiting as waiting

register = template.Library()


@register.simple_tag
def narratives_waiting():
    """Submitted narratives with their country and period: one query."""
    return list(waiting())
