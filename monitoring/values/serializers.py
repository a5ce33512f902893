"""Serializers of the values API (monitoring.values.api): values, and the bodies of writes.

Reading: a value shows its breakdown through monitoring.values.breakdowns (a page of values in
bulk), so small cells read "<N" and the cells that would give them away "n.p." to anyone but the
secretariat and the country's own focal point.

Writing: these serializers only check the shape of a request (types, codes that exist, no unknown
keys). Whether a value is right for its indicator, the workflow and the audit are the business of
monitoring.values.services and .workflow, which the views call; their errors come back under these
field names.
"""

import json
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corett import access
from corett.api_fields import choice_field
from strategy.models import Country, Indicator

from ..periods.models import Period
from . import quality
from .breakdowns import value_breakdown, value_breakdowns
from .cleaning import too_long_lazy
from .models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, Status, Value

# The deepest a sensible body goes is 3 (body → breakdown → dimension → count): anything far deeper
# is refused before Python walks it (json's recursion, or str() of it in a message, could fail).
MAX_DEPTH = 8
MAX_VERSION = 2**31 - 1  # the column is a PositiveIntegerField
# Sent by the browsable API's HTML forms along with the fields.
FORM_KEYS = {"csrfmiddlewaretoken"}
TOO_DEEP = _("The JSON is nested too deeply.")


def too_deep(data) -> bool:
    """Is this parsed JSON nested deeper than MAX_DEPTH? Walked without recursion."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, Mapping):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def parse_json(text: str):
    """JSON as the API reads it: numbers with a point stay exact (Decimal, never a rounded float),
    NaN and Infinity are refused, and very deep nesting is an error rather than a crash."""

    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON")

    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=refuse)
    except RecursionError:
        raise ValueError(str(TOO_DEEP)) from None
    if too_deep(data):
        raise ValueError(str(TOO_DEEP))
    return data


# ---------------------------------------------------------------------------
# Values, as read

_PROTECTED_BREAKDOWN = {
    "type": "object",
    "description": _(
        "Per dimension, per category. Cells below the small-cell threshold read “<5” to anyone but "
        "the secretariat and the country's own focal point."
    ),
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
    },
    "example": {"sex": {"women": 7, "men": "<5", "not_specified": 0}},
}


@extend_schema_field(
    {
        "type": "number",
        "description": _(
            "The figure: a whole number for counts, 0–100 for percentages, 1 (yes) or 0 (no). "
            "Null for text indicators, whose value is in `text`."
        ),
    }
)
class NumberField(serializers.Field):
    """A stored figure as a JSON number: whole numbers without decimals."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, number: Decimal):
        return int(number) if number == number.to_integral_value() else float(number)


class ValueListSerializer(serializers.ListSerializer):
    """A page of values: their breakdowns worked out together (one query, not one per value)."""

    def to_representation(self, data):
        values = list(data.all() if hasattr(data, "all") else data)
        self.context["breakdowns"] = value_breakdowns(values, self.context["request"].user)
        return super().to_representation(values)


class ValueSerializer(serializers.ModelSerializer):
    """A value as this user may read it. Needs the request in its context."""

    country = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("ISO code of the country; null for a regional figure."),
    )
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    value = NumberField(source="number")
    disaggregation = serializers.SerializerMethodField()
    status = choice_field(Status, "ValueStatusEnum")
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up by one on every change. Send it back with a change or a step of the "
            "workflow: if the value has changed since, the answer is 409 Conflict."
        ),
    )

    demo = serializers.BooleanField(
        source="is_demo",
        read_only=True,
        help_text=_("True for a demonstration figure, invented to try the portal."),
    )
    unusual_change = serializers.SerializerMethodField(
        help_text=_(
            "Whether the value changed from the previous period beyond the indicator's tolerance "
            "(null for those who do not see the value in full)."
        )
    )
    quality_warning = serializers.SerializerMethodField(
        help_text=_("Why an unusual value cannot be submitted yet: it needs a comment.")
    )

    class Meta:
        model = Value
        fields = [
            "id",
            "country",
            "indicator",
            "period",
            "value",
            "text",
            "disaggregation",
            "status",
            "comment",
            "review_comment",
            "submitted_at",
            "late",
            "version",
            "updated_at",
            "demo",
            "unusual_change",
            "quality_warning",
        ]
        read_only_fields = fields
        list_serializer_class = ValueListSerializer

    def _in_full(self, value) -> bool:
        return access.sees_value_in_full(self.context["request"].user, value.country)

    def get_unusual_change(self, value) -> bool | None:
        return value.unusual_from is not None if self._in_full(value) else None

    def get_quality_warning(self, value) -> str | None:
        return (quality.warning(value) or None) if self._in_full(value) else None

    @extend_schema_field(_PROTECTED_BREAKDOWN)
    def get_disaggregation(self, value) -> dict:
        shown = self.context.get("breakdowns")
        if shown is not None and value.pk in shown:
            return shown[value.pk]
        return value_breakdown(value, self.context["request"].user)


