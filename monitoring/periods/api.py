"""REST API of the reporting periods (mounted by corett/api_urls.py): `GET /api/v1/periods/`,
public, each period with its state today."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from corett.api_fields import choice_field
from strategy.models import Frequency

from .models import Period


class PeriodSerializer(serializers.ModelSerializer):
    """A reporting period and its state today."""

    kind = choice_field(Frequency, "PeriodKindEnum")
    state = choice_field(
        Period.State,
        "PeriodStateEnum",
        help_text=_(
            "Today's state, from the dates and the lock: values are taken while open, and while "
            "closed (flagged late); not while upcoming, nor once locked."
        ),
    )

    class Meta:
        model = Period
        fields = [
            "code",
            "kind",
            "starts_on",
            "ends_on",
            "opens_on",
            "closes_on",
            "locked_at",
            "state",
        ]


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting periods of the strategic plan, with their state today. Look up by code."""

    queryset = Period.objects.all()
    serializer_class = PeriodSerializer
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z-]{1,10}"
