"""Forms of the periods pages (a new period, a period's targets, the qualifications): they read
what was typed; the services decide what is valid."""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy.models import Axis, Country, Frequency

from ..values.formatting import input_number
from .models import Qualification
from .targets import REGION, place_key, target_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=10,
        help_text=gettext_lazy("2026 for a year, 2026-S1 for a semester, 2026-Q3 for a quarter."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Frequency.choices)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DATE)
    opens_on = forms.DateField(
        label=gettext_lazy("Submissions open on"),
        widget=DATE,
        help_text=gettext_lazy("From this day focal points can enter the period's values."),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Submissions close on"),
        widget=DATE,
        help_text=gettext_lazy("Values submitted after this day are flagged as late."),
    )


class TargetGridForm(forms.Form):
    """A period's targets: per indicator, a target and a baseline for the region and each country.

    `shown` carries what the page showed (one hidden field, to stay far below Django's limit on
    the number of fields), so that only the cells the person changed are saved and a cell someone
    else changed meanwhile is caught."""

    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicators, countries, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        shown = {}
        for indicator in indicators:
            cells = []
            for country in [None, *countries]:
                stored = targets.get((indicator.pk, country.pk if country else None))
                names = {}
                for part in PARTS:
                    name = target_field(part, indicator, country)
                    shown[name] = input_number(getattr(stored, FIELD[part], None))
                    self.fields[name] = forms.CharField(
                        required=False,
                        max_length=30,
                        initial=shown[name],
                        widget=forms.TextInput(
                            attrs={
                                "inputmode": "decimal",
                                "size": 5,
                                "autocomplete": "off",
                                "aria-label": self._label(part, indicator, country),
                            }
                        ),
                    )
                    names[part] = name
                bound = {f"{part}_field": self[name] for part, name in names.items()}
                cells.append({"country": country, "place": place_key(country), **names, **bound})
            self.rows.append({"indicator": indicator, "cells": cells})
        self.fields["shown"].initial = json.dumps(shown)

    @staticmethod
    def _label(part, indicator, country) -> str:
        where = country.name if country else _("Region")
        if part == "target":
            return _("Target of %(code)s, %(place)s") % {"code": indicator.code, "place": where}
        return _("Baseline of %(code)s, %(place)s") % {"code": indicator.code, "place": where}

    def clean_shown(self) -> dict:
        try:
            shown = json.loads(self.cleaned_data["shown"] or "{}")
        except ValueError:
            shown = None
        if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
            raise ValidationError(_("This page is out of date: reload it and type again."))
        return shown

    def changed_cells(self) -> list[dict]:
        """The cells where what is typed differs from what the page showed."""
        shown, changed = self.cleaned_data["shown"], []
        for row in self.rows:
            for cell in row["cells"]:
                typed = {part: self.cleaned_data[cell[part]].strip() for part in PARTS}
                was = {part: shown.get(cell[part], "").strip() for part in PARTS}
                if any(not _same(typed[p], was[p]) for p in PARTS):
                    changed.append(
                        {**cell, "indicator": row["indicator"], "typed": typed, "shown": was}
                    )
        return changed


PARTS = ("target", "baseline")
FIELD = {"target": "value", "baseline": "baseline"}


def _same(typed: str, shown: str) -> bool:
    """ "5" and "5.0" are the same figure; anything unreadable counts as a change (and is then
    refused by the service with its message)."""
    if typed == shown:
        return True
    try:
        return Decimal(typed) == Decimal(shown)
    except InvalidOperation:
        return False


class QualificationForm(forms.Form):
    rating = forms.ChoiceField(
        label=gettext_lazy("Qualification"),
        choices=[("", "—"), *Qualification.Rating.choices],
        error_messages={"required": gettext_lazy("Choose on track, at risk or off track.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Give the reason for this qualification.")},
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> datetime.datetime | None:
        """When the qualification shown was last changed; empty when none was shown."""
        seen = self.cleaned_data["seen"]
        if not seen:
            return None
        try:
            moment = datetime.datetime.fromisoformat(seen)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValidationError(_("This page is out of date: reload it and type again."))
        return moment


def qualification_prefix(axis: Axis, country: Country | None) -> str:
    return f"q-{axis.pk}-{country.code if country else REGION}"
