"""Forms of the secretariat's pages: they read what was typed; the services decide what is valid."""

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy.models import Axis, Country, Frequency

from .models import Period, Qualification
from .periods.targets import REGION, place_key, plain, target_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SELECTED = re.compile(r"(?P<pk>\d{1,18}):(?P<version>\d{1,9})")


class VersionForm(forms.Form):
    """The version of the value the button was shown for."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReturnForm(VersionForm):
    comment = forms.CharField(
        label=gettext_lazy("What needs fixing"),
        help_text=gettext_lazy("The focal point sees this comment beside the value."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say what needs fixing.")},
    )


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=gettext_lazy("Why reopen it"),
        help_text=gettext_lazy("Recorded in the history and shown to the focal point."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the value is reopened.")},
    )


class QueueFilterForm(forms.Form):
    period = forms.ModelChoiceField(
        Period.objects.order_by("-starts_on"),
        required=False,
        label=gettext_lazy("Period"),
        empty_label=gettext_lazy("All periods"),
        to_field_name="code",
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        required=False,
        label=gettext_lazy("Country"),
        empty_label=gettext_lazy("All countries"),
        to_field_name="code",
    )


class BulkValidateForm(forms.Form):
    """The values ticked in the queue, each as "pk:version" (the version the row showed)."""

    value = forms.MultipleChoiceField(
        error_messages={"required": gettext_lazy("Tick the values to validate first.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any well-formed pair is a choice: whether the value is still waiting is the service's.
        ticked = self.data.getlist("value") if hasattr(self.data, "getlist") else []
        self.fields["value"].choices = [(t, t) for t in ticked if SELECTED.fullmatch(t)]
        self.fields["value"].error_messages["invalid_choice"] = _(
            "The list of values sent is not one this page shows. Reload the queue."
        )

    def selection(self) -> dict[int, int]:
        """{value pk: version shown}."""
        pairs = (SELECTED.fullmatch(t) for t in self.cleaned_data["value"])
        return {int(m["pk"]): int(m["version"]) for m in pairs}


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
                    shown[name] = plain(getattr(stored, FIELD[part], None))
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
