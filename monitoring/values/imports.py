"""The bulk write path for values: what services.value_save does, for a whole file at once.

Same validation (cleaning.clean_value on every row), same period check and the same locking of
submitted and validated values (workflow's public checks), same permission check, same version
check, same audit records; but the permission is checked once per country and the period once per
file, the existing values of the file's cells are read in one query, and new values, changed drafts
and their audit records are written in bulk, all in one transaction: everything or nothing. On
PostgreSQL the rows go in by COPY (Django's bulk_create and bulk_update spend most of their time
building the statement: about 4,000 and 1,000 rows/s here with the audit records); elsewhere by
bulk_create.

Refusals are those of value_save, and happen before anything is written:
- PermissionDenied: a row's country is not the user's to enter;
- StaleValue: a row's version is not the value's current one (0 says "no value yet");
- ValidationError: the period is locked or not open yet (once, for the whole file);
- RowsRefused: rows value_save would refuse, each with the ValidationError value_save raises.
"""

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import JSONField, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from corett import access
from strategy.models import Country, Indicator

from ..periods.models import Period
from . import quality
from .audit import snapshot
from .cleaning import clean_value
from .models import Status, Value, ValueAudit
from .workflow import StaleValue, check_editable, check_period

UPDATED_FIELDS = [
    "number",
    "text",
    "disaggregation",
    "comment",
    "status",
    "version",
    "updated_at",
    "unusual_from",
]
AUDIT_FIELDS = ["value_id", "at", "user_id", "action", "path", "before", "after", "note"]
# What is read of the values already there: their cell, version and state, what the audit
# record's "before" keeps (audit.snapshot) and what changes.
FETCHED = [
    "id",
    "indicator_id",
    "country_id",
    "period_id",
    "version",
    "status",
    "number",
    "text",
    "disaggregation",
    "comment",
    "review_comment",
]


@dataclass(frozen=True)
class ValueRow:
    """One value to save: value_save's arguments. `version` is the version the row was read
    against (0: there was no value yet; None: no check); `line` names the row in messages."""

    indicator: Indicator
    country: Country | None
    number: object = None
    text: str = ""
    disaggregation: dict | None = None
    comment: str = ""
    version: int | None = None
    line: int | None = None


class RowsRefused(Exception):
    """Rows that value_save would refuse: {line: the ValidationError it raises}."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(
            "; ".join(f"{line}: {' '.join(error.messages)}" for line, error in errors.items())
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    # {line: message} of the unusual values saved without a comment (quality.warning)
    warnings: dict = dataclasses.field(default_factory=dict)


def _as_row(row, index: int) -> ValueRow:
    if isinstance(row, Mapping):
        row = ValueRow(**row)
    if row.line is None:
        row = ValueRow(**{**row.__dict__, "line": index})
    return row


def _cell(indicator_id, country_id) -> tuple:
    return indicator_id, country_id


def _check_countries(user, rows: list[ValueRow]) -> None:
    checked = {}
    for row in rows:
        key = row.country.pk if row.country is not None else None
        if key not in checked:
            checked[key] = access.can_enter_values(user, row.country)
        if not checked[key]:
            raise PermissionDenied


def _clean_rows(rows: list[ValueRow], errors: dict) -> dict:
    """{line: CleanValue} for the rows that clean; the others' errors go into `errors`."""
    cleaned, first_line = {}, {}
    for row in rows:
        try:
            cleaned[row.line] = clean_value(
                row.indicator,
                number=row.number,
                text=row.text,
                disaggregation=row.disaggregation,
            )
            quality.check_bounds(row.indicator, cleaned[row.line].number)
        except ValidationError as error:
            errors[row.line] = error
            continue
        cell = _cell(row.indicator.pk, row.country.pk if row.country else None)
        if cell in first_line:
            errors[row.line] = ValidationError(
                {
                    "indicator": _(
                        "This indicator and country are already on row %(line)s of the file."
                    )
                    % {"line": first_line[cell]}
                }
            )
        else:
            first_line[cell] = row.line
    return cleaned


