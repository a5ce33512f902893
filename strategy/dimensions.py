"""The dimensions an indicator's values can be disaggregated by, and the categories of each.

Every dimension has a "not specified" category, so that the categories can always add up to the
total that a country reports.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NOT_SPECIFIED = "not_specified"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    categories: dict[str, Promise]


DIMENSIONS = {
    dimension.key: dimension
    for dimension in (
        Dimension(
            "sex",
            _("Sex"),
            {"women": _("Women"), "men": _("Men"), "other": _("Other sex or gender")},
        ),
        Dimension(
            "age", _("Age"), {"adults": _("Adults"), "children": _("Children and adolescents")}
        ),
        Dimension(
            "level",
            _("Level (national, regional, extra-regional)"),
            {
                "national": _("National"),
                "regional": _("Regional"),
                "extra_regional": _("Extra-regional"),
            },
        ),
        Dimension(
            "nationality",
            _("Nationality"),
            {"national": _("Nationals"), "foreign": _("Foreigners")},
        ),
        Dimension(
            "exploitation",
            _("Form of exploitation"),
            {
                "sexual": _("Sexual exploitation"),
                "labour": _("Labour exploitation"),
                "forced_marriage": _("Forced marriage"),
                "begging": _("Forced begging"),
                "adoption": _("Irregular or illegal adoption"),
                "illicit_activities": _("Illicit activities"),
                "other": _("Other purposes"),
            },
        ),
    )
}
for _dimension in DIMENSIONS.values():
    _dimension.categories[NOT_SPECIFIED] = _("Not specified")

CHOICES = [(key, dimension.label) for key, dimension in DIMENSIONS.items()]
