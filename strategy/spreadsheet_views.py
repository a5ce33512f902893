"""Spreadsheet export and import of the operative plan, for those who edit it.

The import is corett.imports' upload → preview → confirm; the plan supplies its reading
(strategy.spreadsheets), its columns and its writing (services.plan_items_import, in one
transaction, every item's version checked).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from corett.access import plan_editor_required
from corett.imports import STATUS_LABELS, ImportRefused, SpreadsheetImport
from corett.spreadsheets import download

from .services import StaleVersion, plan_items_import
from .spreadsheets import COLUMN, export_csv, export_xlsx, plan_changes, preview, read_rows


@plan_editor_required
@require_GET
def export(request, fmt):
    content = export_xlsx() if fmt == "xlsx" else export_csv()
    return download(content, fmt, _("operative plan"), dated=True)


def _label(column: str) -> str:
    found = COLUMN.get(column)
    return found.label if found else ""


class PlanImport(SpreadsheetImport):
    session_key = "plan_spreadsheet_imports"
    upload_url = "spreadsheet:index"
    preview_url = "spreadsheet:preview"
    confirm_url = "spreadsheet:confirm"

    title = gettext_lazy("Plan spreadsheets")
    eyebrow = gettext_lazy("Operative plan")
    lead = gettext_lazy(
        "Download the whole operative matrix, edit it in a spreadsheet and import it back. "
        "Nothing changes until you have seen the preview and confirmed it."
    )
    upload_heading = gettext_lazy("Import")
    file_label = gettext_lazy("Spreadsheet")
    file_help = gettext_lazy("An .xlsx or .csv file exported here, of at most 5 MB.")
    rules = (
        gettext_lazy(
            "Start from a file exported here: the columns are recognised by the key in brackets "
            "at the end of each header, whatever the language of the rest."
        ),
        gettext_lazy(
            "Each row keeps the id and version of its objective, activity, goal and indicator. "
            "Don't change them: the version shows whether someone else changed the item since "
            "your export."
        ),
        gettext_lazy(
            "An item's texts are given on its first row; on its other rows leave them empty or "
            "repeat them exactly."
        ),
        gettext_lazy(
            "To add an item, add a row with its number or code and its texts, and leave its id "
            "and version empty."
        ),
        gettext_lazy(
            "To retire an item, write a date in its “retired on” column. Restore retired items "
            "in the plan workspace."
        ),
        gettext_lazy(
            "Items that are not in the file are left as they are: the import never deletes."
        ),
        gettext_lazy(
            "Spanish texts are required; an empty English text shows the Spanish one on the "
            "English pages."
        ),
    )
    new_label = gettext_lazy("New rows")
    changed_label = gettext_lazy("Changed rows")
    item_headings = (gettext_lazy("Item"),)
    confirm_text = gettext_lazy(
        "Confirming applies every change listed below at once, or none if the plan has changed "
        "since this preview."
    )
    nothing_text = gettext_lazy("The file matches the plan: there is nothing to import.")
    ignored_text = gettext_lazy("Columns that are not the plan's were ignored:")
    status_labels = {**STATUS_LABELS, "new": gettext_lazy("to add")}

    def read(self, request, sheets) -> dict:
        return preview(*read_rows(sheets))

    def can_confirm(self, stored) -> bool:
        return bool(stored["changes"])

    def shown_row(self, row) -> dict:
        return {
            "cells": [{"text": row["item"], "nowrap": True}],
            "changes": [
                {**change, "label": f"{change['item']} · {_label(change['column'])}"}
                for change in row["changes"]
            ],
            "problems": [
                {**problem, "label": _label(problem["column"])} for problem in row["problems"]
            ],
        }

    def breadcrumbs(self):
        return [(_("Plan workspace"), reverse("plan:index"))]

    def upload_context(self, request) -> dict:
        return {
            "exports": {
                "text": _(
                    "Every item of the matrix, in force and retired, in Spanish and English."
                ),
                "links": [
                    (_("Excel workbook (.xlsx)"), reverse("spreadsheet:export_xlsx")),
                    (_("CSV (.csv)"), reverse("spreadsheet:export_csv")),
                ],
                "note": _(
                    "The workbook has one sheet per axis, laid out like the document's matrix. "
                    "The CSV holds the same rows in one table, with an axis column, in UTF-8 with "
                    "commas: open the workbook in Excel, the CSV in other tools."
                ),
            }
        }

    def preview_context(self, stored) -> dict:
        untouched = stored["untouched"]
        if not untouched:
            return {}
        return {
            "notes": [
                ngettext(
                    "%(count)s item of the plan is not in the file: it is left as it is.",
                    "%(count)s items of the plan are not in the file: they are left as they are.",
                    untouched,
                )
                % {"count": untouched}
            ]
        }

    def write(self, request, stored) -> str:
        try:
            counts = plan_items_import(user=request.user, changes=plan_changes(stored["changes"]))
        except StaleVersion as stale:
            raise ImportRefused(_stale(stale.current)) from None
        except (ValidationError, IntegrityError) as error:
            detail = "; ".join(error.messages) if isinstance(error, ValidationError) else ""
            raise ImportRefused(
                _(
                    "The plan changed after your preview and the file no longer fits it "
                    "(%(detail)s). Nothing was imported: export the plan again and redo your "
                    "edits there."
                )
                % {"detail": detail or _("a number or code is now taken")}
            ) from None
        return _(
            "Import done: %(created)s items added, %(updated)s changed, %(retired)s retired."
        ) % {
            "created": counts["create"],
            "updated": counts["update"],
            "retired": counts["retire"],
        }


def _stale(item) -> str:
    code = getattr(item, "code", None) or getattr(item, "number", "")
    return _(
        "%(item)s %(code)s was changed by someone else after your preview (it is now at version "
        "%(version)s). Nothing was imported: export the plan again, redo your edits there and "
        "import that file."
    ) % {"item": type(item)._meta.verbose_name.capitalize(), "code": code, "version": item.version}


index, preview_page, confirm = PlanImport().views(plan_editor_required)
