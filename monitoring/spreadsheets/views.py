"""Value spreadsheets, under /<lang>/monitoring/spreadsheets/: the template of a country and
period, the exports of the matrix and the values list, and the import, which is corett.imports'
upload → preview → confirm: the values supply their reading (.reading, .preview: every row read
against the database, nothing written) and their writing (monitoring.values.imports.values_import,
exactly the previewed rows: one transaction, everything or nothing, versions checked).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from corett import access
from corett.imports import ImportRefused, SpreadsheetImport
from corett.spreadsheets import download
from strategy.models import Country

from ..periods.models import Period
from ..values.imports import RowsRefused, values_import
from ..values.workflow import StaleValue
from .columns import label
from .export import matrix_csv, matrix_xlsx, values_csv, values_xlsx
from .preview import confirmed_rows, preview
from .reading import read_rows
from .template import template_csv, template_xlsx
from .unodc import unodc_csv, unodc_xlsx


def _by_code(model, code: str):
    """The row with this code, or 404: also for a NUL, which no code has and PostgreSQL refuses
    in a lookup with an error."""
    if "\x00" in code:
        raise Http404
    return get_object_or_404(model, code=code)


def _current_period(code: str | None) -> Period | None:
    if code:
        return None if "\x00" in code else Period.objects.filter(code=code).first()
    today = timezone.localdate()
    periods = list(Period.objects.filter(opens_on__lte=today).order_by("-starts_on"))
    return next((p for p in periods if p.state == Period.State.OPEN), None) or next(
        iter(periods), None
    )


@require_GET
def index(request):
    period = _current_period(request.GET.get("period"))
    user = request.user
    template_countries = []
    if period is not None and user.is_authenticated:
        template_countries = [
            country
            for country in Country.objects.order_by("name")
            if access.can_enter_values(user, country)
        ]
    context = {
        "period": period,
        "periods": [
            (option, Period.State(option.state).label)
            for option in Period.objects.order_by("-starts_on")
        ],
        "template_countries": template_countries,
        "may_import": access.can_import_values(user),
        "small_cell": f"<{threshold}" if (threshold := settings.SMALL_CELL_THRESHOLD) else "",
    }
    return render(request, "monitoring/spreadsheet/index.html", context)


@login_required
@require_GET
def template(request, period, country, fmt):
    period = get_object_or_404(Period, code=period)
    country = get_object_or_404(Country, code=country.upper())
    if not access.can_enter_values(request.user, country):
        raise PermissionDenied
    content = (template_xlsx if fmt == "xlsx" else template_csv)(country, period)
    return download(content, fmt, _("template"), country.code, period.code)


@require_GET
def matrix_export(request, period, fmt):
    period = get_object_or_404(Period, code=period)
    content = (matrix_xlsx if fmt == "xlsx" else matrix_csv)(request.user, period)
    return download(content, fmt, _("matrix"), period.code)


@require_GET
def values_export(request, fmt):
    filters = {}
    if request.GET.get("period"):
        filters["period"] = _by_code(Period, request.GET["period"])
    if request.GET.get("country"):
        filters["country"] = _by_code(Country, request.GET["country"].upper())
    content = (values_xlsx if fmt == "xlsx" else values_csv)(request.user, **filters)
    parts = [f.code for f in filters.values()]
    return download(content, fmt, _("values"), *parts, dated=True)


@require_GET
def unodc_export(request, fmt):
    """The identified victims in UNODC's layout (one row per country, year and category): public,
    breakdowns protected for whoever may not see them in full."""
    content = (unodc_xlsx if fmt == "xlsx" else unodc_csv)(request.user)
    return download(content, fmt, "unodc", _("identified victims"), dated=True)


class ValuesImport(SpreadsheetImport):
    session_key = "value_spreadsheet_imports"
    upload_url = "monitoring:spreadsheet_import"
    preview_url = "monitoring:spreadsheet_preview"
    confirm_url = "monitoring:spreadsheet_confirm"

    title = gettext_lazy("Import values")
    eyebrow = gettext_lazy("Monitoring")
    lead = gettext_lazy(
        "Upload a filled-in template. You will see every row, new, changed, unchanged or with an "
        "error, before anything is saved."
    )
    file_label = gettext_lazy("Filled-in template")
    file_help = gettext_lazy(
        "The .xlsx template downloaded here, or a .csv in the same layout, of at most 5 MB."
    )
    rules = (
        gettext_lazy(
            "Columns are recognised by the key in brackets at the end of each header, whatever "
            "the language of the rest."
        ),
        gettext_lazy(
            "All the rows are for one period. A focal point imports only their own country: one "
            "row of another country refuses the whole file."
        ),
        gettext_lazy(
            "Values are saved as drafts; submit them from the data entry page. Submitted and "
            "validated values cannot be changed by an import."
        ),
        gettext_lazy("An empty value leaves the value as it is: the import never deletes."),
        gettext_lazy(
            "Everything is saved at once, or nothing: one row with an error stops the whole file."
        ),
    )
    new_label = gettext_lazy("New values")
    changed_label = gettext_lazy("Changed values")
    item_headings = (gettext_lazy("Country"), gettext_lazy("Indicator"))
    confirm_text = gettext_lazy(
        "Confirming saves every new and changed value below as a draft at once, or none if one "
        "of them has changed since this preview."
    )
    nothing_text = gettext_lazy("The file matches what is saved: there is nothing to import.")
    ignored_text = gettext_lazy("Columns that are not the template's were ignored:")
    stylesheet = "css/monitoring-spreadsheet.css"
    table_class = "value-sheet-preview"

    def read(self, request, sheets) -> dict:
        rows, ignored = read_rows(sheets)
        return {**preview(request.user, rows), "ignored_columns": ignored}

    def shown_row(self, row: dict) -> dict:
        return {
            "cells": [
                {"text": row["country"]},
                {"text": row["indicator"], "nowrap": True, "note": row["name"]},
            ],
            "changes": [{**change, "label": label(change["column"])} for change in row["changes"]],
            "problems": [
                {**problem, "label": label(problem["column"])} for problem in row["problems"]
            ],
        }

    def write(self, request, stored: dict) -> str:
        period, rows, names = confirmed_rows(stored)
        try:
            result = values_import(user=request.user, period=period, rows=rows, path="import")
        except StaleValue as stale:
            value = stale.current
            raise ImportRefused(
                _(
                    "The value of %(indicator)s for %(country)s was changed after your preview "
                    "(it is now at version %(version)s). Nothing was imported: upload your file "
                    "again to see the difference."
                )
                % {
                    "indicator": value.indicator.code,
                    "country": value.country or _("the region"),
                    "version": value.version,
                }
            ) from None
        except RowsRefused as refused:
            details = "; ".join(
                f"{names.get(line, line)}: {' '.join(error.messages)}"
                for line, error in refused.errors.items()
            )
            raise ImportRefused(_refusal(details)) from None
        except ValidationError as error:
            raise ImportRefused(_refusal(" ".join(error.messages))) from None
        except IntegrityError:
            raise ImportRefused(
                _(
                    "Nothing was imported: someone saved one of these values while you were "
                    "importing. Upload your file again to see the difference."
                )
            ) from None
        done = _(
            "Import done: %(created)s values added and %(updated)s changed, saved as drafts. "
            "Submit them from the data entry page when they are ready."
        ) % {"created": result.created, "updated": result.updated}
        unusual = " ".join(
            f"{names.get(line, line)}: {message}" for line, message in result.warnings.items()
        )
        return f"{done} {unusual}" if unusual else done

    def done_url(self, stored: dict) -> str:
        return f"{reverse('monitoring:spreadsheets')}?period={stored['period_code']}"

    def breadcrumbs(self):
        return [(_("Value spreadsheets"), reverse("monitoring:spreadsheets"))]

    def preview_context(self, stored: dict) -> dict:
        return {"eyebrow": _("Values of %(period)s") % {"period": stored["period_code"]}}


def _refusal(details: str) -> str:
    return _("Nothing was imported: %(details)s") % {"details": details}


import_page, preview_page, confirm = ValuesImport().views(access.requires(access.can_import_values))
