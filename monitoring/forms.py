"""Forms of the data-entry page: one small form per indicator row, one for the narrative, and the
page's save, which hands every changed row to monitoring.services in a single transaction.

The forms only read input; the services validate values (so that the form, the API and imports
refuse the same things with the same messages) and run the workflow.

Two hidden fields per row guard against overwriting someone else's work: `version`, the value's
version when the page was shown (0: there was none), and `seen`, a digest of the row as it was
shown. A row whose inputs still match `seen` was not touched and is left alone, even if someone
changed the value meanwhile; a touched row is saved with its version, and a newer value in the
database refuses the save (StaleValue) instead of being overwritten.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett.uploads import MAX_EVIDENCE_BYTES, check_evidence
from strategy.dimensions import DIMENSIONS
from strategy.models import Country, Indicator

from . import narratives, services
from .models import Narrative, Period, Value
from .narratives import StaleNarrative
from .notices import shown
from .services import EDITABLE, StaleValue

Kind = Indicator.Kind
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.xlsx,application/pdf,image/png,image/jpeg," + (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


def shown_number(indicator: Indicator, number: Decimal | None) -> str:
    """A stored number as the form shows it: 12 (not 12.00), 12.5 for a percentage."""
    if number is None:
        return ""
    if indicator.kind in (Kind.COUNT, Kind.YES_NO) and number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _typed(raw) -> str:
    """Input as typed, the way a browser sends it back: trimmed, one kind of line break."""
    return str(raw or "").replace("\r\n", "\n").strip()


def _digest(values: list[str]) -> str:
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:32]


class TrackedForm(forms.Form):
    """A form that knows whether the person changed it since it was shown (see the module)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    seen = forms.CharField(max_length=64, widget=forms.HiddenInput)
    tracked: list[str] = []

    def _initial_digest(self) -> str:
        return _digest([_typed(self.initial.get(name)) for name in self.tracked])

    def setup_tracking(self, version: int) -> None:
        self.initial["version"] = version
        self.initial["seen"] = self._initial_digest()

    @property
    def posted(self) -> bool:
        """Did this form's inputs come with the request? Read-only rows have none."""
        return self.is_bound and self.add_prefix("seen") in self.data

    def touched(self) -> bool:
        typed = _digest([_typed(self.data.get(self.add_prefix(name))) for name in self.tracked])
        return typed != self.cleaned_data["seen"]

    def refresh_version(self, version: int) -> None:
        """After a conflict: the next save, now that the person has seen the newer value,
        applies what they typed."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)

    def add_service_error(self, error: ValidationError) -> None:
        """A service's messages beside the fields they are about, the rest above the row."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            target = self.error_targets.get(name, name)
            self.add_error(target if target in self.fields else None, errors)

    error_targets: dict[str, str] = {}


