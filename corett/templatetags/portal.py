from django import template
from django.urls import translate_url
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


@register.filter
def rating(qualification) -> SafeString:
    """{{ q|rating }}: a qualification's rating as the dashboards' badge, or that there is none
    yet. A filter, not an include: the regional dashboard shows one per country and axis."""
    if not qualification:
        none = escape(_("not qualified yet"))
        return mark_safe(f'<span class="rating rating-none">{none}</span>')
    shown = escape(qualification.get_rating_display())
    return mark_safe(f'<span class="rating rating-{escape(qualification.rating)}">{shown}</span>')
