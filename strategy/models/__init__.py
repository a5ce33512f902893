"""The strategy as the coalition approved it: reference data loaded from fixtures/strategy/.

Models live by what they hold; every name is importable from ``strategy.models`` as before.
"""

from .document import (
    Approach,
    AudienceSector,
    Country,
    GlossaryTerm,
    GoverningBody,
    Passage,
)
from .framework import (
    Crime,
    Definition,
    Difference,
    Instrument,
    NationalInstrument,
    Ratification,
    RegionalInstrument,
)
from .plan import (
    Activity,
    Axis,
    AxisQuerySet,
    Frequency,
    Goal,
    Indicator,
    OperationalObjective,
    PlanItem,
    PlanItemQuerySet,
)

__all__ = [
    "Activity",
    "Approach",
    "AudienceSector",
    "Axis",
    "AxisQuerySet",
    "Country",
    "Crime",
    "Definition",
    "Difference",
    "Frequency",
    "GlossaryTerm",
    "GoverningBody",
    "Goal",
    "Indicator",
    "Instrument",
    "NationalInstrument",
    "OperationalObjective",
    "Passage",
    "PlanItem",
    "PlanItemQuerySet",
    "Ratification",
    "RegionalInstrument",
]
