"""`GET /api/v1/inbox/` (mounted by corett/api_urls.py): the inbox page as JSON. A focal point
gets their country's periods due, the secretariat every country's (`?sort=late`: what is late
first); 401 without credentials, 403 for anyone else. Access through corett.access."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from corett import access
from strategy.models import Country

from . import selectors


class CountsSerializer(serializers.Serializer):
    missing = serializers.IntegerField()
    draft = serializers.IntegerField()
    returned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    validated = serializers.IntegerField()
    total = serializers.IntegerField(help_text=gettext_lazy("Indicators to report."))


class ReturnedSerializer(serializers.Serializer):
    value = serializers.IntegerField(source="value_id")
    indicator = serializers.CharField(source="indicator_code")
    comment = serializers.CharField(help_text=gettext_lazy("The secretariat's comment."))


class DueSerializer(serializers.Serializer):
    country = serializers.CharField(source="country.code")
    period = serializers.CharField(source="period.code")
    closes_on = serializers.DateField(source="period.closes_on")
    days_to_close = serializers.IntegerField(
        source="days", help_text=gettext_lazy("Negative once the period has closed.")
    )
    deadline = serializers.CharField(
        help_text=gettext_lazy('"closes in 3 days", "closed 2 days ago", in your language.')
    )
    counts = CountsSerializer()
    returned = ReturnedSerializer(many=True)
    entry_url = serializers.SerializerMethodField()

    def get_entry_url(self, due) -> str:
        url = reverse("monitoring:entry", args=[due.country.code, due.period.code])
        return self.context["request"].build_absolute_uri(url)


class InboxView(APIView):
    """What is due: per country and period that takes values, the close date and how many
    indicators are missing, draft, returned (with the secretariat's comments), submitted and
    validated."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="inbox_list",
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                enum=list(selectors.SORTS),
                description=gettext_lazy("late: what is late first; country (the default)."),
            )
        ],
        responses={
            200: DueSerializer(many=True),
            403: OpenApiResponse(description=gettext_lazy("An account without an inbox.")),
        },
    )
    def get(self, request):
        if not access.has_inbox(request.user):
            raise PermissionDenied
        sort = request.query_params.get("sort")
        sort = sort if sort in selectors.SORTS else "country"
        countries = access.inbox_countries(request.user, Country.objects.order_by("name"))
        due = selectors.inbox(countries, timezone.localdate(), sort=sort)
        return Response(DueSerializer(due, many=True, context={"request": request}).data)
