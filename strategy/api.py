"""REST API over the strategy (mounted by corett/api_urls.py).

Reference data is read-only and public. The operative plan (axes, operational objectives,
activities, goals, indicators) is public to read and written by the secretariat only
(corett.access.PlanEditorOrReadOnly); every write goes through strategy/services.py, so the
version rule, the model's validation and history apply as in the portal's forms:

- PATCH an item with its per-language fields and the `version` last read: 200 with the item;
  409 Conflict with the current item if it changed since; 400 with per-field messages.
- POST to a list creates an item (not axes: those are fixed by the strategy); POST to
  `…/{id}/retire/` with `version` retires it (not axes either). Nothing is ever deleted.
- Lists show the items in force. `?retired=true` lists the retired ones instead, for the
  secretariat only; a retired item's own URL answers 404 to everyone else.

Every list runs in a fixed number of SQL queries whatever the number of rows: the
querysets below select or prefetch everything their serializers read.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from modeltranslation.utils import build_localized_fieldname, resolution_order
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from corett.access import PlanEditorOrReadOnly, can_see_retired_plan_items
from corett.api_filters import CountryCodeFilter

from . import serializers
from .models import (
    Activity,
    Axis,
    Country,
    GlossaryTerm,
    Goal,
    Indicator,
    Instrument,
    OperationalObjective,
    Ratification,
)
from .services import StaleVersion, plan_item_create, plan_item_retire, plan_item_update

# ---------------------------------------------------------------------------
# Filters


def localized_search(queryset, fields, value):
    """Rows whose translated `fields` contain `value` as the reader sees them.

    That is, in the active language, or in the fallback language where the active one is empty.
    """
    condition = Q()
    for field in fields:
        empty = Q()
        for lang in resolution_order(get_language(), None):
            column = build_localized_fieldname(field, lang)
            condition |= empty & Q(**{f"{column}__icontains": value})
            empty &= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return queryset.filter(condition)


class WholeNumberFilter(django_filters.NumberFilter):
    """A number or id as a whole number within the database's integer range: anything else is a
    400 with a message (a huge id used to reach SQLite, which refuses it with an overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**31))
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class IndicatorFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(
        field_name="goal__activity__objective__axis__number", label=_("Axis number")
    )
    kind = django_filters.ChoiceFilter(choices=Indicator.Kind.choices, label=_("Kind"))

    class Meta:
        model = Indicator
        fields = ["axis", "kind"]


class ObjectiveFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="axis__number", label=_("Axis number"))

    class Meta:
        model = OperationalObjective
        fields = ["axis"]


class ActivityFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="objective__axis__number", label=_("Axis number"))
    objective = WholeNumberFilter(field_name="objective_id", label=_("Operational objective id"))

    class Meta:
        model = Activity
        fields = ["axis", "objective"]


class GoalFilter(django_filters.FilterSet):
    axis = WholeNumberFilter(field_name="activity__objective__axis__number", label=_("Axis number"))
    activity = WholeNumberFilter(field_name="activity_id", label=_("Activity id"))

    class Meta:
        model = Goal
        fields = ["axis", "activity"]


class InstrumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Instrument.Kind.choices, label=_("Type"))
    system = django_filters.ChoiceFilter(choices=Instrument.System.choices, label=_("System"))

    class Meta:
        model = Instrument
        fields = ["kind", "system"]


class RatificationFilter(django_filters.FilterSet):
    country = CountryCodeFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country ISO code (case-insensitive)"),
    )
    instrument = django_filters.ModelChoiceFilter(
        queryset=Instrument.objects.all(), label=_("Instrument id")
    )
    ratified = django_filters.BooleanFilter(
        method="filter_ratified", label=_("Ratified or acceded (has a date)")
    )

    class Meta:
        model = Ratification
        fields = ["country", "instrument", "ratified"]

    def filter_ratified(self, queryset, name, value):
        return queryset.filter(date__isnull=not value)


class GlossaryFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Text in the term or its definition (active language)")
    )

    class Meta:
        model = GlossaryTerm
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        return localized_search(queryset, ["term", "definition"], value)


