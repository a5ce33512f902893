"""Forms of the plan workspace: one per kind of plan item, Spanish and English side by side.

The forms only clean input; saving goes through strategy.services, which checks the version and
records the change.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from . import dimensions, services
from .models import Activity, Axis, Goal, Indicator, OperationalObjective

# The dimensions an indicator may be reported by: keys stored in Indicator.disaggregations.
DISAGGREGATIONS = dimensions.CHOICES

# "Text (Spanish)": one message per language, since languages are lower case in Spanish.
IN_LANGUAGE = {"es": _("%(field)s (Spanish)"), "en": _("%(field)s (English)")}


def translated_base(model, name: str) -> tuple[str, str] | tuple[None, None]:
    """('text', 'es') for 'text_es' if text is a translated field of model, else (None, None)."""
    base, _sep, code = name.rpartition("_")
    fields = translator.get_options_for_model(model).all_fields if base else ()
    if base in fields and code in dict(settings.LANGUAGES):
        return base, code
    return None, None


def field_label(model, name: str):
    """A field's label for people: 'Text (Spanish)' for text_es, 'Number' for code…"""
    base, code = translated_base(model, name)
    if base:
        verbose = capfirst(model._meta.get_field(base).verbose_name)
        return lazy(lambda: IN_LANGUAGE[code] % {"field": verbose}, str)()
    return capfirst(model._meta.get_field(name).verbose_name)


class PlanItemForm(forms.ModelForm):
    """Content fields of a plan item; with the item's version, hidden, when editing one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            base, code = translated_base(model, name)
            if base:
                # modeltranslation makes every language column optional; the plan needs both
                # wherever the field itself is required.
                field.required = not model._meta.get_field(base).blank
                field.widget.attrs["lang"] = code
            field.label = field_label(model, name)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    @property
    def content(self) -> dict:
        """The cleaned values to hand to the services."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def rows(self) -> list[dict]:
        """The layout: one row per field, with the Spanish and English columns of a translated
        field side by side in one row (in the order of LANGUAGES, Spanish first), each labelled
        with its language under the field's name."""
        rows, by_base = [], {}
        for name in self._meta.fields:
            base, code = translated_base(self._meta.model, name)
            language = dict(settings.LANGUAGES)[code] if base else None
            if base and base in by_base:
                by_base[base]["fields"].append((self[name], language))
                continue
            row = {
                "label": capfirst(self._meta.model._meta.get_field(base or name).verbose_name),
                "fields": [(self[name], language)],
                "translated": bool(base),
                "group": isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple),
            }
            rows.append(row)
            if base:
                by_base[base] = row
        return rows

    def validate_unique(self):
        super().validate_unique()
        if "code" in self.fields and not self.has_error("code"):
            try:
                services.plan_item_check_code(self.instance)
            except ValidationError as error:
                self._update_errors(error)


class AxisForm(PlanItemForm):
    class Meta:
        model = Axis
        fields = services.CONTENT_FIELDS[Axis]


class OperationalObjectiveForm(PlanItemForm):
    class Meta:
        model = OperationalObjective
        fields = services.CONTENT_FIELDS[OperationalObjective]


class ActivityForm(PlanItemForm):
    class Meta:
        model = Activity
        fields = services.CONTENT_FIELDS[Activity]


class GoalForm(PlanItemForm):
    class Meta:
        model = Goal
        fields = services.CONTENT_FIELDS[Goal]


class IndicatorForm(PlanItemForm):
    disaggregations = forms.MultipleChoiceField(
        choices=DISAGGREGATIONS, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Indicator
        fields = services.CONTENT_FIELDS[Indicator]
        error_messages = {
            "code": {
                "unique": _(
                    "Another indicator already has this code. Indicator codes are unique across "
                    "the plan: values, reports and spreadsheets refer to indicators by code."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["disaggregations"]
        # Keep a dimension stored before this list existed, rather than dropping it on save.
        known = {key for key, _label in DISAGGREGATIONS}
        extra = [key for key in self.instance.disaggregations or [] if key not in known]
        field.choices = [*DISAGGREGATIONS, *((key, key) for key in extra)]
        # Left empty, the tolerance is the default one (monitoring's quality checks).
        self.fields["change_tolerance"].required = False

    def clean_change_tolerance(self):
        tolerance = self.cleaned_data["change_tolerance"]
        return (
            Indicator._meta.get_field("change_tolerance").default
            if tolerance is None
            else tolerance
        )

    def clean_disaggregations(self):
        chosen = set(self.cleaned_data["disaggregations"])
        return [key for key, _label in self.fields["disaggregations"].choices if key in chosen]


FORMS = {
    form._meta.model: form
    for form in (AxisForm, OperationalObjectiveForm, ActivityForm, GoalForm, IndicatorForm)
}
