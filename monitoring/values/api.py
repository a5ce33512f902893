"""REST API of the values (mounted by corett/api_urls.py; the periods' is monitoring.periods.api).

- `GET /api/v1/values/`: the values the caller may read (corett.access.values_visible_to: validated
  ones for everyone; a focal point also their own country's in every state; the secretariat all),
  filtered by `country`, `indicator`, `period` and `status`, with breakdowns protected against
  small cells (monitoring.values.breakdowns). Paginated, in a fixed number of SQL queries
  whatever the data; the rows are counted only when the list is filtered by period or indicator
  (ValuePagination), never over the whole table.
- `POST /api/v1/values/`: a country's focal point (their country only) or the secretariat saves a
  value as a draft: 201 with the value when it is new; 200 when it changed an existing draft or
  returned value, which takes the `version` last read (409 with the current value if it is missing
  or old). 400 with messages per field, in the request's language.
- `POST /api/v1/values/{id}/submit/` (the country's focal point or the secretariat), `validate/`,
  `return/` (with `comment`) and `reopen/` (with `reason`), the secretariat's: each with `version`.
  A value the caller may not read answers 404.

Every write goes through monitoring.values.services and .workflow (path "api"), which validate
the value, run the workflow and keep the audit trail, exactly as for the forms and the imports.
"""

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from corett import access
from corett.api_filters import CountryCodeFilter
from corett.api_pagination import CountWhenFiltered
from corett.api_parsers import JSONParser
from strategy.models import Country, Indicator

from ..periods.models import Period
from . import serializers, services, workflow
from .api_schema import value_schema
from .models import Status, Value, ValueAudit

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

# ---------------------------------------------------------------------------
# Reading requests


class ExactJSONParser(JSONParser):
    """JSON read by serializers.parse_json: exact decimals, and deep nesting is a 400, not a 500;
    what every endpoint refuses (corett.api_parsers) refused here too."""

    def loads(self, text: str):
        return serializers.parse_json(text)


class CodeFilter(django_filters.ModelChoiceFilter):
    """A row by its code; an unknown code is a 400 that names it."""

    def __init__(self, *args, unknown, **kwargs):
        kwargs["error_messages"] = {"invalid_choice": unknown}
        super().__init__(*args, to_field_name="code", **kwargs)


class ValueFilter(django_filters.FilterSet):
    country = CountryCodeFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Country ISO code (case-insensitive)"),
    )
    indicator = CodeFilter(
        queryset=Indicator.objects.all(),
        unknown=gettext_lazy("Unknown indicator code “%(value)s”."),
        label=gettext_lazy("Indicator code"),
    )
    period = CodeFilter(
        queryset=Period.objects.all(),
        unknown=gettext_lazy("Unknown period “%(value)s”; periods are coded like 2026."),
        label=gettext_lazy("Period code"),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, label=gettext_lazy("Status"))

    class Meta:
        model = Value
        fields = ["country", "indicator", "period", "status"]


class ValuePagination(CountWhenFiltered):
    """Counted when filtered by period (its index holds one period's values: at most countries ×
    indicators) or by indicator (the cell's unique index leads with it); an unfiltered list, or one
    filtered by country or status only, would count most of the table."""

    counted_by = ("period", "indicator")


# ---------------------------------------------------------------------------
# Who may write


class ValueWriterOrReadOnly(BasePermission):
    """Anyone reads (what values_visible_to shows them). Writing takes an account that enters or
    reviews values: a country's focal point or the secretariat; which value, the view decides."""

    message = gettext_lazy("Only the countries' focal points and the secretariat write values.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return access.can_review_values(user) or access.can_enter_values(
            user, getattr(user, "country_id", None)
        )


def service_errors(error: DjangoValidationError, **renamed) -> dict:
    """The services' messages under this API's field names (a value's `number` is `value`)."""
    names = {"number": "value", "status": NON_FIELD, NON_FIELD_ERRORS: NON_FIELD, **renamed}
    if not hasattr(error, "error_dict"):
        return {NON_FIELD: error.messages}
    errors = {}
    for field, messages in error.message_dict.items():
        errors.setdefault(names.get(field, field), []).extend(messages)
    return errors


# ---------------------------------------------------------------------------
# Views


