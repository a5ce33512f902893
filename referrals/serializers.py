"""Serializers of the directory's API (referrals/api.py). Texts follow the request's language
(modeltranslation). Contact persons appear only in answers to signed-in requests."""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.encoding import iri_to_uri
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corett import access

from .models import Actor, ContactPerson, Hotline, Population, Role, Route, RouteStep, Sector


class CountryCodeField(serializers.CharField):
    """A related country as its ISO code; null for regional entries."""

    def __init__(self, **kwargs):
        super().__init__(source="country.code", read_only=True, allow_null=True, **kwargs)


class UriField(serializers.URLField):
    """An address as a URI: accented characters percent-encoded, as the schema's "uri" format
    requires (the portal's forms accept addresses as people type them)."""

    def to_representation(self, value):
        return iri_to_uri(value) if value else value


@extend_schema_field(serializers.CharField(allow_null=True))
class VerifiedByField(serializers.SerializerMethodField):
    """Who last verified the entry, as the request's user may see it named: role and country
    ("focal point, Honduras"), the username too for the secretariat (corett.access)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Who last verified it: the role and country; the username too, for the secretariat. "
            "Null if never verified or the account was removed.",
        )
        super().__init__(**kwargs)

    def to_representation(self, entry):
        request = self.context.get("request")
        viewer = request.user if request is not None else AnonymousUser()
        return access.person_shown_to(viewer, entry.verified_by) or None


class ContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["name", "position", "phone", "email"]


class ActorSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{models.URLField: UriField},
    }
    country = CountryCodeField(help_text="ISO code; null for regional and international actors.")
    sector = serializers.ChoiceField(choices=Sector.choices, read_only=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), read_only=True
    )
    populations = serializers.ListField(
        child=serializers.ChoiceField(choices=Population.choices), read_only=True
    )
    stale = serializers.SerializerMethodField(
        help_text="Never verified, or last verified more than 12 months ago."
    )
    verified_by = VerifiedByField()
    # Not read_only on purpose: drf-spectacular marks every read-only field as required, and this
    # one is absent from anonymous answers. The API only reads: nothing is ever written through it.
    contact_persons = ContactPersonSerializer(
        many=True,
        required=False,
        help_text="Present only in answers to signed-in requests.",
    )

    class Meta:
        model = Actor
        fields = [
            "id",
            "country",
            "name",
            "acronym",
            "is_governing_body",
            "sector",
            "roles",
            "populations",
            "services",
            "languages",
            "hours",
            "address",
            "phone",
            "email",
            "website",
            "to_be_verified",
            "verified_at",
            "verified_by",
            "stale",
            "source",
            "source_url",
            "source_date",
            "contact_persons",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_stale(self, actor) -> bool:
        return actor.is_stale()

    def get_fields(self):
        """Without contact persons for whoever may not see them (not even read, then). The
        schema, drawn for no one in particular, documents the field."""
        fields = super().get_fields()
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return fields
        request = self.context.get("request")
        if request is None or not access.sees_contact_persons(request.user):
            fields.pop("contact_persons")
        return fields


class HotlineSerializer(serializers.ModelSerializer):
    serializer_field_mapping = ActorSerializer.serializer_field_mapping
    country = CountryCodeField()
    stale = serializers.SerializerMethodField(
        help_text="Never verified, or last verified more than 12 months ago."
    )
    verified_by = VerifiedByField()

    class Meta:
        model = Hotline
        fields = [
            "id",
            "country",
            "order",
            "number",
            "whatsapp",
            "web_form",
            "operator",
            "actor",
            "hours",
            "cost",
            "notes",
            "to_be_verified",
            "verified_at",
            "verified_by",
            "stale",
            "source",
            "source_url",
            "source_date",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_stale(self, hotline) -> bool:
        return hotline.is_stale()


class StepActorSerializer(serializers.ModelSerializer):
    country = CountryCodeField()

    class Meta:
        model = Actor
        fields = ["id", "country", "name", "acronym"]


class RouteStepSerializer(serializers.ModelSerializer):
    actors = StepActorSerializer(many=True, read_only=True)

    class Meta:
        model = RouteStep
        fields = ["order", "title", "action", "actor_types", "actors", "links_national_routes"]


class RouteSerializer(serializers.ModelSerializer):
    country = CountryCodeField(help_text="ISO code; null for the regional route.")
    steps = RouteStepSerializer(many=True, read_only=True)
    verified_by = VerifiedByField()

    class Meta:
        model = Route
        fields = [
            "id",
            "country",
            "title",
            "description",
            "to_be_verified",
            "verified_at",
            "verified_by",
            "source",
            "steps",
        ]
