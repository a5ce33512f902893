"""The data-entry page's inputs, written directly instead of through a template per widget: the
page has about a thousand of them at the deadline's shape, and Django's widget templates cost
most of its time (issue 13). What Django's widgets give is kept: the label, the value typed (or
stored), `aria-invalid` and `aria-describedby` (help and error) built by the bound field itself,
the error beside the field, the attributes the form's fields set (maxlength, inputmode...).

Help text that would repeat on every row (what a count is, which files are taken, how a breakdown
adds up) is written once at the top of the page (`shared_help`) and referred to by each input's
`aria-describedby`. A breakdown is collapsed (`<details>`) until opened, or while it holds a figure
or an error.
"""

from django.forms import RadioSelect
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from corett.html import attributes, esc

# Ids of the help written once per page, for the inputs' aria-describedby.
HELP_IDS = {
    "count": "entry-help-count",
    "percent": "entry-help-percent",
    "breakdown": "entry-help-breakdown",
    "evidence": "entry-help-evidence",
}


def shared_help(form_class) -> SafeString:
    """The help that every row would repeat, once, with the ids the inputs point at."""
    texts = {
        "count": form_class.COUNT_HELP,
        "percent": form_class.PERCENT_HELP,
        "breakdown": form_class.BREAKDOWN_HELP,
        "evidence": form_class.EVIDENCE_HELP,
    }
    return format_html(
        '<ul class="entry-help meta">{}</ul>',
        format_html_join("", '<li id="{}">{}</li>', ((HELP_IDS[k], t) for k, t in texts.items())),
    )


class _Input:
    """What the page needs of one field of a row's form, read straight from the form: name, id,
    value (typed, or as stored), errors and the attributes the field set on its widget."""

    __slots__ = ("attrs", "errors", "id", "label", "name", "value")

    def __init__(self, form, name: str, described: str = ""):
        field = form.fields[name]
        self.name = form.add_prefix(name)
        self.id = f"id_{self.name}"
        self.label = esc(field.label)
        if form.is_bound:
            self.value = form.data.get(self.name)
            self.errors = form.errors.get(name) or ()
        else:
            self.value = form.initial.get(name, field.initial)
            self.errors = ()
        attrs = dict(field.widget.attrs)
        if described:
            attrs["aria-describedby"] = described
        if self.errors:  # as Django's BoundField.build_widget_attrs
            attrs["aria-invalid"] = "true"
            attrs.setdefault("aria-describedby", f"{self.id}_error")
        self.attrs = attrs

    def attributes(self, *shared: str) -> str:
        """id and the widget's attributes; the shared help's ids first in aria-describedby."""
        attrs = self.attrs
        if shared:
            attrs = {
                **attrs,
                "aria-describedby": " ".join([*shared, attrs.get("aria-describedby", "")]).strip(),
            }
        return f' id="{self.id}"' + attributes(attrs)

    def error(self) -> str:
        if not self.errors:
            return ""
        return f'<p class="error" id="{self.id}_error">{esc(" ".join(map(str, self.errors)))}</p>'

    def text(self, *shared: str) -> str:
        value = "" if self.value in (None, "") else f' value="{esc(self.value)}"'
        return f'<input type="text" name="{self.name}"{value}{self.attributes(*shared)}>'

    def textarea(self) -> str:
        # The newline after the tag is dropped by browsers: a value starting with one keeps it.
        return f'<textarea name="{self.name}"{self.attributes()}>\n{esc(self.value)}</textarea>'

    def hidden(self) -> str:
        return f'<input type="hidden" name="{self.name}" value="{esc(self.value)}" id="{self.id}">'

    def field(self, control: str, css: str, label_extra: str = "", before: str = "") -> str:
        failed = " has-error" if self.errors else ""
        return (
            f'<div class="entry-field {css}{failed}"><label for="{self.id}">{self.label}'
            f"{label_extra}</label>{before}{control}{self.error()}</div>"
        )


def _choice(form) -> str:
    """Yes/no radios in a fieldset whose legend is the label."""
    field = form.fields[form.value_field]
    one = _Input(form, form.value_field)
    value = str(one.value or "")
    extra = ""
    if one.errors:
        extra = f' aria-invalid="true" aria-describedby="{one.id}_error"'
    radios = "".join(
        f'<div><label for="{one.id}_{n}"><input type="radio" name="{one.name}" '
        f'value="{esc(choice)}" id="{one.id}_{n}"{extra}{_checked(choice, value)}>'
        f" {esc(label)}</label></div>"
        for n, (choice, label) in enumerate(field.choices)
    )
    failed = " has-error" if one.errors else ""
    return (
        f'<div class="entry-field entry-value{failed}"><fieldset class="entry-choice">'
        f'<legend>{one.label}</legend><div id="{one.id}">{radios}</div></fieldset>'
        f"{one.error()}</div>"
    )


def _checked(choice, value: str) -> str:
    return " checked" if str(choice) == value else ""


def _value(form) -> str:
    if form.value_field == "text":
        one = _Input(form, "text")
        return one.field(one.textarea(), "entry-value")
    if isinstance(form.fields["number"].widget, RadioSelect):
        return _choice(form)
    one = _Input(form, "number")
    help_id = HELP_IDS["count"] if form.is_count else HELP_IDS["percent"]
    return one.field(one.text(help_id), "entry-value")


