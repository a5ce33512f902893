"""The writes of the population denominators: one row from the secretariat's form, or the rows of
a confirmed spreadsheet import, all or nothing. Every write is checked against the model's rules
and kept in the row's history (who, when, why)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country

from .models import PARTS, Population, parts_problems

# What a form or an imported row may set (the country and year of a new row besides).
FIELDS = ("total", *PARTS, "source", "source_url", "source_date", "to_be_verified")


class StalePopulation(Exception):
    """Someone saved the row after the person opened or previewed it: nothing was written."""

    def __init__(self, current: Population | None):
        super().__init__("stale population")
        self.current = current


class RowsRefused(Exception):
    """Rows of an import break a rule: nothing was written. `errors`: {row number: error}."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__("rows refused")
        self.errors = errors


def _check(population: Population) -> None:
    """The model's rules without a query (the country is set by the caller; the database holds
    the unique and check constraints too)."""
    population.full_clean(exclude=["country"], validate_unique=False, validate_constraints=False)
    problems = parts_problems(population.total, {p: getattr(population, p) for p in PARTS})
    if problems:
        raise ValidationError(problems)


def _saved(population: Population, user, reason: str) -> Population:
    population._history_user = user
    population._change_reason = reason
    population.save()
    return population


@transaction.atomic
def population_save(
    *, user, population: Population | None, data: dict, version: int | None = None
) -> Population:
    """Creates (population None: data has country and year) or changes one denominator."""
    if not access.can_manage_periods(user):
        raise PermissionDenied
    if population is None:
        population = Population(country=data["country"], year=data["year"])
        if Population.objects.filter(country=population.country, year=population.year).exists():
            raise ValidationError(
                {"year": _("This country already has a population for this year.")}
            )
        reason = "created"
    else:
        population = Population.objects.select_for_update().get(pk=population.pk)
        if version is not None and version != population.version:
            raise StalePopulation(population)
        population.version += 1
        reason = "edited"
    for field in FIELDS:
        if field in data:
            setattr(population, field, data[field])
    _check(population)
    return _saved(population, user, reason)


@dataclass
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def populations_import(*, user, rows: list[dict]) -> ImportResult:
    """Writes the rows of a confirmed import at once, or none: each row {"row", "country" (code),
    "year", "version" (the previewed one, None for a new row) and FIELDS but to_be_verified}.
    Imported figures are to be verified until the secretariat confirms them in the form."""
    if not access.can_manage_periods(user):
        raise PermissionDenied
    countries = {c.code: c for c in Country.objects.all()}
    keys = {(row["country"], int(row["year"])) for row in rows}
    current = {
        (p.country.code, p.year): p
        for p in Population.objects.select_for_update()
        .select_related("country")
        .filter(country__code__in={code for code, _y in keys}, year__in={y for _c, y in keys})
    }
    errors, result = {}, ImportResult(0, 0)
    for row in rows:
        key = (row["country"], int(row["year"]))
        population = current.get(key)
        if (population.version if population else None) != row.get("version"):
            raise StalePopulation(population)
        if population is None:
            population = Population(country=countries.get(key[0]), year=key[1])
            result.created += 1
        else:
            population.version += 1
            result.updated += 1
        for field in FIELDS:
            if field in row:
                setattr(population, field, row[field])
        if isinstance(population.source_date, str):
            population.source_date = datetime.date.fromisoformat(population.source_date)
        population.to_be_verified = True
        try:
            if population.country_id is None:
                raise ValidationError({"country": _("There is no such country.")})
            _check(population)
        except ValidationError as error:
            errors[row["row"]] = error
            continue
        _saved(population, user, "imported")
    if errors:
        raise RowsRefused(errors)
    return result
