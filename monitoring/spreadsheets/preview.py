"""The preview of an import: each row of the file read against the database, as new, changed,
unchanged or error, with its problems by column; and the writes that confirming would hand to
monitoring.values.imports.values_import. Writes nothing.

The whole file is refused, before any preview, when its period is locked or not open yet, and
when one of its rows is for a country whose values the user may not enter.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corett import access
from corett.imports import counted
from corett.spreadsheets import blank_cell as blank
from corett.spreadsheets import cell_text as as_text
from corett.spreadsheets import quoted_cell as quoted
from strategy.models import Country, Indicator

from ..periods.models import Period
from ..values import quality
from ..values.cleaning import clean_comment, clean_value
from ..values.formatting import cell
from ..values.imports import ValueRow
from ..values.models import EDITABLE, Value
from ..values.workflow import check_editable, check_period
from . import columns as c
from .reading import FileRow

YES = {"1", "yes", "y", "sí", "si", "s", "true", "verdadero"}
NO = {"0", "no", "n", "false", "falso"}
FIELD_COLUMN = {
    "number": "value",
    "text": "value",
    "disaggregation": "breakdown",
    "status": "status",
    "period": "period",
}


def _row_name(row: FileRow, several_sheets: bool) -> str:
    if several_sheets:
        return _("row %(row)s of sheet “%(sheet)s”") % {"row": row.number, "sheet": row.sheet}
    return _("row %(row)s") % {"row": row.number}


def _file_period(rows: list[FileRow], several_sheets: bool) -> Period:
    first = next((row for row in rows if not blank(row.cells.get("period"))), None)
    if first is None:
        raise ValidationError(_("The period column is empty: say which period the values are for."))
    code = as_text(first.cells["period"])
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise ValidationError(
            _("%(row)s: there is no reporting period “%(period)s”.")
            % {"row": _row_name(first, several_sheets).capitalize(), "period": quoted(code)}
        )
    try:
        check_period(period)  # the same refusal as every other path, for the whole file
    except ValidationError as error:
        message = " ".join(error.messages) + " " + _("Nothing was imported.")
        raise ValidationError(message, code="period") from None
    return period


def _refuse_other_countries(user, rows, countries, several_sheets) -> None:
    """One row of a country the user may not enter refuses the whole file, naming the row."""
    allowed = {code: access.can_enter_values(user, country) for code, country in countries.items()}
    foreign = [
        row for row in rows if allowed.get(as_text(row.cells.get("country")).upper()) is False
    ]
    if not foreign:
        return
    first = foreign[0]
    message = _(
        "%(row)s is for %(country)s, whose values you cannot enter: the whole file was refused "
        "and nothing was imported. Keep only your country's rows and import it again."
    ) % {
        "row": _row_name(first, several_sheets).capitalize(),
        "country": countries[as_text(first.cells["country"]).upper()],
    }
    if len(foreign) > 1:
        others = len(foreign) - 1
        message += " " + ngettext(
            "One more row is for another country.",
            "%(count)s more rows are for other countries.",
            others,
        ) % {"count": others}
    raise ValidationError(message, code="other_country")


def _number_cell(raw, kind: str):
    """A cell as clean_value takes it: whole floats as int, other floats as their decimal."""
    if isinstance(raw, str):
        text = as_text(raw)
        if kind == Indicator.Kind.YES_NO and text.lower() in YES | NO:
            return 1 if text.lower() in YES else 0
        return text
    if isinstance(raw, bool):
        return int(raw) if kind == Indicator.Kind.YES_NO else raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else Decimal(repr(raw))
    return raw


def _shown(indicator, number, text) -> str:
    """A value as the file's cell would read, to compare with what was uploaded."""
    shown = cell(indicator.kind, number, text)
    return "" if shown is None else str(shown)


