"""One indicator's row of the data-entry page as HTML, written directly: a template included once
per row cost a third of the page's time at the deadline's shape (issue 13). The markup is what
templates/monitoring/entry/ had: the row is a fieldset named by its indicator, with its facts, the
secretariat's comment, the row's errors, and its inputs (monitoring.entry.inputs) or, once it can
no longer be changed, what is stored.
"""

from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from corett.html import esc

from ..values.models import Status


class Labels:
    """The row's fixed words, translated once per page rather than once per row."""

    def __init__(self):
        self.late = esc(_("late"))
        self.no_value = esc(_("No value yet"))
        self.regional_target = esc(_("Regional target"))
        self.target = esc(_("Target"))
        self.unit = esc(_("Unit"))
        self.history = esc(_("History and review"))
        self.returned = esc(_("Returned by the secretariat:"))
        self.value = esc(_("Value"))
        self.comment = esc(_("Comment"))
        self.evidence = esc(_("Evidence file"))
        self.validated = esc(
            _(
                "Validated by the secretariat: locked. Ask the secretariat to reopen it if it "
                "must change."
            )
        )
        self.submitted = esc(_("Submitted: waiting for the secretariat's review."))
        # A value's state as its tag shows it, and as the tag of last period's value.
        self.status = {status: str(label) for status, label in Status.choices}
        self.status_tag = {status: esc(capfirst(label)) for status, label in self.status.items()}
        self._periods = {}

    def in_period(self, code: str) -> str:
        """The period before, as every row shows it: "In 2026-Q3"."""
        if code not in self._periods:
            self._periods[code] = esc(_("In %(period)s") % {"period": code})
        return self._periods[code]


def row_html(row, labels: Labels) -> SafeString:
    value, form = row.value, row.form
    indicator = row.indicator
    failed = " has-error" if row.failed else ""
    parts = [
        f'<fieldset class="entry-row entry-status-{row.status or "missing"}{failed}" '
        f'id="{row.anchor}">\n  <legend><span class="code">{esc(indicator.code)}</span> '
        f"{esc(indicator.name)}</legend>\n",
        _facts(row, labels),
    ]
    if row.status == Status.RETURNED and value.review_comment:
        parts.append(
            f'  <div class="entry-returned" role="note">\n'
            f'    <p class="entry-returned-title">{labels.returned}</p>\n'
            f"    <p>{linebreaksbr(value.review_comment, autoescape=True)}</p>\n  </div>\n"
        )
    warning = row.quality_warning if row.editable else ""
    if warning and warning not in row.problems:
        parts.append(f'  <p class="entry-unusual" role="note">{esc(warning)}</p>\n')
    errors = []
    if form is not None and form.is_bound:
        errors = [
            *form.non_field_errors(),
            *form.errors.get("version", ()),
            *form.errors.get("seen", ()),
        ]
    errors += row.problems
    if errors:
        items = "".join(f"<li>{esc(error)}</li>" for error in errors)
        parts.append(f'  <ul class="errorlist entry-row-errors">{items}</ul>\n')
    if row.conflict is not None:
        saved = _("Saved now: %(saved)s (%(status)s).") % {
            "saved": row.shown_conflict,
            "status": row.conflict.get_status_display(),
        }
        parts.append(f'  <p class="entry-conflict">{esc(saved)}</p>\n')
    if row.editable and form is not None:
        parts.append(row.inputs)
    else:
        parts.append(_stored(row, labels))
    parts.append("\n</fieldset>\n")
    return mark_safe("".join(parts))  # every value above went through esc() or an escaping filter


def _facts(row, labels: Labels) -> str:
    value = row.value
    if value is not None:
        status = labels.status_tag.get(value.status) or esc(value.status)
        tag = f"{status} · {labels.late}" if value.late else status
    else:
        tag = labels.no_value
    facts = []
    if row.previous is not None:
        period = labels.in_period(row.previous.code)
        last = row.last
        pending = ""
        if last is not None and last.status != Status.VALIDATED:
            label = esc(labels.status.get(last.status, last.status))
            pending = f' <span class="tag">{label}</span>'
        facts.append(f"<div><dt>{period}</dt><dd>{esc(row.shown_last)}{pending}</dd></div>")
    if row.target:
        which = labels.regional_target if row.target_is_regional else labels.target
        amount = esc(floatformat(row.target.value, "-2"))
        facts.append(f"<div><dt>{which}</dt><dd>{amount}</dd></div>")
    if row.indicator.unit:
        facts.append(f"<div><dt>{labels.unit}</dt><dd>{esc(row.indicator.unit)}</dd></div>")
    history = ""
    if value is not None:
        history = (
            f'<a class="entry-history" href="{esc(row.history_url)}">{labels.history}'
            f'<span class="visually-hidden"> {esc(row.indicator.code)}</span></a>'
        )
    return (
        f'  <div class="entry-row-facts">\n    <p class="entry-status-tag">{tag}</p>\n'
        f'    <dl class="facts">{"".join(facts)}</dl>\n    {history}\n  </div>\n'
    )


def _stored(row, labels: Labels) -> str:
    value = row.value
    items = [f"<div><dt>{labels.value}</dt><dd>{esc(row.shown)}</dd></div>"]
    for dimension, cells in row.breakdown_shown:
        counts = " · ".join(f"{esc(label)}: {esc(count)}" for label, count in cells)
        items.append(f"<div><dt>{esc(dimension)}</dt><dd>{counts}</dd></div>")
    if value is not None and value.comment:
        comment = linebreaksbr(value.comment, autoescape=True)
        items.append(f"<div><dt>{labels.comment}</dt><dd>{comment}</dd></div>")
    if value is not None and value.evidence:
        items.append(f"<div><dt>{labels.evidence}</dt><dd>{esc(row.evidence_name)}</dd></div>")
    note = ""
    if value is not None and value.status == Status.VALIDATED:
        note = f'\n  <p class="meta">{labels.validated}</p>'
    elif value is not None and value.status == Status.SUBMITTED:
        note = f'\n  <p class="meta">{labels.submitted}</p>'
    return f'  <dl class="entry-readonly">{"".join(items)}</dl>{note}'
