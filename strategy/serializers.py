"""Serializers of the API.

Translated fields (see strategy/translation.py) are read through modeltranslation's
descriptors, so every text follows the language active for the request. Plan items (axes,
operational objectives, activities, goals, indicators) also carry their per-language fields
(`text_es`, `text_en`…), `id`, `version` and `retired`: those are what an editor reads and writes.
Writes never go through `serializer.save()`: the views hand the validated data to
strategy/services.py, where the version rule, the model's validation and history apply.
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from corett.api_fields import choice_field

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


# ---------------------------------------------------------------------------
# Plan items: read and written by the editors' endpoints


def _translated_fields(model) -> list[str]:
    """The model's translated fields (`text`…), as registered in strategy/translation.py."""
    return list(translator.get_options_for_model(model).fields)


def _per_language(name) -> list[str]:
    return [build_localized_fieldname(name, lang) for lang in mt_settings.AVAILABLE_LANGUAGES]


def translated(*names) -> list[str]:
    """Each translated field as read (`text`, in the request's language) and per language."""
    return [field for name in names for field in (name, *_per_language(name))]


def _integer(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's 1e309 is infinity
        return None


PLAN_ITEM_FIELDS = ["id", "version", "retired"]
# Positions change by moving an item among its siblings, not by editing it.
POSITION = {
    "required": False,
    "help_text": _(
        "Position among its siblings. Set on creation only; left out, the item goes last."
    ),
}
# Sent by the browsable API's HTML forms along with the fields.
_FORM_KEYS = {"csrfmiddlewaretoken"}


class PlanItemSerializer(serializers.ModelSerializer):
    """A plan item as its editors read and write it.

    Writable: the per-language fields (`text_es`, `text_en`…; the field without a suffix is the
    text in the request's language, read-only) and the item's own fields; the fields of
    `Meta.create_only` (where the item hangs in the plan) only when creating. `version` is
    required on an update (the version last read) and refused on creation. Any key that is not a
    writable field is an error, never silently ignored. The model's own validation (`full_clean`)
    runs in strategy/services.py; `model_errors` turns its errors into this API's field names.
    """

    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_(
            "Goes up by one on every change. Required when changing or retiring the item: the "
            "version you last read. If the item has changed since, the answer is 409 Conflict."
        ),
    )
    retired = serializers.BooleanField(
        source="is_retired",
        read_only=True,
        help_text=_("Retired items stay in history and past reports, not in the current plan."),
    )

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in _translated_fields(self.Meta.model):
            extra.setdefault(name, {})["read_only"] = True
        return extra

    def get_validators(self):
        return []  # uniqueness and constraints: the model's full_clean, in the services

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def to_internal_value(self, data):
        errors, unchanged = self._check_keys(data) if isinstance(data, Mapping) else ({}, [])
        if unchanged:  # read back as they were: no change asked
            data = data.copy()
            for key in unchanged:
                data.pop(key)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            errors = error.detail | errors
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def _check_keys(self, data) -> tuple[dict, list]:
        """Errors for the keys that may not be written, and the keys to pass over.

        On an update, a field that may not be written but is sent with the value it has is passed
        over: an item as read (a GET's body, as the browsable API offers it) can be sent back
        with some fields changed. Any other value for it is an error, never silently dropped,
        unless the version sent is not the item's: then the item was read before a change, and
        the answer is the conflict (409) that the write will meet.
        """
        creating = self.instance is None
        create_only = getattr(self.Meta, "create_only", ())
        translated_names = _translated_fields(self.Meta.model)
        errors, unchanged = {}, []
        as_read = None
        stale = not creating and _integer(data.get("version")) != self.instance.version
        for key in data:
            field = self.fields.get(key)
            if key in _FORM_KEYS:
                continue
            if field is None:
                errors[key] = [_("Unknown field.")]
                continue
            if not (field.read_only or (key in create_only and not creating)):
                if key == "version" and creating and data[key] not in ("", None):
                    errors[key] = [_("Leave it out when creating: a new item starts at version 1.")]
                continue
            if stale:
                unchanged.append(key)
                continue
            if not creating:
                as_read = as_read if as_read is not None else self.to_representation(self.instance)
                # The same value, and of the same JSON type: true is not the number 1.
                sent = data[key]
                if key in as_read and sent == as_read[key] and type(sent) is type(as_read[key]):
                    unchanged.append(key)
                    continue
            if key in translated_names:
                errors[key] = [
                    _("Read-only: write %(fields)s instead.")
                    % {"fields": ", ".join(_per_language(key))}
                ]
            elif field.read_only:
                errors[key] = [_("This field is read-only.")]
            else:
                errors[key] = [_("Can only be set when the item is created.")]
        if not creating and "version" not in data:
            errors["version"] = [_("Required: the version of the item you last read.")]
        return errors, unchanged

    @classmethod
    def model_errors(cls, error: DjangoValidationError) -> dict:
        """The model's validation errors under this API's names.

        A translated field (`text`) is reported on its default-language field (`text_es`): it is
        blank only when every language is, and the default language is the one to fill first.
        Errors about the whole item (such as a repeated number) go under `non_field_errors`.
        """
        translated_names = _translated_fields(cls.Meta.model)
        renamed = {  # model field → API field, such as an indicator's goal → goal_id
            field.source: name
            for name, field in cls().fields.items()
            if not field.read_only and field.source != name
        }
        errors = {}
        for field, messages in error.message_dict.items():
            if field == NON_FIELD_ERRORS:
                field = api_settings.NON_FIELD_ERRORS_KEY
            elif field in translated_names:
                field = build_localized_fieldname(field, mt_settings.DEFAULT_LANGUAGE)
            field = renamed.get(field, field)
            errors.setdefault(field, []).extend(messages)
        return errors


