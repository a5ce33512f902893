"""Every write to a country's narrative of a period (progress, obstacles, adjustments proposed).

The narrative travels with the values (section VIII): the focal point saves it as a draft with the
values, submits it with them, and the secretariat returns it with a comment or validates it. Same
access rules as the values (corett.access); a save based on an old version raises StaleNarrative.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country

from .models import Narrative, Period, Status
from .services import create_unless_someone_just_did

EDITABLE = {Status.DRAFT, Status.RETURNED}
TEXTS = ("progress", "obstacles", "adjustments")
MAX_CHARACTERS = 5000


@dataclass
class StaleNarrative(Exception):
    """The narrative changed since the form was read: saving would overwrite that change."""

    current: Narrative


def _check_period(period: Period) -> None:
    state = period.state
    if state == Period.State.LOCKED:
        raise ValidationError({"period": _("Period %(period)s is locked.") % {"period": period}})
    if state == Period.State.UPCOMING:
        raise ValidationError(
            {"period": _("Period %(period)s is not open yet.") % {"period": period}}
        )


def _locked(narrative: Narrative, version: int | None) -> Narrative:
    current = Narrative.objects.select_for_update().select_related("period").get(pk=narrative.pk)
    if version is not None and current.version != version:
        raise StaleNarrative(current)
    return current


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
    _check_period(period)
    narrative = Narrative.objects.filter(country=country, period=period).first()
    if narrative is None:
        narrative = Narrative(country=country, period=period)
    else:
        if version == 0:  # someone wrote one since the form was shown
            raise StaleNarrative(narrative)
        narrative = _locked(narrative, version)
        if narrative.status not in EDITABLE:
            raise ValidationError(
                {
                    "status": _(
                        "The narrative is in state “%(status)s”: it can no longer be changed here."
                    )
                    % {"status": narrative.get_status_display()}
                }
            )
        narrative.version += 1
    for name, text in texts.items():
        setattr(narrative, name, text)
    narrative.full_clean(exclude=["country", "period"], validate_unique=False)
    if narrative.pk is None:
        create_unless_someone_just_did(narrative, StaleNarrative, country=country, period=period)
    else:
        narrative.save()
    return narrative


def _transition(narrative, *, user, may, allowed_from, to, version) -> Narrative:
    if not may(user):
        raise PermissionDenied
    narrative = _locked(narrative, version)
    if narrative.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("The narrative is in state “%(status)s”: it cannot become “%(to)s”.")
                % {"status": narrative.get_status_display(), "to": Status(to).label}
            }
        )
    narrative.status = to
    narrative.version += 1
    return narrative


@transaction.atomic
def narrative_submit(*, user, narrative: Narrative, version: int | None = None) -> Narrative:
    """A draft or returned narrative goes to the secretariat with the values."""
    narrative = _transition(
        narrative,
        user=user,
        may=lambda u: access.can_enter_values(u, narrative.country_id),
        allowed_from=EDITABLE,
        to=Status.SUBMITTED,
        version=version,
    )
    _check_period(narrative.period)
    narrative.save()
    return narrative


@transaction.atomic
def narrative_return(
    *, user, narrative: Narrative, comment: str, version: int | None = None
) -> Narrative:
    """The secretariat sends a submitted narrative back with a comment."""
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what needs fixing.")})
    narrative = _transition(
        narrative,
        user=user,
        may=access.can_review_values,
        allowed_from={Status.SUBMITTED},
        to=Status.RETURNED,
        version=version,
    )
    narrative.review_comment = comment.strip()
    narrative.save()
    return narrative


@transaction.atomic
def narrative_validate(*, user, narrative: Narrative, version: int | None = None) -> Narrative:
    """The secretariat accepts a submitted narrative: from now on it is read-only."""
    narrative = _transition(
        narrative,
        user=user,
        may=access.can_review_values,
        allowed_from={Status.SUBMITTED},
        to=Status.VALIDATED,
        version=version,
    )
    narrative.review_comment = ""
    narrative.save()
    return narrative
