"""One spreadsheet import, upload → preview → confirm, for the plan, the directory and the values.

The pages and their rules live here once; each import is a SpreadsheetImport that supplies only
its columns (how its rows are shown), its reading and its writing:

- upload: the file is checked (corett.uploads), read and compared with the database by `read`;
  what confirming would do is kept in the session under a random token (corett.previews), and the
  file itself is dropped. A file that cannot be read is refused beside the file field (400).
- preview: every row, new, changed, unchanged or with an error, with its messages; nothing has
  been written. A preview with an error cannot be confirmed.
- confirm: only the token counts (whatever else is posted is ignored); the preview is used once.
  `write` applies exactly what was previewed, all or nothing, and refuses (ImportRefused, shown
  on the upload page, 409) when the data changed since the export or the preview.

Who may import is the guard given to `views()` (a corett.access decorator); which rows a user may
import (a focal point's own country only) is checked by each import's reading and writing.
"""

from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .previews import keep_preview, kept_preview
from .uploads import SpreadsheetField, read_sheets

STATUSES = ("new", "changed", "unchanged", "error")
STATUS_LABELS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("to change"),
    "unchanged": gettext_lazy("no change"),
    "error": gettext_lazy("error"),
}


class ImportRefused(Exception):
    """Confirming found that the previewed file no longer fits: nothing was written. The message
    says why, in the user's language."""


