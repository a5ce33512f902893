"""The directory's spreadsheets: exports of the filtered list (public: no contact persons), and
the import (upload → preview of every row → confirm) for the secretariat and the focal points,
each focal point for their own country's rows only. The preview keeps the checked rows in the
session (corett.previews), never the file; the confirm imports exactly those rows, all or nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corett import access
from corett.previews import keep_preview, kept_preview
from corett.spreadsheets import CSV_TYPE, XLSX_TYPE
from corett.uploads import SpreadsheetField, read_sheets

from . import spreadsheets
from .models import Population, Role, Sector
from .views import filtered_actors

SESSION_KEY = "directory_imports"
PREVIEW_LIFETIME = 60 * 60  # seconds
KEPT_PREVIEWS = 3
STATUS_LABELS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("to change"),
    "unchanged": gettext_lazy("no change"),
    "error": gettext_lazy("error"),
}

import_required = access.requires(access.can_work_on_directory)


class UploadForm(forms.Form):
    file = SpreadsheetField(
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "aria-describedby": "id_file-help"}),
        label=gettext_lazy("Directory spreadsheet"),
        help_text=gettext_lazy(
            "An .xlsx or .csv exported from this directory and edited, of at most 5 MB."
        ),
    )


@require_GET
def export(request, fmt):
    actors = filtered_actors(request).qs
    export = spreadsheets.export_xlsx if fmt == "xlsx" else spreadsheets.export_csv
    content = export(actors, request.user)
    response = HttpResponse(content, content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE)
    name = f"{_('directory')}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _legend() -> list[tuple]:
    return [
        (_("sector"), Sector.choices),
        (_("roles"), Role.choices),
        (_("populations"), Population.choices),
    ]


@import_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                header, rows, ignored = spreadsheets.read_upload(
                    read_sheets(form.cleaned_data["file"])
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                _result, preview = spreadsheets.run_import(request.user, header, rows, dry_run=True)
                token = keep_preview(
                    request.session,
                    SESSION_KEY,
                    {
                        "name": form.cleaned_data["file"].name,
                        "header": header,
                        "rows": rows,
                        "preview": preview,
                        "ignored": ignored,
                    },
                    lifetime=PREVIEW_LIFETIME,
                    most=KEPT_PREVIEWS,
                )
                return redirect("referrals:import_preview", token=token)
    status = 400 if form.is_bound else 200
    context = {"form": form, "legend": _legend()}
    return render(request, "referrals/import.html", context, status=status)


@import_required
@require_GET
def preview_page(request, token):
    stored = kept_preview(request.session, SESSION_KEY, token, lifetime=PREVIEW_LIFETIME)
    if stored is None:
        return _gone(request)
    rows = [{**row, "status_label": STATUS_LABELS[row["status"]]} for row in stored["preview"]]
    totals = spreadsheets.counts(stored["preview"])
    context = {
        "token": token,
        "name": stored["name"],
        "rows": rows,
        "counts": totals,
        "has_errors": totals["error"] > 0,
        "can_confirm": totals["error"] == 0 and (totals["new"] + totals["changed"]) > 0,
        "ignored": stored["ignored"],
    }
    return render(request, "referrals/import_preview.html", context)


@import_required
@require_POST
def confirm(request, token):
    # Only the token counts: whatever else is posted is ignored.
    stored = kept_preview(
        request.session, SESSION_KEY, token, lifetime=PREVIEW_LIFETIME, remove=True
    )
    if stored is None:
        return _gone(request)
    try:
        result, preview = spreadsheets.run_import(
            request.user, stored["header"], stored["rows"], dry_run=False
        )
    except IntegrityError:
        return _refused(request, _("someone changed the directory while you were importing."))
    totals = spreadsheets.counts(preview)
    if totals["error"]:
        details = "; ".join(
            f"{_('row')} {row['row']}: {' '.join(row['messages'])}"
            for row in preview
            if row["status"] == "error"
        )
        return _refused(request, details)
    messages.success(
        request,
        _("Import done: %(new)s entries added and %(changed)s changed.")
        % {"new": totals["new"], "changed": totals["changed"]},
    )
    return redirect("referrals:index")


def _gone(request):
    messages.warning(
        request, _("This preview has expired or was already used. Upload the file again.")
    )
    return redirect("referrals:import")


def _refused(request, details: str):
    return render(
        request,
        "referrals/import.html",
        {
            "form": UploadForm(),
            "legend": _legend(),
            "refusal": _("Nothing was imported: %(details)s") % {"details": details},
        },
        status=409,
    )
