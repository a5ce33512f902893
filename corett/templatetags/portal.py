from django import template
from django.urls import translate_url

from corett.access import person_shown_to

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The current page in another language (its /es/ or /en/ twin), query string kept."""
    request = context["request"]
    known = request.__dict__.setdefault("_translated_paths", {})  # the layout asks twice each
    if language not in known:
        known[language] = translate_url(request.get_full_path(), language)
    return known[language]


@register.filter
def shown_to(person, viewer) -> str:
    """{{ entry.verified_by|shown_to:user }}: the account as this viewer may see it named
    (corett.access.person_shown_to)."""
    return person_shown_to(viewer, person)


@register.filter
def paragraphs(text: str) -> list[str]:
    """Splits a text on blank lines, for content stored as plain paragraphs."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]
