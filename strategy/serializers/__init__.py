"""Serializers of the API.

Translated fields (see strategy/translation.py) are read through modeltranslation's
descriptors, so every text follows the language active for the request. Plan items (axes,
operational objectives, activities, goals, indicators) also carry their per-language fields
(`text_es`, `text_en`…), `id`, `version` and `retired`: those are what an editor reads and writes
(`plan_items.py`); everything else is read only (`reading.py`).
"""

from .plan_items import (
    PLAN_ITEM_FIELDS,
    POSITION,
    AxisSerializer,
    IndicatorSerializer,
    NumberRelatedField,
    PlanActivitySerializer,
    PlanGoalSerializer,
    PlanItemSerializer,
    PlanObjectiveSerializer,
    VersionSerializer,
    translated,
)
from .reading import (
    ActivitySerializer,
    CountrySerializer,
    GlossaryTermSerializer,
    GoalSerializer,
    GoverningBodySerializer,
    InstrumentRefSerializer,
    InstrumentSerializer,
    MatrixIndicatorSerializer,
    OperationalObjectiveSerializer,
    RatificationSerializer,
)

__all__ = [
    "PLAN_ITEM_FIELDS",
    "POSITION",
    "ActivitySerializer",
    "AxisSerializer",
    "CountrySerializer",
    "GlossaryTermSerializer",
    "GoalSerializer",
    "GoverningBodySerializer",
    "IndicatorSerializer",
    "InstrumentRefSerializer",
    "InstrumentSerializer",
    "MatrixIndicatorSerializer",
    "NumberRelatedField",
    "OperationalObjectiveSerializer",
    "PlanActivitySerializer",
    "PlanGoalSerializer",
    "PlanItemSerializer",
    "PlanObjectiveSerializer",
    "RatificationSerializer",
    "VersionSerializer",
    "translated",
]
