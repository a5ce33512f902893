"""The OpenAPI description of the plan's endpoints: who may read, the errors of writes, the 409
of versioned writes and the `retired` parameter."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers

from . import serializers

_RETIRED_PARAMETER = OpenApiParameter(
    "retired",
    bool,
    description=_(
        "true: the retired items instead of those in force (the secretariat only; 401 or 403 "
        "for anyone else)."
    ),
)
# Reading needs no credentials (drf-spectacular only infers that for AllowAny).
_PUBLIC_READ = [{"tokenAuth": []}, {"cookieAuth": []}, {}]
_WRITE_ERRORS = {
    400: OpenApiResponse(description=_("Invalid fields: a list of messages for each field.")),
    401: OpenApiResponse(description=_("No credentials, or a wrong token.")),
    403: OpenApiResponse(description=_("Only the secretariat may change the plan.")),
}


_RETIRED_REFUSED = {
    401: OpenApiResponse(description=_("retired=true without credentials, or a wrong token.")),
    403: OpenApiResponse(description=_("retired=true: only the secretariat lists retired items.")),
}


def _conflict_schema(serializer_class):
    return OpenApiResponse(
        inline_serializer(
            name=serializer_class.__name__.removesuffix("Serializer") + "Conflict",
            fields={"detail": drf_serializers.CharField(), "current": serializer_class()},
        ),
        description=_(
            "The item changed since the version sent (or is retired): nothing was saved; "
            "`current` is the item as it is now."
        ),
    )


def plan_item_schema(serializer_class, *, create=True):
    """OpenAPI of a plan item endpoint: errors of writes, 409 of versioned writes, `retired`."""
    versioned = {200: serializer_class, 409: _conflict_schema(serializer_class), **_WRITE_ERRORS}
    schemas = {
        "list": extend_schema(
            parameters=[_RETIRED_PARAMETER],
            auth=_PUBLIC_READ,
            responses={200: serializer_class, **_RETIRED_REFUSED},
        ),
        "retrieve": extend_schema(auth=_PUBLIC_READ),
        "partial_update": extend_schema(
            description=_("Changes the fields sent. `version` is required: the version last read."),
            responses=versioned,
        ),
    }
    if create:
        schemas["create"] = extend_schema(responses={201: serializer_class, **_WRITE_ERRORS})
        schemas["retire"] = extend_schema(
            description=_(
                "Retires the item: it leaves the current plan and stays in history. "
                "`version` is required: the version last read."
            ),
            request=serializers.VersionSerializer,
            responses=versioned,
        )
    return extend_schema_view(**schemas)