def _check_period_once(period: Period, rows: list[ValueRow], errors: dict) -> None:
    """The period's state once for the whole file (value_save checks it after the value, so rows
    that do not clean are reported first); its kind against each indicator once."""
    if rows and period.state in (Period.State.LOCKED, Period.State.UPCOMING):
        if errors:
            raise RowsRefused(errors)
        check_period(period, rows[0].indicator)
    by_indicator = {}
    for row in rows:
        if row.indicator.pk not in by_indicator:
            try:
                check_period(period, row.indicator)
                by_indicator[row.indicator.pk] = None
            except ValidationError as error:
                by_indicator[row.indicator.pk] = error
        error = by_indicator[row.indicator.pk]
        if error is not None and row.line not in errors:
            errors[row.line] = error


def _existing(period: Period, rows: list[ValueRow]) -> dict:
    """The current values of the file's cells, locked until the end of the transaction, as
    records (building 20,000 model instances would cost more than the rest of the import)."""
    indicator_ids = {row.indicator.pk for row in rows}
    country_ids = {row.country.pk for row in rows if row.country is not None}
    where = Q(country_id__in=country_ids)
    if any(row.country is None for row in rows):
        where |= Q(country__isnull=True)
    values = (
        Value.objects.select_for_update()
        .filter(where, period=period, indicator_id__in=indicator_ids)
        .order_by()
        .values(*FETCHED)
    )
    return {_cell(value["indicator_id"], value["country_id"]): Record(**value) for value in values}


class Record(SimpleNamespace):
    """A row of a table as attributes, the model's attnames: what audit.snapshot reads."""


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@transaction.atomic
def values_import(*, user, period: Period, rows: Iterable, path: str = "import") -> ImportResult:
    """Saves every row as a draft (a returned value stays returned), as value_save would one by
    one, or nothing. `rows` are ValueRow or mappings of its fields, all of the one `period`."""
    rows = [_as_row(row, index) for index, row in enumerate(rows, start=1)]
    _check_countries(user, rows)
    errors = {}
    cleaned = _clean_rows(rows, errors)
    _check_period_once(period, rows, errors)
    if errors:
        raise RowsRefused(errors)
    existing = _existing(period, rows)
    for row in rows:
        value = existing.get(_cell(row.indicator.pk, row.country.pk if row.country else None))
        if value is None:
            continue
        if row.version is not None and value.version != row.version:
            raise StaleValue(Value.objects.get(pk=value.id))
        try:
            check_editable(value, model=Value)
        except ValidationError as error:
            errors[row.line] = error
    if errors:
        raise RowsRefused(errors)

    now = timezone.now()
    blank = {
        field.attname: field.get_default()
        for field in Value._meta.concrete_fields
        if not field.primary_key
    }
    previous = quality.previous_numbers(
        period,
        {row.indicator.pk for row in rows},
        {row.country.pk for row in rows if row.country is not None},
    )
    created, updated, audits, warnings = [], [], [], {}
    for row in rows:
        clean = cleaned[row.line]
        value = existing.get(_cell(row.indicator.pk, row.country.pk if row.country else None))
        if value is None:
            value = Record(
                **{
                    **blank,
                    "id": None,
                    "indicator_id": row.indicator.pk,
                    "country_id": row.country.pk if row.country else None,
                    "period_id": period.pk,
                }
            )
            before = None
            created.append(value)
        else:
            before = snapshot(value)
            value.version += 1
            updated.append(value)
        value.number, value.text = clean.number, clean.text
        value.disaggregation = clean.disaggregation
        value.comment = (row.comment or "").strip()
        before_number = previous.get((row.indicator.pk, row.country.pk if row.country else None))
        unusual = quality.unusual(row.indicator, clean.number, before_number)
        value.unusual_from = before_number if unusual and row.country else None
        if value.unusual_from is not None and not value.comment:
            warnings[row.line] = quality.change_message(
                row.indicator, clean.number, value.unusual_from
            )
        value.status = Status.RETURNED if value.status == Status.RETURNED else Status.DRAFT
        value.updated_at = now
        audits.append(
            Record(
                value=value,
                at=now,
                user_id=user.pk,
                action=ValueAudit.Action.SAVED,
                path=path,
                before=before,
                after=snapshot(value),
                note="",
            )
        )
    writer = _copy_writer if connection.vendor == "postgresql" else _orm_writer
    writer(created, updated, audits)
    return ImportResult(created=len(created), updated=len(updated), warnings=warnings)


