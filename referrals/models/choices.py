"""The directory's choices (sectors, roles in the referral chain, populations served), the
validator of a JSON list of them, and the normalised text every search matches against."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def normalise(text: str) -> str:
    """Text for accent- and case-insensitive matching: "Niñez" and "ninez" both become "ninez".

    NFKD splits "ñ" into "n" and a combining tilde, which is dropped; the same function is applied
    to the stored column and to the query, so the match works alike on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("government")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    INTERNATIONAL = "international", _("international organization")
    ACADEMIA = "academia", _("academia")
    PRIVATE = "private", _("private sector")
    MEDIA = "media", _("media")


class Role(models.TextChoices):
    """The links of the referral chain, in the order a case goes through them; coordination (of
    the national or regional response, the governing bodies' part) comes first."""

    COORDINATION = "coordination", _("coordination of the response")
    DETECTION = "detection", _("detection")
    PROTECTION = "protection", _("immediate protection")
    COMPLAINT = "complaint", _("complaint and investigation")
    IDENTIFICATION = "identification", _("formal identification")
    ASSISTANCE = "assistance", _("assistance and shelter")
    RETURN = "return", _("repatriation and reintegration")
    HOTLINE = "hotline", _("complaint line")


class Population(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    CHILDREN = "children", _("children and adolescents")
    WOMEN = "women", _("women")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ persons")
    MIGRANTS = "migrants", _("migrants and refugees")
    DISABILITIES = "disabilities", _("persons with disabilities")
    INDIGENOUS = "indigenous", _("indigenous peoples")


@deconstructible(path="referrals.models.ChoiceListValidator")
class ChoiceListValidator:
    """A JSON list whose items are all values of the named TextChoices of this module."""

    def __init__(self, choices_name: str):
        self.choices_name = choices_name

    def __call__(self, value):
        choices = globals()[self.choices_name]
        if not isinstance(value, list) or any(item not in choices.values for item in value):
            raise ValidationError(
                _("Use a list of these values: %(values)s.")
                % {"values": ", ".join(choices.values)},
                code="invalid_choice",
            )

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices_name == self.choices_name
