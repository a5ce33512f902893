from django import template
from django.urls import translate_url

from corett.access import person_shown_to

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The current page in another language (its /es/ or /en/ twin), query string kept."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.filter
def shown_to(person, viewer) -> str:
    """{{ entry.verified_by|shown_to:user }}: the account as this viewer may see it named
    (corett.access.person_shown_to)."""
    return person_shown_to(viewer, person)


@register.filter
def paragraphs(text: str) -> list[str]:
    """Splits a text on blank lines, for content stored as plain paragraphs."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]