# ---------------------------------------------------------------------------
# Bodies of the writes


class StrictSerializer(serializers.Serializer):
    """A request body in which every key must be a field: nothing sent is silently ignored."""

    def to_internal_value(self, data):
        unknown = set(data) - set(self.fields) - FORM_KEYS if isinstance(data, Mapping) else set()
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not unknown or not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError(
                error.detail | {key: [_("Unknown field.")] for key in unknown}
            ) from None
        if unknown:
            raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
        return value


class CodeField(serializers.SlugRelatedField):
    """A row by its code, with a message that says which code is unknown."""

    def __init__(self, *, unknown, upper=False, **kwargs):
        self.unknown, self.upper = unknown, upper
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        # A NUL would reach PostgreSQL, which refuses it with an error rather than "no such row".
        if not isinstance(data, str) or "\x00" in data:
            raise serializers.ValidationError(self.unknown % {"value": data})
        code = data.strip().upper() if self.upper else data.strip()
        try:
            return self.get_queryset().get(code=code)
        except self.get_queryset().model.DoesNotExist:
            raise serializers.ValidationError(self.unknown % {"value": data}) from None


@extend_schema_field(
    {
        "type": "number",
        "description": _(
            "The figure: a whole number 0 or more for counts, 0–100 (at most two decimals) for "
            "percentages, 1 (yes) or 0 (no). Leave it out for text indicators and send `text`."
        ),
        "example": 12,
    }
)
class RawNumberField(serializers.Field):
    """Passed on as sent: monitoring.values.cleaning decides what is a number, as for forms."""

    def to_internal_value(self, data):
        return data


@extend_schema_field(
    {
        "type": "object",
        "description": _(
            "Optional breakdown by the indicator's dimensions: per dimension, the count of each "
            "category; each dimension's categories add up to the value."
        ),
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "example": {"sex": {"women": 7, "men": 5}},
    }
)
class BreakdownField(serializers.JSONField):
    """An object of objects. Its dimensions, categories and sums are checked by the services."""

    def to_internal_value(self, data):
        if isinstance(data, str):  # from an HTML form: JSON in a text box
            try:
                data = parse_json(data) if data.strip() else {}
            except ValueError:
                data = None
        if not isinstance(data, Mapping):
            # Not self.fail(): its str.format() would take the example's braces for fields.
            raise serializers.ValidationError(
                _('Give the breakdown as an object, such as {"sex": {"women": 7, "men": 5}}.'),
                code="invalid",
            )
        return dict(data)


class ValueWriteSerializer(StrictSerializer):
    """The body of POST /api/v1/values/: a country's value for an indicator in a period."""

    country = CodeField(
        queryset=Country.objects.all(),
        unknown=_("Unknown country code “%(value)s”; use a two-letter ISO code such as HN."),
        upper=True,
        allow_null=True,
        help_text=_(
            "ISO code of the country (any case). Null for a regional figure: the secretariat only."
        ),
    )
    indicator = CodeField(
        queryset=Indicator.objects.current(),
        unknown=_("Unknown indicator code “%(value)s”."),
        help_text=_("Code of the indicator, such as TRA-2.1.1-a."),
    )
    period = CodeField(
        queryset=Period.objects.all(),
        unknown=_("Unknown period “%(value)s”; periods are coded like 2026."),
        help_text=_("Code of the reporting period, such as 2026."),
    )
    value = RawNumberField(required=False, allow_null=True)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": too_long_lazy(TEXT_MAX_LENGTH)},
        help_text=_("The value of a text indicator (up to 500 characters); nothing for others."),
    )
    disaggregation = BreakdownField(required=False, allow_null=True)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": too_long_lazy(COMMENT_MAX_LENGTH)},
        help_text=_("Optional note for the secretariat."),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_(
            "Leave it out for a new value. To change an existing draft or returned value, the "
            "version you last read: if the value changed since, the answer is 409 Conflict."
        ),
    )

    def validate(self, data):
        text_kind = data["indicator"].kind == Indicator.Kind.TEXT
        if text_kind and data.get("value") not in (None, ""):
            raise serializers.ValidationError(
                {"value": [_("This indicator's values are text: send “text” instead.")]}
            )
        if not text_kind and data.get("text"):
            raise serializers.ValidationError(
                {"text": [_("This indicator's values are numbers: send “value” instead.")]}
            )
        return data


class ValueVersionSerializer(StrictSerializer):
    """The body of a step of the workflow: the version of the value last read."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("The version of the value you last read."),
    )


class ValueReturnSerializer(ValueVersionSerializer):
    """The body of a return: the version of the value last read, and what needs fixing."""

    comment = serializers.CharField(
        allow_blank=True,
        help_text=_("What needs fixing: the focal point reads it beside the value."),
    )


class ValueReopenSerializer(ValueVersionSerializer):
    """The body of a reopening: the version of the value last read, and why."""

    reason = serializers.CharField(
        allow_blank=True, help_text=_("Why the validated value is reopened; kept in its history.")
    )
