"""Exports: the matrix of a period (countries × indicators) and the values list (one row per
value, with its breakdown). Each shows only what corett.access.values_visible_to lets the user
read, breakdowns through monitoring.values.breakdowns, every cell escaped."""

from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from corett.spreadsheets import csv_bytes, workbook_bytes, xlsx_value
from strategy.models import Country

from ..periods.models import Period
from ..values import formatting
from ..values.breakdowns import value_breakdowns
from ..values.models import Value
from . import columns as c
from .template import template_indicators


def _cell(value):
    return formatting.cell(value.indicator.kind, value.number, value.text)


def matrix_table(user, period: Period):
    """(indicators, [(country, {indicator id: visible value})]) in 3 queries."""
    indicators = template_indicators(period)
    values = access.values_visible_to(
        user,
        Value.objects.filter(period=period, country__isnull=False).select_related("indicator"),
    ).order_by()
    by_country = {}
    for value in values:
        by_country.setdefault(value.country_id, {})[value.indicator_id] = value
    countries = list(Country.objects.order_by("name"))
    return indicators, [(country, by_country.get(country.pk, {})) for country in countries]


def _matrix_header(indicators) -> list:
    return [c.header(c.COUNTRY), _("Country name"), *(indicator.code for indicator in indicators)]


def matrix_csv(user, period: Period) -> bytes:
    indicators, rows = matrix_table(user, period)
    return csv_bytes(
        _matrix_header(indicators),
        (
            [
                country.code,
                country.name,
                *(_cell(values[i.pk]) if i.pk in values else None for i in indicators),
            ]
            for country, values in rows
        ),
    )


def matrix_xlsx(user, period: Period) -> bytes:
    """Three sheets: the values, their states, and the indicators the codes stand for."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    indicators, rows = matrix_table(user, period)
    workbook = Workbook()
    values_sheet = workbook.active
    values_sheet.title = _("Values")[:31]
    states_sheet = workbook.create_sheet(_("States")[:31])
    for sheet, cell in ((values_sheet, _cell), (states_sheet, _state)):
        sheet.append([xlsx_value(text) for text in _matrix_header(indicators)])
        for country, values in rows:
            sheet.append(
                [
                    xlsx_value(country.code),
                    xlsx_value(country.name),
                    *(
                        xlsx_value(cell(values[i.pk]) if i.pk in values else None)
                        for i in indicators
                    ),
                ]
            )
        for head in sheet[1]:
            head.font = Font(bold=True)
        sheet.column_dimensions["B"].width = 24
        sheet.freeze_panes = "C2"
    legend = workbook.create_sheet(_("Indicators")[:31])
    legend.append([xlsx_value(text) for text in (_("Code"), _("Indicator"), _("Kind"), _("Unit"))])
    for indicator in indicators:
        legend.append(
            [
                xlsx_value(text)
                for text in (
                    indicator.code,
                    indicator.name,
                    indicator.get_kind_display(),
                    indicator.unit,
                )
            ]
        )
    legend.column_dimensions["A"].width = 16
    legend.column_dimensions["B"].width = 80
    return workbook_bytes(workbook)


def _state(value) -> str:
    state = value.get_status_display()
    return _("%(status)s, late") % {"status": state} if value.late else state


VALUE_COLUMNS = [
    c.COUNTRY,
    c.PERIOD,
    c.INDICATOR,
    c.NAME,
    c.KIND,
    c.UNIT,
    c.STATUS,
    c.VALUE,
]


def values_table(user, *, period: Period | None = None, country: Country | None = None):
    """(header, rows): one row per value the user may see, breakdown columns for the dimensions
    of the indicators listed; small cells protected. One query."""
    values = Value.objects.filter(country__isnull=False).select_related(
        "indicator", "country", "period"
    )
    if period is not None:
        values = values.filter(period=period)
    if country is not None:
        values = values.filter(country=country)
    values = list(
        access.values_visible_to(user, values).order_by(
            "period__starts_on", "country__name", "indicator__code"
        )
    )
    dimensions = {key for value in values for key in value.indicator.disaggregations}
    breakdown = c.breakdown_columns(dimensions)
    layout = [*VALUE_COLUMNS, *breakdown, c.COMMENT]
    header = [c.header(column) for column in layout] + [
        _("Late"),
        _("Submitted on"),
        _("Updated on"),
    ]
    breakdowns = value_breakdowns(values, user)
    rows = []
    for value in values:
        shown = breakdowns[value.pk]
        row = [
            value.country.code,
            value.period.code,
            value.indicator.code,
            value.indicator.name,
            value.indicator.get_kind_display(),
            value.indicator.unit,
            value.get_status_display(),
            _cell(value),
        ]
        for column in breakdown:
            dimension, category = column.key.split(".")
            row.append(shown.get(dimension, {}).get(category))
        row += [
            value.comment,
            formatting.yes_no(value.late),
            _date(value.submitted_at),
            _date(value.updated_at),
        ]
        rows.append(row)
    return header, rows


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def values_csv(user, **filters) -> bytes:
    header, rows = values_table(user, **filters)
    return csv_bytes(header, rows)


def values_xlsx(user, **filters) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = values_table(user, **filters)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Values")[:31]
    sheet.append([xlsx_value(cell) for cell in header])
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    for head in sheet[1]:
        head.font = Font(bold=True)
    sheet.column_dimensions["D"].width = 48
    sheet.freeze_panes = "D2"
    return workbook_bytes(workbook)
