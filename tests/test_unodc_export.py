"""The identified victims in UNODC's layout (strategy.unodc, monitoring.spreadsheets.unodc): every
portal category mapped to one of UNODC's, "not specified" to "unknown"; one row per country, year
and category; small cells protected for whoever may not see them in full; every cell escaped."""

import csv
import io

import pytest
from openpyxl import load_workbook

from monitoring.models import Value
from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED
from strategy.unodc import TABLES, UNKNOWN
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_every_portal_category_goes_to_exactly_one_unodc_category():
    for table in TABLES:
        assert set(table.mapping) == set(DIMENSIONS[table.dimension].categories), table.key
        assert set(table.mapping.values()) <= set(table.categories), table.key
        assert table.mapping[NOT_SPECIFIED] == UNKNOWN
        assert UNKNOWN in table.categories


def rows_of(client, lang="en"):
    response = client.get(f"/{lang}/monitoring/spreadsheets/unodc.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def cell(rows, country, year, table, category):
    for row in rows:
        if row[0] == country and row[2] == year and row[3] == table and row[4] == category:
            return row[5]
    raise LookupError((country, year, table, category))


def test_one_row_per_country_year_and_category_with_unknown(client):
    header, rows = rows_of(client)
    assert header[:6] == [
        "Country (ISO code)",
        "Country",
        "Year",
        "UNODC table",
        "UNODC category",
        "Identified victims",
    ]
    # 9 countries × 3 years, each: the total and 3 + 3 + 4 + 3 categories
    assert len(rows) == 27 * 14
    # Chart 3 has no breakdown: each figure is all "unknown"
    assert cell(rows, "HN", "2019", "Total", "Total") == "84"
    assert cell(rows, "HN", "2019", "Sex", "Unknown") == "84"
    assert cell(rows, "HN", "2019", "Sex", "Female") == "0"
    assert cell(rows, "MX", "2017", "Citizenship", "Unknown") == "1080"


@pytest.fixture
def honduras_broken_down():
    Value.objects.filter(
        indicator__code="identified-victims", country__code="HN", period__code="2019"
    ).update(
        disaggregation={
            "sex": {"women": 50, "men": 31, "other": 3},
            "exploitation": {"sexual": 40, "labour": 30, "begging": 10, "adoption": 4},
        }
    )


def test_the_categories_are_summed_as_the_mapping_says(client, secretariat, honduras_broken_down):
    _header, rows = rows_of(signed_in(client, secretariat))
    assert cell(rows, "HN", "2019", "Sex", "Female") == "50"
    assert cell(rows, "HN", "2019", "Sex", "Unknown") == "3"  # "other sex or gender"
    assert cell(rows, "HN", "2019", "Form of exploitation", "Forced labour") == "30"
    assert cell(rows, "HN", "2019", "Form of exploitation", "Other forms of exploitation") == "14"
    assert cell(rows, "HN", "2019", "Age group", "Unknown") == "84"  # not broken down


def test_no_cell_the_reader_sees_withheld_is_given_away(client, observer, honduras_broken_down):
    _header, rows = rows_of(signed_in(client, observer))
    assert cell(rows, "HN", "2019", "Sex", "Unknown") == "<5"
    # begging (10) + adoption (<5): the sum would give the small cell away
    other = cell(rows, "HN", "2019", "Form of exploitation", "Other forms of exploitation")
    assert other in {"n.p.", "<5"}
    assert "3" not in {cell(rows, "HN", "2019", "Sex", c) for c in ("Female", "Male", "Unknown")}


def test_the_layout_is_in_the_readers_language_and_the_xlsx_has_the_same_rows(client):
    header, rows = rows_of(client, lang="es")
    assert header[0] == "País (código ISO)"
    assert cell(rows, "HN", "2019", "Sexo", "Desconocido") == "84"
    response = client.get("/en/monitoring/spreadsheets/unodc.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 27 * 14


def test_the_spreadsheets_page_links_the_unodc_layout(client):
    html = client.get("/en/monitoring/spreadsheets/").content.decode()
    assert "/en/monitoring/spreadsheets/unodc.xlsx" in html
