from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.home, name="home"),
    path("strategy/", views.about, name="about"),
    path("axes/<slug:slug>/", views.axis_detail, name="axis"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("normative-framework/", views.normative_framework, name="normative"),
    path("conceptual-framework/", views.conceptual_framework, name="conceptual"),
    path("glossary/", views.glossary, name="glossary"),
    path("small-figures/", views.small_figures, name="small_figures"),
]
