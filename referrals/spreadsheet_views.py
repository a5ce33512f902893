"""The directory's spreadsheets: exports of the filtered list (public: no contact persons), and
the import for the secretariat and the focal points, each focal point for their own country's
rows only (referrals.spreadsheets checks every row).

The import is corett.imports' upload → preview → confirm; the directory supplies its reading and
its writing (referrals.spreadsheets.run_import: a dry run for the preview, then the same rows
again on confirm, kept only if no row fails).
"""

from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from corett import access
from corett.imports import ImportRefused, SpreadsheetImport, counted
from corett.spreadsheets import download

from . import spreadsheets
from .models import Population, Role, Sector
from .views import filtered_actors


@require_GET
def export(request, fmt):
    actors = filtered_actors(request).qs
    export = spreadsheets.export_xlsx if fmt == "xlsx" else spreadsheets.export_csv
    return download(export(actors, request.user), fmt, _("directory"), dated=True)


class DirectoryImport(SpreadsheetImport):
    session_key = "directory_imports"
    upload_url = "referrals:import"
    preview_url = "referrals:import_preview"
    confirm_url = "referrals:import_confirm"

    title = gettext_lazy("Import a directory spreadsheet")
    eyebrow = gettext_lazy("Referral directory")
    lead = gettext_lazy(
        "Upload the directory's spreadsheet after editing it. You will see every row, new, "
        "changed, unchanged or with an error, before anything is saved."
    )
    file_label = gettext_lazy("Directory spreadsheet")
    file_help = gettext_lazy(
        "An .xlsx or .csv exported from this directory and edited, of at most 5 MB."
    )
    rules = (
        gettext_lazy(
            "Columns are recognised by their name in the first row (country, name_es, roles…), "
            "as in the export; other columns are ignored."
        ),
        gettext_lazy(
            "A row with an id changes that entry, if it is still at the version in the file; a "
            "row without an id adds an entry."
        ),
        gettext_lazy(
            "country is the two-letter ISO code (HN, SV…), or empty for regional and "
            "international actors. A focal point imports only their own country's rows."
        ),
        gettext_lazy(
            "Lists (roles, populations) are values separated by commas, from the tables below. "
            "Yes/no columns take TRUE or FALSE."
        ),
        gettext_lazy("Contact persons are not in the spreadsheet: add them on each entry's page."),
        gettext_lazy(
            "Everything is saved at once, or nothing: one row with an error stops the whole file."
        ),
    )
    new_label = gettext_lazy("New entries")
    changed_label = gettext_lazy("Changed entries")
    item_headings = (gettext_lazy("Institution"),)
    confirm_text = gettext_lazy(
        "Confirming saves every new and changed entry below at once, or none if one of them has "
        "changed since this preview."
    )
    nothing_text = gettext_lazy("The file matches what is saved: there is nothing to import.")
    ignored_text = gettext_lazy("Columns that are not the directory's were ignored:")
    stylesheet = "css/referrals.css"

    def read(self, request, sheets) -> dict:
        header, cells, ignored = spreadsheets.read_upload(sheets)
        _result, rows = spreadsheets.run_import(request.user, header, cells, dry_run=True)
        return {
            "header": header,
            "cells": cells,
            "rows": rows,
            "counts": counted(rows),
            "ignored_columns": ignored,
        }

    def shown_row(self, row) -> dict:
        return {
            "cells": [{"text": row["name"]}],
            "problems": [{"message": message} for message in row["messages"]],
            "changes": [{**change, "label": change["column"]} for change in row["changes"]],
        }

    def write(self, request, stored) -> str:
        try:
            _result, rows = spreadsheets.run_import(
                request.user, stored["header"], stored["cells"], dry_run=False
            )
        except IntegrityError:
            raise ImportRefused(
                _refusal(_("someone changed the directory while you were importing."))
            ) from None
        counts = counted(rows)
        if counts["error"]:
            raise ImportRefused(
                _refusal(
                    "; ".join(
                        f"{_('row')} {row['row']}: {' '.join(row['messages'])}"
                        for row in rows
                        if row["status"] == "error"
                    )
                )
            )
        return _("Import done: %(new)s entries added and %(changed)s changed.") % {
            "new": counts["new"],
            "changed": counts["changed"],
        }

    def done_url(self, stored) -> str:
        return reverse("referrals:index")

    def breadcrumbs(self):
        return [(_("Referral directory"), reverse("referrals:index"))]

    def upload_context(self, request) -> dict:
        return {
            "exports": {
                "text": _("Start from an export:"),
                "links": [
                    (_("Excel workbook (.xlsx)"), reverse("referrals:export_xlsx")),
                    (_("CSV (.csv)"), reverse("referrals:export_csv")),
                ],
            },
            "legend": [
                (_("sector"), Sector.choices),
                (_("roles"), Role.choices),
                (_("populations"), Population.choices),
            ],
        }


def _refusal(details: str) -> str:
    return _("Nothing was imported: %(details)s") % {"details": details}


import_page, preview_page, confirm = DirectoryImport().views(
    access.requires(access.can_work_on_directory)
)
