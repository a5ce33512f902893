"""Read-only serializers of the public API.

Translated fields (see strategy/translation.py) are read through modeltranslation's
descriptors, so every text follows the language active for the request.
"""

from django.utils.text import format_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    Activity,
    Axis,
    Country,
    GlossaryTerm,
    Goal,
    GoverningBody,
    Indicator,
    Instrument,
    OperationalObjective,
    Ratification,
)


class GoverningBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = GoverningBody
        fields = ["name", "acronym"]


class CountrySerializer(serializers.ModelSerializer):
    governing_body = GoverningBodySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Country
        fields = ["code", "name", "governing_body"]


def _choice_field(choices, component_name):
    """A read-only choice field whose enum is a schema component of its own name.

    Indicator.kind and Instrument.kind are different choice sets under one field name; naming
    their components here keeps drf-spectacular from guessing (and warning about) the names.
    """
    schema = {
        "type": "string",
        "enum": list(choices.values),
        # Lazy, so the labels follow the language of the request for the schema.
        "description": format_lazy(
            "\n".join(f"* `{value}` - {{}}" for value in choices.values), *choices.labels
        ),
    }
    field_class = extend_schema_field(schema, component_name=component_name)(
        type(component_name.removesuffix("Enum") + "Field", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices.choices, read_only=True)


def _disaggregations():
    return serializers.ListField(child=serializers.CharField(), read_only=True)


class MatrixIndicatorSerializer(serializers.ModelSerializer):
    """An indicator as it sits inside the operative matrix of an axis."""

    kind = _choice_field(Indicator.Kind, "IndicatorKindEnum")
    disaggregations = _disaggregations()

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "kind", "disaggregations", "target"]


class GoalSerializer(serializers.ModelSerializer):
    indicators = MatrixIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["code", "text", "indicators"]


class ActivitySerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = ["code", "text", "responsible", "timeframe", "goals"]


class OperationalObjectiveSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = OperationalObjective
        fields = ["number", "text", "activities"]


class AxisSerializer(serializers.ModelSerializer):
    operational_objectives = OperationalObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Axis
        fields = [
            "number",
            "slug",
            "name",
            "specific_objective",
            "description",
            "operational_objectives",
        ]


class IndicatorSerializer(MatrixIndicatorSerializer):
    """An indicator in the flat list, with where it sits in the matrix.

    Context indicators stand outside the matrix: their goal, activity and axis are null.
    """

    goal = serializers.CharField(source="goal.code", read_only=True, allow_null=True)
    activity = serializers.CharField(source="goal.activity.code", read_only=True, allow_null=True)
    axis = serializers.IntegerField(
        source="goal.activity.objective.axis.number", read_only=True, allow_null=True
    )

    class Meta(MatrixIndicatorSerializer.Meta):
        fields = [*MatrixIndicatorSerializer.Meta.fields, "goal", "activity", "axis"]


class InstrumentSerializer(serializers.ModelSerializer):
    kind = _choice_field(Instrument.Kind, "InstrumentKindEnum")

    class Meta:
        model = Instrument
        fields = ["order", "short_name", "name", "kind", "system", "year"]


class InstrumentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = ["id", "short_name", "name"]


class RatificationSerializer(serializers.ModelSerializer):
    instrument = InstrumentRefSerializer(read_only=True)
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    date = serializers.DateField(read_only=True, allow_null=True, format="iso-8601")

    class Meta:
        model = Ratification
        fields = ["instrument", "country", "date", "accession", "source_text", "doubtful", "note"]


class GlossaryTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = GlossaryTerm
        fields = ["slug", "term", "definition"]
