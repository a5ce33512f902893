"""Population denominators: the model's rules (held by the database too), the secretariat's form
with its history, the export, and the import (upload → preview → confirm): bad rows refused with
a message per row, nothing written; the seed, each row with its source and to be verified."""

import csv
import io
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from monitoring.models import Population
from monitoring.populations import services
from strategy.models import Country
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "monitoring" / "04_populations.yaml"
NOTE = ROOT / "docs" / "source-notes" / "populations.md"
COUNTRIES = {"BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"}
HEADER = [
    "País (código ISO) [country]",
    "Año [year]",
    "Población total [total]",
    "Mujeres [women]",
    "Hombres [men]",
    "Niñas, niños y adolescentes [children]",
    "Personas adultas [adults]",
    "Fuente [source]",
    "Dirección [source_url]",
    "Fecha [source_date]",
]


def honduras():
    return Country.objects.get(code="HN")


def csv_file(rows, header=HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("poblacion.csv", buffer.getvalue().encode("utf-8"), "text/csv")


def upload(client, file, lang="en"):
    return client.post(f"/{lang}/monitoring/populations/import/", {"file": file})


# --- The seed ----------------------------------------------------------------------------------


def test_the_seed_covers_every_country_for_2017_to_2019_and_is_to_be_verified():
    seeded = Population.objects.select_related("country")
    years = {(p.country.code, p.year) for p in seeded}
    assert {(code, year) for code in COUNTRIES for year in (2017, 2018, 2019)} <= years
    assert all(p.to_be_verified and p.source and p.source_date for p in seeded)
    assert all("SP.POP.TOTL" in p.source for p in seeded)


def test_the_source_note_lists_every_source_of_the_seed():
    note = NOTE.read_text(encoding="utf-8")
    sources = {row["fields"]["source"] for row in yaml.safe_load(SEED.read_text())}
    assert sources and all(source in note for source in sources)


# --- The model and the service -------------------------------------------------------------


def test_the_database_refuses_a_part_larger_than_the_total():
    population = Population.objects.get(country__code="HN", year=2019)
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.filter(pk=population.pk).update(women=population.total + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.filter(pk=population.pk).update(children=population.total, adults=1)


def test_the_database_refuses_a_second_row_for_a_country_and_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        Population.objects.create(
            country=honduras(), year=2019, total=1, source="x", source_date="2026-01-01"
        )


def test_the_service_saves_with_history_and_refuses_others(secretariat, observer, focal_hn):
    population = Population.objects.get(country__code="HN", year=2019)
    data = {"total": 10_000_000, "women": 5_100_000, "men": 4_900_000, "to_be_verified": False}
    saved = services.population_save(
        user=secretariat, population=population, data=data, version=population.version
    )
    assert (saved.total, saved.women, saved.version, saved.to_be_verified) == (
        10_000_000,
        5_100_000,
        2,
        False,
    )
    entry = saved.history.latest()
    assert entry.history_user == secretariat and entry.history_change_reason == "edited"
    with pytest.raises(services.StalePopulation):
        services.population_save(user=secretariat, population=saved, data=data, version=1)
    for user in (observer, focal_hn):
        with pytest.raises(PermissionDenied):
            services.population_save(user=user, population=saved, data=data, version=2)


def test_the_service_says_which_part_does_not_fit(secretariat):
    population = Population.objects.get(country__code="HN", year=2019)
    with pytest.raises(ValidationError) as refused:
        services.population_save(
            user=secretariat,
            population=population,
            data={"women": 6_000_000, "men": 6_000_000},
        )
    assert "men" in refused.value.message_dict
    assert Population.objects.get(pk=population.pk).women is None


# --- The pages -----------------------------------------------------------------------------


def test_the_list_shows_every_country_and_stays_in_few_queries(
    client, secretariat, django_assert_max_num_queries
):
    client = signed_in(client, secretariat)
    client.get("/es/")
    with django_assert_max_num_queries(8):
        html = client.get("/es/monitoring/populations/").content.decode()
    assert "Honduras" in html and "9,943,633" in html and "por verificar" in html


def test_the_form_saves_and_keeps_the_history(client, secretariat):
    client = signed_in(client, secretariat)
    population = Population.objects.get(country__code="HN", year=2019)
    url = f"/en/monitoring/populations/{population.pk}/"
    form = {
        "total": "9943633",
        "women": "",
        "men": "",
        "children": "",
        "adults": "",
        "source": "Instituto Nacional de Estadística, proyecciones",
        "source_url": "",
        "source_date": "2026-05-01",
        "version": str(population.version),
    }
    response = client.post(url, form)
    assert response.status_code == 302
    population.refresh_from_db()
    assert population.source.startswith("Instituto") and not population.to_be_verified
    html = client.get(url).content.decode()
    assert "History" in html and "edited" in html and secretariat.username in html


def test_the_form_puts_errors_beside_the_fields_in_the_readers_language(client, secretariat):
    client = signed_in(client, secretariat)
    population = Population.objects.get(country__code="HN", year=2019)
    form = {"total": "100", "women": "200", "source": "x", "source_date": "2026-01-01"}
    response = client.post(f"/es/monitoring/populations/{population.pk}/", form)
    assert response.status_code == 400
    assert "Ninguna parte puede ser mayor que la población total." in response.content.decode()
    assert Population.objects.get(pk=population.pk).total == 9_943_633


def test_a_new_population_for_a_taken_year_is_refused(client, secretariat):
    client = signed_in(client, secretariat)
    form = {"country": honduras().pk, "year": "2019", "total": "1", "source": "x",
            "source_date": "2026-01-01"}  # fmt: skip
    response = client.post("/en/monitoring/populations/new/", form)
    assert response.status_code == 400
    assert "already has a population for this year" in response.content.decode()


def test_the_export_escapes_formulas_and_reads_back_unchanged(client, secretariat):
    client = signed_in(client, secretariat)
    Population.objects.filter(country__code="HN", year=2019).update(source="=HYPERLINK(1)")
    response = client.get("/en/monitoring/populations/populations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    honduras_2019 = next(r for r in rows if r[:2] == ["HN", "2019"])
    assert honduras_2019[7] == "'=HYPERLINK(1)"
    preview = client.get(upload(client, SimpleUploadedFile("p.csv", response.content))["Location"])
    assert "nothing to import" in preview.content.decode()


# --- The import ----------------------------------------------------------------------------


def test_an_import_is_previewed_then_saved_at_once_to_be_verified(client, secretariat):
    client = signed_in(client, secretariat)
    rows = [
        ["HN", "2030", "11000000", "5600000", "5400000", "", "", "INE Honduras", "", "2026-02-01"],
        ["hn", "2019", "9943633", "", "", "3800000", "6143633", "INE", "", "2026-02-01"],
    ]
    response = upload(client, csv_file(rows))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Confirm" in page
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    done = client.post(f"/en/monitoring/populations/import/{token}/confirm/")
    assert done.status_code == 302
    new = Population.objects.get(country__code="HN", year=2030)
    changed = Population.objects.get(country__code="HN", year=2019)
    assert (new.total, new.women, new.to_be_verified) == (11_000_000, 5_600_000, True)
    assert (changed.children, changed.source, changed.version) == (3_800_000, "INE", 2)
    assert changed.history.latest().history_change_reason == "imported"


BAD_ROWS = [
    (["XX", "2019", "100", "", "", "", "", "s", "", "2026-01-01"], "no such country"),
    (["HN", "2031", "12.5", "", "", "", "", "s", "", "2026-01-01"], "whole number"),
    (["HN", "2032", "100", "200", "", "", "", "s", "", "2026-01-01"], "larger than the total"),
    (["HN", "2033", "100", "60", "60", "", "", "s", "", "2026-01-01"], "add up to more"),
    (["HN", "2034", "100", "", "", "", "", "s", "", "01/02/2026"], "YYYY-MM-DD"),
    (["HN", "2035", "100", "", "", "", "", "", "", "2026-01-01"], "cannot be blank"),
    (["HN", "1800", "100", "", "", "", "", "s", "", "2026-01-01"], "greater than or equal"),
    (["HN", "2036", "0", "", "", "", "", "s", "", "2026-01-01"], "greater than or equal"),
    (["HN", "2037", "100", "", "", "", "", "s", "notaurl", "2026-01-01"], "valid URL"),
]


def test_bad_rows_are_refused_one_message_each_and_nothing_is_written(client, secretariat):
    client = signed_in(client, secretariat)
    good = ["HN", "2040", "100", "", "", "", "", "s", "", "2026-01-01"]
    twice = ["HN", "2040", "101", "", "", "", "", "s", "", "2026-01-01"]
    before = list(Population.objects.values_list())
    response = upload(client, csv_file([good, *(row for row, _m in BAD_ROWS), twice]))
    page = client.get(response["Location"]).content.decode()
    for _row, message in BAD_ROWS:
        assert message in page, message
    assert "Row 2 has this country and year already." in page
    assert "Confirm the import" not in page
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(f"/en/monitoring/populations/import/{token}/confirm/")
    assert list(Population.objects.values_list()) == before


def test_a_file_without_the_columns_is_refused_beside_the_field(client, secretariat):
    client = signed_in(client, secretariat)
    response = upload(client, csv_file([["HN", "2019"]], header=["country", "year"]))
    assert response.status_code == 400
    assert "not a population spreadsheet" in response.content.decode()
    response = upload(client, csv_file([["HN"]], header=HEADER[:1] + ["Año [year]"]))
    assert response.status_code == 400
    assert "columns are missing" in response.content.decode()


def test_the_import_service_writes_all_or_nothing(secretariat):
    before = list(Population.objects.values_list())
    rows = [
        {"row": 2, "country": "HN", "year": 2050, "version": None, "total": 5,
         "source": "s", "source_date": "2026-01-01"},
        {"row": 3, "country": "HN", "year": 2051, "version": None, "total": 5, "women": 6,
         "source": "s", "source_date": "2026-01-01"},
    ]  # fmt: skip
    with pytest.raises(services.RowsRefused) as refused:
        services.populations_import(user=secretariat, rows=rows)
    assert list(refused.value.errors) == [3]
    assert list(Population.objects.values_list()) == before


def test_an_import_refuses_rows_changed_since_the_preview(client, secretariat):
    client = signed_in(client, secretariat)
    rows = [["HN", "2019", "9943634", "", "", "", "", "s", "", "2026-01-01"]]
    response = upload(client, csv_file(rows))
    population = Population.objects.get(country__code="HN", year=2019)
    services.population_save(user=secretariat, population=population, data={"total": 1_000_000})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    refused = client.post(f"/en/monitoring/populations/import/{token}/confirm/")
    assert refused.status_code == 409
    assert Population.objects.get(pk=population.pk).total == 1_000_000
