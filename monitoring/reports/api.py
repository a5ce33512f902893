"""REST API of the PDF reports (mounted by corett/api_urls.py as `reports`).

- `POST /api/v1/reports/` `{"scope": "GT" | "regional", "period": "2019", "language": "en",
  "draft": false}`: 202 with `{"id", "status"}`; 400 with messages per field; 403 when the
  caller may not ask for that report.
- `GET /api/v1/reports/{id}/`: the request's state and, once done, `download_url`.
- `GET /api/v1/reports/{id}/download/`: the PDF, with the same rights (409 until it is done).

Access and work are those of the browser pages: corett.access and monitoring.reports.services.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from corett import access
from strategy.models import Country

from ..periods.models import Period
from . import services
from .downloads import file_response
from .models import REGIONAL, ReportRequest, scope_code


class ReportRequestWriteSerializer(serializers.Serializer):
    scope = serializers.CharField(
        max_length=20,
        help_text=gettext_lazy('A country\'s ISO code (e.g. "GT") or "regional".'),
    )
    period = serializers.CharField(max_length=10, help_text=gettext_lazy('e.g. "2019"'))
    language = serializers.ChoiceField(choices=["es", "en"], default="es")
    draft = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "With the country's figures not validated yet (its focal point or the secretariat)."
        ),
    )

    def validate_scope(self, value: str) -> Country | None:
        if value.strip().lower() == REGIONAL:
            return None
        country = Country.objects.filter(code=value.strip().upper()).first()
        if country is None:
            raise ValidationError(
                _('Unknown country "%(code)s": send an ISO code such as GT, or "regional".')
                % {"code": value[:20]}
            )
        return country

    def validate_period(self, value: str) -> Period:
        period = Period.objects.filter(code=value.strip()).first()
        if period is None:
            raise ValidationError(
                _('Unknown period "%(code)s"; periods are coded like 2019.') % {"code": value[:10]}
            )
        return period

    def validate(self, data):
        if data.get("draft") and data.get("scope") is None:
            raise ValidationError({"draft": [_("Drafts go only in a country's report.")]})
        return data


class ReportRequestSerializer(serializers.ModelSerializer):
    scope = serializers.SerializerMethodField()
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    download_url = serializers.SerializerMethodField()
    requested_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "scope",
            "period",
            "language",
            "draft",
            "status",
            "progress",
            "error",
            "attempts",
            "requested_at",
            "finished_at",
            "data_as_of",
            "pages",
            "size",
            "download_url",
        ]
        read_only_fields = fields

    def get_scope(self, report) -> str:
        return scope_code(report.country)

    def get_download_url(self, report) -> str | None:
        if report.status != ReportRequest.State.DONE:
            return None
        url = reverse("report-download", kwargs={"pk": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReportRequest.State.choices)


def _errors(error: DjangoValidationError) -> dict:
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return error.message_dict


class PDFRenderer(BaseRenderer):
    """Lets the download answer `Accept: application/pdf`: the file itself is a FileResponse, never
    rendered; what is rendered is an error, which stays JSON whatever was accepted."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


@extend_schema_view(
    create=extend_schema(
        description=gettext_lazy(
            "Asks for a PDF progress report of a country or of the region for a period. The "
            "secretariat and observers may ask for any; a focal point for their own country, "
            "with their drafts if they wish. Answers 202 at once: the report is written by a "
            "worker (`status` queued, running, done or failed); poll the request for its state."
        ),
        request=ReportRequestWriteSerializer,
        responses={
            202: ReportAcceptedSerializer,
            400: OpenApiResponse(description=gettext_lazy("Invalid body: messages per field.")),
            401: OpenApiResponse(description=gettext_lazy("No credentials, or a wrong token.")),
            403: OpenApiResponse(description=gettext_lazy("You may not ask for this report.")),
        },
    ),
    retrieve=extend_schema(
        description=gettext_lazy(
            "A report request you may see (else 404): its state, its progress and, once done, "
            "`download_url`."
        ),
    ),
    download=extend_schema(
        description=gettext_lazy("The report's PDF, once done (409 before)."),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description=gettext_lazy("No such report that you may see.")),
            409: OpenApiResponse(description=gettext_lazy("The report is not done yet.")),
        },
    ),
)
class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """PDF progress reports: ask for one, follow it, download it."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReportRequestSerializer
    queryset = ReportRequest.objects.select_related("country", "period")
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return ReportRequestWriteSerializer
        return ReportRequestSerializer

    def get_object(self):
        try:
            return access.get_report_for_download(
                self.request.user, self.get_queryset(), self.kwargs["pk"]
            )
        except Http404:
            raise NotFound(_("No such report that you may see.")) from None

    def create(self, request, *args, **kwargs):
        form = ReportRequestWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not access.can_request_report(request.user, data["scope"], draft=data["draft"]):
            raise PermissionDenied(_("You may not ask for this report."))
        try:
            report = services.report_request(
                user=request.user,
                country=data["scope"],
                period=data["period"],
                language=data["language"],
                draft=data["draft"],
            )
        except DjangoPermissionDenied:
            raise PermissionDenied(_("You may not ask for this report.")) from None
        except DjangoValidationError as error:
            raise ValidationError(_errors(error)) from None
        report.refresh_from_db()
        return Response({"id": report.pk, "status": report.status}, status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"], renderer_classes=[PDFRenderer, JSONRenderer])
    def download(self, request, *args, **kwargs):
        report = self.get_object()
        if report.status != ReportRequest.State.DONE:
            return Response(
                {
                    "detail": _("The report is not done yet (%(status)s).")
                    % {"status": report.get_status_display()}
                },
                status=status.HTTP_409_CONFLICT,
            )
        return file_response(report)
