from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", views.country_dashboard, name="country_dashboard"),
]