class ValueRowForm(TrackedForm):
    """The inputs of one indicator: the value typed by the indicator's kind, its breakdown by the
    indicator's dimensions, a comment and an evidence file."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence file"),
        required=False,
        help_text=gettext_lazy("PDF, PNG or JPEG image, or Excel workbook (.xlsx); up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )
    error_targets = {"disaggregation": "breakdown", "period": None, "status": None}

    def __init__(self, *args, indicator: Indicator, value: Value | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.dimensions = []
        self.fields["evidence"].widget = forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT})
        kind = indicator.kind
        if kind == Kind.TEXT:
            self.fields["text"] = forms.CharField(
                label=gettext_lazy("Value"),
                required=False,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            )
            self.value_field = "text"
        elif kind == Kind.YES_NO:
            self.fields["number"] = forms.ChoiceField(
                label=gettext_lazy("Value"),
                required=False,
                choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
                widget=forms.RadioSelect,
            )
            self.value_field = "number"
        else:
            attrs = {"inputmode": "numeric" if kind == Kind.COUNT else "decimal"}
            attrs["autocomplete"] = "off"
            self.fields["number"] = forms.CharField(
                label=gettext_lazy("Value"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs=attrs),
                help_text=(
                    gettext_lazy("A whole number, 0 or more.")
                    if kind == Kind.COUNT
                    else gettext_lazy("From 0 to 100; decimals with a point, e.g. 12.5.")
                ),
            )
            self.value_field = "number"
        if kind == Kind.COUNT:
            for key in indicator.disaggregations:
                dimension = DIMENSIONS.get(key)
                if dimension is None:
                    continue
                names = []
                for category, label in dimension.categories.items():
                    name = f"{key}__{category}"
                    self.fields[name] = forms.CharField(
                        label=label,
                        required=False,
                        max_length=30,
                        widget=forms.TextInput(
                            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}
                        ),
                    )
                    names.append(name)
                self.dimensions.append((dimension, names))
        # The breakdown's messages (which dimension is off, by how much) go under its fieldset.
        self.fields["breakdown"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.tracked = [
            self.value_field,
            *(name for _dimension, names in self.dimensions for name in names),
            "comment",
        ]
        if value is not None:
            self.initial[self.value_field] = (
                value.text if kind == Kind.TEXT else shown_number(indicator, value.number)
            )
            self.initial["comment"] = value.comment
            for key, counts in (value.disaggregation or {}).items():
                for category, count in counts.items():
                    self.initial[f"{key}__{category}"] = str(count)
        self.setup_tracking(value.version if value else 0)

    @property
    def value_input(self):
        return self[self.value_field]

    def add_service_error(self, error: ValidationError) -> None:
        super().add_service_error(error)
        if "breakdown" in self.errors:  # each cell points at the breakdown's messages
            described = f"{self['breakdown'].auto_id}_error"
            for _dimension, names in self.dimensions:
                for name in names:
                    self.fields[name].widget.attrs["aria-describedby"] = described

    def breakdown_fields(self):
        """[(dimension, [bound fields])], for the template."""
        return [(dimension, [self[name] for name in names]) for dimension, names in self.dimensions]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        breakdown = {}
        for dimension, names in self.dimensions:
            counts = {
                name.split("__", 1)[1]: data[name].strip() for name in names if data[name].strip()
            }
            if counts:
                breakdown[dimension.key] = counts
        if self.indicator.kind == Kind.TEXT:
            return {"text": data["text"], "comment": data["comment"]}
        return {
            "number": data["number"].strip(),
            "disaggregation": breakdown,
            "comment": data["comment"],
        }

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        return check_evidence(uploaded) if uploaded else None


class NarrativeForm(TrackedForm):
    progress = forms.CharField(
        label=gettext_lazy("Progress"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": narratives.MAX_CHARACTERS}),
        help_text=gettext_lazy("What moved forward in this period."),
    )
    obstacles = forms.CharField(
        label=gettext_lazy("Obstacles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": narratives.MAX_CHARACTERS}),
        help_text=gettext_lazy("What held the work back."),
    )
    adjustments = forms.CharField(
        label=gettext_lazy("Adjustments proposed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": narratives.MAX_CHARACTERS}),
        help_text=gettext_lazy("Changes to the plan or its activities that the country proposes."),
    )
    tracked = list(narratives.TEXTS)

    def __init__(self, *args, narrative: Narrative | None, **kwargs):
        super().__init__(*args, prefix="narrative", **kwargs)
        if narrative is not None:
            for name in narratives.TEXTS:
                self.initial[name] = getattr(narrative, name)
        self.setup_tracking(narrative.version if narrative else 0)


@dataclass
class Row:
    """One indicator of the page: what is stored, what was reported last period, the target."""

    indicator: Indicator
    value: Value | None
    last: Value | None
    target: object | None  # a Target, or None
    target_is_regional: bool
    writable: bool  # the period takes values and this person may enter them
    form: ValueRowForm | None = None
    conflict: Value | None = None
    failed: bool = False
    problems: list = field(default_factory=list)  # messages about the row, not about one input
    shown: str = ""  # the stored value as people read it
    shown_last: str = ""
    previous: Period | None = None  # the period before, of the same kind
    breakdown_shown: list = field(default_factory=list)  # [(dimension, [(category, count)])]
    evidence_name: str = ""
    shown_conflict: str = ""

    @property
    def status(self) -> str | None:
        return self.value.status if self.value else None

    @property
    def editable(self) -> bool:
        return self.writable and (self.value is None or self.value.status in EDITABLE)

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.pk}"


@dataclass
class Outcome:
    saved: int = 0
    submitted: int = 0
    late: bool = False
    narrative_saved: bool = False
    narrative_submitted: bool = False
    failed: bool = False  # nothing was written: the errors are beside the fields


class EntryForms:
    """Every form of a country's page for a period, and its all-or-nothing save."""

    def __init__(
        self,
        *,
        country: Country | None,
        period: Period,
        rows: list[Row],
        narrative: Narrative | None,
        narrative_writable: bool,
        data=None,
        files=None,
    ):
        self.country, self.period, self.rows = country, period, rows
        self.narrative = narrative
        self.narrative_conflict = None
        self.narrative_failed = False
        self.narrative_problems = []
        self.narrative_editable = narrative_writable and (
            narrative is None or narrative.status in narratives.EDITABLE
        )
        for row in rows:
            prefix = f"v{row.indicator.pk}"
            # Bound only to the rows that came with the request: the others show as stored.
            posted = data is not None and f"{prefix}-seen" in data
            if row.editable or posted:
                row.form = ValueRowForm(
                    data if posted else None,
                    files if posted else None,
                    prefix=prefix,
                    indicator=row.indicator,
                    value=row.value,
                )
        self.narrative_form = None
        if country is not None:
            posted = data is not None and "narrative-seen" in data
            self.narrative_form = NarrativeForm(data if posted else None, narrative=narrative)

    def save(self, *, user, submit: bool) -> Outcome:
        """Saves every changed row and the narrative as drafts and, to submit, then sends every
        draft or returned value of the page to the secretariat: all of it or, on any error,
        nothing (each error is left beside its field)."""
        outcome = Outcome()
        with transaction.atomic():
            saved = self._save_rows(user, outcome)
            self._save_narrative(user, outcome)
            if submit and not self.failed:
                self._submit(user, outcome)
            if self.failed:
                transaction.set_rollback(True)
                outcome.failed = True
            else:
                # Files last: a file on disk cannot be rolled back with the database.
                for row, value in saved:
                    if row.form.cleaned_data.get("evidence"):
                        _attach(value, row.form.cleaned_data["evidence"])
        if outcome.failed:
            self._note_lost_files()
        return outcome

    @property
    def failed(self) -> bool:
        return self.narrative_failed or any(row.failed for row in self.rows)

    def _save_rows(self, user, outcome) -> list:
        saved = []
        for row in self.rows:
            form = row.form
            if form is None or not form.posted:
                continue
            if not form.is_valid():
                row.failed = True
                continue
            if not form.touched() and not form.cleaned_data.get("evidence"):
                continue
            current = row.value
            if not row.editable:
                row.failed = True
                form.add_error(
                    None,
                    _(
                        "This value became %(status)s since the page was opened: "
                        "your changes to it were not saved."
                    )
                    % {"status": current.get_status_display() if current else "—"},
                )
                continue
            version = form.cleaned_data["version"]
            if version and current is None:  # a version of a value that never was: not this page's
                row.failed = True
                form.add_error(None, _("This page is out of date: reload it and type again."))
                continue
            try:
                value = services.value_save(
                    user=user,
                    indicator=row.indicator,
                    country=self.country,
                    period=self.period,
                    path="form",
                    version=version,
                    **form.service_arguments(),
                )
            except StaleValue as stale:
                row.failed, row.conflict = True, stale.current
                form.refresh_version(stale.current.version)
                form.add_error(
                    None,
                    _(
                        "Someone else changed this value since you opened the page (it now "
                        "reads %(value)s). Your change was not saved; the value saved now is "
                        "shown beside yours. Save again to replace it with what you typed."
                    )
                    % {"value": shown(stale.current, row.indicator)},
                )
            except ValidationError as error:
                row.failed = True
                form.add_service_error(error)
            except PermissionDenied:
                row.failed = True
                form.add_error(None, _("You may not enter values for this country."))
            else:
                saved.append((row, value))
                outcome.saved += 1
        return saved

    def _save_narrative(self, user, outcome) -> None:
        form = self.narrative_form
        if form is None or not form.posted:
            return
        if not form.is_valid():
            self.narrative_failed = True
            return
        if not form.touched():
            return
        if not self.narrative_editable:
            self.narrative_failed = True
            form.add_error(None, _("The narrative can no longer be changed here."))
            return
        version = form.cleaned_data["version"]
        try:
            narratives.narrative_save(
                user=user,
                country=self.country,
                period=self.period,
                version=version,
                **{name: form.cleaned_data[name] for name in narratives.TEXTS},
            )
        except StaleNarrative as stale:
            self.narrative_failed = True
            self.narrative_conflict = stale.current
            form.refresh_version(stale.current.version)
            form.add_error(
                None,
                _(
                    "Someone else changed the narrative since you opened the page. Your text "
                    "was not saved; the text saved now is shown below. Save again to replace "
                    "it with what you typed."
                ),
            )
        except ValidationError as error:
            self.narrative_failed = True
            form.add_service_error(error)
        else:
            outcome.narrative_saved = True

    def _submit(self, user, outcome) -> None:
        indicators = [row.indicator for row in self.rows]
        values = (
            Value.objects.filter(
                country=self.country,
                period=self.period,
                indicator__in=indicators,
                status__in=EDITABLE,
            )
            .select_related("indicator", "period", "country")
            .order_by("indicator__order")
        )
        by_indicator = {row.indicator.pk: row for row in self.rows}
        for value in values:
            try:
                submitted = services.value_submit(
                    user=user, value=value, path="form", version=value.version
                )
            except ValidationError as error:
                row = by_indicator[value.indicator_id]
                row.failed = True
                row.problems.extend(error.messages)
            except (StaleValue, PermissionDenied):
                row = by_indicator[value.indicator_id]
                row.failed = True
                row.problems.append(_("This value could not be submitted: reload the page."))
            else:
                outcome.submitted += 1
                outcome.late = outcome.late or submitted.late
        if self.country is None:
            return
        narrative = Narrative.objects.filter(country=self.country, period=self.period).first()
        if narrative is not None and narrative.status in narratives.EDITABLE:
            try:
                narratives.narrative_submit(user=user, narrative=narrative, version=None)
            except ValidationError as error:
                self.narrative_failed = True
                self.narrative_problems.extend(error.messages)
            else:
                outcome.narrative_submitted = True

    def _note_lost_files(self) -> None:
        """Browsers cannot refill a file input: say which files must be chosen again."""
        for row in self.rows:
            form = row.form
            if form is None or not form.is_bound or "evidence" in form.errors:
                continue
            evidence = getattr(form, "cleaned_data", {}).get("evidence")
            if evidence:
                form.add_error(
                    "evidence",
                    _("%(name)s was not kept because the page had errors: choose it again.")
                    % {"name": evidence.name},
                )


def _attach(value: Value, evidence) -> None:
    """Stores the checked evidence file and points the value at it. The value was saved by
    monitoring.services in this same transaction, with its audit record; the file is its
    attachment, not a change of the figure."""
    value.evidence.save(evidence.name, ContentFile(evidence.data), save=False)
    Value.objects.filter(pk=value.pk).update(evidence=value.evidence.name)


__all__ = ["EntryForms", "MAX_EVIDENCE_BYTES", "NarrativeForm", "Row", "ValueRowForm"]
