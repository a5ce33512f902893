"""The review workflow of what a country reports, values and narratives alike: one table of steps
(who may take each, from which states, to which state, whether it needs a note, is audited and
sends a notice) and one `transition()` that applies a step. The data-entry page, the review pages,
the API and the imports all go through here; so do the checks they share (the period takes values,
the item can still be changed, the version the person saw is the current one).

    draft ──submit──▶ submitted ──validate──▶ validated
      ▲                  │                       │
      └── returned ◀─────┘ return    reopen ─────┘  (values only; a returned item is resubmitted)

Access is decided by corett.access; a refusal raises PermissionDenied, a step the item's state or
period does not allow raises ValidationError (per field), and an item that changed since the person
saw it raises Stale (StaleValue, StaleNarrative) with the item as it is now.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corett import access

from ..periods.models import Period
from . import audit, quality
from .models import EDITABLE, Narrative, Status, Value, ValueAudit
from .selectors import forget_submitted_count
from .tasks import value_reviewed

SUBMIT, RETURN, VALIDATE, REOPEN = "submit", "return", "validate", "reopen"


@dataclass
class Stale(Exception):
    """The item changed since the person read it: going on would overwrite that change."""

    current: Value | Narrative


class StaleValue(Stale):
    pass


class StaleNarrative(Stale):
    pass


def _enters(user, country_id) -> bool:
    return access.can_enter_values(user, country_id)


def _reviews(user, _country_id) -> bool:
    return access.can_review_values(user)


@dataclass(frozen=True)
class Step:
    to: str
    allowed_from: frozenset
    may: Callable  # (user, country id or None) -> bool
    audit_action: str
    note_required: object = None  # the message when the note is missing; None: no note
    notifies: bool = False  # the country's focal points get an e-mail (values)


STEPS = {
    SUBMIT: Step(Status.SUBMITTED, EDITABLE, _enters, ValueAudit.Action.SUBMITTED),
    RETURN: Step(
        Status.RETURNED,
        frozenset({Status.SUBMITTED}),
        _reviews,
        ValueAudit.Action.RETURNED,
        note_required=gettext_lazy("Say what needs fixing."),
        notifies=True,
    ),
    VALIDATE: Step(
        Status.VALIDATED,
        frozenset({Status.SUBMITTED}),
        _reviews,
        ValueAudit.Action.VALIDATED,
        notifies=True,
    ),
    REOPEN: Step(
        Status.RETURNED,
        frozenset({Status.VALIDATED}),
        _reviews,
        ValueAudit.Action.REOPENED,
        note_required=gettext_lazy("Say why the value is reopened."),
    ),
}


@dataclass(frozen=True)
class Subject:
    """What differs between a value and a narrative on their way through the steps."""

    steps: frozenset
    stale: type[Stale]
    related: tuple  # read with the item when it is locked
    audited: bool  # values keep an audit record of every change; narratives do not
    not_editable: str  # "%(status)s"
    refused: str  # "%(status)s", "%(action)s", "%(to)s"

    def refusal(self, item, step: Step) -> ValidationError:
        names = {
            "status": item.get_status_display(),
            "action": ValueAudit.Action(step.audit_action).label,
            "to": Status(step.to).label,
        }
        return ValidationError({"status": str(self.refused) % names})


SUBJECTS = {
    Value: Subject(
        steps=frozenset(STEPS),
        stale=StaleValue,
        related=("indicator", "period", "country"),
        audited=True,
        not_editable=gettext_lazy("This value is %(status)s: it can no longer be changed here."),
        refused=gettext_lazy("This value is %(status)s: it cannot be %(action)s."),
    ),
    Narrative: Subject(
        steps=frozenset({SUBMIT, RETURN, VALIDATE}),
        stale=StaleNarrative,
        related=("period", "country"),
        audited=False,
        not_editable=gettext_lazy(
            "The narrative is in state “%(status)s”: it can no longer be changed here."
        ),
        refused=gettext_lazy("The narrative is in state “%(status)s”: it cannot become “%(to)s”."),
    ),
}


# --- Checks shared by every path -----------------------------------------------------------------


def check_period(period: Period, indicator=None) -> None:
    """The period takes values today (open, or closed with late submissions flagged), and, for a
    value, of the indicator's frequency. Raises ValidationError under "period"."""
    state = period.state
    if state == Period.State.LOCKED:
        raise ValidationError({"period": _("Period %(period)s is locked.") % {"period": period}})
    if state == Period.State.UPCOMING:
        raise ValidationError(
            {"period": _("Period %(period)s is not open yet.") % {"period": period}}
        )
    if indicator is not None and period.kind != indicator.frequency:
        raise ValidationError(
            {
                "period": _("This indicator is reported per %(frequency)s, not per %(kind)s.")
                % {
                    "frequency": indicator.get_frequency_display(),
                    "kind": period.get_kind_display(),
                }
            }
        )


