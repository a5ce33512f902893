"""The directory's read API (mounted by corett/api_urls.py), public:

- `/api/v1/actors/`: key actors, with the directory's filters (`country` = ISO code or
  `regional`, `sector`, `role`, `population`, `q` free text ignoring accents); contact persons
  only for signed-in requests (corett.access.sees_contact_persons).
- `/api/v1/hotlines/?country=HN`: complaint lines, each with its source and verification.
- `/api/v1/routes/?country=HN` (or `regional`): referral routes with their ordered steps.

Every list runs in a fixed number of queries whatever the number of rows.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from corett import access
from corett.api_filters import CountryCodeFilter
from strategy.models import Country

from . import serializers
from .filters import REGIONAL, ActorFilter
from .models import Actor, ContactPerson, Hotline, Route

PUBLIC_READ = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


class CountryOrRegionalField(forms.CharField):
    """An ISO code in any case, or "regional"; anything else is a 400 that says what to send."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if value.strip().lower() == REGIONAL:
            return REGIONAL
        code = value.strip().upper()
        if not Country.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _(
                    "Unknown country “%(value)s”; use a two-letter ISO code such as HN, "
                    "or regional."
                ),
                code="invalid_choice",
                params={"value": value},
            )
        return code


class CountryOrRegionalFilter(django_filters.CharFilter):
    field_class = CountryOrRegionalField

    def filter(self, queryset, value):
        if not value:
            return queryset
        if value == REGIONAL:
            return queryset.filter(country__isnull=True)
        return queryset.filter(country__code=value)


class ActorApiFilter(ActorFilter):
    country = CountryOrRegionalFilter(
        label=_("Country ISO code (any case), or regional for regional and international actors")
    )

    class Meta(ActorFilter.Meta):
        pass


class HotlineFilter(django_filters.FilterSet):
    country = CountryCodeFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country ISO code (case-insensitive)"),
    )

    class Meta:
        model = Hotline
        fields = ["country"]


class RouteFilter(django_filters.FilterSet):
    country = CountryOrRegionalFilter(
        label=_("Country ISO code (any case), or regional for the regional route")
    )

    class Meta:
        model = Route
        fields = ["country"]


@extend_schema_view(list=extend_schema(auth=PUBLIC_READ), retrieve=extend_schema(auth=PUBLIC_READ))
class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    """Key actors of the referral directory. Contact persons only for signed-in requests."""

    serializer_class = serializers.ActorSerializer
    filterset_class = ActorApiFilter

    def get_queryset(self):
        queryset = Actor.objects.listed()
        if access.sees_contact_persons(self.request.user):
            queryset = queryset.prefetch_related(
                Prefetch("contact_persons", ContactPerson.objects.order_by("name"))
            )
        return queryset


@extend_schema_view(list=extend_schema(auth=PUBLIC_READ), retrieve=extend_schema(auth=PUBLIC_READ))
class HotlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Complaint lines of the member countries, each with its source and whether a focal point
    has verified it. A country without a line has none recorded yet."""

    serializer_class = serializers.HotlineSerializer
    filterset_class = HotlineFilter

    def get_queryset(self):
        return Hotline.objects.select_related("country", "verified_by__country").order_by(
            "country__code", "order", "pk"
        )


@extend_schema_view(list=extend_schema(auth=PUBLIC_READ), retrieve=extend_schema(auth=PUBLIC_READ))
class RouteViewSet(viewsets.ReadOnlyModelViewSet):
    """Referral routes: one per member country and the regional route, with ordered steps."""

    serializer_class = serializers.RouteSerializer
    filterset_class = RouteFilter

    def get_queryset(self):
        return Route.objects.with_steps().select_related("verified_by__country").order_by("pk")
