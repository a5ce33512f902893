"""The secretariat's qualification of the strategy (section VIII): per axis and period, for each
country and for the region, on track, at risk or off track, always with its reason."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Axis, Country

from .models import Period, Qualification

# `seen` left out: the caller does not know what the page showed, so nothing is compared.
UNCHECKED = object()


@transaction.atomic
def qualification_set(
    *,
    user,
    axis: Axis,
    period: Period,
    country: Country | None,
    rating: str,
    reason: str,
    seen: datetime.datetime | None | object = UNCHECKED,
) -> Qualification:
    """Records (or changes) the qualification of an axis in a period, for a country or, with no
    country, for the region. `seen` is when the qualification shown to the user was last changed
    (None: none was shown): if it has changed since, nothing is saved, so that one person does not
    overwrite another's judgement unknowingly."""
    if not access.can_manage_periods(user):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if rating not in Qualification.Rating.values:
        errors["rating"] = _("Choose on track, at risk or off track.")
    if not reason:
        errors["reason"] = _("Give the reason for this qualification.")
    if errors:
        raise ValidationError(errors)
    qualification = (
        Qualification.objects.select_for_update()
        .filter(axis=axis, period=period, country=country)
        .first()
    )
    if seen is not UNCHECKED and seen != (qualification and qualification.updated_at):
        raise StaleQualification(qualification)
    if qualification is None:
        qualification = Qualification(axis=axis, period=period, country=country)
    elif (qualification.rating, qualification.reason) == (rating, reason):
        return qualification
    qualification.rating, qualification.reason, qualification.updated_by = rating, reason, user
    qualification.full_clean()
    qualification.save()
    return qualification


@dataclass
class StaleQualification(Exception):
    """The qualification changed since the page was shown (current is None if it was removed)."""

    current: Qualification | None


def qualifications_of(period: Period) -> dict[tuple[int, int | None], Qualification]:
    """{(axis id, country id or None): qualification} for a period, in one query."""
    return {
        (q.axis_id, q.country_id): q
        for q in Qualification.objects.filter(period=period).select_related("updated_by")
    }