def check_editable(item, *, model=None) -> None:
    """A country may still change it (draft or returned); else ValidationError under "status".
    `item` may be a plain record of a value's row (the bulk import): then name its `model`."""
    if item.status not in EDITABLE:
        subject = SUBJECTS[model or type(item)]
        raise ValidationError(
            {"status": str(subject.not_editable) % {"status": Status(item.status).label}}
        )


def lock(item, version: int | None):
    """The item's row, locked until the transaction ends, read again with what it refers to.
    Raises Stale with it when `version` (the one the person saw; None: no check) is not its own."""
    subject = SUBJECTS[type(item)]
    current = (
        # Lock the item's row only: PostgreSQL cannot lock the nullable side of the country join.
        type(item)
        .objects.select_for_update(of=("self",))
        .select_related(*subject.related)
        .get(pk=item.pk)
    )
    if version is not None and current.version != version:
        raise subject.stale(current)
    return current


def create_unless_someone_just_did(item, **cell) -> None:
    """Inserts a new row for a cell (a value, a narrative) that was empty when the person looked.
    Two people filling the same empty cell at once: the second insert meets the first one's row
    and raises Stale with it, like any other late save, instead of failing on the constraint."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        current = type(item).objects.filter(**cell).first()
        if current is None:
            raise
        raise SUBJECTS[type(item)].stale(current) from None


# --- The one transition ---------------------------------------------------------------------------


@transaction.atomic
def transition(item, step_name: str, *, user, version: int | None, note: str = "", path=""):
    """Takes `item` (a Value or a Narrative) through one step of STEPS as `user`, who saw it at
    `version` (None: no check), with the step's `note` (a return's comment, a reopening's reason).
    Values are audited under `path` (form, api, import) and their country is told of a return or a
    validation once committed. Returns the item as saved."""
    subject, step = SUBJECTS[type(item)], STEPS[step_name]
    if step_name not in subject.steps:
        raise ValueError(f"{type(item).__name__} has no step {step_name!r}")
    note = (note or "").strip()
    if step.note_required and not note:
        raise ValidationError({"review_comment": str(step.note_required)})
    if not step.may(user, item.country_id):
        raise PermissionDenied
    item = lock(item, version)
    if item.status not in step.allowed_from:
        raise subject.refusal(item, step)
    before = audit.snapshot(item) if subject.audited else None
    if isinstance(item, Value) and Status.SUBMITTED in (item.status, step.to):
        forget_submitted_count()  # the queue's size in every page's header
    item.status = step.to
    item.version += 1
    if step_name == SUBMIT:
        check_period(item.period, getattr(item, "indicator", None))
        if isinstance(item, Value):
            quality.check_submittable(item)
    if step_name == REOPEN and item.period.state == Period.State.LOCKED:
        raise ValidationError(
            {"period": _("Period %(period)s is locked: unlock it first.") % {"period": item.period}}
        )
    _apply(item, step_name, note)
    item.save()
    if subject.audited:
        audit.record(item, user=user, action=step.audit_action, path=path, before=before, note=note)
        if step.notifies:
            pk, status = item.pk, step.to
            transaction.on_commit(lambda: value_reviewed(pk, status), robust=True)
    return item


def _apply(item, step_name: str, note: str) -> None:
    """What a step writes besides the state."""
    if step_name in (RETURN, REOPEN):
        item.review_comment = note
    elif step_name == VALIDATE:
        item.review_comment = ""
    if isinstance(item, Value):
        item.updated_at = timezone.now()
        if step_name == SUBMIT:
            item.submitted_at = item.updated_at
            item.late = timezone.localdate() > item.period.closes_on