@value_schema
class ValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Values of the countries' indicators per period, and the steps of their workflow."""

    permission_classes = [ValueWriterOrReadOnly]
    parser_classes = [ExactJSONParser, parsers.FormParser, parsers.MultiPartParser]
    filterset_class = ValueFilter
    pagination_class = ValuePagination
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        # Ordered by the period first: its index serves each period's page without sorting the
        # whole table; indicator and country make the order total.
        values = Value.objects.select_related("indicator", "country", "period").order_by(
            "period_id", "indicator_id", "country_id"
        )
        if getattr(self, "swagger_fake_view", False):
            return values
        return access.values_visible_to(self.request.user, values)

    def get_serializer_class(self):
        # The browsable API asks for the list's serializer to draw its POST form.
        if self.action == "create" or (self.action == "list" and self.request.method == "POST"):
            return serializers.ValueWriteSerializer
        return serializers.ValueSerializer

    # --- answers ---

    def answer(self, value, status_code=status.HTTP_200_OK):
        context = self.get_serializer_context()
        return Response(serializers.ValueSerializer(value, context=context).data, status_code)

    def conflict(self, current, message):
        context = self.get_serializer_context()
        return Response(
            {
                "detail": message,
                "current": serializers.ValueSerializer(current, context=context).data,
            },
            status=status.HTTP_409_CONFLICT,
        )

    def stale(self, current, version):
        return self.conflict(
            current,
            _(
                "Someone changed this value since you read it (version %(yours)s; it is now at "
                "version %(current)s). Nothing was saved: here is the value as it is now."
            )
            % {"yours": version, "current": current.version},
        )

    def already_there(self, current):
        return self.conflict(
            current,
            _(
                "This country already has a value for this indicator and period (version "
                "%(current)s). Nothing was saved: to change it, send the version you last read."
            )
            % {"current": current.version},
        )

    @staticmethod
    def body(serializer_class, data) -> dict:
        form = serializer_class(data=data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    # --- writes ---

    def create(self, request, *args, **kwargs):
        data = self.body(serializers.ValueWriteSerializer, request.data)
        cell = {key: data[key] for key in ("indicator", "country", "period")}
        if not access.can_enter_values(request.user, cell["country"]):
            if cell["country"] is None:
                raise PermissionDenied(_("Only the secretariat enters regional figures."))
            raise PermissionDenied(
                _("Only the focal point of %(country)s and the secretariat enter its values.")
                % {"country": cell["country"]}
            )
        current = self.cell(**cell)
        version = data.get("version")
        if current is not None and version is None:
            return self.already_there(current)
        if current is None and version is not None:
            raise ValidationError(
                {"version": [_("There is no value here yet: leave the version out.")]}
            )
        try:
            value = services.value_save(
                user=request.user,
                **cell,
                number=data.get("value"),
                text=data.get("text", ""),
                disaggregation=data.get("disaggregation"),
                comment=data.get("comment", ""),
                path=ValueAudit.Path.API,
                version=0 if version is None else version,  # no version: the cell must be empty
            )
        except workflow.StaleValue as stale:
            if version is None:  # someone created the same value between our look and our write
                return self.already_there(stale.current)
            return self.stale(stale.current, version)
        except DjangoValidationError as error:
            raise ValidationError(service_errors(error)) from None
        return self.answer(
            value, status.HTTP_201_CREATED if current is None else status.HTTP_200_OK
        )

    @staticmethod
    def cell(*, indicator, country, period):
        values = Value.objects.select_related("indicator", "country", "period")
        return values.filter(indicator=indicator, country=country, period=period).first()

    def step(self, step, allowed, refusal, body_class, note=None):
        """A step of the workflow on a value the caller may read (else 404): the right role
        (else 403), a valid body (else 400), the version last read (else 409). `note` names the
        body's text for the step (`comment`, `reason`), whose errors it reports as its own."""
        value = self.get_object()
        if not allowed(value):
            raise PermissionDenied(refusal)
        data = self.body(body_class, self.request.data)
        version = data.pop("version")
        try:
            value = workflow.transition(
                value,
                step,
                user=self.request.user,
                version=version,
                note=data.get(note, "") if note else "",
                path=ValueAudit.Path.API,
            )
        except workflow.StaleValue as stale:
            return self.stale(stale.current, version)
        except DjangoValidationError as error:
            raise ValidationError(service_errors(error, review_comment=note or NON_FIELD)) from None
        return self.answer(value)

    def review(self, step, body_class, note=None):
        return self.step(
            step,
            lambda value: access.can_review_values(self.request.user),
            _("Only the secretariat validates, returns and reopens values."),
            body_class,
            note,
        )

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self.step(
            workflow.SUBMIT,
            lambda value: access.can_enter_values(request.user, value.country),
            _("Only the country's focal point and the secretariat submit its values."),
            serializers.ValueVersionSerializer,
        )

    @action(detail=True, methods=["post"])
    def validate(self, request, *args, **kwargs):
        return self.review(workflow.VALIDATE, serializers.ValueVersionSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, *args, **kwargs):
        return self.review(workflow.RETURN, serializers.ValueReturnSerializer, "comment")

    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        return self.review(workflow.REOPEN, serializers.ValueReopenSerializer, "reason")