def _orm_writer(created: list, updated: list, audits: list) -> None:
    """bulk_create for the new values; for the changed ones bulk_create as an upsert on their
    primary key (the rows exist and are locked): Django's bulk_update builds a CASE expression
    per row and field and managed about 1,000 rows/s here."""
    new_values = [Value(**vars(record)) for record in created]
    Value.objects.bulk_create(new_values)
    for record, value in zip(created, new_values, strict=True):
        record.id = value.pk
    Value.objects.bulk_create(
        [Value(**vars(record)) for record in updated],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=UPDATED_FIELDS,
    )
    for audit in audits:
        audit.value_id = audit.value.id
    ValueAudit.objects.bulk_create(
        [ValueAudit(**{name: getattr(audit, name) for name in AUDIT_FIELDS}) for audit in audits]
    )


def _copy_writer(created: list, updated: list, audits: list) -> None:
    """PostgreSQL: the same rows through COPY, which takes them without building a statement of
    every value (Django's bulk_create spends most of its time there: about 4,000 rows/s with the
    audit records). New values get their ids from the table's sequence first."""
    quote = connection.ops.quote_name
    value_table = Value._meta.db_table
    with connection.cursor() as cursor:
        if created:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [value_table, len(created)],
            )
            for value, (pk,) in zip(created, cursor.fetchall(), strict=True):
                value.id = pk
            _copy(cursor, value_table, _fields(Value), created)
        if updated:
            fields = [Value._meta.pk, *(Value._meta.get_field(name) for name in UPDATED_FIELDS)]
            columns = ", ".join(quote(field.column) for field in fields)
            cursor.execute(
                f"CREATE TEMPORARY TABLE value_import_changes ON COMMIT DROP AS "
                f"SELECT {columns} FROM {quote(value_table)} WITH NO DATA"
            )
            _copy(cursor, "value_import_changes", fields, updated)
            assignments = ", ".join(
                f"{column} = changes.{column}"
                for column in (quote(field.column) for field in fields[1:])
            )
            cursor.execute(
                f"UPDATE {quote(value_table)} AS value SET {assignments} "
                f"FROM value_import_changes AS changes WHERE value.id = changes.id"
            )
            cursor.execute("DROP TABLE value_import_changes")
        for audit in audits:
            audit.value_id = audit.value.id
        fields = [ValueAudit._meta.get_field(name) for name in AUDIT_FIELDS]
        _copy(cursor, ValueAudit._meta.db_table, fields, audits)


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


def _copy(cursor, table: str, fields: list, records: list) -> None:
    """COPY the records' fields into the table. The values are what psycopg writes as they are
    (numbers, text, dates, None), JSON as text, which PostgreSQL parses into jsonb."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    attnames = [field.attname for field in fields]
    json_fields = [
        (i, field.encoder) for i, field in enumerate(fields) if isinstance(field, JSONField)
    ]
    with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
        for record in records:
            row = [getattr(record, name) for name in attnames]
            for i, encoder in json_fields:
                if row[i] is not None:
                    row[i] = json.dumps(row[i], cls=encoder)
            copy.write_row(row)