# ---------------------------------------------------------------------------
# Views


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Member countries and their national governing bodies. Look up by ISO code."""

    queryset = Country.objects.select_related("governing_body")
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


# --- the operative plan ---


class PlanItemViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reading plan items, and PATCH for the secretariat. See the module's docstring."""

    permission_classes = [PlanEditorOrReadOnly]
    http_method_names = ["get", "patch", "head", "options"]

    def base_queryset(self):
        """Every item, retired or not, with what the serializer reads."""
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        if self.action == "list":
            if self._wants_retired():
                return queryset.filter(retired_at__isnull=False)
            return queryset.current()
        if can_see_retired_plan_items(self.request.user):
            return queryset
        return queryset.current()

    def _wants_retired(self) -> bool:
        value = self.request.query_params.get("retired")
        if value is None:
            return False
        try:
            wanted = drf_serializers.BooleanField().to_internal_value(value)
        except drf_serializers.ValidationError as error:
            raise ValidationError({"retired": error.detail}) from None
        if wanted and not can_see_retired_plan_items(self.request.user):
            self.permission_denied(
                self.request, message=_("Only the secretariat may list retired items.")
            )
        return wanted

    def reloaded(self, item):
        """The item as the serializer reads it (related rows, current children only)."""
        return self.base_queryset().get(pk=item.pk)

    def answer(self, item, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.reloaded(item)).data, status=status_code)

    def conflict(self, item, message):
        return Response(
            {"detail": message, "current": self.get_serializer(self.reloaded(item)).data},
            status=status.HTTP_409_CONFLICT,
        )

    def write(self, service, **kwargs):
        """Runs a service of strategy/services.py: the model's errors become 400 per field."""
        try:
            return service(user=self.request.user, **kwargs)
        except DjangoValidationError as error:
            raise ValidationError(self.get_serializer_class().model_errors(error)) from None

    def versioned_write(self, service, instance, version, **kwargs):
        """A write that must find the item at `version` and still in force: else 409."""
        if instance.version == version and instance.is_retired:
            return self.conflict(
                instance, _("This item has been retired: it can no longer change.")
            )
        try:
            item = self.write(service, instance=instance, version=version, **kwargs)
        except StaleVersion as stale:
            return self.conflict(
                stale.current,
                _(
                    "Someone changed this item since you read it (version %(yours)s; it is now "
                    "at version %(current)s). Nothing was saved: here is the item as it is now."
                )
                % {"yours": version, "current": stale.current.version},
            )
        return self.answer(item)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        return self.versioned_write(plan_item_update, instance, version, data=data)


class CreatableRetirablePlanItemViewSet(PlanItemViewSet):
    """Plan items that the secretariat may also create (POST) and retire."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = self.write(
            plan_item_create, model=self.base_queryset().model, data=serializer.validated_data
        )
        return self.answer(item, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def retire(self, request, *args, **kwargs):
        instance = self.get_object()
        form = serializers.VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self.versioned_write(plan_item_retire, instance, form.validated_data["version"])


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


@plan_item_schema(serializers.AxisSerializer, create=False)
class AxisViewSet(PlanItemViewSet):
    """Strategic axes with their whole operative matrix. Look up by axis number.

    The secretariat may change an axis's texts (PATCH); axes are not created nor retired here.
    """

    serializer_class = serializers.AxisSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    def base_queryset(self):
        return Axis.objects.with_matrix()


@plan_item_schema(serializers.PlanObjectiveSerializer)
class ObjectiveViewSet(CreatableRetirablePlanItemViewSet):
    """Operational objectives of the axes. Look up by id."""

    serializer_class = serializers.PlanObjectiveSerializer
    filterset_class = ObjectiveFilter

    def base_queryset(self):
        return OperationalObjective.objects.select_related("axis")


@plan_item_schema(serializers.PlanActivitySerializer)
class ActivityViewSet(CreatableRetirablePlanItemViewSet):
    """Activities of the operational objectives. Look up by id."""

    serializer_class = serializers.PlanActivitySerializer
    filterset_class = ActivityFilter

    def base_queryset(self):
        return Activity.objects.select_related("objective__axis").order_by(
            "objective__axis__number", "objective__number", "order", "pk"
        )


@plan_item_schema(serializers.PlanGoalSerializer)
class GoalViewSet(CreatableRetirablePlanItemViewSet):
    """Goals of the activities. Look up by id."""

    serializer_class = serializers.PlanGoalSerializer
    filterset_class = GoalFilter

    def base_queryset(self):
        return Goal.objects.select_related("activity__objective__axis").order_by(
            "activity__objective__axis__number",
            "activity__objective__number",
            "activity__order",
            "order",
            "pk",
        )


@plan_item_schema(serializers.IndicatorSerializer)
class IndicatorViewSet(CreatableRetirablePlanItemViewSet):
    """All indicators, flat, with the goal, activity and axis they belong to. Look up by code."""

    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/\x00-\x1f]+"  # no control characters: PostgreSQL refuses NUL

    def base_queryset(self):
        return Indicator.objects.select_related("goal__activity__objective__axis")


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """International instruments of Chart 1."""

    queryset = Instrument.objects.all()
    serializer_class = serializers.InstrumentSerializer
    filterset_class = InstrumentFilter


class RatificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Cells of Chart 1: when each country ratified or acceded to each instrument."""

    queryset = Ratification.objects.select_related("instrument", "country")
    serializer_class = serializers.RatificationSerializer
    filterset_class = RatificationFilter


class GlossaryTermViewSet(viewsets.ReadOnlyModelViewSet):
    """Glossary terms, alphabetical in the active language. Look up by slug."""

    serializer_class = serializers.GlossaryTermSerializer
    filterset_class = GlossaryFilter
    lookup_field = "slug"

    def get_queryset(self):
        # Built per request: modeltranslation rewrites order_by("term") to the active language.
        return GlossaryTerm.objects.order_by("term", "slug")