class AxisSerializer(PlanItemSerializer):
    """A strategic axis with its current operative matrix. Editable: its texts, per language."""

    operational_objectives = OperationalObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Axis
        fields = [
            *PLAN_ITEM_FIELDS,
            "number",
            "slug",
            *translated("name", "specific_objective", "description"),
            "operational_objectives",
        ]
        read_only_fields = ["number", "slug"]


class NumberRelatedField(serializers.SlugRelatedField):
    """A row by its number. JSON true and false are not numbers, though Python takes them for 1
    and 0 (and would file the item under axis 1)."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlanObjectiveSerializer(PlanItemSerializer):
    """An operational objective of an axis."""

    axis = NumberRelatedField(
        slug_field="number",
        queryset=Axis.objects.current(),
        help_text=_("Number of the axis it belongs to. Set on creation only."),
    )

    class Meta:
        model = OperationalObjective
        fields = [*PLAN_ITEM_FIELDS, "axis", "number", *translated("text")]
        create_only = ["axis", "number"]
        extra_kwargs = {
            "number": {
                "required": False,
                "help_text": _(
                    "Number within its axis. Set on creation only; left out, the next one."
                ),
            }
        }


class PlanActivitySerializer(PlanItemSerializer):
    """An activity of an operational objective."""

    objective = serializers.PrimaryKeyRelatedField(
        queryset=OperationalObjective.objects.current(),
        help_text=_("Id of the operational objective it belongs to. Set on creation only."),
    )
    axis = serializers.IntegerField(source="objective.axis.number", read_only=True)

    class Meta:
        model = Activity
        fields = [
            *PLAN_ITEM_FIELDS,
            "objective",
            "axis",
            "code",
            "order",
            *translated("text", "responsible", "timeframe"),
        ]
        create_only = ["objective", "order"]
        extra_kwargs = {"order": POSITION}


class PlanGoalSerializer(PlanItemSerializer):
    """A goal of an activity."""

    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.current(),
        help_text=_("Id of the activity it belongs to. Set on creation only."),
    )
    axis = serializers.IntegerField(source="activity.objective.axis.number", read_only=True)

    class Meta:
        model = Goal
        fields = [*PLAN_ITEM_FIELDS, "activity", "axis", "code", "order", *translated("text")]
        create_only = ["activity", "order"]
        extra_kwargs = {"order": POSITION}


class IndicatorSerializer(PlanItemSerializer):
    """An indicator in the flat list, with where it sits in the matrix.

    Context indicators stand outside the matrix: their goal, activity and axis are null.
    """

    kind = choice_field(Indicator.Kind, "IndicatorKindEnum", read_only=False, required=False)
    disaggregations = serializers.ListField(child=serializers.CharField(), required=False)
    goal = serializers.CharField(source="goal.code", read_only=True, allow_null=True)
    activity = serializers.CharField(source="goal.activity.code", read_only=True, allow_null=True)
    axis = serializers.IntegerField(
        source="goal.activity.objective.axis.number", read_only=True, allow_null=True
    )
    goal_id = serializers.PrimaryKeyRelatedField(
        source="goal",
        queryset=Goal.objects.current(),
        allow_null=True,
        required=False,
        help_text=_(
            "Id of the goal it measures; null for a context indicator. Set on creation only."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            *PLAN_ITEM_FIELDS,
            "code",
            "goal_id",
            "goal",
            "activity",
            "axis",
            "order",
            *translated("name", "unit"),
            "kind",
            "disaggregations",
            "baseline",
            "target",
        ]
        create_only = ["goal_id", "order"]
        extra_kwargs = {"order": POSITION}


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


class VersionSerializer(serializers.Serializer):
    """The body of a retirement: the version of the item last read, and nothing else."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version of the item you last read.")
    )

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = set(data) - {"version", *_FORM_KEYS}
            if unknown:
                raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
        return super().to_internal_value(data)
