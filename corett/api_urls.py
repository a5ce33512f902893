"""The REST API, mounted under /api/ by corett/urls.py: public reads; the secretariat's writes to
the plan; the values of the monitoring matrix, written by the countries' focal points; the open
data's catalogue."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from monitoring.inbox import api as inbox_api
from monitoring.opendata import api as opendata_api
from monitoring.periods import api as periods_api
from monitoring.reports import api as reports_api
from monitoring.values import api as values_api
from referrals import api as referrals_api
from strategy import api

from .api_auth import LogoutAllView, LogoutView, ObtainTokenView

router = DefaultRouter()
router.register("countries", api.CountryViewSet, basename="country")
router.register("axes", api.AxisViewSet, basename="axis")
router.register("objectives", api.ObjectiveViewSet, basename="objective")
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("goals", api.GoalViewSet, basename="goal")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("instruments", api.InstrumentViewSet, basename="instrument")
router.register("ratifications", api.RatificationViewSet, basename="ratification")
router.register("glossary", api.GlossaryTermViewSet, basename="glossary-term")
router.register("periods", periods_api.PeriodViewSet, basename="period")
router.register("values", values_api.ValueViewSet, basename="value")
router.register("actors", referrals_api.ActorViewSet, basename="actor")
router.register("hotlines", referrals_api.HotlineViewSet, basename="hotline")
router.register("routes", referrals_api.RouteViewSet, basename="route")
router.register("reports", reports_api.ReportViewSet, basename="report")
router.register("datasets", opendata_api.DatasetViewSet, basename="dataset")

urlpatterns = [
    path("v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("v1/auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("v1/auth/logoutall/", LogoutAllView.as_view(), name="api-logoutall"),
    path("v1/inbox/", inbox_api.InboxView.as_view(), name="api-inbox"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script from its own URL (?script): no inline script, so it
    # works under the strict Content-Security-Policy of settings.SECURE_CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
