"""The bulk import path (monitoring.values.imports) against value_save: the same values,
the same audit records, the same refusals with the same messages; all or nothing; a fixed
number of queries whatever the number of rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from monitoring.values.imports import RowsRefused, ValueRow, values_import
from monitoring.values.services import StaleValue
from strategy.models import Country, Indicator

pytestmark = pytest.mark.django_db

TRAINERS = "TRA-2.1.1-a"  # a count broken down by level
MEDIA = "TRA-2.1.2-a"  # text
PLAN = "SEN-2.1.3-a"  # yes/no
WORKSHOPS = "SEN-2.1.1-a"  # a count


def indicator(code):
    return Indicator.objects.get(code=code)


def country(code):
    return Country.objects.get(code=code)


def period(code="2026"):
    return Period.objects.get(code=code)


def row(code=WORKSHOPS, country_code="HN", **fields):
    return ValueRow(indicator=indicator(code), country=country(country_code), **fields)


def by_save(user, rows, period_code="2026", path="import"):
    for one in rows:
        services.value_save(
            user=user,
            indicator=one.indicator,
            country=one.country,
            period=period(period_code),
            number=one.number,
            text=one.text,
            disaggregation=one.disaggregation,
            comment=one.comment,
            version=one.version,
            path=path,
        )


def by_import(user, rows, period_code="2026", path="import"):
    return values_import(user=user, period=period(period_code), rows=rows, path=path)


def outcome() -> dict:
    """Every value of 2026 and its audit trail, keyed by cell, without ids and times."""
    result = {}
    for value in Value.objects.filter(period__code="2026").select_related("indicator", "country"):
        cell = (value.indicator.code, value.country.code if value.country else None)
        result[cell] = {
            "number": value.number,
            "text": value.text,
            "disaggregation": value.disaggregation,
            "comment": value.comment,
            "status": value.status,
            "version": value.version,
            "late": value.late,
            "updated": value.updated_at is not None,
            "audits": [
                (a.user_id, a.action, a.path, a.before, a.after, a.note)
                for a in value.audits.order_by("at", "pk")
            ],
        }
    return result


def outcome_of(write) -> dict:
    """What `write` leaves in the database, rolled back afterwards."""
    with transaction.atomic():
        write()
        result = outcome()
        transaction.set_rollback(True)
    return result


FIRST = [
    dict(code=WORKSHOPS, number=3, comment="  first  "),
    dict(code=TRAINERS, number=12, disaggregation={"level": {"national": 10, "not_specified": 2}}),
    dict(code=MEDIA, text="  Radio and press  "),
    dict(code=PLAN, number="1"),
    dict(code=WORKSHOPS, country_code="SV", number=Decimal("4")),
]
SECOND = [
    dict(code=WORKSHOPS, number=5, comment="changed"),
    dict(code=TRAINERS, number=12, disaggregation={"level": {"national": 12}}),
    dict(code=MEDIA, text="Radio"),
    dict(code=PLAN, number=0),
]


def test_the_bulk_path_leaves_what_value_save_leaves_audits_included(secretariat):
    def with_save():
        by_save(secretariat, [row(**fields) for fields in FIRST])
        by_save(secretariat, [row(**fields) for fields in SECOND])

    def with_import():
        assert by_import(secretariat, [row(**fields) for fields in FIRST]).created == 5
        result = by_import(secretariat, [row(**fields) for fields in SECOND])
        assert (result.created, result.updated) == (0, 4)

    saved, imported = outcome_of(with_save), outcome_of(with_import)
    assert saved == imported
    assert imported[(WORKSHOPS, "HN")]["version"] == 2
    assert imported[(WORKSHOPS, "HN")]["audits"][1][3]["comment"] == "first"


def test_a_returned_value_stays_returned_on_both_paths(focal_hn, secretariat):
    def scenario(write):
        def run():
            by_save(focal_hn, [row(number=3)])
            value = Value.objects.get(indicator__code=WORKSHOPS, country__code="HN")
            Value.objects.filter(pk=value.pk).update(status=Status.RETURNED)
            write(focal_hn, [row(number=4, version=1)])

        return outcome_of(run)

    saved, imported = scenario(by_save), scenario(by_import)
    assert saved == imported
    assert imported[(WORKSHOPS, "HN")]["status"] == Status.RETURNED


def refusal(call):
    """The exception and, for validation errors, the messages in Spanish."""
    with translation.override("es"):
        with pytest.raises(Exception) as caught:
            call()
    error = caught.value
    if isinstance(error, RowsRefused):
        (error,) = error.errors.values()  # one row: its error
    if isinstance(error, ValidationError):
        return type(error), error.message_dict
    if isinstance(error, StaleValue):
        return type(error), error.current.pk
    return type(error), None


BAD_ROWS = [
    dict(number=-1),
    dict(number=Decimal("1.5")),
    dict(number="1,5"),
    dict(number="NaN"),
    dict(number=None),
    dict(number=True),
    dict(code=TRAINERS, number=12, disaggregation={"level": {"national": 10}}),
    dict(code=TRAINERS, number=12, disaggregation={"level": {"national": 13}}),
    dict(code=TRAINERS, number=2, disaggregation={"sex": {"women": 2}}),
    dict(code=TRAINERS, number=2, disaggregation={"level": {"planet": 2}}),
    dict(code=TRAINERS, number=2, disaggregation={"level": {"national": -2}}),
    dict(code=MEDIA, text=" "),
    dict(code=MEDIA, text="x" * 501),
    dict(code=PLAN, number=2),
    dict(number=3, disaggregation={"level": {"national": 3}}),
]


@pytest.mark.parametrize("fields", BAD_ROWS)
def test_bad_values_are_refused_with_value_saves_messages(focal_hn, fields):
    one = row(**fields)
    expected = refusal(lambda: by_save(focal_hn, [one]))
    assert expected[0] is ValidationError
    assert refusal(lambda: by_import(focal_hn, [one])) == expected
    assert not Value.objects.filter(period__code="2026").exists()


@pytest.mark.parametrize("period_code", ["2019", "2027"])
def test_a_locked_or_upcoming_period_is_refused_alike(focal_hn, period_code):
    one = row(number=3)
    expected = refusal(lambda: by_save(focal_hn, [one], period_code))
    assert "period" in expected[1]
    assert refusal(lambda: by_import(focal_hn, [one], period_code)) == expected


@pytest.mark.parametrize("user", ["focal_hn", "observer"])
def test_another_countrys_row_is_refused_alike(request, user):
    user = request.getfixturevalue(user)
    rows = [row(number=3), row(country_code="GT", number=4)]
    assert refusal(lambda: by_save(user, rows[1:])) == (PermissionDenied, None)
    assert refusal(lambda: by_import(user, rows)) == (PermissionDenied, None)
    assert not Value.objects.exists() or not Value.objects.filter(period__code="2026").exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.VALIDATED])
def test_submitted_and_validated_values_are_locked_alike(focal_hn, status):
    by_save(focal_hn, [row(number=3)])
    Value.objects.filter(period__code="2026").update(status=status)
    one = row(number=4)
    expected = refusal(lambda: by_save(focal_hn, [one]))
    assert "status" in expected[1]
    assert refusal(lambda: by_import(focal_hn, [one])) == expected
    assert Value.objects.get(period__code="2026").number == 3


@pytest.mark.parametrize("version", [0, 2])
def test_a_stale_version_is_refused_alike(focal_hn, version):
    by_save(focal_hn, [row(number=3)])
    one = row(number=4, version=version)
    expected = refusal(lambda: by_save(focal_hn, [one]))
    assert expected[0] is StaleValue
    assert refusal(lambda: by_import(focal_hn, [one])) == expected
    assert Value.objects.get(period__code="2026").number == 3


def test_one_bad_row_among_good_ones_writes_nothing_and_is_named(focal_hn):
    rows = [row(code=code, number=2) for code in ("SEN-1.1.1-a", "SEN-1.2.1-a")]
    rows.append(row(code=WORKSHOPS, number=-1, line=17))
    with pytest.raises(RowsRefused) as refused:
        by_import(focal_hn, rows)
    assert list(refused.value.errors) == [17]
    assert not Value.objects.filter(period__code="2026").exists()
    assert not ValueAudit.objects.filter(value__period__code="2026").exists()


def test_the_same_cell_twice_in_a_file_is_refused(focal_hn):
    with pytest.raises(RowsRefused) as refused, translation.override("en"):
        by_import(focal_hn, [row(number=2), row(number=3)])
    assert "row 1" in " ".join(refused.value.errors[2].messages)
    assert not Value.objects.filter(period__code="2026").exists()


def test_mappings_are_taken_as_rows(focal_hn):
    result = by_import(
        focal_hn, [{"indicator": indicator(WORKSHOPS), "country": country("HN"), "number": 7}]
    )
    assert result.created == 1
    audit = ValueAudit.objects.get(value__period__code="2026")
    assert (audit.user, audit.path, audit.action) == (focal_hn, "import", "saved")


def many_rows(count, number):
    indicators = list(Indicator.objects.filter(kind="count", frequency="annual", retired_at=None))
    countries = list(Country.objects.order_by("code"))
    cells = [(i, c) for i in indicators for c in countries][:count]
    return [ValueRow(indicator=i, country=c, number=number) for i, c in cells]


def test_existing_values_are_read_in_bulk_and_written_in_bulk(secretariat):
    by_import(secretariat, many_rows(60, 1))
    rows = many_rows(120, 2)  # 60 to change, 60 new
    with CaptureQueriesContext(connection) as queries:
        result = by_import(secretariat, rows)
    assert (result.created, result.updated) == (60, 60)
    statements = [query["sql"] for query in queries.captured_queries]
    reads = [
        sql for sql in statements if sql.startswith("SELECT") and 'FROM "monitoring_value"' in sql
    ]
    assert len(reads) == 2  # the values it changes, and last period's for the year-on-year check
    assert len(statements) <= 12  # value_save would make several per row
    assert Value.objects.filter(period__code="2026", number=2).count() == 120
    assert ValueAudit.objects.filter(value__period__code="2026").count() == 180
