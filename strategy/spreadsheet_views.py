"""Spreadsheet export and import of the operative plan, for those who edit it.

Import: upload → preview → confirm. The upload is checked (corett.uploads), read and compared
with the plan; what confirming would do is kept in the session under a random token, and the file
itself is dropped. Confirm applies exactly what the preview showed, through the services, in one
transaction; a file posted again with the confirm is ignored.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corett.access import plan_editor_required
from corett.previews import keep_preview, kept_preview
from corett.spreadsheets import CSV_TYPE, XLSX_TYPE
from corett.uploads import SpreadsheetField, read_sheets

from .services import StaleVersion, plan_items_import
from .spreadsheets import COLUMN, export_csv, export_xlsx, plan_changes, preview, read_rows

SESSION_KEY = "plan_spreadsheet_imports"
PREVIEW_LIFETIME = 60 * 60  # seconds
KEPT_PREVIEWS = 3
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}
STATUS_LABELS = {
    "new": gettext_lazy("to add"),
    "changed": gettext_lazy("to change"),
    "unchanged": gettext_lazy("no change"),
    "error": gettext_lazy("error"),
}


class UploadForm(forms.Form):
    file = SpreadsheetField(
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "aria-describedby": "id_file-help"}),
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An .xlsx or .csv file exported here, of at most 5 MB."),
    )


@plan_editor_required
@require_GET
def export(request, fmt):
    content = export_xlsx() if fmt == "xlsx" else export_csv()
    name = slugify(_("operative plan"))
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@plan_editor_required
@require_http_methods(["GET", "POST"])
def index(request):
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows, ignored = read_rows(read_sheets(form.cleaned_data["file"]))
            except ValidationError as error:
                form.add_error("file", error)
            else:
                result = preview(rows, ignored)
                result["name"] = form.cleaned_data["file"].name
                return redirect("spreadsheet:preview", token=_keep(request, result))
    status = 400 if form.is_bound else 200
    return render(request, "spreadsheet/index.html", {"form": form}, status=status)


@plan_editor_required
@require_GET
def preview_page(request, token):
    stored = _kept(request, token)
    if stored is None:
        return _gone(request)
    rows = [_labelled(row) for row in stored["rows"]]
    context = {
        "token": token,
        "name": stored["name"],
        "rows": rows,
        "show_sheet": any(row["sheet"] for row in rows),
        "counts": stored["counts"],
        "can_confirm": bool(stored["changes"]),
        "has_errors": stored["counts"]["error"] > 0,
        "ignored_columns": stored["ignored_columns"],
        "untouched": stored["untouched"],
        "untouched_text": ngettext(
            "%(count)s item of the plan is not in the file: it is left as it is.",
            "%(count)s items of the plan are not in the file: they are left as they are.",
            stored["untouched"],
        )
        % {"count": stored["untouched"]},
    }
    return render(request, "spreadsheet/preview.html", context)


@plan_editor_required
@require_POST
def confirm(request, token):
    # Only the token counts: whatever else is posted (a file, rows) is ignored.
    stored = _kept(request, token, remove=True)
    if stored is None:
        return _gone(request)
    if not stored["changes"]:
        messages.info(request, _("Nothing was imported: the file had no changes to apply."))
        return redirect("spreadsheet:index")
    try:
        counts = plan_items_import(user=request.user, changes=plan_changes(stored["changes"]))
    except StaleVersion as stale:
        item = stale.current
        code = getattr(item, "code", None) or getattr(item, "number", "")
        return _refused(
            request,
            _(
                "%(item)s %(code)s was changed by someone else after your preview (it is now "
                "at version %(version)s). Nothing was imported: export the plan again, redo "
                "your edits there and import that file."
            )
            % {
                "item": type(item)._meta.verbose_name.capitalize(),
                "code": code,
                "version": item.version,
            },
        )
    except (ValidationError, IntegrityError) as error:
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else ""
        return _refused(
            request,
            _(
                "The plan changed after your preview and the file no longer fits it (%(detail)s). "
                "Nothing was imported: export the plan again and redo your edits there."
            )
            % {"detail": detail or _("a number or code is now taken")},
        )
    messages.success(
        request,
        _("Import done: %(created)s items added, %(updated)s changed, %(retired)s retired.")
        % {"created": counts["create"], "updated": counts["update"], "retired": counts["retire"]},
    )
    return redirect("spreadsheet:index")


# -- helpers ----------------------------------------------------------------------------------


def _keep(request, result: dict) -> str:
    return keep_preview(
        request.session, SESSION_KEY, result, lifetime=PREVIEW_LIFETIME, most=KEPT_PREVIEWS
    )


def _kept(request, token: str, *, remove: bool = False) -> dict | None:
    return kept_preview(
        request.session, SESSION_KEY, token, lifetime=PREVIEW_LIFETIME, remove=remove
    )


def _gone(request):
    messages.warning(
        request,
        _("This preview has expired or was already used. Upload the file again."),
    )
    return redirect("spreadsheet:index")


def _refused(request, message: str):
    return render(
        request, "spreadsheet/index.html", {"form": UploadForm(), "refusal": message}, status=409
    )


def _labelled(row: dict) -> dict:
    """The stored row with column labels and status in the current language."""

    def label(key):
        column = COLUMN.get(key)
        return column.label if column else ""

    return {
        **row,
        "status_label": STATUS_LABELS[row["status"]],
        "changes": [{**change, "label": label(change["column"])} for change in row["changes"]],
        "problems": [{**problem, "label": label(problem["column"])} for problem in row["problems"]],
    }
