"""The template of a country and period: one row per indicator of the period's kind, with what
the country has already entered (value, breakdown, comment, state, version). Editable cells are
unlocked, the rest of the sheet protected; the cells carry data validation for the indicator's
kind. Rows whose value is submitted or validated stay locked: the import would refuse them."""

from django.db.models import F
from django.utils.translation import gettext as _

from corett.spreadsheets import csv_bytes, workbook_bytes, xlsx_value
from strategy.models import Indicator

from ..periods.models import Period
from ..values.formatting import cell_number
from ..values.models import EDITABLE, Value
from . import columns as c

HEADER_FILL = "DCE6F2"
INFO_FILL = "EDEDED"


def template_indicators(period: Period) -> list[Indicator]:
    """The indicators in force reported per the period's kind, in the order of the plan."""
    return list(
        Indicator.objects.current()
        .filter(frequency=period.kind)
        .order_by(
            F("goal__activity__objective__axis__number").asc(nulls_last=True),
            "goal__activity__objective__number",
            "goal__activity__order",
            "goal__order",
            "order",
            "pk",
        )
    )


def template_table(country, period: Period):
    """(columns, rows, locked rows): rows as {column key: cell}, in 2 queries."""
    indicators = template_indicators(period)
    values = {
        value.indicator_id: value
        for value in Value.objects.filter(country=country, period=period).order_by()
    }
    dimensions = {key for indicator in indicators for key in indicator.disaggregations}
    layout = c.layout(dimensions)
    rows, locked = [], []
    for indicator in indicators:
        value = values.get(indicator.pk)
        row = {
            "country": country.code,
            "period": period.code,
            "indicator": indicator.code,
            "name": indicator.name,
            "kind": indicator.get_kind_display(),
            "unit": indicator.unit,
            "status": value.get_status_display() if value else "",
            "version": value.version if value else 0,
        }
        if value is not None:
            row["value"] = (
                value.text
                if indicator.kind == Indicator.Kind.TEXT
                else cell_number(indicator.kind, value.number)
            )
            row["comment"] = value.comment
            for dimension, categories in value.disaggregation.items():
                for category, count in categories.items():
                    row[c.breakdown_key(dimension, category)] = count
        rows.append((indicator, row))
        locked.append(value is not None and value.status not in EDITABLE)
    return layout, rows, locked


def template_csv(country, period: Period) -> bytes:
    layout, rows, _locked = template_table(country, period)
    return csv_bytes(
        [c.header(column) for column in layout],
        ([row.get(column.key) for column in layout] for _indicator, row in rows),
    )


def template_xlsx(country, period: Period) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    layout, rows, locked = template_table(country, period)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Values")[:31]
    sheet.append([xlsx_value(c.header(column)) for column in layout])
    for _indicator, row in rows:
        sheet.append([xlsx_value(row.get(column.key)) for column in layout])

    validations = _validations(DataValidation)
    unlocked = Protection(locked=False)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    info_fill = PatternFill("solid", fgColor=INFO_FILL)
    for index, column in enumerate(layout, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="top")
        head.fill = header_fill if column.editable else info_fill
        row_states = zip(rows, locked, strict=True)
        for number, ((indicator, _row), is_locked) in enumerate(row_states, start=2):
            cell = sheet.cell(row=number, column=index)
            if not column.editable or is_locked:
                cell.fill = info_fill
                continue
            if column.key in c.BREAKDOWN:
                if column.key.split(".")[0] not in indicator.disaggregations:
                    cell.fill = info_fill
                    continue
                validations["breakdown"].add(cell.coordinate)
            elif column.key == "value":
                validations[indicator.kind].add(cell.coordinate)
            cell.protection = unlocked
    for validation in validations.values():
        if validation.sqref.ranges:  # an empty one makes Excel repair the file
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "D2"
    # Protected without a password: it guards against slips, not against the user.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _instructions(workbook.create_sheet(_("Instructions")[:31]), country, period)
    return workbook_bytes(workbook)


def _validations(DataValidation) -> dict:
    """Excel's own checks as the cell is typed; the import checks everything again."""

    def validation(**kwargs):
        return DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)

    whole = _("Enter a whole number, 0 or more.")
    return {
        Indicator.Kind.COUNT: validation(
            type="whole", operator="greaterThanOrEqual", formula1="0", error=whole
        ),
        "breakdown": validation(
            type="whole", operator="greaterThanOrEqual", formula1="0", error=whole
        ),
        Indicator.Kind.PERCENTAGE: validation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            error=_("A percentage is between 0 and 100."),
        ),
        Indicator.Kind.YES_NO: validation(
            type="list", formula1='"1,0"', error=_("Answer yes (1) or no (0).")
        ),
        Indicator.Kind.TEXT: validation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1="500",
            error=_("Keep it under 500 characters."),
        ),
    }


def _instructions(sheet, country, period: Period) -> None:
    lines = [
        _("Values of %(country)s for the period %(period)s")
        % {"country": country, "period": period},
        "",
        _("Fill in the white cells of the “Values” sheet: the value, its breakdown and a comment."),
        _("Counts are whole numbers; percentages go from 0 to 100; yes/no is 1 (yes) or 0 (no)."),
        _("Each breakdown, “not specified” included, must add up to the value, or stay empty."),
        _(
            "Leave a value empty to leave it as it is. Grey rows are submitted or validated: "
            "they can no longer be changed here."
        ),
        _(
            "Do not change the codes or the version: the version shows whether the value "
            "changed since this file was made."
        ),
        _("Import the file on the portal: you will see every row before anything is saved."),
    ]
    for line in lines:
        sheet.append([xlsx_value(line)])
    sheet.column_dimensions["A"].width = 110
