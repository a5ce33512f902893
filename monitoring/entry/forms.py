"""Forms of the data-entry page: one small form per indicator row, one for the narrative, and the
page's save, which hands every changed row to the page's service (monitoring.entry.services) and
shows each refusal beside its inputs.

The forms only read input; the services validate values (so that the form, the API and imports
refuse the same things with the same messages) and run the workflow.

Two hidden fields per row guard against overwriting someone else's work: `version`, the value's
version when the page was shown (0: there was none), and `seen`, a digest of the row as it was
shown. A row whose inputs still match `seen` was not touched and is left alone, even if someone
changed the value meanwhile; a touched row is saved with its version, and a newer value in the
database refuses the save (StaleValue) instead of being overwritten.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett.uploads import MAX_EVIDENCE_BYTES, check_evidence
from strategy.models import Country, Indicator

from ..periods.models import Period
from ..values import narratives
from ..values.cleaning import too_long_lazy
from ..values.models import COMMENT_MAX_LENGTH, EDITABLE, Narrative, Value
from .fields import (
    RowShown,
    digest,
    row_fields,
    row_initial,
    row_tracked,
    tracked,
    typed,
    typed_in,
    with_tracking,
)
from .selectors import Row
from .services import EntrySaved, NarrativeChange, RowChange, entry_save

Kind = Indicator.Kind
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.xlsx,application/pdf,image/png,image/jpeg," + (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class TrackedForm(forms.Form):
    """A form that knows whether the person changed it since it was shown (see the module)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    seen = forms.CharField(max_length=64, widget=forms.HiddenInput)
    tracked: list[str] = []

    def setup_tracking(self, version: int) -> None:
        with_tracking(self.initial, self.tracked, version)

    @property
    def posted(self) -> bool:
        """Did this form's inputs come with the request? Read-only rows have none."""
        return self.is_bound and self.add_prefix("seen") in self.data

    def touched(self) -> bool:
        now = digest([typed(self.data.get(self.add_prefix(name))) for name in self.tracked])
        return now != self.cleaned_data["seen"]

    def typed_in(self) -> bool:
        """Did the person type in this posted form, or choose a file? (fields.typed_in)"""
        return typed_in(self.data, self.files, self.prefix, self.tracked)

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
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": too_long_lazy(COMMENT_MAX_LENGTH)},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )
    error_targets = {"disaggregation": "breakdown", "period": None, "status": None}
    cells_described = ""  # the id of the breakdown's messages, once it has some
    # Help that every row would repeat: written once per page (monitoring.entry.inputs).
    COUNT_HELP = gettext_lazy("A whole number, 0 or more.")
    PERCENT_HELP = gettext_lazy("From 0 to 100; decimals with a point, e.g. 12.5.")
    BREAKDOWN_HELP = gettext_lazy(
        "The categories must add up to the value; put what is not known under “Not specified”."
    )
    EVIDENCE_HELP = gettext_lazy("PDF, PNG or JPEG image, or Excel workbook (.xlsx); up to 10 MB.")

    def __init__(self, *args, indicator: Indicator, value: Value | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        extra, self.value_field, self.dimensions = row_fields(indicator)
        self.fields.update(extra)  # shared: nothing changes a field once made (fields.py)
        self.is_count = indicator.kind == Kind.COUNT
        self.tracked = tracked(self.value_field, self.dimensions)
        self.initial.update(row_initial(indicator, value, self.value_field))
        self.setup_tracking(value.version if value else 0)

    @property
    def value_input(self):
        return self[self.value_field]

    def add_service_error(self, error: ValidationError) -> None:
        super().add_service_error(error)
        if "breakdown" in self.errors:  # each cell points at the breakdown's messages
            self.cells_described = f"{self['breakdown'].auto_id}_error"

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
            narrative is None or narrative.status in EDITABLE
        )
        for row in rows:
            prefix = f"v{row.indicator.pk}"
            # A form only for the rows the person typed in: the others, posted back as they were
            # shown or not posted at all, show as stored (form_to_show; a page posts a hundred
            # rows, and a bound form each was a third of a save's time).
            if data is not None and typed_in(data, files, prefix, row_tracked(row.indicator)):
                row.form = ValueRowForm(
                    data, files, prefix=prefix, indicator=row.indicator, value=row.value
                )
        self.narrative_form = None
        if country is not None:
            posted = data is not None and "narrative-seen" in data
            self.narrative_form = NarrativeForm(data if posted else None, narrative=narrative)

    @staticmethod
    def form_to_show(row: Row):
        """The row's form if the person typed in it; else, if it can be changed, its inputs as
        stored (no form to build: monitoring.entry.fields), made only for a page shown."""
        if row.form is None and row.editable:
            row.form = RowShown(
                prefix=f"v{row.indicator.pk}",
                indicator=row.indicator,
                value=row.value,
                declared=ValueRowForm.base_fields,
            )
        return row.form

    def save(self, *, user, submit: bool) -> EntrySaved:
        """Hands every changed row and the narrative to the page's service (monitoring.entry.
        services.entry_save: all or nothing) and puts each refusal beside its inputs."""
        changes, inputs_failed = [], False
        for row in self.rows:
            form = row.form
            if form is None or not form.posted or not form.typed_in():
                continue
            if not form.is_valid():
                row.failed = inputs_failed = True
                continue
            if form.touched() or form.cleaned_data.get("evidence"):
                changes.append(
                    RowChange(
                        indicator=row.indicator,
                        version=form.cleaned_data["version"],
                        arguments=form.service_arguments(),
                        shown_value=row.value,
                        evidence=form.cleaned_data.get("evidence"),
                    )
                )
        narrative = None
        form = self.narrative_form
        if form is not None and form.posted and form.typed_in():
            if not form.is_valid():
                self.narrative_failed = inputs_failed = True
            elif form.touched():
                narrative = NarrativeChange(
                    version=form.cleaned_data["version"],
                    texts={name: form.cleaned_data[name] for name in narratives.TEXTS},
                    shown_narrative=self.narrative,
                )
        result = entry_save(
            user=user,
            country=self.country,
            period=self.period,
            indicators=[row.indicator for row in self.rows],
            rows=changes,
            narrative=narrative,
            submit=submit,
            inputs_failed=inputs_failed,
        )
        self._show_refusals(result)
        if result.failed:
            self._note_lost_files()
        return result

    def _show_refusals(self, result: EntrySaved) -> None:
        for row in self.rows:
            refused = result.refused.get(row.indicator.pk)
            if refused is not None:
                row.failed = True
                _show(row.form, refused)
                row.conflict = refused.conflict or row.conflict
                row.problems.extend(refused.problems)
        refused = result.narrative_refused
        if refused is not None:
            self.narrative_failed = True
            _show(self.narrative_form, refused)
            self.narrative_conflict = refused.conflict
            self.narrative_problems.extend(refused.problems)

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


def _show(form, refused) -> None:
    """A refusal beside the inputs it is about; after a conflict, the next save applies what was
    typed, now that the person has seen the newer version."""
    if refused.conflict is not None:
        form.refresh_version(refused.conflict.version)
    if refused.error is not None:
        form.add_service_error(refused.error)


__all__ = ["MAX_EVIDENCE_BYTES", "EntryForms", "NarrativeForm", "ValueRowForm"]
