"""The directory as a spreadsheet: export (CSV, XLSX) and import with a preview, through
django-import-export.

One row per actor, one column per field; columns are named by their field (name_es, roles…),
lists as comma-separated values (roles: detection, complaint). `id` and `version` say which entry
a row updates and at which version it was exported: an empty id creates an entry; an entry
changed since the export is refused. Contact persons are never exported: the export is public.

Every cell leaves escaped (corett.spreadsheets.escape_cell) and is read back unescaped
(cell_text); uploads are checked first (corett.uploads). The import is all or nothing: the
preview runs it and rolls it back; the confirm runs it again on the same rows and keeps it only
if no row fails. Rows are checked against the importer's rights row by row: a focal point
imports only their own country's rows (corett.access.can_edit_directory_entry).
"""

import tablib
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, resources, widgets

from corett import access
from corett.spreadsheets import blank_cell, cell_text, csv_bytes, workbook_bytes, xlsx_value
from strategy.models import Country

from .models import Actor, Population, Role, Sector

LIST_SEPARATOR = ","
MAX_IMPORT_ROWS = 2000


def _same(before, after) -> bool:
    return (before if before is not None else "") == (after if after is not None else "")


def _shown(value) -> str:
    return "" if value is None else str(value)


class ChoiceListWidget(widgets.Widget):
    """A JSON list of choice values as "a, b"; unknown values are a row error that names them."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        items = [item.strip() for item in str(value or "").split(LIST_SEPARATOR) if item.strip()]
        unknown = [item for item in items if item not in self.choices.values]
        if unknown:
            raise ValueError(
                _("Unknown values %(unknown)s; use %(values)s.")
                % {"unknown": ", ".join(unknown), "values": ", ".join(self.choices.values)}
            )
        return list(dict.fromkeys(items))

    def render(self, value, obj=None, **kwargs):
        return f"{LIST_SEPARATOR} ".join(value or [])


class StrictBooleanWidget(widgets.Widget):
    """TRUE/FALSE (and 1/0, yes/no, sí/no); anything else is a row error, never a silent no."""

    TRUE = {"true", "1", "yes", "sí", "si", "verdadero"}
    FALSE = {"false", "0", "no", "falso", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write TRUE or FALSE."))

    def render(self, value, obj=None, **kwargs):
        return bool(value)


class CountryWidget(widgets.ForeignKeyWidget):
    """A member country by its ISO code, any case; empty for regional entries."""

    def __init__(self, **kwargs):
        super().__init__(Country, field="code", **kwargs)
        self._by_code = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if not code:
            return None
        if self._by_code is None:  # one query for the whole file
            self._by_code = {country.code: country for country in Country.objects.all()}
        if code not in self._by_code:
            raise ValueError(
                _("Unknown country code “%(code)s”; use a two-letter ISO code such as HN.")
                % {"code": code}
            )
        return self._by_code[code]


class SectorWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text not in Sector.values:
            raise ValueError(_("Use one of %(values)s.") % {"values": ", ".join(Sector.values)})
        return text


class NativeWidget(widgets.Widget):
    """Text cells as they are (already unescaped and trimmed); numbers and dates stay native on
    export, so that the spreadsheet's own types survive."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else value

    def render(self, value, obj=None, **kwargs):
        return value


TEXT_FIELDS = [
    "name_es",
    "name_en",
    "acronym_es",
    "acronym_en",
    "services_es",
    "services_en",
    "languages_es",
    "languages_en",
    "hours_es",
    "hours_en",
    "address",
    "phone",
    "email",
    "website",
    "source_es",
    "source_en",
    "source_url",
]
COLUMNS = [
    "id",
    "version",
    "country",
    "is_governing_body",
    "sector",
    "roles",
    "populations",
    *TEXT_FIELDS,
    "source_date",
    "to_be_verified",
    "verified_at",
    "verified_by",
]
READ_ONLY = {"verified_at", "verified_by"}


class ActorResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    version = fields.Field(
        attribute="version", column_name="version", widget=widgets.IntegerWidget()
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    is_governing_body = fields.Field(
        attribute="is_governing_body", column_name="is_governing_body", widget=StrictBooleanWidget()
    )
    sector = fields.Field(attribute="sector", column_name="sector", widget=SectorWidget())
    roles = fields.Field(attribute="roles", column_name="roles", widget=ChoiceListWidget(Role))
    populations = fields.Field(
        attribute="populations", column_name="populations", widget=ChoiceListWidget(Population)
    )
    source_date = fields.Field(
        attribute="source_date", column_name="source_date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    to_be_verified = fields.Field(
        attribute="to_be_verified", column_name="to_be_verified", widget=StrictBooleanWidget()
    )
    verified_at = fields.Field(
        attribute="verified_at", column_name="verified_at", readonly=True, widget=NativeWidget()
    )
    # Who verified it, as the exporting user may see it named (corett.access.person_shown_to).
    verified_by = fields.Field(column_name="verified_by", readonly=True)

    class Meta:
        model = Actor
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True

    def __init__(self, user=None):
        super().__init__()
        self.user = user
        for name in TEXT_FIELDS:
            self.fields[name] = fields.Field(
                attribute=name, column_name=name, widget=NativeWidget()
            )

    def dehydrate_verified_by(self, actor) -> str:
        return access.person_shown_to(self.user or AnonymousUser(), actor.verified_by)

    def get_export_headers(self, selected_fields=None):
        return COLUMNS

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.column_name == "verified_at" and value is not None:
            return value.replace(tzinfo=None)  # spreadsheets hold no time zone
        return value

    # --- Import: the row's rights and version, before anything is saved ----------------------

    def after_init_instance(self, instance, new, row, **kwargs):
        if new and not blank_cell(row.get("id")):
            raise ValidationError(
                {"id": _("No entry has this id; leave the id empty to add a new entry.")}
            )
        if not new:
            if not access.can_edit_directory_entry(self.user, instance.country):
                raise ValidationError(
                    {"id": _("You may not change this entry: it belongs to another country.")}
                )
            if str(row.get("version", "")).strip() != str(instance.version):
                raise ValidationError(
                    {
                        "version": _(
                            "This entry changed after your export (it is now at version "
                            "%(version)s): export it again and redo your change."
                        )
                        % {"version": instance.version}
                    }
                )

    def before_save_instance(self, instance, row, **kwargs):
        if not access.can_edit_directory_entry(self.user, instance.country):
            raise ValidationError(
                {"country": _("You may only import entries of your own country.")}
            )
        if instance.pk:
            instance.version += 1  # after_init_instance checked the row's version is current
        instance._history_user = self.user
        instance._change_reason = gettext_noop("imported")  # translated when shown

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is skipped; an empty cell equals an empty field, whether the
        field holds "" or NULL (modeltranslation leaves untranslated texts NULL)."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        return all(
            _same(field.get_value(instance), field.get_value(original))
            for field in self.get_import_fields()
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in ("id", "version") or field.column_name in READ_ONLY:
            return  # never written from the file
        if field.column_name == "is_governing_body" and not access.can_set_governing_body(
            self.user
        ):
            return  # the cell is ignored, as the form leaves the field out
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)


