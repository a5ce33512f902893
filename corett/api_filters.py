"""API filters shared by the apps' filter sets."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class CountryCodeField(forms.ModelChoiceField):
    """A country by its ISO code, in any case; an unknown code is a validation error (400)."""

    default_error_messages = {
        "invalid_choice": _(
            "Unknown country code “%(value)s”; use a two-letter ISO code such as HN."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField
