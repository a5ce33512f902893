"""Reads of the strategy's content that pages in several places share."""

from .models import Passage


def passages(*keys) -> dict:
    """The passages of the document under these keys, for a template: {"general_objective":
    Passage or None, …} (dashes become underscores), in one query."""
    found = {p.key: p for p in Passage.objects.filter(key__in=keys)}
    return {key.replace("-", "_"): found.get(key) for key in keys}
