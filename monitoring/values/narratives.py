"""Every write to a country's narrative of a period (progress, obstacles, adjustments proposed).

The narrative travels with the values (section VIII): the focal point saves it as a draft with the
values, submits it with them, and the secretariat returns it with a comment or validates it, through
the same workflow as the values (monitoring.values.workflow). Same access rules as the values
(corett.access); a save based on an old version raises StaleNarrative.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country

from ..periods.models import Period
from . import workflow
from .models import Narrative
from .workflow import StaleNarrative

__all__ = [
    "MAX_CHARACTERS",
    "TEXTS",
    "StaleNarrative",
    "narrative_return",
    "narrative_save",
    "narrative_submit",
    "narrative_validate",
]

TEXTS = ("progress", "obstacles", "adjustments")
MAX_CHARACTERS = 5000


@transaction.atomic
def narrative_save(
    *,
    user,
    country: Country,
    period: Period,
    progress: str = "",
    obstacles: str = "",
    adjustments: str = "",
    version: int | None = None,
) -> Narrative:
    """Creates or changes the narrative as a draft (a returned one stays returned until it is
    submitted again). Version 0 means "there was none when the form was shown"."""
    if not access.can_enter_values(user, country):
        raise PermissionDenied
    texts = {"progress": progress, "obstacles": obstacles, "adjustments": adjustments}
    texts = {name: (text or "").strip().replace("\r\n", "\n") for name, text in texts.items()}
    errors = {
        name: _("Keep it under %(limit)s characters.") % {"limit": MAX_CHARACTERS}
        for name, text in texts.items()
        if len(text) > MAX_CHARACTERS
    }
    if errors:
        raise ValidationError(errors)
    workflow.check_period(period)
    narrative = Narrative.objects.filter(country=country, period=period).first()
    if narrative is None:
        narrative = Narrative(country=country, period=period)
    else:
        if version == 0:  # someone wrote one since the form was shown
            raise StaleNarrative(narrative)
        narrative = workflow.lock(narrative, version)
        workflow.check_editable(narrative)
        narrative.version += 1
    for name, text in texts.items():
        setattr(narrative, name, text)
    narrative.full_clean(exclude=["country", "period"], validate_unique=False)
    if narrative.pk is None:
        workflow.create_unless_someone_just_did(narrative, country=country, period=period)
    else:
        narrative.save()
    return narrative


def narrative_submit(*, user, narrative: Narrative, version: int | None = None) -> Narrative:
    """A draft or returned narrative goes to the secretariat with the values."""
    return workflow.transition(narrative, workflow.SUBMIT, user=user, version=version)


def narrative_return(
    *, user, narrative: Narrative, comment: str, version: int | None = None
) -> Narrative:
    """The secretariat sends a submitted narrative back with a comment."""
    return workflow.transition(narrative, workflow.RETURN, user=user, version=version, note=comment)


def narrative_validate(*, user, narrative: Narrative, version: int | None = None) -> Narrative:
    """The secretariat accepts a submitted narrative: from now on it is read-only."""
    return workflow.transition(narrative, workflow.VALIDATE, user=user, version=version)
