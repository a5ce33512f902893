"""Value spreadsheets: the template of a country and period, the import (upload → preview →
confirm, all or nothing), the exports of the matrix and the values list, formula escaping,
hostile files and access."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from monitoring.values.models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH
from strategy.models import Country, Indicator
from tests.conftest import signed_in
from tests.test_uploads import zip_bomb

pytestmark = pytest.mark.django_db

TRAINERS = "TRA-2.1.1-a"  # a count broken down by level
WORKSHOPS = "SEN-2.1.1-a"  # a count
MEDIA = "TRA-2.1.2-a"  # text
PLAN = "SEN-2.1.3-a"  # yes/no


# -- helpers ----------------------------------------------------------------------------------


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"monitoring:{name}", kwargs=kwargs)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def template(client, country="HN", period="2026", fmt="xlsx", lang="en") -> bytes:
    name = "spreadsheet_template" if fmt == "xlsx" else "spreadsheet_template_csv"
    response = client.get(url(name, lang, period=period, country=country))
    assert response.status_code == 200, response.status_code
    return response.content


def columns_of(sheet) -> dict:
    """{column key: 1-based column} from the header's bracketed keys."""
    return {re.search(r"\[([\w.]+)\]$", str(cell.value)).group(1): cell.column for cell in sheet[1]}


def row_of(sheet, code: str, country: str | None = None) -> int:
    keys = columns_of(sheet)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, keys["indicator"]).value == code and (
            country is None or sheet.cell(row, keys["country"]).value == country
        ):
            return row
    raise AssertionError(code)


