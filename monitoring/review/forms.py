"""Forms of the secretariat's review pages: they read what was typed (the version the decision was
shown for, a comment, the values ticked in the queue); the workflow decides what is allowed."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett.editing import VersionForm
from corett.widgets import LongSelect
from strategy.models import Country

from ..periods.models import Period
from ..values.models import COMMENT_MAX_LENGTH

SELECTED = re.compile(r"(?P<pk>\d{1,18}):(?P<version>\d{1,9})")


def note_field(label, *, help_text="", required_message=None, rows=3) -> forms.CharField:
    """A note the secretariat writes (a return, a reopening, a follow-up): as long as a country's
    comment may be."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required_message is not None,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else {},
    )


class ReturnForm(VersionForm):
    comment = note_field(
        gettext_lazy("What needs fixing"),
        help_text=gettext_lazy("The focal point sees this comment beside the value."),
        required_message=gettext_lazy("Say what needs fixing."),
    )


class ReopenForm(VersionForm):
    reason = note_field(
        gettext_lazy("Why reopen it"),
        help_text=gettext_lazy("Recorded in the history and shown to the focal point."),
        required_message=gettext_lazy("Say why the value is reopened."),
    )


class FollowUpForm(forms.Form):
    note = note_field(
        gettext_lazy("What to follow up"),
        help_text=gettext_lazy("Kept with the mark and in the value's history."),
        required_message=gettext_lazy("Say what needs following up."),
        rows=2,
    )


class ResolveForm(forms.Form):
    note = note_field(gettext_lazy("How it was resolved"), rows=2)


class QueueFilterForm(forms.Form):
    period = forms.ModelChoiceField(
        Period.objects.order_by("-starts_on"),
        required=False,
        label=gettext_lazy("Period"),
        empty_label=gettext_lazy("All periods"),
        to_field_name="code",
        widget=LongSelect,
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        required=False,
        label=gettext_lazy("Country"),
        empty_label=gettext_lazy("All countries"),
        to_field_name="code",
        widget=LongSelect,
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


class NarrativeReturnForm(VersionForm):
    comment = forms.CharField(
        label=gettext_lazy("What needs fixing"),
        help_text=gettext_lazy("The focal point sees this comment above the narrative."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say what needs fixing.")},
    )
