"""Edit forms of the directory: Spanish and English side by side (field_es, field_en)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from corett import access

from . import services
from .models import Actor, ContactPerson, Hotline, Population, Role, Route, RouteStep


def pairs(*names):
    return [f"{name}_{lang}" for name in names for lang in ("es", "en")]


class VersionedForm(forms.ModelForm):
    """The version the form was opened at travels in a hidden field (read by the view)."""

    # Which fields go side by side (es | en) in the template, and which stand alone.
    translated: tuple = ()

    def rows(self):
        """The form in its fields' order: (label, Spanish field, English field) for each
        translated text, (None, field, None) for the others."""
        model = self._meta.model
        result = []
        for name in self.fields:
            base, _sep, lang = name.rpartition("_")
            if base in self.translated and lang in ("es", "en"):
                if lang == "es":
                    label = model._meta.get_field(base).verbose_name
                    result.append((label, self[name], self[f"{base}_en"]))
                continue
            result.append((None, self[name], None))
        return result


def choice_list_field(choices, label):
    return forms.MultipleChoiceField(
        choices=choices.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=label,
    )


class ActorForm(VersionedForm):
    translated = ("name", "acronym", "services", "languages", "hours", "source")
    roles = choice_list_field(Role, _("Roles in the referral chain"))
    populations = choice_list_field(Population, _("Populations served"))

    class Meta:
        model = Actor
        fields = [
            *pairs("name", "acronym"),
            "sector",
            "roles",
            "populations",
            *pairs("services", "languages", "hours"),
            "address",
            "phone",
            "email",
            "website",
            "is_governing_body",
            *pairs("source"),
            "source_url",
            "source_date",
            "to_be_verified",
        ]
        widgets = {
            "services_es": forms.Textarea(attrs={"rows": 3}),
            "services_en": forms.Textarea(attrs={"rows": 3}),
            "source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_es"].required = True
        if not access.can_set_governing_body(user):
            del self.fields["is_governing_body"]


ContactPersonFormSet = forms.inlineformset_factory(
    Actor,
    ContactPerson,
    fields=["name", "position_es", "position_en", "phone", "email"],
    extra=1,
    can_delete=True,
    max_num=20,
)


class HotlineForm(VersionedForm):
    translated = ("operator", "hours", "cost", "notes", "source")

    class Meta:
        model = Hotline
        fields = [
            "number",
            "whatsapp",
            "web_form",
            *pairs("operator"),
            "actor",
            *pairs("hours", "cost", "notes"),
            "order",
            *pairs("source"),
            "source_url",
            "source_date",
            "to_be_verified",
        ]
        widgets = {
            "notes_es": forms.Textarea(attrs={"rows": 3}),
            "notes_en": forms.Textarea(attrs={"rows": 3}),
            "source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.filter(
            Q(country=country) | Q(country__isnull=True)
        ).order_by("name")


class RouteForm(VersionedForm):
    translated = ("title", "description", "source")

    class Meta:
        model = Route
        fields = [*pairs("title", "description", "source"), "source_url", "source_date"]
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_es"].required = True


class ActorsField(forms.ModelMultipleChoiceField):
    """Actors by id. An id beyond the database's integers is just not one of the choices: Django
    would send it on in an IN (…) lookup, which SQLite and PostgreSQL refuse with an error."""

    def _check_values(self, value):
        for pk in value:
            try:
                beyond = abs(int(str(pk))) > 2**31 - 1
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if beyond:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class RouteStepForm(VersionedForm):
    translated = ("title", "action", "actor_types")

    class Meta:
        model = RouteStep
        fields = [
            "order",
            *pairs("title", "action", "actor_types"),
            "actors",
            "links_national_routes",
        ]
        widgets = {
            "action_es": forms.Textarea(attrs={"rows": 4}),
            "action_en": forms.Textarea(attrs={"rows": 4}),
            "actors": forms.CheckboxSelectMultiple,
        }
        field_classes = {"actors": ActorsField}

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        self.fields["title_es"].required = True
        self.fields["action_es"].required = True
        actors = Actor.objects.select_related("country").order_by("name")
        if route.country_id:
            actors = actors.filter(Q(country=route.country_id) | Q(country__isnull=True))
        self.fields["actors"].queryset = actors
        if not route.is_regional:
            del self.fields["links_national_routes"]

    def clean_order(self):
        order = self.cleaned_data["order"]
        services.check_unique_order(self.route, order, exclude_pk=self.instance.pk)
        return order
