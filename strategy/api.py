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

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from corett.access import PlanEditorOrReadOnly, can_see_retired_plan_items

from . import serializers
from .api_filters import (
    ActivityFilter,
    GlossaryFilter,
    GoalFilter,
    IndicatorFilter,
    InstrumentFilter,
    ObjectiveFilter,
    RatificationFilter,
)
from .api_schema import plan_item_schema
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
