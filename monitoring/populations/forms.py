"""The secretariat's form for one population denominator."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Population
from .services import FIELDS


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Population
        fields = ["country", "year", *FIELDS]
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

    def validate_unique(self):
        """The service says so beside the year (it checks it under its lock)."""
