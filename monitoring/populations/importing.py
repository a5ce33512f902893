"""Reading an uploaded population spreadsheet and checking every row against the rules and the
database, for the preview: nothing is written here (monitoring.populations.services writes the
confirmed rows). Two queries whatever the size of the file."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

from corett.imports import counted
from corett.spreadsheets import cell_text, ignored_headers, keyed_rows, repeated_keys, unescape_cell
from strategy.models import Country

from . import columns as c
from .models import PARTS, Population, parts_problems
from .services import FIELDS

MAX_ROWS = 1000
# Digits 0 to 9, grouped by commas in threes or not at all: "9943633", "9,943,633".
WHOLE = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)


def _key(cell) -> str | None:
    text = cell_text(unescape_cell(cell) if isinstance(cell, str) else cell)
    if text.endswith("]") and "[" in text:
        key = text.rsplit("[", 1)[1][:-1].strip()
        return key if key in c.COLUMN else None
    return None


def read_rows(sheets) -> tuple[list, list[str]]:
    """The data rows (number, {key: cell}, {key: letter}) of the first sheet with the layout's
    header, and the headers of the columns that are not the layout's. ValidationError for a
    file that is not one."""
    for sheet in sheets:
        if not sheet.rows:
            continue
        keys = [_key(cell) for cell in sheet.rows[0]]
        if not {"country", "year"} <= set(keys):
            continue
        twice = repeated_keys(keys)
        if twice:
            raise ValidationError(
                _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(twice)}
            )
        missing = [key for key in c.REQUIRED if key not in keys]
        if missing:
            raise ValidationError(
                _("These columns are missing: %(columns)s. Start from the export downloaded here.")
                % {"columns": ", ".join(f"[{key}]" for key in missing)}
            )
        rows = list(keyed_rows(sheet.rows, keys))
        if not rows:
            raise ValidationError(_("The file has only a header: nothing to import."))
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS})
        return rows, ignored_headers(sheet.rows[0], keys)
    raise ValidationError(
        _(
            "This is not a population spreadsheet: its first row must name the columns, as in "
            "the export downloaded here, at least %(columns)s."
        )
        % {"columns": ", ".join(f"[{key}]" for key in c.REQUIRED)}
    )


def _number(cell):
    """A whole number from a cell, None for an empty one; ValueError for anything else."""
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = cell_text(cell)
    if not text:
        return None
    if not WHOLE.fullmatch(text):  # "1,5" is a decimal comma, not 15; "١٢٣" is refused too
        raise ValueError
    return int(text.replace(",", ""))


def _date(cell):
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = cell_text(cell)
    if not text:
        return None
    return datetime.date.fromisoformat(text)


def _values(cells: dict, problem) -> dict:
    """The row's values as the model takes them; each cell that cannot be read is a problem."""
    values = {}
    for key in c.NUMBERS:
        try:
            values[key] = _number(cells.get(key))
        except ValueError:
            problem(key, _("Enter a whole number, without decimals."))
    try:
        values["source_date"] = _date(cells.get("source_date"))
    except ValueError:
        problem("source_date", _("Enter a date as YYYY-MM-DD."))
    for key in ("source", "source_url"):
        values[key] = cell_text(cells.get(key))
        try:
            ProhibitNullCharactersValidator()(values[key])
        except ValidationError as error:
            problem(key, error.messages[0])
    values["country"] = cell_text(cells.get("country")).upper()
    return values


def _shown(value) -> str:
    return "" if value is None else str(value)


def _checked(number, cells, letters, countries, current, seen) -> dict:
    problems = []

    def problem(key, message):
        problems.append({"column": key, "letter": letters.get(key, ""), "message": str(message)})

    values = _values(cells, problem)
    code, year = values["country"], values.get("year")
    if code not in countries:
        problem("country", _("There is no such country: use its ISO code, e.g. HN."))
    if (code, year) in seen:
        problem(
            "year",
            _("Row %(row)s has this country and year already.") % {"row": seen[(code, year)]},
        )
    seen.setdefault((code, year), number)
    existing = current.get((code, year))
    population = Population(
        year=year, **{f: values.get(f) for f in FIELDS if f != "to_be_verified" and f in values}
    )
    if not problems:
        try:
            population.full_clean(
                exclude=["country"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    problem(key if key in c.COLUMN else "", message)
        for key, message in parts_problems(
            values.get("total"), {p: values.get(p) for p in PARTS}
        ).items():
            problem(key, message)
    stored = {f: values.get(f) for f in FIELDS if f != "to_be_verified"}
    stored["source_date"] = stored["source_date"].isoformat() if stored.get("source_date") else None
    changes = []
    if existing is not None:
        for f in FIELDS:
            if f == "to_be_verified":
                continue
            before = getattr(existing, f)
            before = before.isoformat() if isinstance(before, datetime.date) else before
            if _shown(before) != _shown(stored.get(f)):
                changes.append(
                    {"column": f, "before": _shown(before), "after": _shown(stored.get(f))}
                )
    if problems:
        status = "error"
    elif existing is None:
        status = "new"
    else:
        status = "changed" if changes else "unchanged"
    return {
        "row": number,
        "status": status,
        "country": code,
        "year": year,
        "version": existing.version if existing else None,
        "values": stored,
        "changes": changes,
        "problems": problems,
    }


def preview(rows) -> dict:
    """Every row checked: its status (new, changed, unchanged, error), its problems and its
    changes; "rows" and "counts", JSON-ready. Two queries."""
    countries = set(Country.objects.values_list("code", flat=True))
    years = set()
    for _n, cells, _l in rows:
        try:
            years.add(_number(cells.get("year")))
        except ValueError:
            pass
    current = {
        (p.country.code, p.year): p
        for p in Population.objects.select_related("country").filter(year__in=years - {None})
    }
    seen: dict = {}
    checked = [_checked(n, cells, letters, countries, current, seen) for n, cells, letters in rows]
    return {"rows": checked, "counts": counted(checked)}


def confirmed_rows(stored: dict) -> list[dict]:
    """The previewed rows that change something, as services.populations_import takes them."""
    return [
        {
            "row": row["row"],
            "country": row["country"],
            "year": row["year"],
            "version": row["version"],
            **row["values"],
        }
        for row in stored["rows"]
        if row["status"] in ("new", "changed")
    ]
