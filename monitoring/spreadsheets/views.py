"""Value spreadsheets, under /<lang>/monitoring/spreadsheets/: the template of a country and
period, the import (upload → preview → confirm), and the exports of the matrix and values list.

Import: the upload is checked (corett.uploads), read and compared with the database; what
confirming would write is kept in the session under a random token, and the file itself is
dropped. Nothing is written before the confirm, which hands exactly the previewed rows to
monitoring.values.imports.values_import: one transaction, everything or nothing, versions checked.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corett import access
from corett.previews import keep_preview, kept_preview
from corett.spreadsheets import CSV_TYPE, XLSX_TYPE
from corett.uploads import SpreadsheetField, read_sheets
from strategy.models import Country

from ..periods.models import Period
from ..values.imports import RowsRefused, values_import
from ..values.workflow import StaleValue
from .columns import label
from .export import matrix_csv, matrix_xlsx, values_csv, values_xlsx
from .preview import confirmed_rows, preview
from .reading import read_rows
from .template import template_csv, template_xlsx

SESSION_KEY = "value_spreadsheet_imports"
PREVIEW_LIFETIME = 60 * 60  # seconds
KEPT_PREVIEWS = 3
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}
STATUS_LABELS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("to change"),
    "unchanged": gettext_lazy("no change"),
    "error": gettext_lazy("error"),
}


import_required = access.requires(access.can_import_values)


class UploadForm(forms.Form):
    file = SpreadsheetField(
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "aria-describedby": "id_file-help"}),
        label=gettext_lazy("Filled-in template"),
        help_text=gettext_lazy(
            "The .xlsx template downloaded here, or a .csv in the same layout, of at most 5 MB."
        ),
    )


def _download(content: bytes, fmt: str, *parts) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = "-".join(slugify(str(part)) for part in parts)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


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
    return _download(content, fmt, _("template"), country.code, period.code)


@require_GET
def matrix_export(request, period, fmt):
    period = get_object_or_404(Period, code=period)
    content = (matrix_xlsx if fmt == "xlsx" else matrix_csv)(request.user, period)
    return _download(content, fmt, _("matrix"), period.code)


@require_GET
def values_export(request, fmt):
    filters = {}
    if request.GET.get("period"):
        filters["period"] = _by_code(Period, request.GET["period"])
    if request.GET.get("country"):
        filters["country"] = _by_code(Country, request.GET["country"].upper())
    content = (values_xlsx if fmt == "xlsx" else values_csv)(request.user, **filters)
    parts = [f.code for f in filters.values()]
    return _download(content, fmt, _("values"), *parts, timezone.localdate().isoformat())


@import_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows, ignored = read_rows(read_sheets(form.cleaned_data["file"]))
                result = preview(request.user, rows)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                result["name"] = form.cleaned_data["file"].name
                result["ignored_columns"] = ignored
                token = _keep(request, result)
                return redirect("monitoring:spreadsheet_preview", token=token)
    status = 400 if form.is_bound else 200
    return render(request, "monitoring/spreadsheet/import.html", {"form": form}, status=status)


@import_required
@require_GET
def preview_page(request, token):
    stored = _kept(request, token)
    if stored is None:
        return _gone(request)
    rows = [_labelled(row) for row in stored["rows"]]
    context = {
        "token": token,
        "name": stored["name"],
        "period": stored["period_code"],
        "rows": rows,
        "show_sheet": stored["show_sheet"],
        "counts": stored["counts"],
        "has_errors": stored["counts"]["error"] > 0,
        "can_confirm": bool(stored["writes"]),
        "ignored_columns": stored["ignored_columns"],
    }
    return render(request, "monitoring/spreadsheet/preview.html", context)


@import_required
@require_POST
def confirm(request, token):
    # Only the token counts: whatever else is posted (a file, rows) is ignored.
    stored = _kept(request, token, remove=True)
    if stored is None:
        return _gone(request)
    if not stored["writes"]:
        messages.info(request, _("Nothing was imported: the file had no changes to save."))
        return redirect("monitoring:spreadsheet_import")
    period, rows, names = confirmed_rows(stored)
    try:
        result = values_import(user=request.user, period=period, rows=rows, path="import")
    except StaleValue as stale:
        value = stale.current
        return _refused(
            request,
            _(
                "The value of %(indicator)s for %(country)s was changed after your preview (it "
                "is now at version %(version)s). Nothing was imported: upload your file again "
                "to see the difference."
            )
            % {
                "indicator": value.indicator.code,
                "country": value.country or _("the region"),
                "version": value.version,
            },
        )
    except RowsRefused as refused:
        details = "; ".join(
            f"{names.get(line, line)}: {' '.join(error.messages)}"
            for line, error in refused.errors.items()
        )
        return _refused(request, _("Nothing was imported: %(details)s") % {"details": details})
    except ValidationError as error:
        return _refused(
            request, _("Nothing was imported: %(details)s") % {"details": " ".join(error.messages)}
        )
    except IntegrityError:
        return _refused(
            request,
            _(
                "Nothing was imported: someone saved one of these values while you were "
                "importing. Upload your file again to see the difference."
            ),
        )
    messages.success(
        request,
        _(
            "Import done: %(created)s values added and %(updated)s changed, saved as drafts. "
            "Submit them from the data entry page when they are ready."
        )
        % {"created": result.created, "updated": result.updated},
    )
    return redirect(f"{reverse('monitoring:spreadsheets')}?period={period.code}")


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
        request, _("This preview has expired or was already used. Upload the file again.")
    )
    return redirect("monitoring:spreadsheet_import")


def _refused(request, message: str):
    return render(
        request,
        "monitoring/spreadsheet/import.html",
        {"form": UploadForm(), "refusal": message},
        status=409,
    )


def _labelled(row: dict) -> dict:
    """The stored row with column labels and status in the current language."""
    return {
        **row,
        "status_label": STATUS_LABELS[row["status"]],
        "changes": [{**change, "label": label(change["column"])} for change in row["changes"]],
        "problems": [{**problem, "label": label(problem["column"])} for problem in row["problems"]],
    }