def filled(content: bytes, changes: dict, country: str | None = None) -> bytes:
    """The workbook with {indicator code: {column key: value}} written into its first sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    keys = columns_of(sheet)
    for code, cells in changes.items():
        row = row_of(sheet, code, country)
        for key, value in cells.items():
            sheet.cell(row, keys[key]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(content: bytes) -> list[dict]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    keys = [(re.search(r"\[([\w.]+)\]$", h) or re.search(r"(.*)", h)).group(1) for h in header]
    return [dict(zip(keys, row, strict=True)) for row in reader]


def csv_filled(content: bytes, changes: dict) -> bytes:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    keys = [re.search(r"\[([\w.]+)\]$", h).group(1) for h in header]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in reader:
        cells = dict(zip(keys, row, strict=True))
        cells.update(changes.get(cells["indicator"], {}))
        writer.writerow([cells[key] for key in keys])
    return out.getvalue().encode("utf-8")


def upload(client, content: bytes, name="values.xlsx", lang="en"):
    return client.post(url("spreadsheet_import", lang), {"file": SimpleUploadedFile(name, content)})


def preview_of(client, response):
    assert response.status_code == 302, text(response)
    token = re.search(r"/import/([^/]+)/$", response["Location"]).group(1)
    page = client.get(response["Location"])
    assert page.status_code == 200
    return token, page


def confirm(client, token, lang="en"):
    return client.post(url("spreadsheet_confirm", lang, token=token))


def values_2026():
    return Value.objects.filter(period__code="2026")


def save(user, code=WORKSHOPS, country="HN", **fields):
    return services.value_save(
        user=user,
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country),
        period=Period.objects.get(code="2026"),
        path="form",
        **fields,
    )


@pytest.fixture
def hn(client, focal_hn):
    return signed_in(client, focal_hn)


# -- the template -----------------------------------------------------------------------------


def test_the_template_has_a_row_per_indicator_of_the_period_with_breakdown_columns(hn):
    workbook = openpyxl.load_workbook(io.BytesIO(template(hn)))
    sheet = workbook["Values"]
    keys = columns_of(sheet)
    assert list(keys)[:8] == [
        "country",
        "period",
        "indicator",
        "name",
        "kind",
        "unit",
        "status",
        "value",
    ]
    assert [k for k in keys if k.startswith("level.")] == [
        "level.national",
        "level.regional",
        "level.extra_regional",
        "level.not_specified",
    ]
    codes = [sheet.cell(row, keys["indicator"]).value for row in range(2, sheet.max_row + 1)]
    annual = Indicator.objects.current().filter(frequency="annual")
    assert sorted(codes) == sorted(annual.values_list("code", flat=True))
    row = row_of(sheet, TRAINERS)
    assert sheet.cell(row, keys["country"]).value == "HN"
    assert sheet.cell(row, keys["period"]).value == "2026"
    assert sheet.cell(row, keys["version"]).value == 0
    assert "Instructions" in workbook.sheetnames


def test_the_template_is_protected_but_its_input_cells_are_not(hn):
    sheet = openpyxl.load_workbook(io.BytesIO(template(hn))).worksheets[0]
    keys = columns_of(sheet)
    assert sheet.protection.sheet
    trainers, workshops = row_of(sheet, TRAINERS), row_of(sheet, WORKSHOPS)
    assert sheet.cell(1, keys["value"]).protection.locked
    assert sheet.cell(trainers, keys["indicator"]).protection.locked
    assert sheet.cell(trainers, keys["version"]).protection.locked
    assert not sheet.cell(trainers, keys["value"]).protection.locked
    assert not sheet.cell(trainers, keys["level.national"]).protection.locked
    assert sheet.cell(workshops, keys["level.national"]).protection.locked  # no such breakdown
    validations = {
        str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation
    }
    by_cell = {cell: rule for ranges, rule in validations.items() for cell in ranges.split()}
    letter = openpyxl.utils.get_column_letter
    assert by_cell[f"{letter(keys['value'])}{trainers}"] == ("whole", "0")
    assert by_cell[f"{letter(keys['value'])}{row_of(sheet, PLAN)}"] == ("list", '"1,0"')


def test_the_template_speaks_the_users_language(hn):
    sheet = openpyxl.load_workbook(io.BytesIO(template(hn, lang="es"))).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert "Valor [value]" in headers
    name = sheet.cell(row_of(sheet, WORKSHOPS), columns_of(sheet)["name"]).value
    assert name == Indicator.objects.get(code=WORKSHOPS).name_es


def test_the_template_is_prefilled_and_locks_submitted_values(hn, focal_hn):
    save(focal_hn, code=TRAINERS, number=12, disaggregation={"level": {"national": 12}})
    save(focal_hn, code=WORKSHOPS, number=3, comment="=cmd")
    values_2026().filter(indicator__code=WORKSHOPS).update(status=Status.SUBMITTED)
    sheet = openpyxl.load_workbook(io.BytesIO(template(hn))).worksheets[0]
    keys = columns_of(sheet)
    trainers, workshops = row_of(sheet, TRAINERS), row_of(sheet, WORKSHOPS)
    assert sheet.cell(trainers, keys["value"]).value == 12
    assert sheet.cell(trainers, keys["level.national"]).value == 12
    assert sheet.cell(trainers, keys["status"]).value == "draft"
    assert sheet.cell(trainers, keys["version"]).value == 1
    assert sheet.cell(workshops, keys["comment"]).value == "'=cmd"  # escaped
    assert sheet.cell(workshops, keys["value"]).protection.locked


def test_the_template_asks_a_number_of_queries_that_does_not_grow(
    client, secretariat, focal_hn, django_assert_max_num_queries
):
    signed_in(client, focal_hn)
    for indicator in Indicator.objects.filter(kind="count", frequency="annual")[:10]:
        save(focal_hn, code=indicator.code, number=5)
    with django_assert_max_num_queries(10):  # session, user, device, period, country, 2 of data
        template(client)


# -- import: round trips ----------------------------------------------------------------------


def test_a_filled_template_round_trips_into_drafts_with_import_audits(hn, focal_hn):
    content = filled(
        template(hn),
        {
            WORKSHOPS: {"value": 4, "comment": "two cities"},
            TRAINERS: {"value": 12, "level.national": 10, "level.not_specified": 2},
            MEDIA: {"value": "Radio and press"},
            PLAN: {"value": "yes"},
        },
    )
    token, page = preview_of(hn, upload(hn, content))
    assert not values_2026().exists(), "the preview wrote"
    page_text = text(page)
    assert "New values 4" in page_text
    assert "Rows with errors 0" in page_text
    response = confirm(hn, token)
    assert response.status_code == 302
    values = {v.indicator.code: v for v in values_2026().select_related("indicator")}
    assert set(values) == {WORKSHOPS, TRAINERS, MEDIA, PLAN}
    assert values[WORKSHOPS].number == 4 and values[WORKSHOPS].comment == "two cities"
    assert values[TRAINERS].disaggregation == {"level": {"national": 10, "not_specified": 2}}
    assert values[MEDIA].text == "Radio and press"
    assert values[PLAN].number == 1
    assert {v.status for v in values.values()} == {Status.DRAFT}
    audits = ValueAudit.objects.filter(value__period__code="2026")
    assert audits.count() == 4
    assert {(a.user, a.path, a.action) for a in audits} == {(focal_hn, "import", "saved")}
    # The same file again: the preview says nothing changed... and its versions are now stale.
    _token, again = preview_of(hn, upload(hn, filled(template(hn), {})))
    assert "Rows with errors 0" in text(again) and "New values 0" in text(again)


def test_an_import_refuses_a_comment_or_text_longer_than_the_form_takes(hn):
    content = filled(
        template(hn),
        {
            WORKSHOPS: {"value": 4, "comment": "x" * (COMMENT_MAX_LENGTH + 1)},
            MEDIA: {"value": "y" * (TEXT_MAX_LENGTH + 1)},
        },
    )
    _token, page = preview_of(hn, upload(hn, content))
    page_text = text(page)
    assert "Rows with errors 2" in page_text
    assert f"Keep it under {COMMENT_MAX_LENGTH} characters." in page_text
    assert f"Keep it under {TEXT_MAX_LENGTH} characters." in page_text
    assert not values_2026().exists()


def test_a_csv_in_the_templates_layout_imports_too(hn):
    content = csv_filled(template(hn, fmt="csv"), {WORKSHOPS: {"value": "7"}})
    token, _page = preview_of(hn, upload(hn, content, "values.csv"))
    assert confirm(hn, token).status_code == 302
    assert values_2026().get().number == 7


def test_changed_rows_show_before_and_after(hn, focal_hn):
    save(focal_hn, code=WORKSHOPS, number=3)
    content = filled(template(hn), {WORKSHOPS: {"value": 5}})
    token, page = preview_of(hn, upload(hn, content))
    assert "Changed values 1" in text(page)
    assert re.search(r"Value</strong>.*<del>3</del> → <ins>5</ins>", page.content.decode(), re.S)
    confirm(hn, token)
    value = values_2026().get()
    assert (value.number, value.version) == (5, 2)
    assert value.audits.last().before["number"] == "3.00"


def test_the_preview_speaks_the_users_language(hn):
    content = filled(template(hn, lang="es"), {WORKSHOPS: {"value": -2}})
    _token, page = preview_of(hn, upload(hn, content, lang="es"))
    assert "Filas con errores 1" in text(page)
    assert "Columna H (Valor)" in text(page)
    refused = upload(hn, b"%PDF-1.4", "valores.pdf", lang="es")
    assert refused.status_code == 400
    assert "Suba un libro de Excel (.xlsx) o un archivo CSV (.csv)." in text(refused)


# -- import: refusals -------------------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_the_preview_names_row_and_column(hn):
    content = filled(template(hn), {WORKSHOPS: {"value": 4}, TRAINERS: {"value": -1}})
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    row, column = row_of(sheet, TRAINERS), columns_of(sheet)["value"]
    token, page = preview_of(hn, upload(hn, content))
    html = page.content.decode()
    letter = openpyxl.utils.get_column_letter(column)
    bad = re.search(rf'<tr class="status-error">\s*<td class="num">{row}</td>.*?</tr>', html, re.S)
    assert bad and f"Column {letter} (Value)" in bad.group(0)
    assert "cannot be negative" in bad.group(0)
    assert "Confirm the import" not in html
    response = confirm(hn, token)  # posted anyway
    assert response.status_code == 302
    assert not values_2026().exists()


def test_a_breakdown_that_does_not_add_up_is_an_error(hn):
    content = filled(template(hn), {TRAINERS: {"value": 12, "level.national": 10}})
    _token, page = preview_of(hn, upload(hn, content))
    assert "adds up to 10: 2 under the total 12" in text(page)


@pytest.mark.parametrize(
    "cells, message",
    [
        ({"indicator": "NO-SUCH"}, "There is no indicator “NO-SUCH”"),
        ({"country": "XX"}, "There is no member country with the code “XX”"),
        ({"period": "2025"}, "import one period at a time"),
        ({"value": "1,5"}, "Enter a number"),
        ({"value": 2.5}, "A count is a whole number"),
        ({"version": "abc"}, "is not a version"),
    ],
)
def test_cell_errors_are_named(hn, cells, message):
    content = filled(template(hn), {WORKSHOPS: {"value": 3, **cells}})
    _token, page = preview_of(hn, upload(hn, content))
    assert message in text(page)
    assert "Rows with errors 1" in text(page)


def test_a_row_of_another_country_refuses_the_whole_file_naming_the_row(hn):
    content = filled(template(hn), {WORKSHOPS: {"value": 3}, TRAINERS: {"value": 4}})
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    row = row_of(sheet, TRAINERS)
    sheet.cell(row, columns_of(sheet)["country"]).value = "GT"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(hn, buffer.getvalue())
    assert response.status_code == 400
    assert f"Row {row} is for Guatemala" in text(response)
    assert "nothing was imported" in text(response)
    assert not values_2026().exists()
    assert not hn.session.get("value_spreadsheet_imports")


def test_the_secretariat_imports_several_countries_in_one_file(client, secretariat):
    signed_in(client, secretariat)
    honduras = filled(template(client, "HN"), {WORKSHOPS: {"value": 1}})
    workbook = openpyxl.load_workbook(io.BytesIO(honduras))
    other = openpyxl.load_workbook(io.BytesIO(template(client, "SV"))).worksheets[0]
    sheet = workbook.worksheets[0]
    keys = columns_of(other)
    row = [cell.value for cell in other[row_of(other, WORKSHOPS)]]
    row[keys["value"] - 1] = 2
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    token, _page = preview_of(client, upload(client, buffer.getvalue()))
    confirm(client, token)
    assert sorted(values_2026().values_list("country__code", "number")) == [
        ("HN", Decimal("1.00")),
        ("SV", Decimal("2.00")),
    ]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.VALIDATED])
def test_submitted_and_validated_values_cannot_be_changed_by_import(hn, focal_hn, status):
    save(focal_hn, code=WORKSHOPS, number=3)
    values_2026().update(status=status)
    unchanged = template(hn)
    _token, page = preview_of(hn, upload(hn, unchanged))
    assert "Rows with errors 0" in text(page)  # left as they are: not an error
    content = filled(unchanged, {WORKSHOPS: {"value": 9}})
    _token, page = preview_of(hn, upload(hn, content))
    assert f"This value is {status}: it can no longer be changed here." in text(page)
    assert values_2026().get().number == 3


def test_a_value_changed_since_the_template_is_an_error_at_preview(hn, focal_hn):
    content = filled(template(hn), {WORKSHOPS: {"value": 9}})
    save(focal_hn, code=WORKSHOPS, number=3)  # after the download
    _token, page = preview_of(hn, upload(hn, content))
    assert "changed after the template was made (version 0 in the file, 1 now)" in text(page)


def test_a_value_changed_since_the_preview_refuses_the_whole_import(hn, focal_hn):
    save(focal_hn, code=TRAINERS, number=1)
    content = filled(template(hn), {WORKSHOPS: {"value": 4}, TRAINERS: {"value": 2}})
    token, _page = preview_of(hn, upload(hn, content))
    save(focal_hn, code=TRAINERS, number=8, version=1)  # someone else, in the form
    response = confirm(hn, token)
    assert response.status_code == 409
    assert "changed after your preview" in text(response)
    assert values_2026().get(indicator__code=TRAINERS).number == 8
    assert not values_2026().filter(indicator__code=WORKSHOPS).exists()
    assert not ValueAudit.objects.filter(path="import").exists()


def test_a_locked_period_refuses_the_file(client, secretariat):
    signed_in(client, secretariat)
    content = filled(template(client, period="2019"), {WORKSHOPS: {"value": 3}})
    response = upload(client, content)
    assert response.status_code == 400
    assert "Period 2019 is locked. Nothing was imported." in text(response)


def test_a_preview_can_be_confirmed_once_and_only_in_its_session(
    client, focal_hn, django_user_model
):
    signed_in(client, focal_hn)
    token, _page = preview_of(
        client, upload(client, filled(template(client), {WORKSHOPS: {"value": 3}}))
    )
    from django.test import Client

    other = signed_in(Client(), focal_hn)  # the same person, another session
    assert other.post(url("spreadsheet_confirm", token=token)).status_code == 302
    assert not values_2026().exists()
    assert confirm(client, token).status_code == 302
    assert confirm(client, token).status_code == 302  # the second time: gone
    assert values_2026().count() == 1
    assert ValueAudit.objects.filter(path="import").count() == 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bomb.xlsx", zip_bomb(150), "too large once uncompressed"),
        ("fake.xlsx", b"not a workbook at all", "not an Excel workbook"),
        ("values.csv", "país;valor\n".encode("cp1252"), "not UTF-8"),
        ("values.pdf", b"%PDF-1.4", "Upload an Excel workbook"),
        ("values.csv", b"a,b\n1,2\n", "This is not a value template"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_message(hn, name, content, message):
    response = upload(hn, content, name)
    assert response.status_code == 400
    assert message in text(response)
    assert not values_2026().exists()


# -- exports ----------------------------------------------------------------------------------


@pytest.fixture
def reported(focal_hn, focal_sv, secretariat):
    """Honduras: a validated breakdown with small cells and a draft; El Salvador: a draft."""
    trainers = save(
        focal_hn,
        code=TRAINERS,
        number=12,
        disaggregation={"level": {"national": 9, "regional": 3}},
        comment='=HYPERLINK("http://x")',
    )
    Value.objects.filter(pk=trainers.pk).update(status=Status.VALIDATED)
    save(focal_hn, code=WORKSHOPS, number=4)
    save(focal_sv, code=WORKSHOPS, country="SV", number=6)
    save(focal_sv, code=MEDIA, country="SV", text="-1+1 @SUM(A1)")


def matrix(client, fmt="csv", period="2026"):
    name = f"spreadsheet_matrix_{fmt}"
    response = client.get(url(name, period=period))
    assert response.status_code == 200
    return response


def test_the_matrix_shows_each_user_what_they_may_see(client, reported, focal_hn, observer):
    rows = {row["country"]: row for row in csv_rows(matrix(client).content)}
    assert rows["HN"][TRAINERS] == "12" and rows["HN"][WORKSHOPS] == ""
    assert rows["SV"][WORKSHOPS] == ""
    rows = {row["country"]: row for row in csv_rows(matrix(signed_in(client, focal_hn)).content)}
    assert rows["HN"][WORKSHOPS] == "4" and rows["SV"][WORKSHOPS] == ""
    assert len(rows) == 9


def test_the_matrix_workbook_has_values_states_and_indicators(client, reported, secretariat):
    workbook = openpyxl.load_workbook(
        io.BytesIO(matrix(signed_in(client, secretariat), "xlsx").content)
    )
    assert workbook.sheetnames == ["Values", "States", "Indicators"]
    values, states = workbook["Values"], workbook["States"]
    column = [cell.value for cell in values[1]].index(WORKSHOPS) + 1
    honduras = next(row for row in range(2, 11) if values.cell(row, 1).value == "HN")
    assert values.cell(honduras, column).value == 4
    assert states.cell(honduras, column).value == "draft"


def test_exports_neutralise_formulas(client, reported, secretariat):
    signed_in(client, secretariat)
    matrix_rows = {row["country"]: row for row in csv_rows(matrix(client).content)}
    assert matrix_rows["SV"][MEDIA] == "'-1+1 @SUM(A1)"
    response = client.get(url("spreadsheet_values_csv") + "?period=2026")
    rows = {(r["country"], r["indicator"]): r for r in csv_rows(response.content)}
    assert rows[("HN", TRAINERS)]["comment"] == '\'=HYPERLINK("http://x")'
    response = client.get(url("spreadsheet_values_xlsx") + "?period=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'-1+1 @SUM(A1)" in cells
    assert not any(isinstance(c, str) and c[:1] in "=+-@" for c in cells)


def test_the_values_list_protects_small_cells_from_others(client, reported, focal_hn, observer):
    def rows_for(user):
        if user:
            signed_in(client, user)
        response = client.get(url("spreadsheet_values_csv") + "?period=2026&country=HN")
        return {r["indicator"]: r for r in csv_rows(response.content)}

    public = rows_for(None)
    assert set(public) == {TRAINERS}
    # the lone small cell takes its neighbour with it, or the total would give it away
    assert (public[TRAINERS]["level.national"], public[TRAINERS]["level.regional"]) == (
        "n.p.",
        "<5",
    )
    assert rows_for(observer)[TRAINERS]["level.regional"] == "<5"
    own = rows_for(focal_hn)
    assert own[TRAINERS]["level.regional"] == "3"
    assert set(own) == {TRAINERS, WORKSHOPS}


def test_exports_ask_a_number_of_queries_that_does_not_grow(
    client, reported, focal_hn, django_assert_max_num_queries
):
    period = Period.objects.get(code="2026")
    for indicator in Indicator.objects.filter(kind="count", frequency="annual")[:12]:
        for code in ("GT", "CR"):
            Value.objects.get_or_create(
                indicator=indicator,
                country=Country.objects.get(code=code),
                period=period,
                defaults={"number": 3, "status": Status.VALIDATED},
            )
    signed_in(client, focal_hn)
    for name in ("spreadsheet_matrix_csv", "spreadsheet_matrix_xlsx"):
        with django_assert_max_num_queries(10):
            assert client.get(url(name, period="2026")).status_code == 200
    for name in ("spreadsheet_values_csv", "spreadsheet_values_xlsx"):
        with django_assert_max_num_queries(10):
            assert client.get(url(name) + "?period=2026").status_code == 200


def test_an_unknown_period_or_country_is_a_404(client):
    assert client.get(url("spreadsheet_matrix_csv", period="1900")).status_code == 404
    assert client.get(url("spreadsheet_values_csv") + "?country=ZZ").status_code == 404


# -- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["observer", "focal_sv"])
def test_others_may_not_download_a_countrys_template(client, request, who):
    signed_in(client, request.getfixturevalue(who))
    response = client.get(url("spreadsheet_template", period="2026", country="HN"))
    assert response.status_code == 403


def test_observers_may_not_import_and_nothing_is_written(client, observer, secretariat):
    content = filled(template(signed_in(client, secretariat)), {WORKSHOPS: {"value": 3}})
    client.logout()
    signed_in(client, observer)
    assert client.get(url("spreadsheet_import")).status_code == 403
    assert upload(client, content).status_code == 403
    assert not values_2026().exists()


def test_anonymous_visitors_go_to_sign_in_and_write_nothing(client, secretariat):
    content = filled(template(signed_in(client, secretariat)), {WORKSHOPS: {"value": 3}})
    client.logout()
    login = reverse("accounts:login")
    for response in (
        client.get(url("spreadsheet_template", period="2026", country="HN")),
        client.get(url("spreadsheet_import")),
        upload(client, content),
        client.post(url("spreadsheet_confirm", token="x")),
    ):
        assert response.status_code == 302 and login in response["Location"]
    assert not values_2026().exists()


def test_the_hub_offers_templates_only_to_those_who_may_import(client, focal_hn, observer):
    page = client.get(url("spreadsheets") + "?period=2026")
    assert page.status_code == 200
    assert url("spreadsheet_matrix_xlsx", period="2026") in page.content.decode()
    assert "template.xlsx" not in page.content.decode()
    signed_in(client, focal_hn)
    html = client.get(url("spreadsheets") + "?period=2026").content.decode()
    assert url("spreadsheet_template", period="2026", country="HN") in html
    assert url("spreadsheet_template", period="2026", country="SV") not in html
