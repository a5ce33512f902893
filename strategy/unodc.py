"""The portal's categories as UNODC's Global Report on Trafficking in Persons asks for them.

UNODC's questionnaire for the Global Report counts detected victims by sex, by age group, by form
of exploitation and by citizenship, each with an "unknown" category. Each of the portal's
categories (strategy.dimensions) goes to exactly one of UNODC's; "not specified" always goes to
"unknown". docs/unodc-categories.md explains the choices.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .dimensions import NOT_SPECIFIED

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Table:
    """One of the questionnaire's breakdowns: its key, label, categories (in UNODC's order) and
    the portal's dimension and categories each one takes."""

    key: str
    label: Promise
    dimension: str  # the portal's (strategy.dimensions)
    categories: dict[str, Promise]
    mapping: dict[str, str]  # portal category → UNODC category

    def portal_categories(self, category: str) -> list[str]:
        return [portal for portal, unodc in self.mapping.items() if unodc == category]


TABLES = (
    Table(
        "sex",
        _("Sex"),
        "sex",
        {"female": _("Female"), "male": _("Male"), UNKNOWN: _("Unknown")},
        # UNODC's questionnaire has no third category: "other sex or gender" is counted as unknown
        {"women": "female", "men": "male", "other": UNKNOWN, NOT_SPECIFIED: UNKNOWN},
    ),
    Table(
        "age",
        _("Age group"),
        "age",
        {
            "adults": _("Adults (18 and over)"),
            "children": _("Children (under 18)"),
            UNKNOWN: _("Unknown"),
        },
        {"adults": "adults", "children": "children", NOT_SPECIFIED: UNKNOWN},
    ),
    Table(
        "exploitation",
        _("Form of exploitation"),
        "exploitation",
        {
            "sexual": _("Sexual exploitation"),
            "forced_labour": _("Forced labour"),
            "other": _("Other forms of exploitation"),
            UNKNOWN: _("Unknown"),
        },
        {
            "sexual": "sexual",
            "labour": "forced_labour",
            # UNODC's "other forms": mixed exploitation, begging, forced marriage, illegal
            # adoption, criminal activity and the rest
            "forced_marriage": "other",
            "begging": "other",
            "adoption": "other",
            "illicit_activities": "other",
            "other": "other",
            NOT_SPECIFIED: UNKNOWN,
        },
    ),
    Table(
        "citizenship",
        _("Citizenship"),
        "nationality",
        {"own": _("Own nationals"), "foreign": _("Foreign nationals"), UNKNOWN: _("Unknown")},
        {"national": "own", "foreign": "foreign", NOT_SPECIFIED: UNKNOWN},
    ),
)
