"""The secretariat's population denominators, under /<lang>/monitoring/populations/: the list per
country and year, a form to add or change one (with its history), the export (which is also the
import's template) and the import with its preview. Access: corett.access.can_manage_periods;
writes through monitoring.populations.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from corett import access
from corett.editing import add_errors, posted_version, stale_message
from corett.imports import ImportRefused, SpreadsheetImport
from corett.spreadsheets import download

from . import columns as c
from .forms import PopulationForm
from .importing import confirmed_rows, preview, read_rows
from .models import Population
from .services import RowsRefused, StalePopulation, population_save, populations_import

manager_required = access.requires(access.can_manage_periods)


def _all():
    return Population.objects.select_related("country").order_by("country__name", "year")


@manager_required
@require_GET
def population_list(request):
    populations = list(_all())
    by_country: dict = {}
    for population in populations:
        by_country.setdefault(population.country, []).append(population)
    context = {
        "by_country": list(by_country.items()),
        "to_verify": sum(p.to_be_verified for p in populations),
    }
    return render(request, "monitoring/populations/list.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def population_edit(request, pk=None):
    population = (
        get_object_or_404(Population.objects.select_related("country"), pk=pk) if pk else None
    )
    form = PopulationForm(instance=population, editing=population is not None)
    status = 200
    if request.method == "POST":
        form = PopulationForm(request.POST, instance=population, editing=population is not None)
        version = posted_version(request)
        if form.is_valid() and population is not None and version is None:
            return HttpResponseBadRequest()  # a change must say which version it was made on
        if form.is_valid():
            try:
                saved = population_save(
                    user=request.user,
                    population=population,
                    data=form.cleaned_data,
                    version=version,
                )
            except StalePopulation as stale:
                messages.error(request, stale_message(str(stale.current), stale.current.version))
                return redirect("monitoring:population_edit", pk=stale.current.pk)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Population of %(row)s saved.") % {"row": saved})
                return redirect(f"{reverse('monitoring:populations')}#population-{saved.pk}")
        status = 400
    history = list(population.history.select_related("history_user")[:50]) if population else []
    context = {"form": form, "population": population, "history": history}
    return render(request, "monitoring/populations/form.html", context, status=status)


@manager_required
@require_GET
def population_export(request, fmt):
    content = (c.populations_xlsx if fmt == "xlsx" else c.populations_csv)(_all())
    return download(content, fmt, _("populations"), dated=True)


class PopulationsImport(SpreadsheetImport):
    session_key = "population_imports"
    upload_url = "monitoring:population_import"
    preview_url = "monitoring:population_preview"
    confirm_url = "monitoring:population_confirm"

    title = gettext_lazy("Import populations")
    eyebrow = gettext_lazy("Rates per 100,000 inhabitants")
    lead = gettext_lazy(
        "Upload the export of the populations with your changes, or a file in the same layout. "
        "You will see every row, new, changed, unchanged or with an error, before anything is "
        "saved."
    )
    file_label = gettext_lazy("Population spreadsheet")
    file_help = gettext_lazy("An .xlsx or .csv file of at most 5 MB, in the export's layout.")
    rules = (
        gettext_lazy(
            "Columns are recognised by the key in brackets at the end of each header, whatever "
            "the language of the rest."
        ),
        gettext_lazy(
            "One row per country (ISO code) and year; the total, its source and the source's "
            "date are required, the figures by sex and age group only where the source gives them."
        ),
        gettext_lazy("Imported figures are marked to be verified until you confirm them."),
        gettext_lazy(
            "Everything is saved at once, or nothing: one row with an error stops the whole file."
        ),
    )
    new_label = gettext_lazy("New populations")
    changed_label = gettext_lazy("Changed populations")
    item_headings = (gettext_lazy("Country"), gettext_lazy("Year"))
    confirm_text = gettext_lazy(
        "Confirming saves every new and changed row below at once, or none if one of them has "
        "changed since this preview."
    )
    nothing_text = gettext_lazy("The file matches what is saved: there is nothing to import.")
    ignored_text = gettext_lazy("Columns that are not the layout's were ignored:")

    def read(self, request, sheets) -> dict:
        rows, ignored = read_rows(sheets)
        return {**preview(rows), "ignored_columns": ignored}

    def shown_row(self, row: dict) -> dict:
        return {
            "cells": [{"text": row["country"]}, {"text": _shown(row["year"]), "nowrap": True}],
            "changes": [
                {**change, "label": c.label(change["column"])} for change in row["changes"]
            ],
            "problems": [
                {**problem, "label": c.label(problem["column"]) if problem["column"] else ""}
                for problem in row["problems"]
            ],
        }

    def write(self, request, stored: dict) -> str:
        try:
            result = populations_import(user=request.user, rows=confirmed_rows(stored))
        except StalePopulation:
            raise ImportRefused(
                _(
                    "Nothing was imported: someone changed these populations after your preview. "
                    "Upload your file again to see the difference."
                )
            ) from None
        except RowsRefused as refused:
            details = "; ".join(
                _("row %(row)s: %(messages)s") % {"row": row, "messages": " ".join(error.messages)}
                for row, error in sorted(refused.errors.items())
            )
            raise ImportRefused(
                _("Nothing was imported: %(details)s") % {"details": details}
            ) from None
        except IntegrityError:
            raise ImportRefused(
                _(
                    "Nothing was imported: someone saved one of these populations while you were "
                    "importing. Upload your file again to see the difference."
                )
            ) from None
        return _(
            "Import done: %(created)s populations added and %(updated)s changed, marked to be "
            "verified."
        ) % {"created": result.created, "updated": result.updated}

    def done_url(self, stored: dict) -> str:
        return reverse("monitoring:populations")

    def breadcrumbs(self):
        return [(_("Populations"), reverse("monitoring:populations"))]

    def upload_context(self, request) -> dict:
        return {
            "exports": {
                "text": _("Start from the populations recorded so far:"),
                "links": [
                    (_("Populations (.xlsx)"), reverse("monitoring:population_export_xlsx")),
                    (_("Populations (.csv)"), reverse("monitoring:population_export_csv")),
                ],
                "note": "",
            }
        }


def _shown(value) -> str:
    return "" if value is None else str(value)


import_page, preview_page, confirm = PopulationsImport().views(manager_required)
