"""API fields shared by the apps' serializers."""

from functools import cache

from django.utils.text import format_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@cache
def _choice_field_class(choices, component_name):
    """One field class per component: drf-spectacular tells components apart by class."""
    schema = {
        "type": "string",
        "enum": list(choices.values),
        # Lazy, so the labels follow the language of the request for the schema.
        "description": format_lazy(
            "\n".join(f"* `{value}` - {{}}" for value in choices.values), *choices.labels
        ),
    }
    return extend_schema_field(schema, component_name=component_name)(
        type(component_name.removesuffix("Enum") + "Field", (serializers.ChoiceField,), {})
    )


def choice_field(choices, component_name, **kwargs):
    """A choice field (read-only unless told) whose enum is a schema component of its own name.

    Indicator.kind and Instrument.kind are different choice sets under one field name; naming
    their components here keeps drf-spectacular from guessing (and warning about) the names.
    """
    field_class = _choice_field_class(choices, component_name)
    return field_class(choices=choices.choices, **({"read_only": True} | kwargs))