def export_rows(actors, viewer=None) -> tuple[list, list]:
    """The header and rows of the actors as `viewer` may see them (None: the public)."""
    dataset = ActorResource(user=viewer).export(
        actors.select_related("country", "verified_by__country")
    )
    return list(dataset.headers), [list(row) for row in dataset]


def export_csv(actors, viewer=None) -> bytes:
    header, rows = export_rows(actors, viewer)
    return csv_bytes(header, rows)


def export_xlsx(actors, viewer=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header, rows = export_rows(actors, viewer)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Directory"))[:31]
    sheet.append([xlsx_value(cell) for cell in header])
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "D2"
    return workbook_bytes(workbook)


# --- Reading an upload ----------------------------------------------------------------------------


def read_upload(sheets) -> tuple[list, list[list], list[str]]:
    """The first sheet's header and rows, as text; the headers that are not columns (ignored).
    Refuses a sheet without a header naming the columns."""
    if not sheets or not sheets[0].rows:
        raise ValidationError(_("The file has no rows."), code="empty")
    rows = sheets[0].rows
    header = [cell_text(cell) for cell in rows[0]]
    if "name_es" not in header or "country" not in header:
        raise ValidationError(
            _(
                "The first row must name the columns, as in the export: at least country and "
                "name_es."
            ),
            code="header",
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise ValidationError(
            _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)},
            code="repeated",
        )
    ignored = [h for h in header if h and h not in COLUMNS]
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("The file has more than %(limit)s rows.") % {"limit": MAX_IMPORT_ROWS},
            code="too_many_rows",
        )
    kept = [index for index, key in enumerate(header) if key in COLUMNS]
    # A file made by hand may leave out id and version: every row is then a new entry.
    missing = [key for key in ("id", "version") if key not in header]
    body = []
    for values in rows[1:]:
        cells = [cell_text(values[i]) if i < len(values) else "" for i in kept]
        if all(not cell for cell in cells):
            continue
        body.append(cells + [""] * len(missing))
    return [header[i] for i in kept] + missing, body, ignored


def _dataset(header, rows) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=header)
    for row in rows:
        dataset.append(row)
    return dataset


def _row_messages(row_result, header) -> list[str]:
    result = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                label = name if name in header else ""
                for message in errors:
                    result.append(
                        f"{label}: {message}" if label and label != "__all__" else message
                    )
        else:
            result.extend(error.messages)
    for error in row_result.errors:
        result.append(str(error.error))
    return result


def _changes(row_result) -> list[dict]:
    if not row_result.is_update() or row_result.original is None:
        return []
    resource = ActorResource()
    changes = []
    for name in COLUMNS:
        if name in ("id", "version") or name in READ_ONLY:
            continue
        field = resource.fields[name]
        before = field.export(row_result.original)
        after = field.export(row_result.instance)
        if not _same(before, after):
            changes.append({"column": name, "before": _shown(before), "after": _shown(after)})
    return changes


def run_import(user, header, rows, *, dry_run: bool):
    """Imports the rows in one transaction, rolled back on a dry run or if any row fails.
    Returns (import-export result, preview rows)."""
    resource = ActorResource(user=user)
    result = resource.import_data(
        _dataset(header, rows),
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    preview = []
    for number, row_result in enumerate(result.rows, start=2):
        name = row_result.instance.name_es if row_result.instance is not None else ""
        messages = _row_messages(row_result, header)
        if messages:
            status = "error"
        elif row_result.is_new():
            status = "new"
        elif row_result.is_update():
            status = "changed"
        else:
            status = "unchanged"
        if not name:
            name = rows[number - 2][header.index("name_es")] if "name_es" in header else ""
        preview.append(
            {
                "row": number,
                "name": str(name or ""),
                "status": status,
                "messages": messages,
                "changes": _changes(row_result) if status == "changed" else [],
            }
        )
    for error in result.base_errors:
        preview.append(
            {
                "row": "",
                "name": "",
                "status": "error",
                "messages": [str(error.error)],
                "changes": [],
            }
        )
    return result, preview