class UploadForm(forms.Form):
    file = SpreadsheetField(widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["file"].help_text = help_text


class ImportViews(NamedTuple):
    upload: object
    preview: object
    confirm: object


def counted(rows: list[dict]) -> dict:
    """How many rows of each status: the preview's counts."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row["status"]] += 1
    return counts


class SpreadsheetImport:
    """An import's pages. A subclass sets the texts and URL names below and supplies `read`,
    `write` and `shown_row`; the rest has defaults it may override."""

    # The session, and the pages' URL names (the preview and confirm take the token).
    session_key: str
    upload_url: str
    preview_url: str
    confirm_url: str
    preview_lifetime = 60 * 60  # seconds
    kept_previews = 3  # per session: the newest ones

    # What the pages say (lazily translated).
    title: str  # the upload page's title and heading, and its breadcrumb on the preview
    eyebrow: str
    lead: str
    upload_heading = gettext_lazy("File")
    file_label: str
    file_help: str
    rules: tuple = ()  # how the import reads the file, one sentence each
    new_label: str  # the counts of new and changed rows: "New rows", "New values"…
    changed_label: str
    item_headings: tuple  # the preview's columns that say what each row is
    confirm_text: str
    nothing_text: str  # the file matches what is saved
    ignored_text: str  # followed by the ignored columns' names
    status_labels = STATUS_LABELS
    stylesheet = ""  # a page stylesheet under static/, if any
    table_class = ""

    # --- What each import supplies ----------------------------------------------------------

    def read(self, request, sheets) -> dict:
        """The checked preview of the uploaded sheets (corett.uploads.Sheet), JSON-ready: at
        least "rows" (each with "row", "status" and what shown_row needs) and "counts" (counted);
        "ignored_columns" and "show_sheet" (else: whether a row names its sheet) if any. Raises
        ValidationError for a file that cannot be read at all."""
        raise NotImplementedError

    def write(self, request, stored: dict) -> str:
        """Applies the confirmed preview, all or nothing; returns the success message. Raises
        ImportRefused with the reason when it no longer fits."""
        raise NotImplementedError

    def shown_row(self, row: dict) -> dict:
        """A stored row as the preview shows it: "cells" (one {"text", "note", "nowrap"} per
        item heading), "problems" ({"label", "letter", "message"}) and "changes" ({"label",
        "letter", "before", "after"}); "new" and "note" if any. Labels in the current language."""
        raise NotImplementedError

    def can_confirm(self, stored: dict) -> bool:
        counts = stored["counts"]
        return counts["error"] == 0 and counts["new"] + counts["changed"] > 0

    def breadcrumbs(self) -> list[tuple[str, str]]:
        """The (label, URL) pairs above the upload page."""
        return []

    def upload_context(self, request) -> dict:
        """More for the upload page: "exports" ({"text", "links": [(label, URL)], "note"}),
        "legend" ([(title, choices)])."""
        return {}

    def preview_context(self, stored: dict) -> dict:
        """More for the preview page: "eyebrow", "notes" (sentences shown under the counts)."""
        return {}

    def done_url(self, stored: dict) -> str:
        return reverse(self.upload_url)

    # --- The pages --------------------------------------------------------------------------

    def views(self, guard) -> ImportViews:
        """The three views, each behind `guard` (who may import)."""
        return ImportViews(
            upload=guard(require_http_methods(["GET", "POST"])(self.upload_page)),
            preview=guard(require_GET(self.preview_page)),
            confirm=guard(require_POST(self.confirm_page)),
        )

    def upload_form(self, *args) -> UploadForm:
        return UploadForm(*args, label=self.file_label, help_text=self.file_help)

    def upload_page(self, request):
        form = self.upload_form()
        if request.method == "POST":
            form = self.upload_form(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = self.read(request, read_sheets(form.cleaned_data["file"]))
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    result["name"] = form.cleaned_data["file"].name
                    return redirect(self.preview_url, token=self._keep(request, result))
        return self._upload_page(request, form, status=400 if form.is_bound else 200)

    def preview_page(self, request, token):
        stored = self._kept(request, token)
        if stored is None:
            return self._gone(request)
        rows = [
            {**row, **self.shown_row(row), "status_label": self.status_labels[row["status"]]}
            for row in stored["rows"]
        ]
        context = {
            "flow": self,
            "crumbs": [*self.breadcrumbs(), (self.title, reverse(self.upload_url))],
            "token": token,
            "name": stored["name"],
            "rows": rows,
            "show_sheet": stored.get("show_sheet", any(row.get("sheet") for row in rows)),
            "counts": stored["counts"],
            "has_errors": stored["counts"]["error"] > 0,
            "can_confirm": self.can_confirm(stored),
            "ignored_columns": stored.get("ignored_columns", []),
            "eyebrow": self.eyebrow,
            **self.preview_context(stored),
        }
        return render(request, "spreadsheet/preview.html", context)

    def confirm_page(self, request, token):
        # Only the token counts: whatever else is posted (a file, rows) is ignored.
        stored = self._kept(request, token, remove=True)
        if stored is None:
            return self._gone(request)
        if not self.can_confirm(stored):
            messages.info(
                request,
                _("Nothing was imported: correct the rows with errors and upload the file again.")
                if stored["counts"]["error"]
                else _("Nothing was imported: the file had no changes to apply."),
            )
            return redirect(self.upload_url)
        try:
            done = self.write(request, stored)
        except ImportRefused as refused:
            return self._upload_page(request, self.upload_form(), status=409, refusal=str(refused))
        messages.success(request, done)
        return redirect(self.done_url(stored))

    # --- Helpers ----------------------------------------------------------------------------

    def _upload_page(self, request, form, *, status: int, refusal: str = ""):
        context = {
            "flow": self,
            "crumbs": self.breadcrumbs(),
            "form": form,
            "refusal": refusal,
            **self.upload_context(request),
        }
        return render(request, "spreadsheet/upload.html", context, status=status)

    def _keep(self, request, result: dict) -> str:
        return keep_preview(
            request.session,
            self.session_key,
            result,
            lifetime=self.preview_lifetime,
            most=self.kept_previews,
        )

    def _kept(self, request, token: str, *, remove: bool = False) -> dict | None:
        return kept_preview(
            request.session, self.session_key, token, lifetime=self.preview_lifetime, remove=remove
        )

    def _gone(self, request):
        messages.warning(
            request, _("This preview has expired or was already used. Upload the file again.")
        )
        return redirect(self.upload_url)
