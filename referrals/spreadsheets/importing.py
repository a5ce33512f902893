"""Reading an uploaded directory and importing it: all or nothing, a dry run for the preview and
the same rows again on confirm; each row's status, messages and changes for the preview."""

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from corett.spreadsheets import cell_text

from .resource import COLUMNS, READ_ONLY, ActorResource, same

MAX_IMPORT_ROWS = 2000


def _shown(value) -> str:
    return "" if value is None else str(value)


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
        if not same(before, after):
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
