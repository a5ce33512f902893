"""The data-entry page's save: every changed row and the narrative as drafts and, to submit, then
every draft or returned value of the page and the narrative, all in one transaction: all of it or,
on any error, nothing. Each refusal is kept with its row, for the page to show beside the inputs.

Each write goes through monitoring.values.services and .narratives (validation, the workflow, the
audit trail); evidence files are stored last, once nothing can fail any more, because a file on
disk cannot be rolled back with the database.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from strategy.models import Country, Indicator

from ..periods.models import Period
from ..values import narratives, services
from ..values.formatting import shown
from ..values.models import EDITABLE, Narrative, Value
from ..values.workflow import StaleNarrative, StaleValue


@dataclass
class RowChange:
    """What the person changed in one indicator's row: the arguments of value_save, the version
    they saw (0: no value yet) and the value the page showed (None: none)."""

    indicator: Indicator
    version: int
    arguments: dict  # number or text, disaggregation, comment
    shown_value: Value | None
    evidence: object = None  # a checked upload (corett.uploads.check_evidence), or None


@dataclass
class NarrativeChange:
    version: int
    texts: dict  # progress, obstacles, adjustments
    shown_narrative: Narrative | None


@dataclass
class Refusal:
    """Why a row (or the narrative) was not saved: errors for its inputs (a ValidationError,
    per field or not), messages about it as a whole, and the newer value when someone else's
    change came first."""

    error: ValidationError | None = None
    problems: list = field(default_factory=list)
    conflict: Value | Narrative | None = None


@dataclass
class EntrySaved:
    saved: int = 0
    submitted: int = 0
    late: bool = False
    narrative_saved: bool = False
    narrative_submitted: bool = False
    refused: dict = field(default_factory=dict)  # {indicator id: Refusal}
    narrative_refused: Refusal | None = None
    inputs_failed: bool = False  # some inputs could not be read (the forms said which)

    @property
    def failed(self) -> bool:
        """Nothing was written."""
        return bool(self.refused or self.narrative_refused or self.inputs_failed)


def entry_save(
    *,
    user,
    country: Country | None,
    period: Period,
    indicators: list[Indicator],
    rows: list[RowChange],
    narrative: NarrativeChange | None = None,
    submit: bool = False,
    inputs_failed: bool = False,
) -> EntrySaved:
    """Saves the page's changes as drafts and, with `submit`, sends the page's draft and returned
    values (of `indicators`) and the narrative to the secretariat; all or nothing. With
    `inputs_failed` (some inputs could not be read) every change is still checked, so that the
    page shows every problem at once, and nothing is written."""
    result = EntrySaved(inputs_failed=inputs_failed)
    with transaction.atomic():
        saved = []
        for row in rows:
            value = _save_row(user, country, period, row, result)
            if value is not None:
                saved.append((row, value))
        if narrative is not None:
            _save_narrative(user, country, period, narrative, result)
        if submit and not result.failed:
            _submit(user, country, period, indicators, result)
        if result.failed:
            transaction.set_rollback(True)
            return result
        for row, value in saved:
            if row.evidence:
                _attach(value, row.evidence)
    return result


def _save_row(user, country, period, row: RowChange, result: EntrySaved) -> Value | None:
    current = row.shown_value
    refused = Refusal()
    if current is not None and current.status not in EDITABLE:
        refused.error = ValidationError(
            _(
                "This value became %(status)s since the page was opened: your changes to it "
                "were not saved."
            )
            % {"status": current.get_status_display()}
        )
    elif row.version and current is None:  # a version of a value that never was: not this page's
        refused.error = ValidationError(_("This page is out of date: reload it and type again."))
    else:
        try:
            value = services.value_save(
                user=user,
                indicator=row.indicator,
                country=country,
                period=period,
                path="form",
                version=row.version,
                **row.arguments,
            )
        except StaleValue as stale:
            refused.conflict = stale.current
            refused.error = ValidationError(
                _(
                    "Someone else changed this value since you opened the page (it now "
                    "reads %(value)s). Your change was not saved; the value saved now is "
                    "shown beside yours. Save again to replace it with what you typed."
                )
                % {"value": shown(stale.current)}
            )
        except ValidationError as error:
            refused.error = error
        except PermissionDenied:
            refused.error = ValidationError(_("You may not enter values for this country."))
        else:
            result.saved += 1
            return value
    result.refused[row.indicator.pk] = refused
    return None


def _save_narrative(user, country, period, change: NarrativeChange, result: EntrySaved) -> None:
    current = change.shown_narrative
    if current is not None and current.status not in EDITABLE:
        result.narrative_refused = Refusal(
            error=ValidationError(_("The narrative can no longer be changed here."))
        )
        return
    try:
        narratives.narrative_save(
            user=user, country=country, period=period, version=change.version, **change.texts
        )
    except StaleNarrative as stale:
        result.narrative_refused = Refusal(
            conflict=stale.current,
            error=ValidationError(
                _(
                    "Someone else changed the narrative since you opened the page. Your text "
                    "was not saved; the text saved now is shown below. Save again to replace "
                    "it with what you typed."
                )
            ),
        )
    except ValidationError as error:
        result.narrative_refused = Refusal(error=error)
    else:
        result.narrative_saved = True


def _submit(user, country, period, indicators, result: EntrySaved) -> None:
    values = (
        Value.objects.filter(
            country=country, period=period, indicator__in=indicators, status__in=EDITABLE
        )
        .select_related("indicator", "period", "country")
        .order_by("indicator__order")
    )
    for value in values:
        try:
            submitted = services.value_submit(
                user=user, value=value, path="form", version=value.version
            )
        except ValidationError as error:
            result.refused.setdefault(value.indicator_id, Refusal()).problems.extend(error.messages)
        except (StaleValue, PermissionDenied):
            result.refused.setdefault(value.indicator_id, Refusal()).problems.append(
                _("This value could not be submitted: reload the page.")
            )
        else:
            result.submitted += 1
            result.late = result.late or submitted.late
    if country is None:
        return
    narrative = Narrative.objects.filter(country=country, period=period).first()
    if narrative is not None and narrative.status in EDITABLE:
        try:
            narratives.narrative_submit(user=user, narrative=narrative, version=None)
        except ValidationError as error:
            result.narrative_refused = Refusal(problems=list(error.messages))
        else:
            result.narrative_submitted = True


def _attach(value: Value, evidence) -> None:
    """Stores the checked evidence file and points the value at it. The value was saved by
    value_save in this same transaction, with its audit record; the file is its attachment, not
    a change of the figure."""
    value.evidence.save(evidence.name, ContentFile(evidence.data), save=False)
    Value.objects.filter(pk=value.pk).update(evidence=value.evidence.name)
