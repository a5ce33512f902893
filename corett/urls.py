from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from strategy import urls as strategy_urls

from . import metrics, pages, views

# Under /api/ a 404 is JSON, like the API's own answers.
handler404 = "corett.views.not_found"

# The strategy's public pages, with the two that show the other apps too (corett/pages.py).
STRATEGY_PAGES = [
    path("", pages.home, name="home"),
    path("countries/<str:code>/", pages.country_detail, name="country"),
    *strategy_urls.urlpatterns,
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("corett.api_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("corett.account_urls")),
    path("plan/spreadsheet/", include("strategy.spreadsheet_urls")),
    path("plan/", include("strategy.plan_urls")),
    path("monitoring/", include("monitoring.urls")),
    path("directory/", include("referrals.urls")),
    path("data/", include("monitoring.opendata.urls")),
    path("", include("corett.site_urls")),
    path("", include((STRATEGY_PAGES, strategy_urls.app_name))),
)
