"""The OpenAPI description of the values API (monitoring.values.api): what each action takes and
answers, in the request's language. Only read by drf-spectacular; no behaviour here."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework.settings import api_settings

from . import serializers

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

# Reading needs no credentials (drf-spectacular only infers that for AllowAny).
PUBLIC_READ = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


def _messages():
    return drf_serializers.ListField(child=drf_serializers.CharField(), required=False)


def _errors(name, fields):
    return inline_serializer(name=name, fields={field: _messages() for field in fields})


_CONFLICT = OpenApiResponse(
    inline_serializer(
        name="ValueConflict",
        fields={"detail": drf_serializers.CharField(), "current": serializers.ValueSerializer()},
    ),
    description=gettext_lazy(
        "The value changed since the version sent (or, for a new value, someone saved one first): "
        "nothing was saved; `current` is the value as it is now."
    ),
)
_COMMON = {
    401: OpenApiResponse(description=gettext_lazy("No credentials, or a wrong token.")),
    403: OpenApiResponse(
        description=gettext_lazy(
            "Not allowed: observers write nothing, a focal point writes only for their country, "
            "and only the secretariat validates, returns and reopens."
        )
    ),
    409: _CONFLICT,
}


def _step(description, request, errors, note=None):
    return extend_schema(
        description=description,
        request=request,
        responses={
            200: serializers.ValueSerializer,
            400: OpenApiResponse(
                _errors(errors, ["version", *([note] if note else []), NON_FIELD]),
                description=gettext_lazy(
                    "Invalid body, or the value is not in a state that allows this step."
                ),
            ),
            404: OpenApiResponse(description=gettext_lazy("No such value that you may read.")),
            **_COMMON,
        },
    )


value_schema = extend_schema_view(
    list=extend_schema(
        auth=PUBLIC_READ,
        description=gettext_lazy(
            "Values you may read: validated ones for everyone; a focal point also sees their own "
            "country's in every state; the secretariat sees all. Ordered by period, indicator and "
            "country. Breakdown cells below the small-cell threshold read “<5” except to the "
            "secretariat and the country's own focal point. An unknown country, indicator or "
            "period code is a 400."
        ),
    ),
    retrieve=extend_schema(
        auth=PUBLIC_READ,
        description=gettext_lazy(
            "One value, if you may read it (else 404), its breakdown protected as in the list."
        ),
    ),
    create=extend_schema(
        description=gettext_lazy(
            "Saves a country's value for an indicator in a period as a draft (the country's focal "
            "point or the secretariat). New: 201, leave `version` out. Existing draft or returned "
            "value: 200, with the `version` last read. Submitted and validated values cannot be "
            "changed here (400): the secretariat returns or reopens them first. Send `value` for "
            "counts, percentages and yes/no (1 or 0), `text` for text indicators."
        ),
        request=serializers.ValueWriteSerializer,
        responses={
            201: serializers.ValueSerializer,
            200: serializers.ValueSerializer,
            400: OpenApiResponse(
                _errors(
                    "ValueWriteErrors",
                    [*serializers.ValueWriteSerializer().fields, NON_FIELD],
                ),
                description=gettext_lazy(
                    "Invalid value: a list of messages for each field, in the request's language."
                ),
            ),
            **_COMMON,
        },
    ),
    submit=_step(
        gettext_lazy(
            "Sends a draft or returned value to the secretariat (the country's focal point or the "
            "secretariat). After the period's close date it is flagged late."
        ),
        serializers.ValueVersionSerializer,
        "ValueSubmitErrors",
    ),
    validate=_step(
        gettext_lazy(
            "Accepts a submitted value (the secretariat): from then on it is locked on every "
            "write path until reopened."
        ),
        serializers.ValueVersionSerializer,
        "ValueValidateErrors",
    ),
    return_=_step(
        gettext_lazy(
            "Sends a submitted value back to its country with a comment (the secretariat)."
        ),
        serializers.ValueReturnSerializer,
        "ValueReturnErrors",
        "comment",
    ),
    reopen=_step(
        gettext_lazy(
            "Unlocks a validated value so that its country can correct it (the secretariat); the "
            "reason is kept in its history."
        ),
        serializers.ValueReopenSerializer,
        "ValueReopenErrors",
        "reason",
    ),
)