def _breakdown(form, language: str) -> str:
    """Each dimension's cells in a fieldset, all of them in one <details>: closed unless the
    breakdown has an error or the person has just typed in it (the summary counts the figures)."""
    if not form.dimensions:
        return _breakdown_errors(form)
    failed = form.is_bound and "breakdown" in form.errors
    figures, opened, fieldsets = 0, failed, []
    for dimension, names in form.dimensions:
        if form.is_bound:
            cells, typed, opened = _cells_typed(form, names, opened)
        else:
            cells, typed = _cells_shown(form, dimension, names, language)
        figures += typed
        legend = _per_language(
            ("legend", dimension.key, language),
            lambda d=dimension: esc(_("Breakdown: %(dimension)s") % {"dimension": d.label}),
        )
        fieldsets.append(
            f'<fieldset class="entry-breakdown{" has-error" if failed else ""}">'
            f'<legend>{legend}</legend><div class="entry-cells">{cells}</div></fieldset>'
        )
    summary = _per_language(
        ("summary", language, *(dimension.key for dimension, _names in form.dimensions)),
        lambda: (
            _("Breakdown by %(dimensions)s")
            % {"dimensions": ", ".join(str(dimension.label) for dimension, _n in form.dimensions)}
        ),
    )
    if figures:
        count = ngettext("%(count)s figure", "%(count)s figures", figures) % {"count": figures}
        summary = f"{summary} ({count})"
    return (
        f'<details class="entry-breakdowns"{" open" if opened else ""}>'
        f"<summary>{esc(summary)}</summary>{''.join(fieldsets)}{_breakdown_errors(form)}</details>"
    )


def _cells_typed(form, names: list[str], opened: bool) -> tuple[str, int, bool]:
    """A posted row's cells: what was typed, each cell's error; (markup, figures, opened)."""
    cells, figures = [], 0
    for name in names:
        cell = _Input(form, name, form.cells_described)
        typed = str(cell.value or "").strip()
        figures += bool(typed)
        if not opened:
            opened = bool(cell.errors) or typed != str(form.initial.get(name) or "").strip()
        cells.append(cell.field(cell.text(HELP_IDS["breakdown"]), "entry-cell"))
    return "".join(cells), figures, opened


def _cells_shown(form, dimension, names: list[str], language: str) -> tuple[str, int]:
    """A row's cells as stored, the markup _cells_typed writes without errors: each cell's label
    and attributes are the same on every row, made once per language (a page has a thousand
    cells); only the row's prefix and the stored figure change. (markup, figures)"""

    def make():
        shown = []
        for name in names:
            field = form.fields[name]
            attrs = {**field.widget.attrs, "aria-describedby": HELP_IDS["breakdown"]}
            shown.append(
                (name, esc(field.label), "".join(f' {k}="{esc(v)}"' for k, v in attrs.items()))
            )
        return shown

    prefix, initial = form.prefix, form.initial
    cells, figures = [], 0
    for name, label, attrs in _per_language(("cells", dimension.key, language), make):
        full = f"{prefix}-{name}"
        value = initial.get(name)
        if value in (None, ""):
            value = ""
        else:
            figures += bool(str(value).strip())
            value = f' value="{esc(value)}"'
        cells.append(
            f'<div class="entry-field entry-cell"><label for="id_{full}">{label}</label>'
            f'<input type="text" name="{full}"{value} id="id_{full}"{attrs}></div>'
        )
    return "".join(cells), figures


_MADE: dict[tuple, object] = {}


def _per_language(key: tuple, make):
    """What make() returns, made once per key, which names the language: words and markup that
    every row repeats and that change only with the language (labels of the portal's own
    fields). The page asks for the language once (row_inputs), not once per cell."""
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = make()
    return made


def _breakdown_errors(form) -> str:
    errors = form.errors.get("breakdown") if form.is_bound else None
    if not errors:
        return ""
    items = "".join(f"<li>{esc(error)}</li>" for error in errors)
    return f'<ul class="errorlist" id="{form["breakdown"].auto_id}_error">{items}</ul>'


def row_inputs(form, *, evidence_name: str = "") -> SafeString:
    """Every input of one indicator's row (see the module)."""
    optional = f' <span class="meta">{esc(_("(optional)"))}</span>'
    comment = _Input(form, "comment")
    evidence = _Input(form, "evidence")
    on_file = ""
    if evidence_name:
        text = _("On file: %(name)s. A new file replaces it.") % {"name": evidence_name}
        on_file = f'<p class="meta">{esc(text)}</p>'
    file_input = (
        f'<input type="file" name="{evidence.name}"{evidence.attributes(HELP_IDS["evidence"])}>'
    )
    return mark_safe(  # every value above went through esc()
        '<div class="entry-inputs">'
        + _value(form)
        + _breakdown(form, get_language())
        + comment.field(comment.textarea(), "entry-comment", optional)
        + evidence.field(file_input, "entry-evidence", optional, on_file)
        + _Input(form, "version").hidden()
        + _Input(form, "seen").hidden()
        + "</div>"
    )
