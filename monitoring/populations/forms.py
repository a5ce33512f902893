"""The secretariat's form for one population denominator."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import PARTS, Population
from .services import FIELDS

DIGITS = re.compile(r"\s*[0-9]+\s*", re.ASCII)


class WholeNumberField(forms.IntegerField):
    """A whole number written with the digits 0 to 9 only: Python would read other scripts'
    digits ("١٢٣") and Django would take "1e3" or "12.0"; a population is typed plainly."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not DIGITS.fullmatch(value):
            raise ValidationError(_("Enter a whole number, without decimals."), code="invalid")
        return super().to_python(value)


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Population
        fields = ["country", "year", *FIELDS]
        field_classes = dict.fromkeys(("year", "total", *PARTS), WholeNumberField)
        widgets = {
            "source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = self.fields["country"].queryset.order_by("name")
        if editing:  # a row is a country's year: to change either, add another row
            for name in ("country", "year"):
                self.fields[name].disabled = True
        self.fields["to_be_verified"].help_text = _(
            "Clear it once the figure has been checked against its source."
        )