class _Preview:
    def __init__(self, user, rows: list[FileRow]):
        self.several_sheets = len({row.sheet for row in rows}) > 1
        self.period = _file_period(rows, self.several_sheets)
        self.countries = {country.code: country for country in Country.objects.all()}
        _refuse_other_countries(user, rows, self.countries, self.several_sheets)
        codes = {as_text(row.cells.get("indicator")) for row in rows}
        self.indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        self.existing = {
            (value.indicator_id, value.country_id): value
            for value in Value.objects.filter(
                period=self.period,
                indicator__in=self.indicators.values(),
                country__isnull=False,
            ).order_by()
        }
        self.seen = {}
        self.rows, self.writes = [], []
        for row in rows:
            self.rows.append(self._row(row))

    # -- one row ----------------------------------------------------------------------------

    def _row(self, row: FileRow) -> dict:
        shown = {
            "sheet": row.sheet,
            "row": row.number,
            "country": as_text(row.cells.get("country")).upper(),
            "indicator": as_text(row.cells.get("indicator")),
            "name": "",
            "problems": [],
            "changes": [],
            "note": "",
        }

        def problem(key, message):
            shown["problems"].append(
                {"column": key, "letter": row.letters.get(key, ""), "message": str(message)}
            )

        country, indicator = self._cell_keys(row, shown, problem)
        if shown["problems"]:
            return {**shown, "status": "error"}
        shown["name"] = indicator.name
        try:
            check_period(self.period, indicator)
        except ValidationError as error:
            for message in error.messages:
                problem("period", message)
        cell = (indicator.pk, country.pk)
        if cell in self.seen:
            problem(
                "indicator",
                _("This indicator and country are already on row %(line)s of the file.")
                % {"line": self.seen[cell]},
            )
        self.seen.setdefault(cell, row.number)

        value = self.existing.get(cell)
        breakdown = self._breakdown(row, indicator)
        if blank(row.cells.get("value")) and not breakdown:
            if not shown["problems"]:
                shown["note"] = _("No value: left as it is.")
                return {**shown, "status": "unchanged"}
            return {**shown, "status": "error"}
        raw = row.cells.get("value")
        is_text = indicator.kind == Indicator.Kind.TEXT
        try:
            clean = clean_value(
                indicator,
                number=None if is_text else _number_cell(raw, indicator.kind),
                text=as_text(raw) if is_text else "",
                disaggregation=breakdown,
            )
            quality.check_bounds(indicator, clean.number)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    problem(FIELD_COLUMN.get(field, ""), message)
            clean = None
        current_version = value.version if value else 0
        self._check_version(row, current_version, problem)
        if "comment" in row.letters:
            try:
                comment = clean_comment(as_text(row.cells.get("comment")))
            except ValidationError as error:
                problem("comment", error.message_dict["comment"][0])
                comment = ""
        else:
            comment = value.comment if value else ""
        if shown["problems"] or clean is None:
            return {**shown, "status": "error"}

        shown["changes"] = self._changes(row, indicator, value, clean, comment)
        if value is not None and not shown["changes"]:
            if value.status not in EDITABLE:
                shown["note"] = _("%(status)s: left as it is.") % {
                    "status": value.get_status_display().capitalize()
                }
            return {**shown, "status": "unchanged"}
        if value is not None:
            try:
                check_editable(value)
            except ValidationError as error:
                problem("status", " ".join(error.messages))
                return {**shown, "status": "error"}
        self.writes.append(
            {
                "label": _row_name(row, self.several_sheets),
                "indicator": indicator.pk,
                "country": country.pk,
                "number": None if clean.number is None else str(clean.number),
                "text": clean.text,
                "disaggregation": clean.disaggregation,
                "comment": comment,
                "version": current_version,
            }
        )
        return {**shown, "status": "new" if value is None else "changed"}

    def _cell_keys(self, row, shown, problem):
        """The row's country, period and indicator, or problems."""
        country = indicator = None
        for key in ("country", "period", "indicator"):
            if blank(row.cells.get(key)):
                problem(key, _("Required: this cell cannot be empty."))
        code = shown["country"]
        if code:
            country = self.countries.get(code)
            if country is None:
                problem(
                    "country",
                    _("There is no member country with the code “%(code)s”.")
                    % {"code": quoted(code)},
                )
        period = as_text(row.cells.get("period"))
        if period and period != self.period.code:
            problem(
                "period",
                _(
                    "This row is for period %(row_period)s and the file for %(period)s (its "
                    "first row): import one period at a time."
                )
                % {"row_period": quoted(period), "period": self.period.code},
            )
        code = shown["indicator"]
        if code:
            indicator = self.indicators.get(code)
            if indicator is None:
                problem(
                    "indicator", _("There is no indicator “%(code)s”.") % {"code": quoted(code)}
                )
            elif indicator.is_retired:
                problem(
                    "indicator",
                    _("Indicator %(code)s is retired: it takes no more values.")
                    % {"code": indicator.code},
                )
        return country, indicator

    def _breakdown(self, row: FileRow, indicator) -> dict:
        breakdown = {}
        for key in row.letters:
            if key in c.BREAKDOWN and not blank(row.cells.get(key)):
                dimension, category = key.split(".")
                breakdown.setdefault(dimension, {})[category] = _number_cell(
                    row.cells[key], Indicator.Kind.COUNT
                )
        return breakdown

    def _check_version(self, row, current: int, problem) -> None:
        raw = row.cells.get("version")
        if blank(raw):
            return
        text = as_text(raw)
        if not text.isdigit() or not text.isascii():
            problem(
                "version",
                _("“%(value)s” is not a version: leave the version as the template wrote it.")
                % {"value": quoted(raw)},
            )
        elif int(text) != current:
            problem(
                "version",
                _(
                    "This value changed after the template was made (version %(file)s in the "
                    "file, %(current)s now). Download a new template and copy your figures "
                    "into it."
                )
                % {"file": int(text), "current": current},
            )

    def _changes(self, row, indicator, value, clean, comment) -> list[dict]:
        before_number = _shown(indicator, value.number, value.text) if value else ""
        after_number = _shown(indicator, clean.number, clean.text)
        changes = []

        def change(key, before, after):
            if before != after:
                changes.append(
                    {
                        "column": key,
                        "letter": row.letters.get(key, ""),
                        "before": before,
                        "after": after,
                    }
                )

        change("value", before_number, after_number)
        before_breakdown = value.disaggregation if value else {}
        for key in c.BREAKDOWN:
            dimension, category = key.split(".")
            before = before_breakdown.get(dimension, {}).get(category)
            after = clean.disaggregation.get(dimension, {}).get(category)
            change(key, "" if before is None else str(before), "" if after is None else str(after))
        change("comment", value.comment if value else "", comment)
        return changes


def preview(user, rows: list[FileRow]) -> dict:
    """What importing these rows would do, row by row, kept as plain data (for the session).
    ValidationError when the whole file is refused."""
    result = _Preview(user, rows)
    counts = counted(result.rows)
    return {
        "period": result.period.pk,
        "period_code": result.period.code,
        "rows": result.rows,
        "counts": counts,
        "show_sheet": result.several_sheets,
        "writes": [] if counts["error"] else result.writes,
    }


def confirmed_rows(stored: dict) -> tuple[Period, list[ValueRow], dict]:
    """The period and the rows for values_import from a kept preview, and {line: row name}."""
    period = Period.objects.get(pk=stored["period"])
    writes = stored["writes"]
    indicators = Indicator.objects.in_bulk({write["indicator"] for write in writes})
    countries = Country.objects.in_bulk({write["country"] for write in writes})
    rows, names = [], {}
    for line, write in enumerate(writes, start=1):
        rows.append(
            ValueRow(
                indicator=indicators[write["indicator"]],
                country=countries[write["country"]],
                number=write["number"],
                text=write["text"],
                disaggregation=write["disaggregation"],
                comment=write["comment"],
                version=write["version"],
                line=line,
            )
        )
        names[line] = write["label"]
    return period, rows, names
