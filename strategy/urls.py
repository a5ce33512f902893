"""The strategy's public pages. The home page and a country's page (strategy:home,
strategy:country) draw on monitoring and referrals too: they are corett/pages.py, added to this
namespace in corett/urls.py."""

from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("strategy/", views.about, name="about"),
    path("axes/<slug:slug>/", views.axis_detail, name="axis"),
    path("countries/", views.country_list, name="countries"),
    path("normative-framework/", views.normative_framework, name="normative"),
    path("conceptual-framework/", views.conceptual_framework, name="conceptual"),
    path("glossary/", views.glossary, name="glossary"),
    path("small-figures/", views.small_figures, name="small_figures"),
]
