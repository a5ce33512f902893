"""`GET /api/v1/datasets/` (mounted by corett/api_urls.py): the open data's catalogue, public.
One item per published indicator: its code, title and unit in the request's language, how many
validated values it has and when the last was validated, and the addresses of its page, data.csv
and datapackage.json (in the request's language too). `GET /api/v1/datasets/{code}/`: one.
The catalogue's zip is at /<lang>/data/corett-open-data.zip."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from corett.api_fields import choice_field
from strategy.models import Frequency, Indicator

from . import selectors


class DatasetSerializer(serializers.ModelSerializer):
    """An indicator's open data."""

    title = serializers.CharField(source="name", help_text=_("The indicator's name."))
    kind = choice_field(Indicator.Kind, "IndicatorKindEnum")
    frequency = choice_field(Frequency, "PeriodKindEnum")
    values = serializers.IntegerField(
        source="published", help_text=_("How many validated values the data holds.")
    )
    last_validated = serializers.DateTimeField(
        allow_null=True, help_text=_("When the last of them was validated (empty: never).")
    )
    page = serializers.SerializerMethodField(help_text=_("The dataset's page."))
    data_csv = serializers.SerializerMethodField(
        help_text=_("The tidy table: one row per figure and per breakdown cell.")
    )
    datapackage = serializers.SerializerMethodField(
        help_text=_("The Frictionless Data Package describing data.csv.")
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "unit",
            "kind",
            "frequency",
            "values",
            "last_validated",
            "page",
            "data_csv",
            "datapackage",
        ]

    def _url(self, name: str, indicator) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[indicator.code]))

    def get_page(self, indicator) -> str:
        return self._url("opendata:dataset", indicator)

    def get_data_csv(self, indicator) -> str:
        return self._url("opendata:dataset_csv", indicator)

    def get_datapackage(self, indicator) -> str:
        return self._url("opendata:dataset_package", indicator)


@extend_schema_view(
    list=extend_schema(
        description=_(
            "The open data: one dataset per indicator of the plan in force, validated figures "
            "only, small breakdown cells protected. Licence CC-BY-4.0."
        )
    ),
    retrieve=extend_schema(description=_("One indicator's open data, by its code.")),
)
class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    """The open data's catalogue."""

    serializer_class = DatasetSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/\x00-\x1f]+"  # no control characters: PostgreSQL refuses NUL
    filter_backends = []

    def get_queryset(self):
        return selectors.catalogue()
