"""The API's read-only serializers: countries, the operative matrix inside an axis, the
instruments, ratifications and glossary. Texts follow the language active for the request."""

from rest_framework import serializers

from corett.api_fields import choice_field

from ..models import (
    Activity,
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


def _disaggregations():
    return serializers.ListField(child=serializers.CharField(), read_only=True)


class MatrixIndicatorSerializer(serializers.ModelSerializer):
    """An indicator as it sits inside the operative matrix of an axis."""

    kind = choice_field(Indicator.Kind, "IndicatorKindEnum")
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


class InstrumentSerializer(serializers.ModelSerializer):
    kind = choice_field(Instrument.Kind, "InstrumentKindEnum")

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
